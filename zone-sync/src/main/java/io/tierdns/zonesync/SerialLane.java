package io.tierdns.zonesync;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks given to it one at a time, in order, on an underlying executor: one zone's
 * handlers never overlap, while different zones proceed in parallel on a shared pool. With a
 * direct executor ({@code Runnable::run}) tasks run on the caller's thread, which is what tests
 * use; a task submitted from a running task then runs after it, not inside it.
 */
final class SerialLane implements Executor {

  private static final Logger log = LoggerFactory.getLogger(SerialLane.class);

  private final Executor executor;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean running;

  SerialLane(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      queue.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    executor.execute(this::drain);
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        log.error("zone task failed: {}", e.toString(), e);
      }
    }
  }
}
