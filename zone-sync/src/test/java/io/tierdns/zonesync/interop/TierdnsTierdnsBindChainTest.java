package io.tierdns.zonesync.interop;

import static io.tierdns.authoritative.testing.LoopbackPeers.KEY_NAME;
import static io.tierdns.zonesync.interop.Peers.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.edit.ZoneChange;
import io.tierdns.authoritative.notify.NotifyScheduler;
import io.tierdns.authoritative.notify.NotifySender;
import io.tierdns.authoritative.notify.NotifyTarget;
import io.tierdns.authoritative.notify.NotifyTransport;
import io.tierdns.authoritative.store.ZoneStoreConfig;
import io.tierdns.authoritative.store.ZoneStores;
import io.tierdns.authoritative.testing.LoopbackPeers;
import io.tierdns.wire.DnsServer;
import io.tierdns.wire.client.DnsClient;
import io.tierdns.zonesync.SecondaryZoneConfig;
import io.tierdns.zonesync.TransferKind;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A chain tierdns primary (ZoneStores + AuthoritativeHandler) → tierdns secondary → BIND 9
 * secondary. Edits on the primary flow down by NOTIFY and IXFR at each hop; every member ends
 * with the same AXFR content and serial.
 */
class TierdnsTierdnsBindChainTest {

  static final String NAMED = "/usr/sbin/named";

  @TempDir Path dir;
  ZoneStores stores;
  DnsServer primary;
  DnsClient client;
  NotifySender primaryNotify;
  ScheduledExecutorService timers;
  Peers.TierdnsSecondary secondary;
  Process named;

  @AfterEach
  void stop() throws Exception {
    if (secondary != null) {
      secondary.close();
    }
    LoopbackPeers.stop(named);
    if (primaryNotify != null) {
      primaryNotify.close();
    }
    if (primary != null) {
      primary.close();
    }
    if (stores != null) {
      stores.close();
    }
    if (client != null) {
      client.close();
    }
    if (timers != null) {
      timers.shutdownNow();
    }
  }

  @Test
  void editsOnATierdnsPrimaryReachBindThroughATierdnsSecondaryByIxfr() throws Exception {
    LoopbackPeers.assumeInstalled(NAMED);
    TsigKeyring keyring = LoopbackPeers.keyring();
    Name key = TsigKeyring.keyName(KEY_NAME);
    int secondaryPort = LoopbackPeers.freePort();
    int bindPort = LoopbackPeers.freePort();

    // tierdns primary
    Path zones = Files.createDirectories(dir.resolve("primary/zones"));
    Files.writeString(zones.resolve("example.test.zone"), Peers.zoneText(2024030101));
    ZoneRegistry registry = new ZoneRegistry();
    stores = ZoneStores.open(new ZoneStores.Layout(zones, dir.resolve("primary/journal")), ZoneStoreConfig.defaults(), registry, Clock.systemUTC());
    TransferAcl loopback = TransferAcl.parse("127.0.0.0/8");
    primary =
        new DnsServer(
            List.of(new InetSocketAddress("127.0.0.1", 0)),
            new AuthoritativeHandler(registry, null, stores, z -> loopback, keyring));
    primary.start();
    int primaryPort = primary.boundAddresses().get(0).getPort();
    client = new DnsClient();
    timers = Executors.newSingleThreadScheduledExecutor();
    primaryNotify =
        new NotifySender(
            z -> List.of(new NotifyTarget(new InetSocketAddress("127.0.0.1", secondaryPort), key)),
            keyring, NotifyTransport.udp(client), NotifyScheduler.of(timers, Clock.systemUTC()), NotifySender.DEFAULT_DELAY);
    stores.addListener(primaryNotify);

    // tierdns secondary, chained to BIND
    SecondaryZoneConfig config =
        SecondaryZoneConfig.of(ZONE, List.of(new SecondaryZoneConfig.Primary(new InetSocketAddress("127.0.0.1", primaryPort), key)))
            .withNotify(List.of(new NotifyTarget(new InetSocketAddress("127.0.0.1", bindPort), key)), loopback);
    secondary = new Peers.TierdnsSecondary(secondaryPort, config, dir.resolve("secondary"));
    Path log = dir.resolve("named.log");
    LoopbackPeers.await("tierdns secondary has the zone", () -> LoopbackPeers.serialAt(ZONE, secondaryPort) == 2024030101, log);

    // BIND secondary of the tierdns secondary
    Path conf = writeBindConf(bindPort, secondaryPort);
    named = LoopbackPeers.start(log, NAMED, "-g", "-c", conf.toString(), "-n", "1");
    LoopbackPeers.await("bind has the zone", () -> LoopbackPeers.serialAt(ZONE, bindPort) == 2024030101, log);

    stores.commit(ZONE, z -> List.of(new ZoneChange.AddRecord(record("new1 300 IN A 192.0.2.201"))));
    stores.commit(ZONE, z -> List.of(new ZoneChange.DeleteRRset(Name.fromConstantString("txt.example.test."), org.xbill.DNS.Type.TXT)));
    long last = stores.store(ZONE).orElseThrow().current().serial();
    LoopbackPeers.await("bind has serial " + last, () -> LoopbackPeers.serialAt(ZONE, bindPort) == last, log);
    assertThat(LoopbackPeers.serialAt(ZONE, secondaryPort)).isEqualTo(last);
    assertThat(secondary.awaitTransfer(last).kind()).isEqualTo(TransferKind.IXFR);
    // BIND keeps a journal only for changes received incrementally (an AXFR rewrites the file).
    assertThat(dir.resolve("bind-secondary.zone.jnl")).exists();

    Set<String> fromPrimary = LoopbackPeers.axfr(ZONE, primaryPort, null);
    assertThat(LoopbackPeers.axfr(ZONE, secondaryPort, null)).isEqualTo(fromPrimary);
    assertThat(LoopbackPeers.axfr(ZONE, bindPort, null)).isEqualTo(fromPrimary);
    assertThat(fromPrimary).anyMatch(r -> r.contains("192.0.2.201"));
  }

  static Record record(String line) {
    return io.tierdns.zonesync.interop.ChainZones.record(line);
  }

  Path writeBindConf(int bindPort, int upstreamPort) throws Exception {
    return Peers.writeNamedConf(
        dir,
        bindPort,
        List.of("  notify no;"),
        "zone \"example.test\" {",
        "  type secondary;",
        "  file \"bind-secondary.zone\";",
        "  primaries port " + upstreamPort + " { 127.0.0.1 key \"" + KEY_NAME + "\"; };",
        "  allow-notify { 127.0.0.1; };",
        "  allow-transfer { 127.0.0.1; };",
        "};",
        "");
  }
}
