package io.tierdns.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Predicate;
import org.xbill.DNS.Name;

/**
 * The answer cache: {@link CacheEntry} by {@link CacheKey}, on Caffeine.
 *
 * <p>Design note. Caffeine does the hard parts: a byte bound enforced with W-TinyLFU eviction (the
 * {@code Weigher} is {@link CacheEntry#weight()}), and per-entry expiry on a timer wheel read from
 * our injected {@link Ticker}. Caffeine's expiry is set to TTL + max-stale, not TTL, so an expired
 * answer stays available for serve-stale (RFC 8767 §5); whether a hit is fresh or stale is decided
 * here on every lookup from the entry's own store time, so no answer is ever served past TTL +
 * max-stale even before Caffeine's maintenance has removed it. With serve-stale off, the window is
 * zero and Caffeine drops entries at their TTL.
 *
 * <p>Lookups take no lock and allocate only the result. Flushes walk the key set, which is fine for
 * an admin operation.
 */
public final class RRsetCache {

  private final CachePolicy policy;
  private final Ticker ticker;
  private final Cache<CacheKey, CacheEntry> cache;

  /** A cache whose maintenance runs on the common pool. */
  public RRsetCache(CachePolicy policy, Ticker ticker) {
    this(policy, ticker, ForkJoinPool.commonPool());
  }

  /**
   * A cache whose maintenance (eviction, removal) runs on {@code executor}; tests pass {@code
   * Runnable::run} so that it is deterministic.
   */
  public RRsetCache(CachePolicy policy, Ticker ticker, Executor executor) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    long staleNanos = policy.staleWindow().toNanos();
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(policy.maxSizeBytes())
            .weigher((CacheKey k, CacheEntry e) -> e.weight())
            .expireAfter(new KeepUntilStaleLimit(staleNanos))
            .ticker(ticker.asCaffeine())
            .executor(executor)
            .recordStats()
            .build();
  }

  /** Fresh, stale (only with serve-stale on, and before TTL + max-stale) or miss. */
  public CacheLookup lookup(CacheKey key) {
    CacheEntry e = cache.getIfPresent(key);
    if (e == null) {
      return CacheLookup.miss();
    }
    long age = e.ageNanos(ticker.read());
    if (age < e.ttlNanos()) {
      return CacheLookup.fresh(e, age);
    }
    if (age - e.ttlNanos() < policy.staleWindow().toNanos()) {
      return CacheLookup.stale(e, age);
    }
    return CacheLookup.miss();
  }

  /** The entry as stored, whatever its state, if Caffeine still holds it. */
  public Optional<CacheEntry> peek(CacheKey key) {
    return Optional.ofNullable(cache.getIfPresent(key));
  }

  /** The entries Caffeine holds for {@code name}, any type and class, whatever their state. */
  public List<CacheEntry> entriesOf(Name name) {
    Name n = name.canonicalize();
    List<CacheEntry> out = new ArrayList<>();
    for (Map.Entry<CacheKey, CacheEntry> e : cache.asMap().entrySet()) {
      if (e.getKey().name().equals(n)) {
        out.add(e.getValue());
      }
    }
    return out;
  }

  /** Stores or replaces the entry for its key. */
  public void put(CacheEntry entry) {
    cache.put(entry.key(), entry);
  }

  /** Removes every entry (all types and classes) of {@code name}; returns how many. */
  public int invalidate(Name name) {
    Name n = name.canonicalize();
    return removeIf(k -> k.name().equals(n));
  }

  /** Removes the entries of {@code name} and of every name below it; returns how many. */
  public int invalidateBelow(Name name) {
    Name n = name.canonicalize();
    return removeIf(k -> k.name().subdomain(n));
  }

  /** Removes everything; returns how many entries there were. */
  public int invalidateAll() {
    return removeIf(k -> true);
  }

  private int removeIf(Predicate<CacheKey> which) {
    int[] removed = {0};
    cache.asMap().keySet().removeIf(k -> {
      boolean hit = which.test(k);
      if (hit) {
        removed[0]++;
      }
      return hit;
    });
    return removed[0];
  }

  /** Entries held, stale ones included (approximate until {@link #cleanUp()}). */
  public long size() {
    return cache.estimatedSize();
  }

  /** The weigher's total over all entries, in estimated bytes. */
  public long weightBytes() {
    return cache.policy().eviction().map(ev -> ev.weightedSize().orElse(0)).orElse(0L);
  }

  /** Entries evicted for size so far (expired ones not counted). */
  public long evictions() {
    return cache.stats().evictionCount();
  }

  /** Runs pending maintenance (expiry, eviction) now. */
  public void cleanUp() {
    cache.cleanUp();
  }

  /** Keeps each entry until TTL + the stale window, measured from its own store time. */
  private static final class KeepUntilStaleLimit implements Expiry<CacheKey, CacheEntry> {
    private final long staleNanos;

    KeepUntilStaleLimit(long staleNanos) {
      this.staleNanos = staleNanos;
    }

    @Override
    public long expireAfterCreate(CacheKey key, CacheEntry e, long currentTime) {
      long until = e.storedAtNanos() + e.ttlNanos() + staleNanos;
      return Math.max(0, until - currentTime);
    }

    @Override
    public long expireAfterUpdate(CacheKey key, CacheEntry e, long currentTime, long currentDuration) {
      return expireAfterCreate(key, e, currentTime);
    }

    @Override
    public long expireAfterRead(CacheKey key, CacheEntry e, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
