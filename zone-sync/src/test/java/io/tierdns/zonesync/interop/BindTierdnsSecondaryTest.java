package io.tierdns.zonesync.interop;

import static io.tierdns.authoritative.testing.LoopbackPeers.KEY_NAME;
import static io.tierdns.authoritative.testing.LoopbackPeers.SECRET;
import static io.tierdns.zonesync.interop.Peers.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.testing.LoopbackPeers;
import io.tierdns.zonesync.SecondaryZoneConfig;
import io.tierdns.zonesync.TransferKind;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real BIND 9 primary and a tierdns secondary: AXFR at start, then edits with {@code nsupdate}
 * (TSIG-signed, allow-update on the key) reach the secondary by a signed NOTIFY and IXFR, ending
 * in the same AXFR content on both.
 */
class BindTierdnsSecondaryTest {

  static final String NAMED = "/usr/sbin/named";
  static final String NSUPDATE = "/usr/bin/nsupdate";

  @TempDir Path dir;
  Process named;
  Peers.TierdnsSecondary secondary;

  @AfterEach
  void stop() throws Exception {
    if (secondary != null) {
      secondary.close();
    }
    LoopbackPeers.stop(named);
  }

  @Test
  void tierdnsFollowsBindNsupdateEditsByNotifyAndIxfr() throws Exception {
    LoopbackPeers.assumeInstalled(NAMED);
    LoopbackPeers.assumeInstalled(NSUPDATE);
    int bindPort = LoopbackPeers.freePort();
    int ourPort = LoopbackPeers.freePort();
    Files.writeString(dir.resolve("example.test.zone"), Peers.zoneText(2024020101));
    Path conf = writeConf(bindPort, ourPort);
    Path log = dir.resolve("named.log");
    named = LoopbackPeers.start(log, NAMED, "-g", "-c", conf.toString(), "-n", "1");
    LoopbackPeers.await("bind serves the zone", () -> LoopbackPeers.serialAt(ZONE, bindPort) == 2024020101, log);

    SecondaryZoneConfig config =
        SecondaryZoneConfig.of(
                ZONE,
                List.of(new SecondaryZoneConfig.Primary(new InetSocketAddress("127.0.0.1", bindPort), TsigKeyring.keyName(KEY_NAME))))
            .withNotify(List.of(), TransferAcl.parse("127.0.0.0/8"));
    secondary = new Peers.TierdnsSecondary(ourPort, config, dir.resolve("secondary"));
    LoopbackPeers.await("tierdns has the zone", () -> LoopbackPeers.serialAt(ZONE, ourPort) == 2024020101, log);

    nsupdate(bindPort, "update add new1.example.test. 300 IN A 192.0.2.201", "update add new1.example.test. 300 IN TXT \"added\"");
    nsupdate(bindPort, "update delete txt.example.test. TXT", "update add www.example.test. 60 IN A 192.0.2.11");
    long last = LoopbackPeers.serialAt(ZONE, bindPort);
    assertThat(last).isGreaterThan(2024020101);
    LoopbackPeers.await("tierdns has serial " + last, () -> LoopbackPeers.serialAt(ZONE, ourPort) == last, log);
    assertThat(secondary.awaitTransfer(last).kind()).isEqualTo(TransferKind.IXFR);
    assertThat(Files.readString(log)).contains("sending notifies");
    assertThat(LoopbackPeers.axfr(ZONE, ourPort, null)).isEqualTo(LoopbackPeers.axfr(ZONE, bindPort, LoopbackPeers.key()));
  }

  void nsupdate(int port, String... lines) throws Exception {
    StringBuilder script = new StringBuilder("server 127.0.0.1 " + port + "\nzone example.test.\n");
    for (String l : lines) {
      script.append(l).append('\n');
    }
    script.append("send\n");
    Process p =
        new ProcessBuilder(NSUPDATE, "-y", "hmac-sha256:" + KEY_NAME + ":" + SECRET).redirectErrorStream(true).start();
    p.getOutputStream().write(script.toString().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("nsupdate: " + out).isZero();
  }

  Path writeConf(int bindPort, int ourPort) throws Exception {
    return Peers.writeNamedConf(
        dir,
        bindPort,
        List.of(
            "  notify explicit;",
            "  also-notify { 127.0.0.1 port " + ourPort + "; };",
            "  notify-source 127.0.0.1;"),
        "server 127.0.0.1 { keys { \"" + KEY_NAME + "\"; }; };",
        "zone \"example.test\" {",
        "  type primary;",
        "  file \"example.test.zone\";",
        "  allow-update { key \"" + KEY_NAME + "\"; };",
        "  max-ixfr-ratio unlimited;", // a tiny zone: IXFR would exceed 100% of it
        "  allow-transfer { key \"" + KEY_NAME + "\"; };",
        "};",
        "");
  }
}
