package io.tierdns.interop.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The one Knot DNS launcher ({@code knotd -c DIR/knot.conf}) behind {@link KnotServer} and
 * {@link KnotPrimary}: it writes the common {@code server}, {@code database} and {@code log}
 * sections (listening on 127.0.0.1 at {@link #port()}, run and database directories in
 * {@link #dir()}, log to stderr), lets the subclass append the rest, and returns the command.
 */
abstract class KnotProcess extends PeerProcess {

  KnotProcess(String name, Map<String, Path> zones) {
    super(name, zones);
  }

  /** Appends everything after the {@code log} section: keys, remotes, ACLs, template, zones. */
  abstract void appendZoneConfig(StringBuilder conf);

  @Override
  protected final List<String> prepare() throws IOException {
    Path knotd = Binaries.require("knotd");
    Files.createDirectories(dir().resolve("db"));
    StringBuilder conf = new StringBuilder()
        .append("server:\n")
        .append("    listen: 127.0.0.1@").append(port()).append('\n')
        .append("    rundir: \"").append(dir()).append("\"\n")
        .append("    udp-workers: 2\n")
        .append("    tcp-workers: 2\n")
        .append("    background-workers: 1\n")
        .append("database:\n")
        .append("    storage: \"").append(dir().resolve("db")).append("\"\n")
        .append("log:\n")
        .append("  - target: stderr\n")
        .append("    any: info\n");
    appendZoneConfig(conf);
    Path config = writeFile("knot.conf", conf.toString());
    return List.of(knotd.toString(), "-c", config.toString());
  }

  /** Appends a {@code key} section declaring {@code key}. */
  static void appendKey(StringBuilder conf, TsigKey key) {
    conf.append("key:\n")
        .append("  - id: ").append(key.name()).append('\n')
        .append("    algorithm: ").append(key.algorithm()).append('\n')
        .append("    secret: ").append(key.secret()).append('\n');
  }
}
