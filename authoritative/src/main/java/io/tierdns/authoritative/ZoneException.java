package io.tierdns.authoritative;

/**
 * A zone's content breaks a rule of the DNS data model (no SOA, CNAME beside other data, a record
 * outside the origin ...). The message names the offending record or owner.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1034#section-3.6.2">RFC 1034 §3.6.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2181#section-10.1">RFC 2181 §10.1</a>
 */
public class ZoneException extends AuthoritativeException {

  public ZoneException(String message) {
    super(message);
  }
}
