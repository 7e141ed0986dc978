package io.tierdns.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/** Counts resolver events for {@link CacheCounters} and passes each on to a delegate observer. */
final class ResolverStats implements ResolverObserver {

  private final ResolverObserver delegate;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder staleAnswers = new LongAdder();
  private final LongAdder servfails = new LongAdder();
  private final LongAdder prefetches = new LongAdder();
  private final LongAdder coalesced = new LongAdder();
  private final LongAdder upstreamQueries = new LongAdder();
  private final LongAdder upstreamErrors = new LongAdder();

  ResolverStats(ResolverObserver delegate) {
    this.delegate = Objects.requireNonNull(delegate, "observer");
  }

  @Override
  public void hit() {
    hits.increment();
    delegate.hit();
  }

  @Override
  public void miss() {
    misses.increment();
    delegate.miss();
  }

  @Override
  public void staleAnswer() {
    staleAnswers.increment();
    delegate.staleAnswer();
  }

  @Override
  public void servfail() {
    servfails.increment();
    delegate.servfail();
  }

  @Override
  public void prefetch() {
    prefetches.increment();
    delegate.prefetch();
  }

  @Override
  public void coalesced() {
    coalesced.increment();
    delegate.coalesced();
  }

  @Override
  public void upstreamAnswered(String upstream, Duration rtt) {
    upstreamQueries.increment();
    delegate.upstreamAnswered(upstream, rtt);
  }

  @Override
  public void upstreamFailed(String upstream, UpstreamError kind) {
    upstreamErrors.increment();
    delegate.upstreamFailed(upstream, kind);
  }

  CacheCounters snapshot(RRsetCache cache) {
    return new CacheCounters(
        hits.sum(),
        misses.sum(),
        staleAnswers.sum(),
        servfails.sum(),
        prefetches.sum(),
        coalesced.sum(),
        upstreamQueries.sum(),
        upstreamErrors.sum(),
        cache.size(),
        cache.weightBytes(),
        cache.evictions());
  }
}
