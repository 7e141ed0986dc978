package io.tierdns.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

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
 *
 * <p>Chain index. An entry is keyed by its question, but its answer may pass through other names
 * (a CNAME chain, a DNAME): when one of those names changes, the entry must go too ({@link
 * #invalidateReferencing}, used by change-aware caches). The index maps each such name to the keys
 * whose answers mention it. It means "may reference": {@link #put} stores the entry first and
 * indexes it second, so an entry is never served from the cache unindexed for longer than that
 * gap; pointers left behind by entries that expired or were replaced are harmless (at worst one
 * extra eviction) and are swept once as many chain entries as the cache holds have been indexed
 * since the last sweep. Entries without a chain (most of them) cost nothing.
 *
 * <p>Generation. Every invalidation, whatever it removed, increases {@link #generation()} after
 * the entries are gone: the wire layer's packet cache replays encoded answers only while the
 * generation they were made under holds (its aging answers end at their TTL on their own, so a
 * {@link #put}, which never makes an answer wrong before its TTL, does not move it).
 */
public final class RRsetCache {

  private final CachePolicy policy;
  private final Ticker ticker;
  private final Cache<CacheKey, CacheEntry> cache;
  private final ConcurrentHashMap<Name, Set<CacheKey>> chainIndex = new ConcurrentHashMap<>();
  private final AtomicLong indexedSinceSweep = new AtomicLong();
  private final AtomicLong generation = new AtomicLong();

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

  /** A number that increases after every invalidation; never negative. */
  public long generation() {
    return generation.get();
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
    Set<Name> chain = chainNames(entry);
    if (chain.isEmpty()) {
      return;
    }
    for (Name n : chain) {
      chainIndex.compute(
          n,
          (name, keys) -> {
            Set<CacheKey> set = keys == null ? ConcurrentHashMap.newKeySet() : keys;
            set.add(entry.key());
            return set;
          });
    }
    if (indexedSinceSweep.incrementAndGet() > Math.max(1024, cache.estimatedSize())) {
      indexedSinceSweep.set(0);
      sweepChainIndex();
    }
  }

  /**
   * Removes exactly the entries of the question {@code name}/{@code type}, every class; returns
   * how many.
   */
  public int invalidate(Name name, int type) {
    Name n = name.canonicalize();
    return removeIf(k -> k.type() == type && k.name().equals(n));
  }

  /** Removes the NXDOMAIN and NODATA entries of {@code name}, any type; returns how many. */
  public int invalidateNegative(Name name) {
    Name n = name.canonicalize();
    int removed = 0;
    for (CacheEntry e : entriesOf(n)) {
      if (e.kind() != CacheEntry.Kind.POSITIVE && cache.asMap().remove(e.key(), e)) {
        removed++;
      }
    }
    generation.incrementAndGet();
    return removed;
  }

  /**
   * Removes every entry whose answer passes through {@code name} without being keyed by it: the
   * questions whose CNAME or DNAME chain reaches {@code name} (including NXDOMAIN and NODATA at
   * the end of a chain). Uses the chain index, so it costs the number of such entries, not a scan.
   *
   * @return how many entries were removed
   */
  public int invalidateReferencing(Name name) {
    Set<CacheKey> keys = chainIndex.remove(name.canonicalize());
    int removed = 0;
    for (CacheKey k : keys == null ? Set.<CacheKey>of() : keys) {
      if (cache.asMap().remove(k) != null) {
        removed++;
      }
    }
    generation.incrementAndGet();
    return removed;
  }

  /** The keys the chain index holds for {@code name} (may include keys since expired). */
  public Set<CacheKey> keysReferencing(Name name) {
    Set<CacheKey> keys = chainIndex.get(name.canonicalize());
    return keys == null ? Set.of() : Set.copyOf(keys);
  }

  /** Names other than the question's that the answer mentions: chain owners and targets. */
  static Set<Name> chainNames(CacheEntry e) {
    Set<Name> names = null;
    for (Record r : e.answer()) {
      Name target =
          r instanceof CNAMERecord c ? c.getTarget() : r instanceof DNAMERecord d ? d.getTarget() : null;
      for (Name n : target == null ? List.of(r.getName()) : List.of(r.getName(), target)) {
        Name c = n.canonicalize();
        if (!c.equals(e.key().name())) {
          if (names == null) {
            names = new HashSet<>();
          }
          names.add(c);
        }
      }
    }
    return names == null ? Set.of() : names;
  }

  /** Drops index pointers to keys the cache no longer holds. */
  private void sweepChainIndex() {
    for (Name n : chainIndex.keySet()) {
      chainIndex.computeIfPresent(
          n,
          (name, keys) -> {
            keys.removeIf(k -> !cache.asMap().containsKey(k));
            return keys.isEmpty() ? null : keys;
          });
    }
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
    int removed = removeIf(k -> true);
    chainIndex.clear();
    return removed;
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
    generation.incrementAndGet();
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
