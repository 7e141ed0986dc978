package io.tierdns.authoritative.transfer;

import static io.tierdns.authoritative.testing.LoopbackPeers.KEY_NAME;
import static io.tierdns.authoritative.transfer.TransferTestZones.ZONE;
import static io.tierdns.authoritative.transfer.TransferTestZones.edit;
import static io.tierdns.authoritative.transfer.TransferTestZones.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.notify.NotifyScheduler;
import io.tierdns.authoritative.notify.NotifySender;
import io.tierdns.authoritative.notify.NotifyState;
import io.tierdns.authoritative.notify.NotifyTarget;
import io.tierdns.authoritative.notify.NotifyTransport;
import io.tierdns.authoritative.testing.LoopbackPeers;
import io.tierdns.wire.DnsServer;
import io.tierdns.wire.client.DnsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.TSIG;

/**
 * A real Knot DNS as the secondary of a tierdns primary: AXFR at start, then IXFR after each
 * NOTIFY (TSIG-signed throughout), ending in the same AXFR from both servers. Skipped when knotd
 * is not installed (unless CI=true).
 */
class TierdnsKnotIxfrTest {

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
    LoopbackPeers.stop(knotd);
  }

  @Test
  void knotTransfersByAxfrThenFollowsTwoEditsByIxfrAndEndsWithOurZone() throws Exception {
    LoopbackPeers.assumeInstalled(KNOTD.toString());
    TsigKeyring keyring = LoopbackPeers.keyring();
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
    int knotPort = LoopbackPeers.freePort();

    Path conf = writeKnotConf(ours, knotPort);
    Path log = dir.resolve("knotd.log");
    knotd = LoopbackPeers.start(log, KNOTD.toString(), "-c", conf.toString());
    LoopbackPeers.await(
        "knot has serial " + v1.serial(), () -> LoopbackPeers.serialAt(ZONE, knotPort) == v1.serial(), log);
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

    LoopbackPeers.await(
        "knot has serial " + v3.serial(), () -> LoopbackPeers.serialAt(ZONE, knotPort) == v3.serial(), log);
    String knotLog = Files.readString(log);
    assertThat(knotLog).contains("IXFR, incoming");
    assertThat(knotLog).doesNotContain("fallback to AXFR");
    LoopbackPeers.await(
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
    Set<String> fromUs = LoopbackPeers.axfr(ZONE, ours, key);
    Set<String> fromKnot = LoopbackPeers.axfr(ZONE, knotPort, null);
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

  private Path writeKnotConf(int primaryPort, int knotPort) throws IOException {
    String d = dir.toAbsolutePath().toString();
    return LoopbackPeers.writeKnotConf(
        dir,
        knotPort,
        primaryPort,
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
  }
}
