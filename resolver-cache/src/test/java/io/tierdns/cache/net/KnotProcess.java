package io.tierdns.cache.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Knot DNS ({@code knotd}) serving one zone on 127.0.0.1 from a temp dir, for tests that need a
 * real upstream process that can be killed and restarted on the same port.
 */
final class KnotProcess implements AutoCloseable {

  private final Path dir;
  private final int port;
  private final Path config;
  private Process process;

  KnotProcess(Path dir, String zone, String zoneText) throws IOException {
    this.dir = dir;
    this.port = freePort();
    Files.createDirectories(dir.resolve("db"));
    Path zoneFile = Files.writeString(dir.resolve(zone + "zone"), zoneText);
    String conf =
        "server:\n"
            + "    listen: 127.0.0.1@" + port + "\n"
            + "    rundir: \"" + dir + "\"\n"
            + "    udp-workers: 1\n"
            + "    tcp-workers: 1\n"
            + "    background-workers: 1\n"
            + "database:\n"
            + "    storage: \"" + dir.resolve("db") + "\"\n"
            + "log:\n"
            + "  - target: stderr\n"
            + "    any: info\n"
            + "template:\n"
            + "  - id: default\n"
            + "    storage: \"" + dir + "\"\n"
            + "    zonefile-sync: -1\n"
            + "    journal-content: none\n"
            + "zone:\n"
            + "  - domain: " + zone + "\n"
            + "    file: \"" + zoneFile + "\"\n";
    this.config = Files.writeString(dir.resolve("knot.conf"), conf);
  }

  static boolean available() {
    return Files.isExecutable(Path.of("/usr/sbin/knotd"));
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  void start() throws IOException {
    process =
        new ProcessBuilder("/usr/sbin/knotd", "-c", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("knotd.log").toFile()))
            .start();
  }

  /** Kills the server (SIGKILL: no goodbye) and waits for it to be gone. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      process = null;
    }
  }

  String log() throws IOException {
    Path log = dir.resolve("knotd.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
