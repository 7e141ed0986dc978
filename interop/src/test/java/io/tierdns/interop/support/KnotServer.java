package io.tierdns.interop.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Knot DNS 3.2 ({@code knotd -c knot.conf}) as a primary for the given zones. It stays root
 * (no {@code user}), keeps its run and database directories in its temp dir, never writes the
 * zone files back and sends no NOTIFY (no remotes are configured).
 */
public final class KnotServer extends PeerProcess {

  public KnotServer(Map<String, Path> zones) {
    super("knot", zones);
  }

  @Override
  protected List<String> prepare() throws IOException {
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
        .append("    any: info\n")
        .append("template:\n")
        .append("  - id: default\n")
        .append("    storage: \"").append(dir()).append("\"\n")
        .append("    zonefile-sync: -1\n")
        .append("    journal-content: none\n")
        .append("zone:\n");
    zones().forEach((zone, file) -> conf
        .append("  - domain: ").append(zone).append('\n')
        .append("    file: \"").append(file).append("\"\n"));
    Path config = writeFile("knot.conf", conf.toString());
    return List.of(knotd.toString(), "-c", config.toString());
  }
}
