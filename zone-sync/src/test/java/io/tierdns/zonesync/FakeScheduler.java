package io.tierdns.zonesync;

import io.tierdns.authoritative.notify.NotifyScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Time that moves only when a test says so; due tasks run on the test's thread. */
final class FakeScheduler implements NotifyScheduler {

  private static final class Task {
    final Instant at;
    final long order;
    final Runnable run;
    boolean cancelled;

    Task(Instant at, long order, Runnable run) {
      this.at = at;
      this.order = order;
      this.run = run;
    }
  }

  private Instant now;
  private long counter;
  private final List<Task> tasks = new ArrayList<>();

  FakeScheduler(Instant start) {
    this.now = start;
  }

  FakeScheduler() {
    this(Instant.parse("2024-01-01T00:00:00Z"));
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, Duration delay) {
    Task t = new Task(now.plus(delay), counter++, task);
    tasks.add(t);
    return () -> t.cancelled = true;
  }

  /** Runs what is due now (tasks that schedule at zero delay included). */
  void runDue() {
    advance(Duration.ZERO);
  }

  /** Moves time forward, running every task that falls due, in time order. */
  void advance(Duration d) {
    Instant end;
    synchronized (this) {
      end = now.plus(d);
    }
    while (true) {
      Task next;
      synchronized (this) {
        next =
            tasks.stream()
                .filter(t -> !t.cancelled && !t.at.isAfter(end))
                .min(Comparator.comparing((Task t) -> t.at).thenComparingLong(t -> t.order))
                .orElse(null);
        if (next == null) {
          now = end;
          return;
        }
        tasks.remove(next);
        if (next.at.isAfter(now)) {
          now = next.at;
        }
      }
      next.run.run();
    }
  }

  synchronized int pending() {
    return (int) tasks.stream().filter(t -> !t.cancelled).count();
  }
}
