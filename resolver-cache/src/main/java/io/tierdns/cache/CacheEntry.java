package io.tierdns.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * One cached answer: the whole answer section for a question (CNAME chain included) or, for a
 * negative answer, the chain plus the SOA that sets its TTL (RFC 2308 §5). Immutable.
 *
 * <p>Record TTLs here are the clamped TTLs as received; {@link #ttlSeconds} is the smallest of
 * them, the entry's life. Responses count TTLs down from these with {@link #answerAt}: remaining
 * = stored TTL − whole seconds of age. While an entry is fresh (age &lt; {@code ttlSeconds}) the
 * remaining TTL is therefore never below 1: a cached answer never goes out with TTL 0, which would
 * forbid the client to cache what we still consider valid.
 *
 * @param key the question
 * @param kind positive, NODATA or NXDOMAIN
 * @param answer the answer section with clamped TTLs
 * @param authority empty for positives; the SOA (TTL = negative TTL) for negatives
 * @param ttlSeconds the entry's original TTL after clamping, at least 1
 * @param storedAtNanos {@link Ticker} reading when it was stored
 * @param weight estimated bytes, for the cache's weigher
 */
public record CacheEntry(
    CacheKey key,
    Kind kind,
    List<Record> answer,
    List<Record> authority,
    long ttlSeconds,
    long storedAtNanos,
    int weight) {

  /** Fixed per-entry cost (key, entry and map node objects), for the byte weigher. */
  static final int ENTRY_OVERHEAD = 160;

  /** What kind of answer an entry holds. */
  public enum Kind {
    /** Data for the question (possibly after a CNAME chain). */
    POSITIVE(Rcode.NOERROR),
    /** The name exists but has no data of the type (RFC 2308 §2.2). */
    NODATA(Rcode.NOERROR),
    /** The name does not exist (RFC 2308 §2.1). */
    NXDOMAIN(Rcode.NXDOMAIN);

    private final int rcode;

    Kind(int rcode) {
      this.rcode = rcode;
    }

    /** The rcode of a response carrying this kind of answer. */
    public int rcode() {
      return rcode;
    }
  }

  public CacheEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
    if (ttlSeconds < 1) {
      throw new IllegalArgumentException("ttlSeconds must be at least 1, got " + ttlSeconds);
    }
  }

  /** Builds an entry and computes its weight. */
  public static CacheEntry of(
      CacheKey key,
      Kind kind,
      List<Record> answer,
      List<Record> authority,
      long ttlSeconds,
      long storedAtNanos) {
    int weight = ENTRY_OVERHEAD;
    for (Record r : answer) {
      weight += Records.weight(r);
    }
    for (Record r : authority) {
      weight += Records.weight(r);
    }
    return new CacheEntry(key, kind, answer, authority, ttlSeconds, storedAtNanos, weight);
  }

  /** Nanoseconds since the entry was stored. */
  public long ageNanos(long nowNanos) {
    return Math.max(0, nowNanos - storedAtNanos);
  }

  /** The entry's TTL in nanoseconds. */
  public long ttlNanos() {
    return TimeUnit.SECONDS.toNanos(ttlSeconds);
  }

  /** Whether the TTL has not run out at {@code nowNanos}. */
  public boolean isFresh(long nowNanos) {
    return ageNanos(nowNanos) < ttlNanos();
  }

  /** Remaining TTL in whole seconds (at least 1 while fresh), or 0 once expired. */
  public long remainingSeconds(long nowNanos) {
    if (!isFresh(nowNanos)) {
      return 0;
    }
    return ttlSeconds - TimeUnit.NANOSECONDS.toSeconds(ageNanos(nowNanos));
  }

  /** The answer section with TTLs counted down by {@code ageSeconds}. */
  public List<Record> answerAt(long ageSeconds) {
    return countDown(answer, ageSeconds);
  }

  /** The authority section with TTLs counted down by {@code ageSeconds}. */
  public List<Record> authorityAt(long ageSeconds) {
    return countDown(authority, ageSeconds);
  }

  /** The answer section with every TTL set to {@code ttl} (stale answers, RFC 8767 §4). */
  public List<Record> answerWithTtl(long ttl) {
    return withTtl(answer, ttl);
  }

  /** The authority section with every TTL set to {@code ttl}. */
  public List<Record> authorityWithTtl(long ttl) {
    return withTtl(authority, ttl);
  }

  private static List<Record> countDown(List<Record> records, long ageSeconds) {
    List<Record> out = new ArrayList<>(records.size());
    for (Record r : records) {
      out.add(Records.withTtl(r, Math.max(1, r.getTTL() - ageSeconds)));
    }
    return out;
  }

  private static List<Record> withTtl(List<Record> records, long ttl) {
    List<Record> out = new ArrayList<>(records.size());
    for (Record r : records) {
      out.add(Records.withTtl(r, ttl));
    }
    return out;
  }
}
