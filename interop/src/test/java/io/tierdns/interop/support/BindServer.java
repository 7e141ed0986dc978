package io.tierdns.interop.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * BIND 9.18 ({@code named -g -c named.conf}) as a primary for the given zones, or, built with
 * {@link #secondaryOf}, as a secondary of a primary on 127.0.0.1: no recursion, no validation,
 * no NOTIFY (it would look up the zones' NS names), no control channel, and pid and
 * session-key files in its temp dir.
 *
 * <p>As a secondary it accepts NOTIFY from 127.0.0.1, requests IXFR (AXFR the first time),
 * signs with the primary's key when there is one, and lets 127.0.0.1 transfer the zone from
 * it. It runs with {@code -d 3}, because BIND says whether a transfer was incremental only at
 * debug level: {@code transfer of 'ZONE/IN' from 127.0.0.1#PORT: got incremental response}
 * (and {@code got nonincremental response} for an AXFR-style answer), next to the info-level
 * {@code Transfer status: success}.
 */
public final class BindServer extends PeerProcess {

  /** BIND's debug-3 log line for an IXFR answered with differences. */
  public static final String INCREMENTAL = "got incremental response";
  /** BIND's debug-3 log line for an AXFR, or an IXFR answered with the whole zone. */
  public static final String NONINCREMENTAL = "got nonincremental response";
  /** BIND's info log line for every successful incoming transfer. */
  public static final String TRANSFER_SUCCESS = "Transfer status: success";

  private final PrimarySource primary;

  public BindServer(Map<String, Path> zones) {
    this(zones, null);
  }

  private BindServer(Map<String, Path> zones, PrimarySource primary) {
    super("bind", zones);
    this.primary = primary;
  }

  /** A secondary for {@code zone} of the primary {@code primary}; the zone file is its own. */
  public static BindServer secondaryOf(String zone, PrimarySource primary) {
    return new BindServer(Map.of(zone, Path.of("secondary-" + zone + "zone")), primary);
  }

  @Override
  protected List<String> prepare() throws IOException {
    Path named = Binaries.require("named");
    StringBuilder conf = new StringBuilder();
    if (primary != null && primary.signed()) {
      conf.append("key \"").append(primary.key().name()).append("\" { algorithm ")
          .append(primary.key().algorithm()).append("; secret \"").append(primary.key().secret()).append("\"; };\n");
    }
    conf.append("options {\n")
        .append("    directory \"").append(dir()).append("\";\n")
        .append("    pid-file \"").append(dir().resolve("named.pid")).append("\";\n")
        .append("    session-keyfile \"").append(dir().resolve("session.key")).append("\";\n")
        .append("    listen-on port ").append(port()).append(" { 127.0.0.1; };\n")
        .append("    listen-on-v6 { none; };\n")
        .append("    recursion no;\n")
        .append("    dnssec-validation no;\n")
        .append("    notify no;\n")
        .append("    allow-transfer { none; };\n")
        .append("};\n")
        .append("controls { };\n");
    zones().forEach((zone, file) -> {
      if (primary == null) {
        conf.append("zone \"").append(zone).append("\" { type primary; file \"").append(file).append("\"; };\n");
      } else {
        conf.append("zone \"").append(zone).append("\" {\n")
            .append("    type secondary;\n")
            .append("    file \"").append(dir().resolve(zone + "zone")).append("\";\n")
            .append("    primaries { 127.0.0.1 port ").append(primary.port())
            .append(primary.signed() ? " key \"" + primary.key().name() + "\"" : "").append("; };\n")
            .append("    allow-notify { 127.0.0.1; };\n")
            .append("    allow-transfer { 127.0.0.1; };\n")
            .append("};\n");
      }
    });
    Path config = writeFile("named.conf", conf.toString());
    List<String> command = new ArrayList<>(List.of(named.toString(), "-g"));
    if (primary != null) {
      command.addAll(List.of("-d", "3"));
    }
    command.addAll(List.of("-n", "2", "-c", config.toString()));
    return command;
  }
}
