package io.tierdns.cache;

/** Why an upstream attempt gave no usable answer; the {@code kind} tag of {@code cache.upstream.errors}. */
public enum UpstreamError {
  /** No answer within the attempt timeout. */
  TIMEOUT,
  /** The upstream answered SERVFAIL. */
  SERVFAIL,
  /** The upstream answered REFUSED (or NOTIMP): it will not serve us. */
  REFUSED,
  /** The upstream answered FORMERR or another rcode a forwarder cannot use. */
  BAD_RCODE,
  /** Socket or decoding failure, or an answer that does not match the query (RFC 5452). */
  NETWORK,
  /** No upstream is configured for the name. */
  NO_UPSTREAM;

  /** Lower-case tag value for metrics. */
  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
