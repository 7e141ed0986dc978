package io.tierdns.zonesync;

import org.xbill.DNS.Rcode;

/**
 * Why an SOA query or a transfer did not produce a usable zone version: the inputs of {@link
 * TransferPlan}.
 */
public enum TransferFailure {
  /** The primary answered NOTIMP (it does not do IXFR). */
  NOTIMP,
  /** The primary answered REFUSED. */
  REFUSED,
  /** The primary answered SERVFAIL. */
  SERVFAIL,
  /** The primary answered FORMERR (an old server that does not know IXFR). */
  FORMERR,
  /** The primary answered NOTAUTH: not authoritative for the zone, or it rejected our TSIG. */
  NOTAUTH,
  /** Another error rcode. */
  OTHER_RCODE,
  /** The answer's TSIG signature was missing or did not verify. */
  TSIG,
  /** No answer in time. */
  TIMEOUT,
  /** Connection refused, reset, or closed before the end of the transfer (a truncated stream). */
  CONNECTION,
  /** A malformed answer: no SOA, an IXFR out of sync, data after the end. */
  BAD_RESPONSE,
  /** The IXFR diffs do not apply to our version (our journal and the primary's disagree). */
  DIFF_MISMATCH,
  /** The transferred data is not a valid zone, or its ZONEMD does not match it (RFC 8976 §4). */
  INVALID_ZONE,
  /** The transfer ends at a serial that is not newer than ours (RFC 1982). */
  SERIAL_BACKWARDS,
  /** Our side failed: the journal could not be written. */
  LOCAL_ERROR;

  /** The failure for an error rcode of a response. */
  public static TransferFailure ofRcode(int rcode) {
    switch (rcode) {
      case Rcode.NOTIMP:
        return NOTIMP;
      case Rcode.REFUSED:
        return REFUSED;
      case Rcode.SERVFAIL:
        return SERVFAIL;
      case Rcode.FORMERR:
        return FORMERR;
      case Rcode.NOTAUTH:
        return NOTAUTH;
      default:
        return OTHER_RCODE;
    }
  }

  /** True when the primary is at fault (as opposed to {@link #LOCAL_ERROR}). */
  public boolean remote() {
    return this != LOCAL_ERROR;
  }
}
