package io.tierdns.zonesync.interop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.acl.TsigKeyConfig;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.journal.JournalConfig;
import io.tierdns.authoritative.notify.NotifyScheduler;
import io.tierdns.authoritative.notify.NotifySender;
import io.tierdns.authoritative.notify.NotifyTransport;
import io.tierdns.wire.DnsServer;
import io.tierdns.wire.client.DnsClient;
import io.tierdns.zonesync.DnsPrimaryClient;
import io.tierdns.zonesync.SecondaryHandler;
import io.tierdns.zonesync.SecondaryZoneConfig;
import io.tierdns.zonesync.Secondaries;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/** Real peers on loopback for the scenario tests: processes, ports, waiting, zone comparison. */
final class Peers {

  static final String KEY_NAME = "xfr-key";
  static final String SECRET = "Zm9vYmFyLWZvb2Jhci1mb29iYXItZm9vYmFyLTEyMzQ=";
  static final Name ZONE = Name.fromConstantString("example.test.");

  private Peers() {}

  static void assumeInstalled(String binary) {
    if (!"true".equals(System.getenv("CI"))) {
      assumeTrue(Files.isExecutable(Path.of(binary)), binary + " is not installed");
    }
  }

  static TsigKeyring keyring() {
    return TsigKeyring.of(List.of(new TsigKeyConfig(KEY_NAME, "hmac-sha256", SECRET)), Clock.systemUTC());
  }

  static TSIG key() {
    return keyring().key(TsigKeyring.keyName(KEY_NAME)).orElseThrow();
  }

  static String zoneText(long serial) {
    return String.join(
        "\n",
        "$ORIGIN example.test.",
        "$TTL 3600",
        "@ IN SOA ns1 hostmaster " + serial + " 3600 600 86400 300",
        "@ IN NS ns1",
        "ns1 IN A 192.0.2.1",
        "www 300 IN A 192.0.2.10",
        "mail IN MX 10 www",
        "txt IN TXT \"hello\"",
        "");
  }

  static int freePort() throws IOException {
    for (int i = 0; i < 20; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException e) {
          // UDP taken: try another
        }
      }
    }
    throw new IOException("no free port");
  }

  static Process start(Path log, String... command) throws IOException {
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  static void stop(Process p) throws InterruptedException {
    if (p != null) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  static long serialAt(int port) {
    try {
      SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
      r.setPort(port);
      r.setTimeout(Duration.ofSeconds(1));
      Message resp = r.send(Message.newQuery(Record.newRecord(ZONE, Type.SOA, DClass.IN)));
      for (Record rec : resp.getSection(Section.ANSWER)) {
        if (rec instanceof SOARecord soa) {
          return soa.getSerial();
        }
      }
    } catch (IOException e) {
      // not up yet
    }
    return -1;
  }

  static void await(String what, BooleanSupplier condition, Path... logs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        StringBuilder b = new StringBuilder("timed out waiting until " + what);
        for (Path l : logs) {
          b.append("\n--- ").append(l).append(":\n").append(Files.exists(l) ? Files.readString(l) : "(none)");
        }
        throw new AssertionError(b.toString());
      }
      Thread.sleep(100); // waiting on other processes, not on our own clock
    }
  }

  static Set<String> axfr(int port, TSIG key) throws Exception {
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(ZONE, "127.0.0.1", port, key);
    xfr.setTimeout(Duration.ofSeconds(20));
    xfr.run();
    Set<String> records = new TreeSet<>();
    for (Record r : xfr.getAXFR()) {
      records.add(r.toString());
    }
    return records;
  }

  /** A tierdns secondary node on loopback: registry, secondaries, handler, server, downstream NOTIFY. */
  static final class TierdnsSecondary implements AutoCloseable {
    final ZoneRegistry registry = new ZoneRegistry();
    final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    final ExecutorService workers = Executors.newCachedThreadPool();
    final DnsClient client = new DnsClient();
    final List<Object> listeners = new ArrayList<>();
    Secondaries secondaries;
    NotifySender downstream;
    DnsServer server;

    /** Binds the port first (so peers can be configured with it), opens the zones, starts. */
    TierdnsSecondary(int port, SecondaryZoneConfig config, Path journalDir) {
      TsigKeyring keyring = keyring();
      NotifyScheduler scheduler = NotifyScheduler.of(timers, Clock.systemUTC());
      List<io.tierdns.authoritative.edit.ZoneCommitListener> commits = new java.util.concurrent.CopyOnWriteArrayList<>();
      secondaries =
          Secondaries.open(
              List.of(config), journalDir, JournalConfig.defaults(), registry,
              new DnsPrimaryClient(keyring, client), scheduler, workers, commits, null);
      downstream =
          new NotifySender(secondaries::notifyTargets, keyring, NotifyTransport.udp(client), scheduler, NotifySender.DEFAULT_DELAY);
      commits.add(downstream);
      server =
          new DnsServer(
              List.of(new InetSocketAddress("127.0.0.1", port)),
              new SecondaryHandler(
                  new AuthoritativeHandler(registry, null, secondaries, secondaries::transferAcl, keyring),
                  secondaries, keyring));
      server.start();
      secondaries.start();
    }

    /** Waits until the state shows the transfer that brought {@code serial} (it follows the swap). */
    io.tierdns.zonesync.SecondaryZone.TransferRecord awaitTransfer(long serial) throws Exception {
      Peers.await(
          "transfer to serial " + serial + " recorded",
          () -> {
            var t = secondaries.state(ZONE).orElseThrow().lastTransfer();
            return t != null && t.toSerial() == serial;
          });
      return secondaries.state(ZONE).orElseThrow().lastTransfer();
    }

    int port() {
      return server.boundAddresses().get(0).getPort();
    }

    @Override
    public void close() {
      secondaries.close();
      downstream.close();
      server.close();
      client.close();
      timers.shutdownNow();
      workers.shutdownNow();
    }
  }
}
