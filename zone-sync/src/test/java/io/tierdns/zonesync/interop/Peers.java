package io.tierdns.zonesync.interop;

import static io.tierdns.authoritative.testing.LoopbackPeers.KEY_NAME;
import static io.tierdns.authoritative.testing.LoopbackPeers.SECRET;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.journal.JournalConfig;
import io.tierdns.authoritative.notify.NotifyScheduler;
import io.tierdns.authoritative.notify.NotifySender;
import io.tierdns.authoritative.notify.NotifyTransport;
import io.tierdns.authoritative.testing.LoopbackPeers;
import io.tierdns.wire.DnsServer;
import io.tierdns.wire.client.DnsClient;
import io.tierdns.zonesync.DnsPrimaryClient;
import io.tierdns.zonesync.SecondaryHandler;
import io.tierdns.zonesync.SecondaryZoneConfig;
import io.tierdns.zonesync.Secondaries;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.xbill.DNS.Name;

/**
 * The zone and the tierdns secondary of the scenario tests; processes, ports, waiting and zone
 * comparison are in {@link LoopbackPeers}.
 */
final class Peers {

  static final Name ZONE = Name.fromConstantString("example.test.");

  private Peers() {}

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

  /**
   * Writes {@code dir/named.conf}: BIND on 127.0.0.1:{@code port} only, its files in {@code dir}, no
   * recursion, {@code options} added to the options block, transfers from 127.0.0.1, no control
   * channel, knowing {@link LoopbackPeers#KEY_NAME}; {@code rest} (servers, zones) follows.
   */
  static Path writeNamedConf(Path dir, int port, List<String> options, String... rest) throws IOException {
    String d = dir.toAbsolutePath().toString();
    List<String> lines =
        new ArrayList<>(
            List.of(
                "options {",
                "  directory \"" + d + "\";",
                "  pid-file \"" + d + "/named.pid\";",
                "  session-keyfile \"" + d + "/session.key\";",
                "  listen-on port " + port + " { 127.0.0.1; };",
                "  listen-on-v6 { none; };",
                "  recursion no;"));
    lines.addAll(options);
    lines.addAll(
        List.of(
            "  transfer-source 127.0.0.1;",
            "};",
            "controls { };",
            "key \"" + KEY_NAME + "\" { algorithm hmac-sha256; secret \"" + SECRET + "\"; };"));
    lines.addAll(List.of(rest));
    Path file = dir.resolve("named.conf");
    Files.writeString(file, String.join("\n", lines));
    return file;
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
      TsigKeyring keyring = LoopbackPeers.keyring();
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
      LoopbackPeers.await(
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
