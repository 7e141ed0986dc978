package io.tierdns.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * When resolution of a question last failed. Drives two windows: BIND's stale-refresh-time (serve
 * stale at once, do not ask upstream) and the failure cache of RFC 9520 (answer SERVFAIL at once).
 * Bounded in count and forgotten after the longer window, on the injected ticker.
 */
final class FailureMemory {

  private static final long MAX_REMEMBERED = 100_000;

  private final Ticker ticker;
  private final Cache<CacheKey, Long> failedAt;

  FailureMemory(CachePolicy policy, Ticker ticker, Executor executor) {
    this.ticker = ticker;
    Duration keep = max(policy.staleRefreshTime(), policy.servfailTtl());
    this.failedAt =
        Caffeine.newBuilder()
            .maximumSize(MAX_REMEMBERED)
            .expireAfterWrite(keep.isZero() ? Duration.ofNanos(1) : keep)
            .ticker(ticker.asCaffeine())
            .executor(executor)
            .build();
  }

  void failed(CacheKey key) {
    failedAt.put(key, ticker.read());
  }

  void succeeded(CacheKey key) {
    failedAt.invalidate(key);
  }

  /** Whether the last failure for {@code key} is less than {@code window} ago. */
  boolean within(CacheKey key, Duration window) {
    Long at = failedAt.getIfPresent(key);
    return at != null && ticker.read() - at < window.toNanos();
  }

  void forget(Predicate<CacheKey> which) {
    failedAt.asMap().keySet().removeIf(which);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
