package io.tierdns.node.report;

/**
 * What an unsubscribed cache holds of a change's RRsets at commit time: the input of its TTL-based
 * estimate (RFC 1035 §3.2.1 TTL, RFC 8767 serve-stale window).
 *
 * @param remainingTtlMs the longest remaining TTL of a cached copy of a changed RRset, 0 when it
 *     holds none, or -1 when unknown (then the old TTL is assumed)
 * @param oldTtlMs the longest TTL the changed RRsets had before the change (for new names, the
 *     negative-caching TTL of the old SOA)
 * @param staleWindowMs how long after expiry the cache may still serve a copy (0 without serve-stale)
 */
public record CachedCopies(long remainingTtlMs, long oldTtlMs, long staleWindowMs) {

  /** Nothing known: assume a full old TTL is cached. */
  public static CachedCopies unknown(long oldTtlMs, long staleWindowMs) {
    return new CachedCopies(-1, oldTtlMs, staleWindowMs);
  }
}
