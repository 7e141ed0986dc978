package io.tierdns.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Schedules the cache's timers: the client-response timer of RFC 8767 §5 and the per-attempt
 * upstream timeout. Injected, like {@link Ticker}, so tests fire timers by moving a fake clock.
 */
@FunctionalInterface
public interface Timers {

  /**
   * Runs {@code task} once after {@code delay}.
   *
   * @return a handle that cancels the task if it has not run yet
   */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can still be called off. */
  @FunctionalInterface
  interface Cancellable {
    /** Calls the task off; no effect once it has run. */
    void cancel();
  }

  /** Timers on a {@link ScheduledExecutorService}; tasks should be short and must not block. */
  static Timers of(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return (delay, task) -> {
      ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
  }
}
