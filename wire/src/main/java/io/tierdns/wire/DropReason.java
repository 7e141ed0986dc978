package io.tierdns.wire;

/** Why the wire layer sent nothing back for a packet or frame. */
public enum DropReason {
  /** Fewer than the 12 bytes of a DNS header (RFC 1035 §4.1.1): nothing to answer to. */
  SHORT,
  /** The QR bit was set: a response is never answered (avoids reflection loops). */
  RESPONSE,
  /** The handler chose silence (its stage completed with {@code null}). */
  HANDLER_SILENT,
  /** The connection closed before the response was ready. */
  CONNECTION_CLOSED,
  /** The transport failed to send the response. */
  WRITE_FAILED;

  /** The lowercase tag value used in metrics. */
  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
