package io.tierdns.authoritative.serial;

/**
 * The outcome of comparing two zone serials with RFC 1982 arithmetic. Unlike an int-valued
 * compare, it can say that two serials are not comparable.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1982#section-3.2">RFC 1982 §3.2</a>
 */
public enum SerialComparison {
  /** The first serial is older. */
  LESS,
  /** Same serial. */
  EQUAL,
  /** The first serial is newer. */
  GREATER,
  /** The serials are exactly 2^31 apart: RFC 1982 leaves the comparison undefined. */
  UNDEFINED
}
