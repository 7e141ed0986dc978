package io.tierdns.authoritative.transfer;

import static io.tierdns.authoritative.transfer.TransferTestZones.ZONE;
import static io.tierdns.authoritative.transfer.TransferTestZones.edit;
import static io.tierdns.authoritative.transfer.TransferTestZones.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyConfig;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.notify.NotifyScheduler;
import io.tierdns.authoritative.notify.NotifySender;
import io.tierdns.authoritative.notify.NotifyState;
import io.tierdns.authoritative.notify.NotifyTarget;
import io.tierdns.authoritative.notify.NotifyTransport;
import io.tierdns.wire.DnsServer;
import io.tierdns.wire.client.DnsClient;
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
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * A real Knot DNS as the secondary of a tierdns primary: AXFR at start, then IXFR after each
 * NOTIFY (TSIG-signed throughout), ending in the same AXFR from both servers. Skipped when knotd
 * is not installed (unless CI=true).
 */
class TierdnsKnotIxfrTest {

  static final String KEY_NAME = "xfr-key";
  static final String SECRET = "Zm9vYmFyLWZvb2Jhci1mb29iYXItZm9vYmFyLTEyMzQ=";
  static final Path KNOTD = Path.of("/usr/sbin/knotd");
  static final Path KNOTC = Path.of("/usr/sbin/knotc");

  @TempDir Path dir;
  private Process knotd;
  private DnsServer server;
  private DnsClient client;
  private NotifySender notifier;
  private ScheduledExecutorService timers;

  @AfterEach
  void stop() throws Exception {
    if (notifier != null) {
      notifier.close();
    }
    if (timers != null) {
      timers.shutdownNow();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (knotd != null) {
      knotd.destroy();
      if (!knotd.waitFor(10, TimeUnit.SECONDS)) {
        knotd.destroyForcibly();
      }
    }
  }

  static void assumeInstalled(Path binary) {
    boolean ci = "true".equals(System.getenv("CI"));
    if (!ci) {
      assumeTrue(Files.isExecutable(binary), binary + " is not installed");
    }
  }

  @Test
  void knotTransfersByAxfrThenFollowsTwoEditsByIxfrAndEndsWithOurZone() throws Exception {
    assumeInstalled(KNOTD);
    TsigKeyring keyring =
        TsigKeyring.of(List.of(new TsigKeyConfig(KEY_NAME, "hmac-sha256", SECRET)), Clock.systemUTC());
    ZoneSnapshot v1 = TransferTestZones.zone(2024000001L, 2000);
    ZoneRegistry registry = new ZoneRegistry();
    registry.put(v1);
    TransferTestZones.History history = new TransferTestZones.History();
    TransferAcl acl = TransferAcl.parse("127.0.0.0/8 key:" + KEY_NAME);
    server =
        new DnsServer(
            List.of(new InetSocketAddress("127.0.0.1", 0)),
            new AuthoritativeHandler(registry, null, history, zone -> acl, keyring));
    server.start();
    int ours = server.boundAddresses().get(0).getPort();
    int knotPort = freePort();

    Path conf = writeKnotConf(ours, knotPort);
    Path log = dir.resolve("knotd.log");
    knotd =
        new ProcessBuilder(KNOTD.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    SimpleResolver knot = new SimpleResolver(InetAddress.getLoopbackAddress());
    knot.setPort(knotPort);
    knot.setTimeout(Duration.ofSeconds(1));
    await("knot has serial " + v1.serial(), () -> serialAt(knot) == v1.serial(), log);
    assertThat(Files.readString(log)).contains("AXFR, incoming");

    InetSocketAddress knotAddress = new InetSocketAddress("127.0.0.1", knotPort);
    client = new DnsClient();
    timers = Executors.newSingleThreadScheduledExecutor();
    notifier =
        new NotifySender(
            zone -> List.of(new NotifyTarget(knotAddress, TsigKeyring.keyName(KEY_NAME))),
            keyring,
            NotifyTransport.udp(client),
            NotifyScheduler.of(timers, Clock.systemUTC()),
            NotifySender.DEFAULT_DELAY);

    ZoneDiff d1 =
        edit(v1, 2024000002L,
            List.of(record("host1 3600 A 10.0.0.1")),
            List.of(record("new1 300 A 192.0.2.201"), record("new1 300 TXT \"added\"")));
    ZoneSnapshot v2 = commitAndNotify(registry, history, v1, d1);
    ZoneDiff d2 =
        edit(v2, 2024000003L,
            List.of(record("host2 3600 A 10.0.0.2"), record("new1 300 TXT \"added\"")),
            List.of(record("host2 60 A 10.0.0.2"), record("new2 300 AAAA 2001:db8::2")));
    ZoneSnapshot v3 = commitAndNotify(registry, history, v2, d2);

    await("knot has serial " + v3.serial(), () -> serialAt(knot) == v3.serial(), log);
    String knotLog = Files.readString(log);
    assertThat(knotLog).contains("IXFR, incoming");
    assertThat(knotLog).doesNotContain("fallback to AXFR");
    await(
        "NOTIFY acknowledged",
        () ->
            notifier.states(ZONE).stream()
                .allMatch(s -> s.status() == NotifyState.Status.ACKED && s.serial() == v3.serial()),
        log);

    if (Files.isExecutable(KNOTC)) {
      Process status =
          new ProcessBuilder(KNOTC.toString(), "-c", conf.toString(), "zone-status", ZONE.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      status.waitFor(10, TimeUnit.SECONDS);
      assertThat(out).contains("serial: " + v3.serial());
    }

    TSIG key = keyring.key(TsigKeyring.keyName(KEY_NAME)).orElseThrow();
    Set<String> fromUs = axfr(ours, key);
    Set<String> fromKnot = axfr(knotPort, null);
    assertThat(fromKnot).isEqualTo(fromUs);
    assertThat(fromUs).contains(record("host2 60 A 10.0.0.2").toString());
    assertThat(fromUs).doesNotContain(record("host1 3600 A 10.0.0.1").toString());
  }

  private static ZoneSnapshot commit(
      ZoneRegistry registry, TransferTestZones.History history, ZoneSnapshot from, ZoneDiff d) {
    ZoneSnapshot next = Diffs.apply(from, d);
    registry.put(next);
    history.add(d);
    return next;
  }

  private ZoneSnapshot commitAndNotify(
      ZoneRegistry registry, TransferTestZones.History history, ZoneSnapshot from, ZoneDiff d) {
    ZoneSnapshot next = commit(registry, history, from, d);
    notifier.committed(next, d);
    return next;
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

  static long serialAt(SimpleResolver resolver) {
    try {
      Message q = Message.newQuery(Record.newRecord(ZONE, Type.SOA, org.xbill.DNS.DClass.IN));
      Message r = resolver.send(q);
      for (Record rec : r.getSection(org.xbill.DNS.Section.ANSWER)) {
        if (rec instanceof SOARecord soa) {
          return soa.getSerial();
        }
      }
    } catch (IOException e) {
      // not up yet
    }
    return -1;
  }

  static void await(String what, BooleanSupplier condition, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out waiting until " + what + "; log:\n" + Files.readString(log));
      }
      Thread.sleep(100); // waiting on another process, not on our own clock
    }
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

  private Path writeKnotConf(int primaryPort, int knotPort) throws IOException {
    String d = dir.toAbsolutePath().toString();
    String conf =
        String.join(
            "\n",
            "server:",
            "    rundir: \"" + d + "\"",
            "    listen: 127.0.0.1@" + knotPort,
            "control:",
            "    listen: \"" + d + "/knot.sock\"",
            "log:",
            "  - target: stderr",
            "    any: info",
            "key:",
            "  - id: " + KEY_NAME,
            "    algorithm: hmac-sha256",
            "    secret: " + SECRET,
            "remote:",
            "  - id: tierdns",
            "    address: 127.0.0.1@" + primaryPort,
            "    key: " + KEY_NAME,
            "acl:",
            "  - id: notify-from-tierdns",
            "    address: 127.0.0.1",
            "    key: " + KEY_NAME,
            "    action: notify",
            "  - id: local-transfer",
            "    address: 127.0.0.1",
            "    action: transfer",
            "database:",
            "    storage: \"" + d + "\"",
            "template:",
            "  - id: default",
            "    storage: \"" + d + "\"",
            "    zonefile-sync: -1",
            "    zonefile-load: none",
            "    journal-content: changes",
            "zone:",
            "  - domain: " + ZONE,
            "    master: tierdns",
            "    acl: [notify-from-tierdns, local-transfer]",
            "");
    Path file = dir.resolve("knot.conf");
    Files.writeString(file, conf);
    return file;
  }
}
