package io.tierdns.interop.support;

import java.nio.file.Path;
import java.util.Map;

/**
 * Knot DNS 3.2 ({@code knotd -c knot.conf}) as a primary for the given zones, or, built with
 * {@link #secondaryOf}, as a secondary of a primary on 127.0.0.1. It stays root (no
 * {@code user}), keeps its run and database directories in its temp dir and never writes the
 * zone files back.
 *
 * <p>As a primary it sends no NOTIFY (no remotes are configured). As a secondary it accepts
 * NOTIFY from 127.0.0.1, pulls with IXFR (AXFR the first time), signs with the primary's key
 * when there is one, and lets 127.0.0.1 transfer the zone from it (for the final diff). It logs
 * every transfer as {@code [ZONE] IXFR, incoming, remote 127.0.0.1@PORT, finished, ...}.
 */
public final class KnotServer extends KnotProcess {

  /** Knot's log line for a finished incoming IXFR; AXFR is the same with {@code AXFR}. */
  public static final String IXFR_IN_FINISHED = "IXFR, incoming, remote 127.0.0.1@%d, finished";

  private final PrimarySource primary;

  public KnotServer(Map<String, Path> zones) {
    this(zones, null);
  }

  private KnotServer(Map<String, Path> zones, PrimarySource primary) {
    super("knot", zones);
    this.primary = primary;
  }

  /** A secondary for {@code zone} of the primary {@code primary}; the zone file is its own. */
  public static KnotServer secondaryOf(String zone, PrimarySource primary) {
    return new KnotServer(Map.of(zone, Path.of("secondary-" + zone + "zone")), primary);
  }

  @Override
  void appendZoneConfig(StringBuilder conf) {
    if (primary != null) {
      secondaryBlocks(conf);
    }
    conf.append("template:\n")
        .append("  - id: default\n")
        .append("    storage: \"").append(dir()).append("\"\n")
        .append("    zonefile-sync: -1\n")
        .append("    journal-content: ").append(primary == null ? "none" : "changes").append('\n')
        .append("zone:\n");
    zones().forEach((zone, file) -> {
      conf.append("  - domain: ").append(zone).append('\n');
      if (primary == null) {
        conf.append("    file: \"").append(file).append("\"\n");
      } else {
        conf.append("    file: \"").append(dir().resolve(zone + "zone")).append("\"\n")
            .append("    master: primary\n")
            .append("    acl: [notify-from-primary, transfer-to-localhost]\n");
      }
    });
  }

  private void secondaryBlocks(StringBuilder conf) {
    if (primary.signed()) {
      appendKey(conf, primary.key());
    }
    conf.append("remote:\n")
        .append("  - id: primary\n")
        .append("    address: 127.0.0.1@").append(primary.port()).append('\n');
    if (primary.signed()) {
      conf.append("    key: ").append(primary.key().name()).append('\n');
    }
    conf.append("acl:\n")
        .append("  - id: notify-from-primary\n")
        .append("    address: 127.0.0.1\n")
        .append("    action: notify\n")
        .append("  - id: transfer-to-localhost\n")
        .append("    address: 127.0.0.1\n")
        .append("    action: transfer\n");
  }
}
