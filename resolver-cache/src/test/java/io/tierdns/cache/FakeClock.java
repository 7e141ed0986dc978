package io.tierdns.cache;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A ticker and timers that move only when a test says so. Shared with other modules' tests
 * (edge-tier) through this module's test-jar.
 */
public final class FakeClock implements Ticker, Timers {

  private long now = 7_000_000_000L; // arbitrary: only differences count
  private long seq;
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));

  private static final class Task {
    final long due;
    final long seq;
    final Runnable run;
    volatile boolean cancelled;

    Task(long due, long seq, Runnable run) {
      this.due = due;
      this.seq = seq;
      this.run = run;
    }
  }

  @Override
  public synchronized long read() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Task t = new Task(now + delay.toNanos(), seq++, task);
    tasks.add(t);
    return () -> t.cancelled = true;
  }

  /** Moves time forward, running every timer that falls due, in order, at its due time. */
  public void advance(Duration d) {
    long target;
    synchronized (this) {
      target = now + d.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = next.due;
      }
      if (!next.cancelled) {
        next.run.run();
      }
    }
  }

  /** Same as {@link #advance} by whole seconds. */
  public void advanceSeconds(long s) {
    advance(Duration.ofSeconds(s));
  }

  /** The number of timers scheduled and not yet run or cancelled. */
  public synchronized int pendingTimers() {
    return (int) tasks.stream().filter(t -> !t.cancelled).count();
  }
}
