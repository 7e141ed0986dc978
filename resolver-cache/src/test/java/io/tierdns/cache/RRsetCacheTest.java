package io.tierdns.cache;

import static io.tierdns.cache.Dns.name;
import static io.tierdns.cache.Dns.rr;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class RRsetCacheTest {

  private final FakeClock clock = new FakeClock();

  private RRsetCache cache(CachePolicy policy) {
    return new RRsetCache(policy, clock, Runnable::run);
  }

  private CacheEntry entry(String owner, long ttl) {
    return CacheEntry.of(
        CacheKey.of(name(owner), Type.A),
        CacheEntry.Kind.POSITIVE,
        List.of(rr(owner, "A", ttl, "192.0.2.1")),
        List.of(),
        ttl,
        clock.read());
  }

  @Test
  void entryIsFreshUntilItsTtlThenStaleUntilMaxStaleThenGone() {
    RRsetCache cache = cache(CachePolicy.builder().maxStale(Duration.ofSeconds(100)).build());
    CacheEntry e = entry("www.example.", 60);
    cache.put(e);

    clock.advance(Duration.ofSeconds(60).minusNanos(1));
    assertThat(cache.lookup(e.key()).state()).isEqualTo(CacheLookup.State.FRESH);
    clock.advance(Duration.ofNanos(1));
    assertThat(cache.lookup(e.key()).state()).isEqualTo(CacheLookup.State.STALE);
    clock.advance(Duration.ofSeconds(100).minusNanos(1));
    assertThat(cache.lookup(e.key()).state()).isEqualTo(CacheLookup.State.STALE);
    clock.advance(Duration.ofNanos(1));
    assertThat(cache.lookup(e.key()).isMiss()).isTrue();
    cache.cleanUp();
    assertThat(cache.size()).isZero();
  }

  @Test
  void withServeStaleOffAnEntryIsGoneAtItsTtl() {
    RRsetCache cache = cache(CachePolicy.builder().serveStale(false).build());
    CacheEntry e = entry("www.example.", 60);
    cache.put(e);
    clock.advanceSeconds(60);
    assertThat(cache.lookup(e.key()).isMiss()).isTrue();
    cache.cleanUp();
    assertThat(cache.size()).isZero();
  }

  @Test
  void remainingTtlCountsDownAndIsNeverZeroWhileFresh() {
    RRsetCache cache = cache(CachePolicy.defaults());
    CacheEntry e = entry("www.example.", 60);
    cache.put(e);
    assertThat(cache.lookup(e.key()).remainingSeconds()).isEqualTo(60);
    clock.advance(Duration.ofMillis(10_500));
    CacheLookup l = cache.lookup(e.key());
    assertThat(l.remainingSeconds()).isEqualTo(50);
    assertThat(l.entry().answerAt(l.ageSeconds()).get(0).getTTL()).isEqualTo(50);
    clock.advance(Duration.ofMillis(49_499));
    l = cache.lookup(e.key());
    assertThat(l.isFresh()).isTrue();
    assertThat(l.remainingSeconds()).isEqualTo(1);
    assertThat(l.entry().answerAt(l.ageSeconds()).get(0).getTTL()).isEqualTo(1);
  }

  @Test
  void keysIgnoreLetterCase() {
    RRsetCache cache = cache(CachePolicy.defaults());
    cache.put(entry("WWW.Example.", 60));
    assertThat(cache.lookup(CacheKey.of(name("www.example."), Type.A)).isFresh()).isTrue();
    assertThat(cache.lookup(CacheKey.of(name("www.example."), Type.AAAA)).isMiss()).isTrue();
  }

  @Test
  void flushRemovesAllTypesOfOneNameOnly() {
    RRsetCache cache = cache(CachePolicy.defaults());
    cache.put(entry("www.example.", 60));
    cache.put(
        CacheEntry.of(CacheKey.of(name("www.example."), Type.AAAA), CacheEntry.Kind.POSITIVE,
            List.of(rr("www.example.", "AAAA", 60, "2001:db8::1")), List.of(), 60, clock.read()));
    cache.put(entry("a.www.example.", 60));
    assertThat(cache.invalidate(name("WWW.example."))).isEqualTo(2);
    assertThat(cache.lookup(CacheKey.of(name("a.www.example."), Type.A)).isFresh()).isTrue();
  }

  @Test
  void flushBelowRemovesTheNameAndEverythingUnderIt() {
    RRsetCache cache = cache(CachePolicy.defaults());
    cache.put(entry("example.", 60));
    cache.put(entry("www.example.", 60));
    cache.put(entry("a.b.example.", 60));
    cache.put(entry("example.net.", 60));
    cache.put(entry("notexample.", 60));
    assertThat(cache.invalidateBelow(name("example."))).isEqualTo(3);
    assertThat(cache.lookup(CacheKey.of(name("example.net."), Type.A)).isFresh()).isTrue();
    assertThat(cache.lookup(CacheKey.of(name("notexample."), Type.A)).isFresh()).isTrue();
  }

  @Test
  void flushAllEmptiesTheCache() {
    RRsetCache cache = cache(CachePolicy.defaults());
    cache.put(entry("a.example.", 60));
    cache.put(entry("b.example.", 60));
    assertThat(cache.invalidateAll()).isEqualTo(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void evictsByWeightToStayWithinTheByteBound() {
    int weight = entry("x00000.example.", 60).weight();
    long bound = 50L * weight;
    RRsetCache cache = cache(CachePolicy.builder().maxSizeBytes(bound).build());
    for (int i = 0; i < 500; i++) {
      cache.put(entry(String.format("x%05d.example.", i), 60));
    }
    cache.cleanUp();
    assertThat(cache.weightBytes()).isLessThanOrEqualTo(bound);
    assertThat(cache.size()).isBetween(1L, 50L);
    assertThat(cache.evictions()).isGreaterThanOrEqualTo(450);
  }

  @Test
  void replacingAnEntryRestartsItsLife() {
    RRsetCache cache = cache(CachePolicy.builder().serveStale(false).build());
    cache.put(entry("www.example.", 60));
    clock.advanceSeconds(50);
    cache.put(entry("www.example.", 60));
    clock.advanceSeconds(50);
    CacheLookup l = cache.lookup(CacheKey.of(name("www.example."), Type.A));
    assertThat(l.isFresh()).isTrue();
    assertThat(l.remainingSeconds()).isEqualTo(10);
  }
}
