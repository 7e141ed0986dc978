package io.tierdns.interop.diff;

import io.tierdns.interop.support.DnsClient;
import io.tierdns.interop.support.PeerProcess;
import io.tierdns.interop.support.ZoneGenerator.Query;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Sends the same queries to two servers and compares the answers (see {@link NormalizedAnswer}
 * and {@link KnownDifference}). A small pool of workers, each with its own sockets, sends each
 * query to server A and then to server B, so both see the same load; the whole run is bounded
 * by a deadline, after which the queries not sent count as failures.
 */
public final class DifferentialRun {

  /** Transport used for every query of a run. */
  public enum Transport { UDP, TCP }

  private final PeerProcess a;
  private final PeerProcess b;
  private final Transport transport;
  private final int threads;
  private final Duration deadline;

  public DifferentialRun(PeerProcess a, PeerProcess b, Transport transport, int threads, Duration deadline) {
    this.a = a;
    this.b = b;
    this.transport = transport;
    this.threads = threads;
    this.deadline = deadline;
  }

  /** Runs every query against both servers and compares. */
  public Result run(List<Query> queries) throws InterruptedException {
    List<Comparison> results = new ArrayList<>(queries.size());
    for (int i = 0; i < queries.size(); i++) {
      results.add(null);
    }
    AtomicInteger next = new AtomicInteger();
    long end = System.nanoTime() + deadline.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(pool.submit(() -> {
        try (DnsClient clientA = new DnsClient(a.port(), 3000); DnsClient clientB = new DnsClient(b.port(), 3000)) {
          for (int i = next.getAndIncrement(); i < queries.size() && System.nanoTime() < end; i = next.getAndIncrement()) {
            Query query = queries.get(i);
            results.set(i, Comparison.of(query, a.name(), ask(clientA, query), b.name(), ask(clientB, query)));
          }
        }
        return null;
      }));
    }
    pool.shutdown();
    if (!pool.awaitTermination(deadline.toSeconds() + 30, TimeUnit.SECONDS)) {
      pool.shutdownNow();
    }
    for (Future<?> worker : workers) {
      try {
        worker.get(1, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("differential worker failed", e);
      }
    }
    int unsent = (int) results.stream().filter(r -> r == null).count();
    return new Result(a.name(), b.name(), transport, results.stream().filter(r -> r != null).toList(), unsent);
  }

  private NormalizedAnswer ask(DnsClient client, Query query) {
    Message message = DnsClient.query(query.qname(), query.qtype());
    try {
      Optional<Message> response = transport == Transport.UDP ? client.udp(message) : client.tcp(message);
      if (response.isEmpty()) {
        // one retry: a lost UDP datagram on loopback under load is not a server bug
        response = transport == Transport.UDP ? client.udp(DnsClient.query(query.qname(), query.qtype())) : client.tcp(message);
      }
      return response.map(NormalizedAnswer::of).map(n -> checkEcho(query, n)).orElse(NormalizedAnswer.NO_RESPONSE);
    } catch (IOException | RuntimeException e) {
      return NormalizedAnswer.NO_RESPONSE.withHeader("NO RESPONSE (" + e + ")");
    }
  }

  /** RFC 1035 §7.3 / 0x20: the question must come back byte for byte; mark it if not. */
  private static NormalizedAnswer checkEcho(Query query, NormalizedAnswer answer) {
    Record sent = DnsClient.query(query.qname(), query.qtype()).getSection(Section.QUESTION).get(0);
    String expected = sent.getName().toString() + " IN " + org.xbill.DNS.Type.string(sent.getType());
    if (answer.question().equals(expected)) {
      return answer;
    }
    return new NormalizedAnswer(answer.header(), answer.question() + "  <-- NOT THE QUESTION SENT (" + expected + ")",
        answer.answer(), answer.authority(), answer.additional(), answer.opt());
  }

  /** All comparisons of one run. */
  public record Result(String nameA, String nameB, Transport transport, List<Comparison> comparisons, int unsent) {

    public List<Comparison> unexplained() {
      return comparisons.stream().filter(c -> !c.equal()).toList();
    }

    public long identical() {
      return comparisons.stream().filter(Comparison::identical).count();
    }

    /** Allowed differences by allow-list entry (a comparison may count under several). */
    public Map<KnownDifference, Long> allowedByClass() {
      Map<KnownDifference, Long> counts = new EnumMap<>(KnownDifference.class);
      comparisons.stream().filter(c -> c.equal() && !c.allowed().isEmpty())
          .forEach(c -> c.allowed().forEach(k -> counts.merge(k, 1L, Long::sum)));
      return counts;
    }

    /** Unexplained differences by query kind, for the summary. */
    public Map<String, Long> unexplainedByKind() {
      Map<String, Long> counts = new TreeMap<>();
      unexplained().forEach(c -> counts.merge(c.query().kind().replace("+0x20", ""), 1L, Long::sum));
      return counts;
    }

    public String summary() {
      return String.format("%s vs %s over %s: %d queries compared, %d identical, %d equal up to allow-list %s, "
              + "%d unexplained %s, %d not sent before the deadline",
          nameA, nameB, transport, comparisons.size(), identical(),
          comparisons.stream().filter(c -> c.equal() && !c.allowed().isEmpty()).count(), allowedByClass(),
          unexplained().size(), unexplainedByKind(), unsent);
    }

    /** Summary plus the first {@code limit} unexplained differences with both answers. */
    public String report(int limit) {
      StringBuilder text = new StringBuilder(summary()).append('\n');
      List<Comparison> diffs = unexplained();
      for (int i = 0; i < Math.min(limit, diffs.size()); i++) {
        Comparison c = diffs.get(i);
        text.append("\n#").append(i + 1).append(" query ").append(c.query()).append('\n')
            .append("  ").append(nameA).append(":\n").append(c.a().render())
            .append("  ").append(nameB).append(":\n").append(c.b().render());
      }
      if (diffs.size() > limit) {
        text.append("\n... and ").append(diffs.size() - limit).append(" more\n");
      }
      return text.toString();
    }

    /** Writes the full report (every unexplained difference) to {@code file}. */
    public Path writeReport(Path file) {
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, report(Integer.MAX_VALUE), StandardCharsets.UTF_8);
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
