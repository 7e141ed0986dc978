package io.tierdns.interop.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.AdminApi;
import io.tierdns.interop.support.Await;
import io.tierdns.interop.support.AxfrDump;
import io.tierdns.interop.support.Binaries;
import io.tierdns.interop.support.CacheNode;
import io.tierdns.interop.support.DnsClient;
import io.tierdns.interop.support.DumpPeerLogsOnFailure;
import io.tierdns.interop.support.PeerProcess;
import io.tierdns.interop.support.TierdnsNode;
import io.tierdns.interop.support.TierdnsSecondary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Scenario {@code interop/load/load_while_editing}: a tierdns primary, a tierdns secondary
 * (NOTIFY, IXFR) and a tierdns edge cache forwarding to the secondary, on loopback. For 60 s
 * dnsperf queries the edge and the secondary (each at {@value #QPS} queries/s, in parallel)
 * while {@value #EDITS_PER_SECOND} edits/s stream into the primary's admin API, each changing
 * the 5 s TTL TXT at {@code probe} (which the edge keeps fetching again) and adding a name.
 *
 * <p>Passes when: dnsperf lost no query and got no SERVFAIL or REFUSED (response rate limiting
 * is off, its default, so the allowed loss is 0); every edit was acknowledged and the secondary
 * ends at the primary's serial with the same AXFR content, and the edge answers the last probe
 * value; and no node's peak resident set ({@code VmHWM} in /proc/PID/status) went over
 * {@value #RSS_BOUND_MB} MB with {@code -Xmx512m}. The numbers are printed.
 */
@ExtendWith(DumpPeerLogsOnFailure.class)
class LoadWhileEditingIT {

  private static final String ZONE = "example.test.";
  private static final int SECONDS = Integer.getInteger("tierdns.interop.load-seconds", 60);
  private static final int QPS = Integer.getInteger("tierdns.interop.load-qps", 2500);
  private static final int EDITS_PER_SECOND = 10;
  private static final int PROBE_TTL = 5;
  private static final long RSS_BOUND_MB = 768;
  private static final Pattern LINE = Pattern.compile("^\\s*([A-Za-z ()/]+?):\\s+(.*)$");

  private final List<PeerProcess> peers = new ArrayList<>();

  @AfterEach
  void stop() {
    peers.forEach(PeerProcess::close);
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void dnsperfAgainstEdgeAndSecondaryWhileEditsStream() throws Exception {
    long t0 = System.nanoTime();
    Path zoneFile = Path.of(System.getProperty("tierdns.repo", "."), "examples", "zones", "example.test.zone");
    TierdnsSecondary secondary = new TierdnsSecondary(ZONE);
    TierdnsNode primary = new TierdnsNode(Map.of(ZONE, zoneFile)).allowTransfer("127.0.0.1/32")
        .notify(secondary.port());
    secondary.primary(primary.port(), null);
    peers.add(primary);
    peers.add(secondary);
    primary.start();
    secondary.start();
    CacheNode edge = new CacheNode(Map.of(ZONE, zoneFile), secondary.port()).set("tier", "edge");
    peers.add(edge);
    edge.start();
    AdminApi api = primary.api();
    AdminApi.Response first = api.patch(ZONE, AdminApi.replace("probe." + ZONE, "TXT", PROBE_TTL, "\"edit-0\""));
    assertThat(first.status()).as("first edit: " + first).isEqualTo(204);
    System.out.printf("load: nodes up in %d ms (primary %s, secondary %s, edge %s)%n",
        ms(System.nanoTime() - t0), primary, secondary, edge);

    Path queries = Files.createTempFile("dnsperf-", ".txt");
    Files.writeString(queries, String.join("\n", List.of(
        "www.example.test A", "mail.example.test A", "example.test SOA", "example.test NS", "www.example.test AAAA",
        "api.example.test A", "probe.example.test TXT", "x.apps.example.test A", "nope.example.test A",
        "_sip._udp.example.test SRV", "example.test MX", "ns2.example.test AAAA")) + "\n", StandardCharsets.UTF_8);

    Map<String, Long> peakRss = new ConcurrentHashMap<>();
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("primary", primary.pid());
    pids.put("secondary", secondary.pid());
    pids.put("edge", edge.pid());
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        pids.forEach((name, pid) -> status(pid, "VmRSS").ifPresent(kb -> peakRss.merge(name, kb, Math::max)));
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "rss-sampler");
    sampler.setDaemon(true);
    sampler.start();

    Process perfEdge = dnsperf(edge.port(), queries, edge.dir().resolve("dnsperf.out"));
    Process perfSecondary = dnsperf(secondary.port(), queries, secondary.dir().resolve("dnsperf.out"));
    List<Long> editMillis = new ArrayList<>();
    int edits = 0;
    long lastSerial = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
    long next = System.nanoTime();
    while (System.nanoTime() < end) {
      int n = ++edits;
      long s = System.nanoTime();
      AdminApi.Response response = api.patch(ZONE,
          AdminApi.replace("probe." + ZONE, "TXT", PROBE_TTL, "\"edit-" + n + "\""),
          AdminApi.replace("load" + n + "." + ZONE, "A", 300, "198.51.100." + (n % 250 + 1)));
      editMillis.add(ms(System.nanoTime() - s));
      assertThat(response.status()).as("edit " + n + ": " + response).isEqualTo(204);
      lastSerial = response.serial().orElseThrow();
      next += 1_000_000_000L / EDITS_PER_SECOND;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }
    long editsDone = System.nanoTime();
    Duration converged = Await.serial(secondary, ZONE, lastSerial, Duration.ofSeconds(30));
    String edgeOut = finish(perfEdge, edge.dir().resolve("dnsperf.out"));
    String secondaryOut = finish(perfSecondary, secondary.dir().resolve("dnsperf.out"));
    sampler.interrupt();
    sampler.join(2000);
    Map<String, Long> hwm = new LinkedHashMap<>();
    pids.forEach((name, pid) -> hwm.put(name, status(pid, "VmHWM").orElse(-1L)));

    AxfrDump onPrimary = AxfrDump.of("primary", primary.port(), ZONE, null, primary.dir().resolve("axfr.txt"), 30);
    AxfrDump onSecondary = AxfrDump.of("secondary", secondary.port(), ZONE, null, secondary.dir().resolve("axfr.txt"), 30);
    String lastValue = "edit-" + edits;
    long edgeFresh = awaitProbe(edge.port(), lastValue, Duration.ofSeconds(PROBE_TTL + 10));

    Map<String, String> edgeStats = parse(edgeOut);
    Map<String, String> secondaryStats = parse(secondaryOut);
    List<Long> sorted = editMillis.stream().sorted().toList();
    System.out.printf(Locale.ROOT, "load: %d s, %d edits (%.1f/s), admin PATCH latency median %d ms, p99 %d ms, max %d ms;"
            + " secondary at the last serial %d ms after the last edit, edge answered it %d ms after that%n",
        SECONDS, edits, edits * 1e9 / (editsDone - (end - TimeUnit.SECONDS.toNanos(SECONDS))),
        sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.99)), sorted.get(sorted.size() - 1),
        converged.toMillis(), edgeFresh);
    System.out.println("load: dnsperf edge: " + summary(edgeStats));
    System.out.println("load: dnsperf secondary: " + summary(secondaryStats));
    System.out.println("load: peak RSS sampled every 500 ms (MB): " + toMb(peakRss) + "; VmHWM (MB): " + toMb(hwm));
    System.out.printf("load: AXFR %d records at serial %d on both; whole test %d s%n", onPrimary.records().size(),
        onPrimary.serial(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));

    for (Map.Entry<String, Map<String, String>> run : Map.of("edge", edgeStats, "secondary", secondaryStats).entrySet()) {
      Map<String, String> stats = run.getValue();
      assertThat(stats.get("Queries lost")).as(run.getKey() + " dnsperf queries lost\n" + stats).startsWith("0 ");
      String rcodes = stats.getOrDefault("Response codes", "");
      assertThat(rcodes).as(run.getKey() + " rcodes").doesNotContain("SERVFAIL").doesNotContain("REFUSED");
      assertThat(Long.parseLong(stats.get("Queries completed").split(" ")[0]))
          .as(run.getKey() + " queries completed").isGreaterThan((long) QPS * SECONDS / 2);
    }
    assertThat(onSecondary.serial()).isEqualTo(lastSerial);
    assertThat(onPrimary.differencesFrom(onSecondary)).as("AXFR primary vs secondary").isEmpty();
    for (int n = 1; n <= edits; n++) {
      String name = "load" + n + ".example.test. ";
      assertThat(onSecondary.records()).as("edit " + n + " on the secondary").anyMatch(r -> r.startsWith(name));
    }
    hwm.forEach((name, kb) -> assertThat(kb / 1024).as(name + " VmHWM MB").isBetween(1L, RSS_BOUND_MB));
  }

  private static Process dnsperf(int port, Path queries, Path out) throws IOException {
    return new ProcessBuilder(Binaries.require("dnsperf").toString(), "-s", "127.0.0.1", "-p", Integer.toString(port),
        "-d", queries.toString(), "-l", Integer.toString(SECONDS), "-Q", Integer.toString(QPS), "-c", "4", "-t", "2")
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
  }

  private static String finish(Process dnsperf, Path out) throws Exception {
    if (!dnsperf.waitFor(30, TimeUnit.SECONDS)) {
      dnsperf.destroyForcibly();
      throw new AssertionError("dnsperf did not finish: " + Files.readString(out));
    }
    assertThat(dnsperf.exitValue()).as("dnsperf exit: " + Files.readString(out)).isZero();
    return Files.readString(out);
  }

  /** dnsperf's "Statistics" lines, label to value. */
  private static Map<String, String> parse(String output) {
    Map<String, String> stats = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        stats.put(m.group(1).trim(), m.group(2).trim());
      }
    }
    return stats;
  }

  private static String summary(Map<String, String> s) {
    return "completed " + s.get("Queries completed") + ", lost " + s.get("Queries lost") + ", QPS "
        + s.get("Queries per second") + ", latency " + s.get("Average Latency (s)") + " stddev "
        + s.get("Latency StdDev (s)") + ", rcodes " + s.get("Response codes");
  }

  private static long awaitProbe(int port, String value, Duration timeout) {
    long start = System.nanoTime();
    String[] last = {null};
    Await.until(timeout, () -> "edge to answer probe TXT " + value + " (last " + last[0] + ")", () -> {
      try (DnsClient client = new DnsClient(port, 1000)) {
        Optional<Message> answer = client.udp(DnsClient.recursiveQuery("probe." + ZONE, Type.TXT));
        if (answer.isPresent()) {
          for (Record r : answer.get().getSection(Section.ANSWER)) {
            if (r instanceof TXTRecord t) {
              last[0] = t.getStrings().get(0);
            }
          }
        }
      } catch (IOException e) {
        last[0] = e.toString();
      }
      return value.equals(last[0]);
    });
    return ms(System.nanoTime() - start);
  }

  /** A {@code kB} field of /proc/PID/status, e.g. VmRSS or VmHWM. */
  private static Optional<Long> status(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field + ":")) {
          return Optional.of(Long.parseLong(line.replaceAll("\\D+", "")));
        }
      }
    } catch (IOException | NumberFormatException gone) {
      // process ended
    }
    return Optional.empty();
  }

  private static Map<String, Long> toMb(Map<String, Long> kb) {
    Map<String, Long> mb = new LinkedHashMap<>();
    kb.forEach((k, v) -> mb.put(k, v / 1024));
    return mb;
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
