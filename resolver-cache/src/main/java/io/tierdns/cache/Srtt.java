package io.tierdns.cache;

import java.util.concurrent.TimeUnit;

/**
 * The smoothed round-trip time of one upstream, in the manner of BIND's address database.
 *
 * <ul>
 *   <li>An answer moves the estimate 30 % of the way to the measured RTT (BIND's adjustment factor
 *       7/10).
 *   <li>A timeout or unusable answer is fed in as a sample of twice the attempt timeout, so one
 *       failure pushes the server behind any that answer.
 *   <li>A server that is passed over ages: when a resolution puts another server first, its
 *       estimate shrinks by 2 % for each second since it was last chosen or aged (BIND ages by
 *       98/100 at most once a second), so a penalised server is retried eventually.
 * </ul>
 *
 * Thread-safe; the lock is held for a few arithmetic operations only.
 */
final class Srtt {

  /** Estimates never exceed this, so that ageing brings any server back within minutes. */
  static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private long srttNanos;
  private long lastAgedNanos;

  Srtt(long initialNanos, long nowNanos) {
    this.srttNanos = initialNanos;
    this.lastAgedNanos = nowNanos;
  }

  synchronized long nanos() {
    return srttNanos;
  }

  /** Folds in one measured RTT. */
  synchronized void sample(long rttNanos) {
    srttNanos = Math.min(MAX_NANOS, (srttNanos * 7 + Math.max(0, rttNanos) * 3) / 10);
  }

  /** Ages the estimate for the whole seconds since it was last aged or chosen. */
  synchronized void age(long nowNanos) {
    long seconds = (nowNanos - lastAgedNanos) / SECOND;
    if (seconds <= 0) {
      return;
    }
    double factor = Math.pow(0.98, Math.min(seconds, 1000));
    srttNanos = Math.max(1, (long) (srttNanos * factor));
    lastAgedNanos += seconds * SECOND;
  }

  /** The server was chosen: ageing restarts from now. */
  synchronized void chosen(long nowNanos) {
    lastAgedNanos = nowNanos;
  }
}
