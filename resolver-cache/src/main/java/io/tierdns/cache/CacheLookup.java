package io.tierdns.cache;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The result of a cache lookup: fresh, stale (past its TTL but within the serve-stale window of
 * RFC 8767 §5) or a miss. A value, never an exception.
 *
 * @param state fresh, stale or miss
 * @param entry the entry; {@code null} for a miss
 * @param ageNanos how long ago the entry was stored; 0 for a miss
 */
public record CacheLookup(State state, CacheEntry entry, long ageNanos) {

  private static final CacheLookup MISS = new CacheLookup(State.MISS, null, 0);

  /** Fresh, stale or miss. */
  public enum State {
    FRESH,
    STALE,
    MISS
  }

  public CacheLookup {
    Objects.requireNonNull(state, "state");
    if ((state == State.MISS) != (entry == null)) {
      throw new IllegalArgumentException("an entry is required exactly when not a miss");
    }
  }

  public static CacheLookup miss() {
    return MISS;
  }

  public static CacheLookup fresh(CacheEntry entry, long ageNanos) {
    return new CacheLookup(State.FRESH, entry, ageNanos);
  }

  public static CacheLookup stale(CacheEntry entry, long ageNanos) {
    return new CacheLookup(State.STALE, entry, ageNanos);
  }

  public boolean isFresh() {
    return state == State.FRESH;
  }

  public boolean isStale() {
    return state == State.STALE;
  }

  public boolean isMiss() {
    return state == State.MISS;
  }

  /** Whole seconds since the entry was stored. */
  public long ageSeconds() {
    return TimeUnit.NANOSECONDS.toSeconds(ageNanos);
  }

  /** Remaining TTL in whole seconds: at least 1 when fresh, 0 when stale or a miss. */
  public long remainingSeconds() {
    return isFresh() ? entry.ttlSeconds() - ageSeconds() : 0;
  }
}
