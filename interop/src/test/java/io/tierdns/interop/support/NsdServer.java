package io.tierdns.interop.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * NSD 4.6 ({@code nsd -d -c nsd.conf}) as a primary for the given zones, or, built with
 * {@link #secondaryOf}, as a secondary of a primary on 127.0.0.1; in the foreground, without
 * privilege drop or chroot, with every state file in its temp dir, no on-disk database,
 * response-rate limiting off and remote control off.
 *
 * <p>As a secondary it accepts NOTIFY from 127.0.0.1, requests IXFR over TCP (AXFR the first
 * time), signs with the primary's key when there is one, and lets 127.0.0.1 transfer the zone
 * from it. NSD 4.6 does not log whether a transfer was IXFR or AXFR (only
 * {@code xfrd: zone Z committed "received update to serial N ..."}), so the secondary also
 * stores the IXFRs it receives ({@code store-ixfr: yes}) and serves them: an IXFR query to it
 * from the first serial is answered incrementally only when every transfer since was an IXFR
 * (an AXFR drops the stored history; {@code ixfr-number: 100} keeps them all).
 */
public final class NsdServer extends PeerProcess {

  /** NSD's log line when a transfer is committed. */
  public static final String COMMITTED = "xfrd: zone %s committed \"received update to serial %d";

  private final PrimarySource primary;

  public NsdServer(Map<String, Path> zones) {
    this(zones, null);
  }

  private NsdServer(Map<String, Path> zones, PrimarySource primary) {
    super("nsd", zones);
    this.primary = primary;
  }

  /** A secondary for {@code zone} of the primary {@code primary}; the zone file is its own. */
  public static NsdServer secondaryOf(String zone, PrimarySource primary) {
    return new NsdServer(Map.of(zone, Path.of("secondary-" + zone + "zone")), primary);
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
        .append("    verbosity: ").append(primary == null ? 1 : 2).append('\n')
        // Debian builds NSD with response-rate limiting on (200 qps per /24): it would answer
        // part of a fast test run with TC=1 "slips" that say nothing about the lookup.
        .append("    rrl-ratelimit: 0\n")
        .append("    rrl-whitelist-ratelimit: 0\n")
        .append("remote-control:\n")
        .append("    control-enable: no\n");
    if (primary != null && primary.signed()) {
      conf.append("key:\n")
          .append("    name: \"").append(primary.key().name()).append("\"\n")
          .append("    algorithm: ").append(primary.key().algorithm()).append('\n')
          .append("    secret: \"").append(primary.key().secret()).append("\"\n");
    }
    zones().forEach((zone, file) -> {
      conf.append("zone:\n")
          .append("    name: \"").append(zone).append("\"\n");
      if (primary == null) {
        conf.append("    zonefile: \"").append(file).append("\"\n");
      } else {
        String key = primary.signed() ? primary.key().name() : "NOKEY";
        conf.append("    zonefile: \"").append(dir().resolve(zone + "zone")).append("\"\n")
            .append("    request-xfr: 127.0.0.1@").append(primary.port()).append(' ').append(key).append('\n')
            .append("    allow-notify: 127.0.0.1 NOKEY\n")
            .append("    provide-xfr: 127.0.0.1 NOKEY\n")
            .append("    store-ixfr: yes\n")
            .append("    ixfr-number: 100\n");
      }
    });
    Path config = writeFile("nsd.conf", conf.toString());
    return List.of(nsd.toString(), "-d", "-c", config.toString());
  }
}
