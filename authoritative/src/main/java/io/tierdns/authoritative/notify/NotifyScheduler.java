package io.tierdns.authoritative.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time for {@link NotifySender}: the current instant and delayed tasks. Tests drive a fake one
 * instead of sleeping.
 */
public interface NotifyScheduler {

  /** A scheduled task that can be cancelled. */
  interface Cancellable {
    void cancel();
  }

  Instant now();

  /** Runs {@code task} once after {@code delay}, on some thread. */
  Cancellable schedule(Runnable task, Duration delay);

  /** Real time: the clock and an executor owned by the caller. */
  static NotifyScheduler of(ScheduledExecutorService executor, Clock clock) {
    return new NotifyScheduler() {
      @Override
      public Instant now() {
        return clock.instant();
      }

      @Override
      public Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }
    };
  }
}
