package io.tierdns.zonesync.bench;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneFiles;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.edit.ZoneCommitListener;
import io.tierdns.authoritative.journal.JournalConfig;
import io.tierdns.authoritative.notify.NotifyScheduler;
import io.tierdns.wire.DnsServer;
import io.tierdns.wire.client.DnsClient;
import io.tierdns.zonesync.DnsPrimaryClient;
import io.tierdns.zonesync.PrimaryClient;
import io.tierdns.zonesync.Secondaries;
import io.tierdns.zonesync.SecondaryZone;
import io.tierdns.zonesync.SecondaryZoneConfig;
import io.tierdns.zonesync.ZoneFollower;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/**
 * Issue 8 harness (not a test): a secondary that holds a small version of a zone receives the
 * 1,000,000-record version after a NOTIFY, wired as the node's SecondaryRole wires it (Secondaries,
 * DnsPrimaryClient with a DnsClient, a journal directory, a 2-thread transfer pool). The primary is
 * the authoritative module's handler behind a wire DnsServer in a child JVM (so the secondary's
 * heap is its own, as in bench/bigzone.sh).
 *
 * <pre>
 * python3 bench/gen_zone.py /tmp/secbench/v1 1000 --zone-only --serial 1
 * python3 bench/gen_zone.py /tmp/secbench/v2 1000000 --zone-only --serial 2
 * java -Xms1500m -Xmx1500m -cp CP io.tierdns.zonesync.bench.SecondaryAxfrBench \
 *     /tmp/secbench/v1/bench.test.zone /tmp/secbench/v2/bench.test.zone [runs] [primary-jvm-opts]
 * </pre>
 *
 * Prints per run: the primary client's call (the transfer), NOTIFY to serving (registry shows the
 * new serial), to the downstream listener, and to done (journal synced and digest computed); the
 * follower's own log line splits transfer / build / checks / journal and publish.
 */
public final class SecondaryAxfrBench {

  private SecondaryAxfrBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("primary")) {
      primary(Path.of(args[1]), Path.of(args[2]));
      return;
    }
    Path v1 = Path.of(args[0]);
    Path v2 = Path.of(args[1]);
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    String primaryOpts = args.length > 3 ? args[3] : "-Xmx3g";
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String o : primaryOpts.split(" ")) {
      cmd.add(o);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SecondaryAxfrBench.class.getName(), "primary", v1.toString(), v2.toString()));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()));
      PrintWriter out = new PrintWriter(p.getOutputStream(), true);
      primaryIn = in;
      primaryOut = out;
      int port = Integer.parseInt(expect(in, "PORT ").substring(5).trim());
      InetSocketAddress primary = new InetSocketAddress("127.0.0.1", port);
      Name origin = ZoneFiles.originOf(v1);
      List<long[]> results = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        out.println("v1");
        expect(in, "OK");
        results.add(secondaryRun(origin, primary, run));
      }
      out.println("quit");
      System.out.println("== medians of " + runs + " (ms): transfer call, NOTIFY->serving, NOTIFY->listeners, NOTIFY->done");
      for (int i = 0; i < 4; i++) {
        long[] col = new long[results.size()];
        for (int j = 0; j < col.length; j++) {
          col[j] = results.get(j)[i];
        }
        java.util.Arrays.sort(col);
        System.out.print(col[col.length / 2] + (i < 3 ? " " : "\n"));
      }
    } finally {
      p.destroy();
    }
  }

  private static long[] secondaryRun(Name origin, InetSocketAddress primaryAddress, int run) throws Exception {
    Path dir = Files.createTempDirectory("secbench");
    ZoneRegistry registry = new ZoneRegistry();
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    ExecutorService transfers = Executors.newFixedThreadPool(2);
    DnsClient client = new DnsClient();
    long[] call = new long[1];
    PrimaryClient timed = new TimedClient(new DnsPrimaryClient(TsigKeyring.empty(), client), call);
    long[] listenerAt = new long[1];
    List<ZoneCommitListener> listeners = new CopyOnWriteArrayList<>();
    listeners.add((version, diff) -> listenerAt[0] = System.nanoTime());
    SecondaryZoneConfig config = SecondaryZoneConfig.of(origin, List.of(new SecondaryZoneConfig.Primary(primaryAddress)));
    Secondaries secondaries =
        Secondaries.open(
            List.of(config), dir, JournalConfig.defaults(), registry, timed,
            NotifyScheduler.of(timers, Clock.systemUTC()), transfers, listeners, null);
    try {
      secondaries.start();
      waitSerial(registry, origin, 1, 60_000);
      ZoneFollower f = secondaries.follower(origin).orElseThrow();
      while (f.state().digest() == null || f.state().state() != SecondaryZone.State.SERVING) {
        Thread.sleep(10);
      }
      System.gc();
      Thread.sleep(500);
      // the primary switches to the big version, then NOTIFY (as bigzone.sh: reload, NOTIFY)
      primaryCommand("v2");
      listenerAt[0] = 0;
      long t0 = System.nanoTime();
      f.notifyReceived(2, primaryAddress);
      long serving = waitSerial(registry, origin, 2, 600_000) - t0;
      while (f.state().digest() == null || f.state().serial() != 2) {
        Thread.sleep(1);
      }
      long done = System.nanoTime() - t0;
      long[] r = {call[0] / 1_000_000, serving / 1_000_000, (listenerAt[0] - t0) / 1_000_000, done / 1_000_000};
      System.out.printf(
          "run %d: transfer call %d ms, NOTIFY->serving %d ms, ->listeners %d ms, ->done (journal synced, digest) %d ms, journal %d bytes%n",
          run, r[0], r[1], r[2], r[3], Files.size(Secondaries.journalFile(dir, origin)));
      return r;
    } finally {
      secondaries.close();
      client.close();
      timers.shutdownNow();
      transfers.shutdownNow();
      for (File file : dir.toFile().listFiles()) {
        file.delete();
      }
      Files.deleteIfExists(dir);
    }
  }

  private static PrintWriter primaryOut;
  private static BufferedReader primaryIn;

  private static void primaryCommand(String c) throws Exception {
    primaryOut.println(c);
    expect(primaryIn, "OK");
  }

  private static long waitSerial(ZoneRegistry registry, Name origin, long serial, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (System.nanoTime() < deadline) {
      Optional<ZoneSnapshot> z = registry.zone(origin);
      if (z.isPresent() && z.get().serial() == serial) {
        return System.nanoTime();
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("serial " + serial + " not served within " + timeoutMs + " ms");
  }

  private static String expect(BufferedReader in, String prefix) throws Exception {
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith(prefix)) {
        return line;
      }
      System.out.println("primary: " + line);
    }
    throw new IllegalStateException("primary exited");
  }

  /** The primary: both versions loaded up front; "v1"/"v2" on stdin switch the served one. */
  private static void primary(Path v1File, Path v2File) throws Exception {
    Name origin = ZoneFiles.originOf(v1File);
    ZoneSnapshot v1 = ZoneFiles.load(v1File, origin);
    ZoneSnapshot v2 = ZoneFiles.load(v2File, origin);
    ZoneRegistry registry = new ZoneRegistry();
    registry.put(v1);
    DnsServer server =
        new DnsServer(
            List.of(new InetSocketAddress("127.0.0.1", 0)),
            new AuthoritativeHandler(registry, null, null, z -> TransferAcl.parse("127.0.0.0/8"), TsigKeyring.empty()));
    server.start();
    System.out.println("PORT " + server.boundAddresses().get(0).getPort());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      registry.put(line.equals("v2") ? v2 : v1);
      System.out.println("OK");
      System.out.flush();
    }
    server.close();
    System.exit(0);
  }

  /** Times the transfer calls. */
  private record TimedClient(PrimaryClient inner, long[] lastNanos) implements PrimaryClient {
    @Override
    public io.tierdns.zonesync.SoaOutcome soa(Name zone, SecondaryZoneConfig.Primary primary) {
      return inner.soa(zone, primary);
    }

    @Override
    public XfrResult ixfr(Name zone, SecondaryZoneConfig.Primary primary, SOARecord ours) {
      long t = System.nanoTime();
      try {
        return inner.ixfr(zone, primary, ours);
      } finally {
        lastNanos[0] = System.nanoTime() - t;
      }
    }

    @Override
    public XfrResult axfr(Name zone, SecondaryZoneConfig.Primary primary) {
      long t = System.nanoTime();
      try {
        return inner.axfr(zone, primary);
      } finally {
        lastNanos[0] = System.nanoTime() - t;
      }
    }
  }
}
