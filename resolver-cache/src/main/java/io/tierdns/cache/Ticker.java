package io.tierdns.cache;

/**
 * A monotonic source of nanoseconds, the only clock the cache reads.
 *
 * <p>Same contract as Caffeine's {@code Ticker} (and {@link System#nanoTime()}): only differences
 * between two readings mean anything. Tests pass a fake ticker and move it forward instead of
 * sleeping.
 */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds since an arbitrary, fixed origin. */
  long read();

  /** The system's monotonic clock. */
  static Ticker system() {
    return System::nanoTime;
  }

  /** This ticker as Caffeine's. */
  default com.github.benmanes.caffeine.cache.Ticker asCaffeine() {
    return this::read;
  }
}
