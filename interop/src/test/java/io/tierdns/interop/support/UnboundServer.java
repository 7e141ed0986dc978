package io.tierdns.interop.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Unbound 1.17 ({@code unbound -d -c unbound.conf}) as a caching forwarder: every name
 * ({@code forward-zone: name: "."}) goes to one forwarder on 127.0.0.1, typically a tierdns
 * cache. Iterator module only (no DNSSEC validation, so no trust anchor and no root hints are
 * needed), in the foreground, without chroot or privilege drop, without remote control, with its
 * pid file in its temp dir and listening on 127.0.0.1 only.
 *
 * <p>{@code do-not-query-localhost: no} lets it forward to loopback at all. Clients on 127/8
 * get {@code allow_setrd}: a query without RD is treated as recursive, so the SOA probe of
 * {@link PeerProcess#start()} (sent without RD) is forwarded instead of answered from an empty
 * cache. The zones given are used for that probe and to lift Unbound's built-in local zone of
 * their top-level domain (RFC 6761 {@code test.}).
 */
public final class UnboundServer extends PeerProcess {

  private final int forwarderPort;
  private final int threads;

  /**
   * @param zones the zones reachable through the forwarder (the first one is probed at start)
   * @param forwarderPort port of the forwarder on 127.0.0.1
   */
  public UnboundServer(Map<String, Path> zones, int forwarderPort) {
    this(zones, forwarderPort, 1);
  }

  /** The same with {@code num-threads: threads} (the benchmark uses the machine's cores). */
  public UnboundServer(Map<String, Path> zones, int forwarderPort, int threads) {
    super("unbound", zones);
    this.forwarderPort = forwarderPort;
    this.threads = threads;
  }

  /**
   * Unbound answers names under the special-use TLDs of RFC 6761 ({@code test.},
   * {@code invalid.}, ...) from built-in local zones; {@code nodefault} lets the zones served
   * here through.
   */
  private String unblockedTopLevels() {
    StringBuilder conf = new StringBuilder();
    zones().keySet().stream()
        .map(zone -> zone.substring(zone.lastIndexOf('.', zone.length() - 2) + 1))
        .distinct()
        .forEach(tld -> conf.append("    local-zone: \"").append(tld).append("\" nodefault\n"));
    return conf.toString();
  }

  @Override
  protected List<String> prepare() throws IOException {
    Path unbound = Binaries.require("unbound");
    String conf = "server:\n"
        + "    interface: 127.0.0.1\n"
        + "    port: " + port() + "\n"
        + "    do-ip6: no\n"
        + "    do-udp: yes\n"
        + "    do-tcp: yes\n"
        + "    num-threads: " + threads + "\n"
        + "    username: \"\"\n"
        + "    chroot: \"\"\n"
        + "    directory: \"" + dir() + "\"\n"
        + "    pidfile: \"" + dir().resolve("unbound.pid") + "\"\n"
        + "    use-syslog: no\n"
        + "    logfile: \"\"\n"
        + "    verbosity: 1\n"
        + "    log-servfail: yes\n"
        + "    module-config: \"iterator\"\n"
        + "    do-not-query-localhost: no\n"
        + "    access-control: 127.0.0.0/8 allow_setrd\n"
        + "    qname-minimisation: no\n"
        + "    prefetch: no\n"
        + "    serve-expired: no\n"
        + unblockedTopLevels()
        + "remote-control:\n"
        + "    control-enable: no\n"
        + "forward-zone:\n"
        + "    name: \".\"\n"
        + "    forward-addr: 127.0.0.1@" + forwarderPort + "\n"
        + "    forward-first: no\n";
    Path config = writeFile("unbound.conf", conf);
    return List.of(unbound.toString(), "-d", "-c", config.toString());
  }
}
