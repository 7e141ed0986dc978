package io.tierdns.zonesync.interop;

import static io.tierdns.authoritative.testing.LoopbackPeers.KEY_NAME;
import static io.tierdns.zonesync.interop.Peers.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.testing.LoopbackPeers;
import io.tierdns.zonesync.SecondaryZone;
import io.tierdns.zonesync.SecondaryZoneConfig;
import io.tierdns.zonesync.TransferKind;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Knot DNS primary and a tierdns secondary: AXFR at start, then NOTIFY and IXFR after each
 * {@code knotc zone-set}/{@code zone-commit} (TSIG throughout; Knot also generates ZONEMD, which
 * the secondary verifies on every version), ending in the same AXFR content on both. Then Knot
 * is stopped: the secondary keeps serving; Knot comes back with an edit and the secondary
 * converges.
 */
class KnotTierdnsSecondaryTest {

  static final String KNOTD = "/usr/sbin/knotd";
  static final String KNOTC = "/usr/sbin/knotc";

  @TempDir Path dir;
  Process knotd;
  Peers.TierdnsSecondary secondary;
  Path conf;
  Path log;

  @AfterEach
  void stop() throws Exception {
    if (secondary != null) {
      secondary.close();
    }
    LoopbackPeers.stop(knotd);
  }

  @Test
  void tierdnsFollowsKnotByNotifyAndIxfrAndEndsWithTheSameZone() throws Exception {
    LoopbackPeers.assumeInstalled(KNOTD);
    int knotPort = LoopbackPeers.freePort();
    int ourPort = LoopbackPeers.freePort();
    Files.writeString(dir.resolve("example.test.zone"), Peers.zoneText(2024010101));
    conf = writeConf(knotPort, ourPort);
    log = dir.resolve("knotd.log");
    knotd = LoopbackPeers.start(log, KNOTD, "-c", conf.toString());
    LoopbackPeers.await("knot serves the zone", () -> LoopbackPeers.serialAt(ZONE, knotPort) > 0, log);
    long first = LoopbackPeers.serialAt(ZONE, knotPort);

    SecondaryZoneConfig config =
        SecondaryZoneConfig.of(
            ZONE,
                List.of(new SecondaryZoneConfig.Primary(new InetSocketAddress("127.0.0.1", knotPort), TsigKeyring.keyName(KEY_NAME))))
            .withNotify(List.of(), TransferAcl.parse("127.0.0.0/8"));
    secondary = new Peers.TierdnsSecondary(ourPort, config, dir.resolve("secondary"));
    LoopbackPeers.await("tierdns has serial " + first, () -> LoopbackPeers.serialAt(ZONE, ourPort) == first, log);
    assertThat(secondary.awaitTransfer(first).kind()).isEqualTo(TransferKind.AXFR);

    knotc("zone-begin", ZONE.toString());
    knotc("zone-set", ZONE.toString(), "new1", "300", "A", "192.0.2.201");
    knotc("zone-set", ZONE.toString(), "new1", "300", "TXT", "added");
    knotc("zone-commit", ZONE.toString());
    knotc("zone-begin", ZONE.toString());
    knotc("zone-unset", ZONE.toString(), "txt", "TXT");
    knotc("zone-commit", ZONE.toString());
    long last = LoopbackPeers.serialAt(ZONE, knotPort);
    assertThat(last).isNotEqualTo(first);
    LoopbackPeers.await("tierdns has serial " + last, () -> LoopbackPeers.serialAt(ZONE, ourPort) == last, log);
    assertThat(secondary.awaitTransfer(last).kind()).isEqualTo(TransferKind.IXFR);
    assertSameZone(knotPort, ourPort);

    // The primary goes away: the secondary keeps serving the last good version.
    LoopbackPeers.stop(knotd);
    secondary.secondaries.follower(ZONE).orElseThrow().refreshNow();
    LoopbackPeers.await("refresh failed", () -> state().lastError() != null, log);
    assertThat(LoopbackPeers.serialAt(ZONE, ourPort)).isEqualTo(last);

    // It comes back with a change made while it was down; a NOTIFY brings it over.
    knotd = LoopbackPeers.start(dir.resolve("knotd2.log"), KNOTD, "-c", conf.toString());
    LoopbackPeers.await("knot is back", () -> LoopbackPeers.serialAt(ZONE, knotPort) == last, dir.resolve("knotd2.log"));
    knotc("zone-begin", ZONE.toString());
    knotc("zone-set", ZONE.toString(), "after", "300", "AAAA", "2001:db8::1");
    knotc("zone-commit", ZONE.toString());
    long after = LoopbackPeers.serialAt(ZONE, knotPort);
    LoopbackPeers.await("tierdns has serial " + after, () -> LoopbackPeers.serialAt(ZONE, ourPort) == after, dir.resolve("knotd2.log"));
    assertSameZone(knotPort, ourPort);
    assertThat(state().state()).isEqualTo(SecondaryZone.State.SERVING);
  }

  SecondaryZone state() {
    return secondary.secondaries.state(ZONE).orElseThrow();
  }

  void assertSameZone(int knotPort, int ourPort) throws Exception {
    Set<String> knot = LoopbackPeers.axfr(ZONE, knotPort, LoopbackPeers.key());
    Set<String> ours = LoopbackPeers.axfr(ZONE, ourPort, LoopbackPeers.key());
    assertThat(ours).isEqualTo(knot);
    assertThat(String.join("\n", ours)).contains("ZONEMD");
  }

  void knotc(String... args) throws Exception {
    String[] cmd = new String[args.length + 3];
    cmd[0] = KNOTC;
    cmd[1] = "-c";
    cmd[2] = conf.toString();
    System.arraycopy(args, 0, cmd, 3, args.length);
    LoopbackPeers.run(cmd);
  }

  Path writeConf(int knotPort, int ourPort) throws Exception {
    String d = dir.toAbsolutePath().toString();
    return LoopbackPeers.writeKnotConf(
        dir,
        knotPort,
        ourPort,
        "acl:",
        "  - id: transfer",
        "    address: 127.0.0.1",
        "    key: " + KEY_NAME,
        "    action: transfer",
        "  - id: transfer-unsigned",
        "    address: 127.0.0.1",
        "    action: transfer",
        "database:",
        "    storage: \"" + d + "\"",
        "zone:",
        "  - domain: " + ZONE,
        "    storage: \"" + d + "\"",
        "    file: example.test.zone",
        "    notify: tierdns",
        "    acl: [transfer, transfer-unsigned]",
        "    zonefile-sync: -1",
        "    journal-content: changes",
        "    zonemd-generate: zonemd-sha384",
        "    serial-policy: increment",
        "");
  }
}
