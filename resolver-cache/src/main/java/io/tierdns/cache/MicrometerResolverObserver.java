package io.tierdns.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * Micrometer metrics of a caching resolver, all prefixed {@code cache.}:
 *
 * <ul>
 *   <li>{@code cache.hits}, {@code cache.misses}, {@code cache.stale.answers}, {@code
 *       cache.servfails}, {@code cache.prefetches}, {@code cache.coalesced}: counters;
 *   <li>{@code cache.upstream.latency}: timer, tag {@code upstream};
 *   <li>{@code cache.upstream.errors}: counter, tags {@code upstream} and {@code kind} ({@link
 *       UpstreamError#tag()});
 *   <li>{@code cache.entries}, {@code cache.size.bytes}: gauges, {@code cache.evictions}: counter,
 *       once {@link #bind(CachingResolver)} is called.
 * </ul>
 *
 * Every meter carries the extra tags given at construction, for instance {@code tier=local}.
 */
public final class MicrometerResolverObserver implements ResolverObserver {

  private final MeterRegistry registry;
  private final String[] tags;
  private final Counter hits;
  private final Counter misses;
  private final Counter staleAnswers;
  private final Counter servfails;
  private final Counter prefetches;
  private final Counter coalesced;

  /** @param tags extra tags as key, value pairs */
  public MicrometerResolverObserver(MeterRegistry registry, String... tags) {
    this.registry = Objects.requireNonNull(registry, "registry");
    if (tags.length % 2 != 0) {
      throw new IllegalArgumentException("tags must be key, value pairs");
    }
    this.tags = tags.clone();
    this.hits = counter("cache.hits", "Queries answered from fresh cache entries");
    this.misses = counter("cache.misses", "Queries without a fresh cache entry");
    this.staleAnswers = counter("cache.stale.answers", "Queries answered with stale data (RFC 8767)");
    this.servfails = counter("cache.servfails", "Queries answered SERVFAIL for lack of an upstream answer");
    this.prefetches = counter("cache.prefetches", "Background refreshes of popular entries");
    this.coalesced = counter("cache.coalesced", "Queries that joined an upstream query in flight");
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  /** Registers the size gauges of {@code resolver}'s cache. */
  public MicrometerResolverObserver bind(CachingResolver resolver) {
    RRsetCache cache = resolver.cache();
    Gauge.builder("cache.entries", cache, RRsetCache::size)
        .description("Entries held, stale ones included")
        .tags(tags)
        .register(registry);
    Gauge.builder("cache.size.bytes", cache, RRsetCache::weightBytes)
        .description("Estimated memory of the entries")
        .baseUnit("bytes")
        .tags(tags)
        .register(registry);
    FunctionCounter.builder("cache.evictions", cache, RRsetCache::evictions)
        .description("Entries evicted for size")
        .tags(tags)
        .register(registry);
    return this;
  }

  @Override
  public void hit() {
    hits.increment();
  }

  @Override
  public void miss() {
    misses.increment();
  }

  @Override
  public void staleAnswer() {
    staleAnswers.increment();
  }

  @Override
  public void servfail() {
    servfails.increment();
  }

  @Override
  public void prefetch() {
    prefetches.increment();
  }

  @Override
  public void coalesced() {
    coalesced.increment();
  }

  @Override
  public void upstreamAnswered(String upstream, Duration rtt) {
    Timer.builder("cache.upstream.latency")
        .description("Round-trip time of upstream queries")
        .tags(tags)
        .tag("upstream", upstream)
        .register(registry)
        .record(rtt);
  }

  @Override
  public void upstreamFailed(String upstream, UpstreamError kind) {
    Counter.builder("cache.upstream.errors")
        .description("Upstream attempts without a usable answer")
        .tags(tags)
        .tag("upstream", upstream)
        .tag("kind", kind.tag())
        .register(registry)
        .increment();
  }
}
