package io.tierdns.interop.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Watches a server while a fault runs: every 50 ms it asks 127.0.0.1:PORT (UDP) for the zone's
 * SOA, the TXT at {@code probe.ZONE} and the SOA again, and remembers what it saw — serial and
 * probe text per poll whose serial did not move in between (a poll that straddles a version swap
 * is asked again), and every answer that was not a NOERROR with data (SERVFAIL, REFUSED, timeout).
 */
public final class ServingWatch implements AutoCloseable {

  private final int port;
  private final String zone;
  private final Thread thread;
  private final Map<String, Integer> seen = new TreeMap<>();
  private final List<String> problems = new ArrayList<>();
  private volatile boolean stop;
  private int polls;

  private ServingWatch(int port, String zone) {
    this.port = port;
    this.zone = zone.endsWith(".") ? zone : zone + ".";
    this.thread = new Thread(this::run, "serving-watch-" + port);
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts watching {@code zone} on 127.0.0.1:{@code port}. */
  public static ServingWatch start(int port, String zone) {
    return new ServingWatch(port, zone);
  }

  private void run() {
    try (DnsClient client = new DnsClient(port, 1000)) {
      while (!stop) {
        String soa = ask(client, zone, Type.SOA);
        String probe = ask(client, "probe." + zone, Type.TXT);
        // A poll is separate queries: when the serial moved between them, the probe may belong
        // to either version, so the pair says nothing and the poll is asked again at once.
        if (!soa.equals(ask(client, zone, Type.SOA))) {
          continue;
        }
        synchronized (this) {
          polls++;
          seen.merge("serial " + soa + ", probe " + probe, 1, Integer::sum);
        }
        Await.pause(50);
      }
    }
  }

  private String ask(DnsClient client, String name, int type) {
    Optional<Message> answer;
    try {
      answer = client.udp(DnsClient.query(name, type));
    } catch (IOException e) {
      return problem(name, type, e.toString());
    }
    if (answer.isEmpty()) {
      return problem(name, type, "no answer");
    }
    if (answer.get().getRcode() != Rcode.NOERROR) {
      return problem(name, type, Rcode.string(answer.get().getRcode()));
    }
    for (Record r : answer.get().getSection(Section.ANSWER)) {
      if (r instanceof SOARecord s) {
        return Long.toString(s.getSerial());
      }
      if (r instanceof TXTRecord t) {
        return String.join(" ", t.getStrings());
      }
    }
    return problem(name, type, "NOERROR without an answer");
  }

  private synchronized String problem(String name, int type, String what) {
    if (problems.size() < 50) {
      problems.add(name + " " + Type.string(type) + ": " + what);
    }
    return "(" + what + ")";
  }

  /** Answers that were not data (SERVFAIL, REFUSED, timeouts, empty); at most 50. */
  public synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  /** How often each (serial, probe text) pair was seen. */
  public synchronized Map<String, Integer> seen() {
    return new TreeMap<>(seen);
  }

  /** Number of polls so far. */
  public synchronized int polls() {
    return polls;
  }

  @Override
  public void close() {
    stop = true;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized String toString() {
    return polls + " polls of 127.0.0.1:" + port + ", seen " + seen + ", problems " + problems;
  }
}
