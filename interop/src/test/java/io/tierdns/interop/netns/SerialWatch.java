package io.tierdns.interop.netns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Polls the SOA serial of some lab nodes every 25 ms (from the test's own address, which no
 * fault touches) and remembers when each node first answered each new serial, so a test can
 * say how long an acknowledged edit took to reach each node.
 */
final class SerialWatch implements AutoCloseable {

  /** A node answered {@code serial} from {@code nanos} ({@link System#nanoTime()}) on. */
  record Change(long nanos, long serial) {}

  private final String zone;
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final Map<String, List<Change>> changes = new LinkedHashMap<>();
  private final Thread thread;
  private volatile boolean stop;

  SerialWatch(String zone, Map<String, String> nodeAddresses) {
    this.zone = zone;
    addresses.putAll(nodeAddresses);
    addresses.keySet().forEach(n -> changes.put(n, new ArrayList<>()));
    thread = new Thread(this::run, "serial-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try (LabDns dns = new LabDns(500)) {
      while (!stop) {
        for (Map.Entry<String, String> node : addresses.entrySet()) {
          OptionalLong serial = dns.serial(node.getValue(), zone);
          long now = System.nanoTime();
          if (serial.isPresent()) {
            synchronized (this) {
              List<Change> list = changes.get(node.getKey());
              if (list.isEmpty() || list.get(list.size() - 1).serial() != serial.getAsLong()) {
                list.add(new Change(now, serial.getAsLong()));
              }
            }
          }
        }
        try {
          Thread.sleep(25);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** The serial {@code node} answered last (-1 before any answer). */
  synchronized long current(String node) {
    List<Change> list = changes.get(node);
    return list.isEmpty() ? -1 : list.get(list.size() - 1).serial();
  }

  /** When {@code node} first answered a serial ≥ {@code serial} at or after {@code fromNanos}; -1 if not yet. */
  synchronized long firstAtLeast(String node, long serial, long fromNanos) {
    List<Change> list = changes.get(node);
    long result = -1;
    for (int i = list.size() - 1; i >= 0; i--) {
      Change c = list.get(i);
      if (c.serial() < serial) {
        break;
      }
      result = Math.max(c.nanos(), fromNanos);
    }
    return result;
  }

  /** Every serial change {@code node} showed from {@code fromNanos} on. */
  synchronized List<Change> changesSince(String node, long fromNanos) {
    return changes.get(node).stream().filter(c -> c.nanos() >= fromNanos).toList();
  }

  @Override
  public void close() {
    stop = true;
    thread.interrupt();
    try {
      thread.join(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
