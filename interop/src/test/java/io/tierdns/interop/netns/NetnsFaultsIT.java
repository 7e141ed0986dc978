package io.tierdns.interop.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tierdns.interop.support.AdminApi;
import io.tierdns.interop.support.Binaries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Scenario {@code interop/netns/faults}: a tierdns primary, two tierdns secondaries (NOTIFY then
 * IXFR) and a tierdns cache with serve-stale, each in its own network namespace on one bridge
 * ({@link NetnsLab}), while edits stream in through the primary's admin API. The faults are on
 * secondary {@code s1}'s link; {@code s2} is the unfaulted control, and the cache forwards to
 * {@code s1} only (so a partition of {@code s1} leaves it nothing but its stale copies).
 *
 * <ol>
 *   <li>200 ms delay each way (400 ms round trip) on s1's link: every edit reaches s1; the
 *       per-edit propagation times of s1 and s2 are printed.</li>
 *   <li>30 % loss each way on s1's link: s1 converges (NOTIFY retries, SOA refresh every 4 s,
 *       retry every 2 s, TCP retransmission).</li>
 *   <li>s1 cut off from every other node for 60 s while edits go on: the cache answers every
 *       query, and each answer is a value that was committed, not older than the last one the
 *       cache answered before the cut, not newer than what s1 held (the cache cannot know
 *       newer), and never older than an answer it gave before (see
 *       {@link #partitionedSecondaryHealsAndTheCacheServesStaleNeverWrong}). After healing s1,
 *       s2 and the primary answer the same serial and AXFR content, and the cache the last
 *       value.</li>
 * </ol>
 *
 * Needs root, {@code ip} and {@code nft} (else skipped), iptables, gcc and
 * libnetfilter-queue-dev (the delay; .ci/install-deps installs them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(NetnsFaultsIT.DumpLogs.class)
class NetnsFaultsIT {

  private static final String ZONE = "netns.test.";
  private static final String PROBE = "probe." + ZONE;
  private static final int PROBE_TTL = 2;
  private static final long PARTITION_SECONDS = Long.getLong("tierdns.interop.partition-seconds", 60);
  /**
   * The longest a cache answer may take during the partition. The cache answers stale after its
   * client-timeout (400 ms) at most (a refresh that fails first, after 2 attempts of 300 ms, only
   * makes it sooner), so this leaves 1.1 s for scheduling and pauses on a shared CI box.
   */
  private static final long ANSWER_LIMIT_MS = 1500;
  /**
   * How long the watcher waits for an answer: longer than {@link #ANSWER_LIMIT_MS}, so that a
   * failure tells a late answer (a stall: see the GC log and CPU-pressure figures printed with it)
   * from one that never came.
   */
  private static final int ANSWER_WAIT_MS = 5000;

  private static NetnsLab lab;
  private static Path work;
  private static final Map<String, NetnsNode> nodes = new LinkedHashMap<>();
  private static SerialWatch serials;
  private static final String apiKey = UUID.randomUUID().toString();
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  /** edit number -> serial the primary acknowledged it with (edit 0 is the zone file's value). */
  private static final Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();
  /** edit number -> when its 204 arrived (System.nanoTime). */
  private static final Map<Integer, Long> ackedAt = new ConcurrentHashMap<>();
  private static int nextEdit = 1;
  /** The cache JVM's GC and safepoint log (started with jcmd once it is up), or null. */
  private static Path cacheGcLog;
  /** System.nanoTime and wall-clock millis read together, to place observations in the GC log. */
  private static final long NANO_REF = System.nanoTime();
  private static final long WALL_REF = System.currentTimeMillis();

  @BeforeAll
  static void up() throws Exception {
    String unsupported = NetnsLab.unsupportedReason();
    assumeTrue(unsupported == null, unsupported);
    long t0 = System.nanoTime();
    NetnsLab.removeLeftovers();
    Path repo = Path.of(System.getProperty("tierdns.repo", ".."));
    Path delayer = NetnsLab.buildDelayer(repo, repo.resolve("interop/target"));
    lab = NetnsLab.create("p", "s1", "s2", "c");
    work = Files.createTempDirectory("tierdns-netns-");
    Path zoneDir = Files.createDirectories(work.resolve("p/zones"));
    Files.writeString(zoneDir.resolve("netns.test.zone"), """
        $ORIGIN netns.test.
        $TTL 60
        @       IN SOA ns1.netns.test. hostmaster.netns.test. ( 1000 4 2 3600 1 )
                IN NS  ns1
        ns1     IN A   192.0.2.1
        probe 2 IN TXT "edit-0"
        """, StandardCharsets.UTF_8);
    acknowledged.put(0, 1000L);
    ackedAt.put(0, System.nanoTime());

    NetnsNode primary = node("p");
    primary.start("""
        tierdns:
          node-name: primary
          listen: ["%1$s:53"]
          authoritative:
            zone-directory: "%2$s"
            journal-directory: "%3$s"
            serial-policy: increment
            zone-defaults:
              notify: ["%4$s:53", "%5$s:53"]
              allow-transfer: ["%6$s"]
          admin:
            enabled: true
            host: %1$s
            port: 8053
            api-key: "%7$s"
        """.formatted(lab.address("p"), zoneDir, work.resolve("p/journal"), lab.address("s1"),
        lab.address("s2"), lab.cidr(), apiKey), "256m");
    for (String s : List.of("s1", "s2")) {
      node(s).start("""
          tierdns:
            node-name: %1$s
            listen: ["%2$s:53"]
            secondary:
              journal-directory: "%3$s"
              notify-delay: 0s
              zones:
                - name: %4$s
                  primaries: ["%5$s:53"]
                  allow-transfer: ["%6$s"]
                  notify: []
          admin:
            enabled: true
            host: %2$s
            port: 8053
            api-key: "%7$s"
          """.formatted(s, lab.address(s), work.resolve(s + "/journal"), ZONE, lab.address("p"), lab.cidr(),
          apiKey), "256m");
    }
    node("c").start("""
        tierdns:
          node-name: cache
          listen: ["%1$s:53"]
          cache:
            tier: local
            upstreams: ["%2$s:53"]
            min-ttl: 0s
            serve-stale: true
            stale-answer-ttl: 1s
            max-stale: 1d
            client-timeout: 400ms
            stale-refresh-time: 1s
            prefetch-fraction: 0
            attempt-timeout: 300ms
            max-attempts: 2
        """.formatted(lab.address("c"), lab.address("s1")), "256m");
    for (NetnsNode n : nodes.values()) {
      n.awaitSoa(ZONE, Duration.ofSeconds(90));
    }
    Map<String, String> watched = new LinkedHashMap<>();
    for (String n : List.of("p", "s1", "s2")) {
      watched.put(n, lab.address(n));
    }
    serials = new SerialWatch(ZONE, watched);
    cacheGcLog = startGcLog(node("c"));
    System.out.printf("lab %s up in %d ms: %s%n", lab.cidr(), ms(System.nanoTime() - t0), nodes.values());
  }

  private static NetnsNode node(String name) {
    return nodes.computeIfAbsent(name, n -> new NetnsNode(n, lab.namespace(n), lab.address(n), work.resolve(n)));
  }

  @AfterAll
  static void down() {
    if (serials != null) {
      serials.close();
    }
    nodes.values().forEach(NetnsNode::close);
    if (lab != null) {
      lab.close();
    }
    if (work != null && !Boolean.getBoolean("tierdns.interop.keep")) {
      try (Stream<Path> walk = Files.walk(work)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // temp files
      }
    }
  }

  @Test
  @Order(1)
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void editsReachASecondaryBehindA200msDelay() throws Exception {
    lab.delay("s1", 200, Path.of(System.getProperty("tierdns.repo", ".."), "interop/target/nfq_delay"));
    String held;
    try {
      String rtt = digFrom("s2", lab.address("s1"));
      System.out.println("delay: SOA query s2 -> s1 " + rtt);
      assertThat(queryMillis(rtt)).as("round trip s2 -> s1 with the delay on").isBetween(390L, 1500L);
      List<Integer> edits = streamEdits(25, 200);
      long last = acknowledged.get(edits.get(edits.size() - 1));
      awaitSerial("s1", last, Duration.ofSeconds(30));
      awaitSerial("s2", last, Duration.ofSeconds(30));
      report("delay 200 ms each way on s1", edits);
      assertThat(propagation("s1", edits).stream().mapToLong(Long::longValue).max().orElseThrow())
          .as("slowest edit to reach s1 (ms)").isLessThan(10_000);
    } finally {
      held = lab.undelay("s1");
    }
    System.out.println("delayer: " + held.replace('\n', ' '));
  }

  @Test
  @Order(2)
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aSecondaryBehind30PercentLossConverges() throws Exception {
    lab.loss("s1", 30);
    try {
      List<Integer> edits = streamEdits(50, 200);
      long lastAck = ackedAt.get(edits.get(edits.size() - 1));
      long last = acknowledged.get(edits.get(edits.size() - 1));
      awaitSerial("s1", last, Duration.ofSeconds(60));
      awaitSerial("s2", last, Duration.ofSeconds(10));
      report("30 % loss each way on s1", edits);
      System.out.printf("loss: s1 at the last serial %d ms after the last edit was acknowledged%n",
          ms(serials.firstAtLeast("s1", last, lastAck) - lastAck));
      System.out.println("loss rules:\n" + lab.faultRules());
    } finally {
      lab.heal();
    }
    assertSameContent();
  }

  /**
   * During the partition every answer the cache gives for {@code probe.netns.test. TXT} must be
   * NOERROR with a value {@code edit-N} such that: N was acknowledged by the primary (or is the
   * zone file's 0); N ≥ b, where b is the last value the cache answered before the cut (a cache
   * may serve stale, never older than what it already served); N ≤ f, where f is the value s1
   * held when it was cut off (s1 is the cache's only upstream); and N never decreases from one
   * answer to the next over the whole watch. Answers once the probe's 2 s TTL has run out must
   * be stale answers (EDE 3). Each answer must come within {@link #ANSWER_LIMIT_MS}; one that does
   * not is reported with how late it came (or that it never did), the CPU pressure meanwhile and the
   * cache JVM's GC and safepoint pauses around it.
   */
  @Test
  @Order(3)
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void partitionedSecondaryHealsAndTheCacheServesStaleNeverWrong() throws Exception {
    String cache = lab.address("c");
    List<Observation> seen = new CopyOnWriteArrayList<>();
    Path timersStat = threadStat(node("c").pid(), "tierdns-cache-t");
    Thread watcher = new Thread(() -> {
      try (LabDns dns = new LabDns(ANSWER_WAIT_MS)) {
        while (!Thread.currentThread().isInterrupted()) {
          Pressure before = Pressure.now(timersStat);
          long t = System.nanoTime();
          Optional<LabDns.Txt> answer = dns.txt(cache, PROBE);
          long r = System.nanoTime();
          seen.add(new Observation(t, r, answer.orElse(null), before, Pressure.now(timersStat)));
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }, "cache-watch");
    watcher.setDaemon(true);
    watcher.start();
    streamEdits(5, 200);
    Thread.sleep(2500);
    int before = seen.size();
    Observation lastBefore = seen.get(before - 1);
    assertThat(lastBefore.answer()).as("cache before the cut").isNotNull();
    int b = editNumber(lastBefore.answer().text());

    long cut = System.nanoTime();
    lab.partition("s1");
    Optional<LabDns.Txt> frozen;
    try (LabDns dns = new LabDns(1000)) {
      frozen = dns.txt(lab.address("s1"), PROBE);
    }
    assertThat(frozen).as("s1 answers the test during the partition").isPresent();
    int f = editNumber(frozen.get().text());
    long s1Serial = serials.current("s1");
    List<Integer> during = streamEditsFor(Duration.ofSeconds(PARTITION_SECONDS), 500);
    long heal = System.nanoTime();
    String rules = lab.faultRules();
    lab.heal();
    long last = acknowledged.get(during.get(during.size() - 1));

    Duration s1Back = awaitSerial("s1", last, Duration.ofSeconds(40));
    long s1SerialsDuring = serials.changesSince("s1", cut).stream().filter(c -> c.nanos() < heal).count();
    awaitCacheValue(seen, "edit-" + during.get(during.size() - 1), Duration.ofSeconds(20));
    long cacheBack = seen.stream().filter(o -> o.sent() > heal && o.answer() != null && o.answer().isData()
        && editNumber(o.answer().text()) == during.get(during.size() - 1)).findFirst()
        .map(o -> ms(o.received() - heal)).orElse(-1L);
    watcher.interrupt();
    watcher.join(3000);

    List<Observation> inPartition = seen.stream().filter(o -> o.sent() >= cut && o.received() <= heal).toList();
    List<String> problems = new ArrayList<>();
    int stale = 0;
    int previous = -1;
    Set<String> values = new HashSet<>();
    for (Observation o : seen) {
      boolean partitioned = o.sent() >= cut && o.received() <= heal;
      if (partitioned && (o.answer() == null || ms(o.received() - o.sent()) > ANSWER_LIMIT_MS)) {
        problems.add(ms(o.sent() - cut) + " ms into the cut: " + (o.answer() == null
            ? "no answer within " + ANSWER_WAIT_MS + " ms" : o.answer() + " after " + ms(o.received() - o.sent())
            + " ms (limit " + ANSWER_LIMIT_MS + " ms)") + "; " + stallReport(o));
      }
      if (o.answer() == null || !o.answer().isData()) {
        if (partitioned && o.answer() != null) {
          problems.add(ms(o.sent() - cut) + " ms into the cut: " + o.answer());
        }
        continue;
      }
      int n = editNumber(o.answer().text());
      if (!acknowledged.containsKey(n)) {
        problems.add("never committed: " + o.answer());
      }
      if (n < previous) {
        problems.add("went back from edit-" + previous + " to " + o.answer());
      }
      previous = Math.max(previous, n);
      if (partitioned) {
        values.add(o.answer().text());
        if (n < b || n > f) {
          problems.add(ms(o.sent() - cut) + " ms into the cut: " + o.answer() + " outside [edit-" + b + ", edit-" + f + "]");
        }
        if (o.answer().ede() == 3) {
          stale++;
        } else if (o.sent() - cut > TimeUnit.SECONDS.toNanos(PROBE_TTL + 1)) {
          problems.add(ms(o.sent() - cut) + " ms into the cut, TTL long gone, not marked stale: " + o.answer());
        }
      }
    }
    System.out.printf("partition of s1 for %d s: %d edits during it (serials up to %d); cache answered %d queries"
            + " during it, %d stale (EDE 3), values %s within [edit-%d (cache before), edit-%d (s1 at the cut)];"
            + " s1 serial changes during the cut: %d (stayed %d); after healing s1 at the primary's serial in %d ms,"
            + " cache answered the last value %d ms after healing%n",
        PARTITION_SECONDS, during.size(), last, inPartition.size(), stale, new java.util.TreeSet<>(values), b, f,
        s1SerialsDuring, s1Serial, s1Back.toMillis(), cacheBack);
    System.out.println("partition rules:\n" + rules);
    assertThat(problems).as("cache answers (" + seen.size() + " in all)").isEmpty();
    assertThat(inPartition.size()).as("cache answers during the cut").isGreaterThan((int) PARTITION_SECONDS * 3);
    assertThat(stale).as("stale answers during the cut").isGreaterThan(0);
    assertThat(s1SerialsDuring).as("s1 serial changes during the cut (the cut must hold)").isZero();
    awaitSerial("s2", last, Duration.ofSeconds(10));
    assertSameContent();
  }

  /** One watcher query: when sent and answered (System.nanoTime), the answer (null: none), the pressure around it. */
  private record Observation(long sent, long received, LabDns.Txt answer, Pressure before, Pressure after) {}

  /**
   * Cumulative CPU-starvation counters at one instant: the machine's PSI {@code cpu some} total
   * (µs during which some task waited for a CPU) and the run-queue wait of the cache's timer thread
   * (ns; the thread that fires the client-timeout and sends the stale answer); -1 where not available.
   */
  private record Pressure(long psiSomeMicros, long timersWaitNanos) {
    static Pressure now(Path timersStat) {
      long psi = -1;
      long wait = -1;
      try {
        String cpu = Files.readString(Path.of("/proc/pressure/cpu"));
        int at = cpu.indexOf("total=");
        psi = Long.parseLong(cpu.substring(at + 6, cpu.indexOf('\n', at)).trim());
      } catch (IOException | RuntimeException e) {
        // no PSI on this kernel
      }
      try {
        wait = timersStat == null ? -1 : Long.parseLong(Files.readString(timersStat).trim().split("\\s+")[1]);
      } catch (IOException | RuntimeException e) {
        // thread gone
      }
      return new Pressure(psi, wait);
    }
  }

  /** {@code /proc/PID/task/TID/schedstat} of the thread of {@code pid} whose comm is {@code comm}, or null. */
  private static Path threadStat(long pid, String comm) {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        if (Files.readString(task.resolve("comm")).trim().equals(comm)) {
          return task.resolve("schedstat");
        }
      }
    } catch (IOException | RuntimeException e) {
      System.out.println("cannot read the threads of " + pid + ": " + e);
    }
    return null;
  }

  /**
   * Turns on GC and safepoint logging (wall-clock stamped) in the running JVM of {@code n} with
   * {@code jcmd VM.log}, so that a slow answer can be matched against the node's pauses; returns
   * the log, or null when jcmd could not do it (the test goes on without).
   */
  private static Path startGcLog(NetnsNode n) {
    Path log = work.resolve(n.name() + "/gc.log");
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Sh.Result r = Sh.attempt(jcmd.toString(), Long.toString(n.pid()), "VM.log", "output=file=" + log,
        "what=gc=info,safepoint=info", "decorators=utctime,uptime,tags");
    if (r.status() != 0) {
      System.out.println("no GC log for " + n + ": jcmd exited " + r.status() + ": " + r.output());
      return null;
    }
    return log;
  }

  /** What else happened while {@code o} waited: CPU pressure, the cache timer thread's wait, cache JVM pauses. */
  private static String stallReport(Observation o) {
    Instant from = wall(o.sent());
    Instant to = wall(o.received());
    StringBuilder out = new StringBuilder("sent " + from + ", gave up or answered " + to);
    if (o.before().psiSomeMicros() >= 0 && o.after().psiSomeMicros() >= 0) {
      out.append("; meanwhile some task waited for a CPU ")
          .append((o.after().psiSomeMicros() - o.before().psiSomeMicros()) / 1000).append(" ms (PSI cpu some)");
    }
    if (o.before().timersWaitNanos() >= 0 && o.after().timersWaitNanos() >= 0) {
      out.append(", the cache's timer thread waited ")
          .append(ms(o.after().timersWaitNanos() - o.before().timersWaitNanos())).append(" ms for a CPU");
    }
    if (cacheGcLog == null) {
      return out.append("; no GC log of the cache").toString();
    }
    out.append("; cache GC/safepoint log from 1 s before to 1 s after:");
    DateTimeFormatter stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    try {
      int lines = 0;
      for (String line : Files.readAllLines(cacheGcLog, StandardCharsets.UTF_8)) {
        if (!line.startsWith("[") || line.indexOf(']') < 0) {
          continue;
        }
        Instant at = OffsetDateTime.parse(line.substring(1, line.indexOf(']')), stamp).toInstant();
        if (!at.isBefore(from.minusSeconds(1)) && !at.isAfter(to.plusSeconds(1)) && lines++ < 40) {
          out.append("\n    ").append(line);
        }
      }
      if (lines == 0) {
        out.append(" nothing (no GC, no safepoint)");
      }
    } catch (IOException | RuntimeException e) {
      out.append(" cannot read ").append(cacheGcLog).append(": ").append(e);
    }
    return out.toString();
  }

  private static Instant wall(long nanos) {
    return Instant.ofEpochMilli(WALL_REF + ms(nanos - NANO_REF));
  }

  // --- edits -------------------------------------------------------------------------------------

  /** Sends {@code count} edits, one every {@code intervalMillis}; returns their numbers. */
  private static List<Integer> streamEdits(int count, long intervalMillis) throws Exception {
    List<Integer> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(edit());
      Thread.sleep(intervalMillis);
    }
    return sent;
  }

  private static List<Integer> streamEditsFor(Duration duration, long intervalMillis) throws Exception {
    List<Integer> sent = new ArrayList<>();
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      sent.add(edit());
      Thread.sleep(intervalMillis);
    }
    return sent;
  }

  /** One edit: probe TXT becomes {@code edit-N} and a new name {@code eN} gets an A. */
  private static int edit() throws Exception {
    int n = nextEdit++;
    String body = "{\"rrsets\":[" + AdminApi.replace(PROBE, "TXT", PROBE_TTL, "\"edit-" + n + "\"") + ","
        + AdminApi.replace("e" + n + "." + ZONE, "A", 60, "198.51.100." + (n % 250 + 1)) + "]}";
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + lab.address("p")
            + ":8053/api/v1/servers/localhost/zones/" + ZONE))
        .header("X-API-Key", apiKey).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(10)).method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("PATCH edit " + n + ": " + response.body()).isEqualTo(204);
    long serial = Long.parseLong(response.headers().firstValue("X-Tierdns-Serial").orElseThrow().trim());
    ackedAt.put(n, System.nanoTime());
    acknowledged.put(n, serial);
    return n;
  }

  private static int editNumber(String text) {
    if (text == null || !text.startsWith("edit-")) {
      return Integer.MIN_VALUE;
    }
    return Integer.parseInt(text.substring(5));
  }

  // --- measuring ---------------------------------------------------------------------------------

  private static Duration awaitSerial(String node, long serial, Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (serials.current(node) < serial) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(node + " did not reach serial " + serial + " within " + timeout + " (at "
            + serials.current(node) + ")\n" + nodes.get(node).get("/api/v1/tierdns/secondary/zones/" + ZONE, apiKey));
      }
      sleep(25);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static void awaitCacheValue(List<Observation> seen, String value, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (seen.isEmpty() || seen.get(seen.size() - 1).answer() == null
        || !value.equals(seen.get(seen.size() - 1).answer().text())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("cache did not answer " + value + " within " + timeout + "; last "
            + seen.get(seen.size() - 1).answer());
      }
      sleep(50);
    }
  }

  /** Per edit, ms from its acknowledgement until {@code node} answered its serial or a later one. */
  private static List<Long> propagation(String node, List<Integer> edits) {
    List<Long> out = new ArrayList<>();
    for (int e : edits) {
      long ack = ackedAt.get(e);
      long at = serials.firstAtLeast(node, acknowledged.get(e), ack);
      out.add(at < 0 ? -1 : ms(at - ack));
    }
    return out;
  }

  private static void report(String scenario, List<Integer> edits) {
    for (String node : List.of("s1", "s2")) {
      List<Long> times = propagation(node, edits).stream().sorted().toList();
      System.out.printf(Locale.ROOT, "%s: %s, %d edits at 5/s, ack -> served: median %d ms, p90 %d ms, max %d ms%n",
          scenario, node, times.size(), times.get(times.size() / 2), times.get((int) (times.size() * 0.9)),
          times.get(times.size() - 1));
    }
  }

  private static String digFrom(String fromNode, String server) {
    return Sh.run("ip", "netns", "exec", lab.namespace(fromNode), Binaries.require("dig").toString(), "@" + server,
        "+tries=1", "+time=3", "+norec", ZONE, "SOA");
  }

  private static long queryMillis(String digOutput) {
    for (String line : digOutput.split("\n")) {
      if (line.startsWith(";; Query time:")) {
        return Long.parseLong(line.replaceAll("\\D+", " ").trim().split(" ")[0]);
      }
    }
    throw new AssertionError("no query time in " + digOutput);
  }

  /** AXFR from the primary, s1 and s2 (from the test's address): the same serial and records. */
  private static void assertSameContent() throws IOException {
    Set<String> reference = null;
    for (String n : List.of("p", "s1", "s2")) {
      String out = Sh.run(Binaries.require("dig").toString(), "@" + lab.address(n), "+nocmd", "+nostats",
          "+nocomments", "+time=5", "+tries=1", ZONE, "AXFR");
      Set<String> records = new HashSet<>();
      for (String line : out.split("\n")) {
        if (!line.isBlank() && !line.startsWith(";")) {
          records.add(String.join(" ", line.trim().split("\\s+")).toLowerCase(Locale.ROOT));
        }
      }
      assertThat(records.stream().filter(r -> r.contains(" soa ")).count()).as("SOA lines in AXFR from " + n)
          .isGreaterThanOrEqualTo(1);
      if (reference == null) {
        reference = records;
        System.out.printf("AXFR from the primary: %d distinct records%n", records.size());
      } else {
        assertThat(records).as("AXFR from " + n + " vs the primary").isEqualTo(reference);
      }
    }
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** On a failure, prints every lab node's log. */
  static final class DumpLogs implements TestExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
      nodes.values().forEach(n -> System.err.println(n.logText()));
      throw throwable;
    }
  }
}
