package io.tierdns.cache;

import java.time.Duration;

/**
 * Events of the caching resolver, for metrics. Every method has a no-op default, in the manner of
 * Netty's {@code DnsQueryLifecycleObserver}; {@link MicrometerResolverObserver} counts them.
 * Implementations must be cheap and thread-safe: they run on the query path.
 */
public interface ResolverObserver {

  /** An observer that ignores everything. */
  ResolverObserver NOOP = new ResolverObserver() {};

  /** A query was answered from a fresh entry. */
  default void hit() {}

  /** A query found no usable entry. */
  default void miss() {}

  /** A query was answered with stale data (RFC 8767). */
  default void staleAnswer() {}

  /** A query was answered SERVFAIL: no upstream answered and no stale data could be served. */
  default void servfail() {}

  /** A background refresh of a still-fresh, popular entry started. */
  default void prefetch() {}

  /** A query joined an identical upstream query already in flight. */
  default void coalesced() {}

  /** An upstream answered (any rcode) after {@code rtt}. */
  default void upstreamAnswered(String upstream, Duration rtt) {}

  /** An upstream attempt gave no usable answer. */
  default void upstreamFailed(String upstream, UpstreamError kind) {}
}
