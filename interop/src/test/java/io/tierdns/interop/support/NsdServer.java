package io.tierdns.interop.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * NSD 4.6 ({@code nsd -d -c nsd.conf}) as a primary for the given zones, in the foreground,
 * without privilege drop or chroot, with every state file in its temp dir, no on-disk
 * database, response-rate limiting off and remote control off.
 */
public final class NsdServer extends PeerProcess {

  public NsdServer(Map<String, Path> zones) {
    super("nsd", zones);
  }

  @Override
  protected List<String> prepare() throws IOException {
    Path nsd = Binaries.require("nsd");
    StringBuilder conf = new StringBuilder()
        .append("server:\n")
        .append("    ip-address: 127.0.0.1\n")
        .append("    port: ").append(port()).append('\n')
        .append("    do-ip6: no\n")
        .append("    username: \"\"\n")
        .append("    chroot: \"\"\n")
        .append("    zonesdir: \"").append(dir()).append("\"\n")
        .append("    database: \"\"\n")
        .append("    pidfile: \"").append(dir().resolve("nsd.pid")).append("\"\n")
        .append("    xfrdfile: \"").append(dir().resolve("xfrd.state")).append("\"\n")
        .append("    zonelistfile: \"").append(dir().resolve("zone.list")).append("\"\n")
        .append("    xfrdir: \"").append(dir()).append("\"\n")
        .append("    server-count: 2\n")
        .append("    verbosity: 1\n")
        // Debian builds NSD with response-rate limiting on (200 qps per /24): it would answer
        // part of a fast test run with TC=1 "slips" that say nothing about the lookup.
        .append("    rrl-ratelimit: 0\n")
        .append("    rrl-whitelist-ratelimit: 0\n")
        .append("remote-control:\n")
        .append("    control-enable: no\n");
    zones().forEach((zone, file) -> conf
        .append("zone:\n")
        .append("    name: \"").append(zone).append("\"\n")
        .append("    zonefile: \"").append(file).append("\"\n"));
    Path config = writeFile("nsd.conf", conf.toString());
    return List.of(nsd.toString(), "-d", "-c", config.toString());
  }
}
