package io.tierdns.authoritative.acl;

import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * The outcome of checking a query's TSIG record (RFC 8945 §5.2), and how the response must be
 * signed for it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8945#section-5.2">RFC 8945 §5.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8945#section-5.3">RFC 8945 §5.3</a>
 */
public sealed interface TsigVerification {

  /** The query carried no TSIG record. */
  record Unsigned() implements TsigVerification {}

  /**
   * The query's MAC and time are good: the response is signed with the same key (§5.3).
   *
   * @param keyName the key that signed the query (for ACLs and policies)
   * @param key the key, to sign the response
   * @param queryTsig the query's TSIG record, whose MAC the response's MAC covers
   */
  record Verified(Name keyName, TSIG key, TSIGRecord queryTsig) implements TsigVerification {}

  /**
   * The query failed the TSIG check: the response is NOTAUTH with the TSIG error {@code error}
   * (§5.2): BADKEY (unknown key or algorithm) and BADSIG (wrong MAC) unsigned with an empty MAC
   * (§5.3.2), BADTIME signed, carrying our time in Other Data (§5.2.3).
   *
   * @param error {@link Rcode#BADKEY}, {@link Rcode#BADSIG} or {@link Rcode#BADTIME}
   * @param key a key object naming the query's key and algorithm, for the error's TSIG record;
   *     {@code null} when the algorithm is not one we know (then no TSIG record is added)
   * @param queryTsig the query's TSIG record
   */
  record Failed(int error, TSIG key, TSIGRecord queryTsig) implements TsigVerification {}

  /** A single query-wide instance of {@link Unsigned}. */
  TsigVerification UNSIGNED = new Unsigned();

  /**
   * Makes {@code response} a proper answer for this outcome: nothing for an unsigned query, the
   * signing key for a verified one, NOTAUTH and the TSIG error for a failed one. The wire layer
   * signs when it renders ({@link Message#setTSIG}), after patching ID and OPT.
   *
   * @return {@code response}, for chaining
   */
  default Message applyTo(Message response) {
    if (this instanceof Verified v) {
      response.setTSIG(v.key(), Rcode.NOERROR, v.queryTsig());
    } else if (this instanceof Failed f) {
      response.getHeader().setRcode(Rcode.NOTAUTH);
      if (f.key() != null) {
        response.setTSIG(f.key(), f.error(), f.queryTsig());
      }
    }
    return response;
  }

  /** The name of the verified key, or {@code null}. */
  default Name keyName() {
    return this instanceof Verified v ? v.keyName() : null;
  }
}
