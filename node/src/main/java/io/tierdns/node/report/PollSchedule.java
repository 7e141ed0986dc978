package io.tierdns.node.report;

import java.time.Duration;

/**
 * How often a pending node of another process is asked what it serves, by time since the commit it
 * has not applied yet: every {@link #FAST} for the first second (so a foreign secondary's apply
 * time is measured to within that), every {@link #MEDIUM} until 10 s, then every {@link #SLOW},
 * and not at all after the poll window. Pure.
 */
public final class PollSchedule {

  public static final Duration FAST = Duration.ofMillis(10);
  public static final Duration MEDIUM = Duration.ofMillis(100);
  public static final Duration SLOW = Duration.ofSeconds(1);

  private PollSchedule() {}

  /** The delay before the next poll of a node that has been pending for {@code pending}. */
  public static Duration next(Duration pending) {
    if (pending.compareTo(Duration.ofSeconds(1)) < 0) {
      return FAST;
    }
    if (pending.compareTo(Duration.ofSeconds(10)) < 0) {
      return MEDIUM;
    }
    return SLOW;
  }

  /** Whether a node pending for {@code pending} is still polled within {@code window}. */
  public static boolean polled(Duration pending, Duration window) {
    return pending.compareTo(window) <= 0;
  }
}
