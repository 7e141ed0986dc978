package io.tierdns.interop.netns;

import io.tierdns.interop.support.Await;
import io.tierdns.interop.support.Binaries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The packaged tierdns jar run inside a lab namespace:
 * {@code ip netns exec NS java -XmxN -jar tierdns.jar run --config DIR/tierdns.yml}, listening
 * on its lab address, port 53, with the admin API (when the YAML has one) on port 8053 of the
 * same address. The caller writes the {@code tierdns:} YAML; this class runs, waits for and
 * stops the process and keeps its output in {@code DIR/node.log}.
 */
final class NetnsNode implements AutoCloseable {

  static final int DNS_PORT = 53;
  static final int ADMIN_PORT = 8053;

  private final String name;
  private final String namespace;
  private final String address;
  private final Path dir;
  private Process process;

  NetnsNode(String name, String namespace, String address, Path dir) {
    this.name = name;
    this.namespace = namespace;
    this.address = address;
    this.dir = dir;
  }

  String name() {
    return name;
  }

  String address() {
    return address;
  }

  Path dir() {
    return dir;
  }

  long pid() {
    return process.pid();
  }

  /** Writes {@code yaml} to DIR/tierdns.yml and starts the node (does not wait). */
  void start(String yaml, String heap) throws IOException {
    Files.createDirectories(dir);
    Path config = dir.resolve("tierdns.yml");
    Files.writeString(config, yaml, StandardCharsets.UTF_8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, java, "-Xmx" + heap,
        "-XX:+UseSerialGC", "-jar", Binaries.requireTierdnsJar().toString(), "run", "--config", config.toString()));
    Files.writeString(log(), "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
    process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
  }

  /** Blocks until the node answers SOA {@code zone} with data, or fails with its log. */
  void awaitSoa(String zone, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (LabDns dns = new LabDns(1000)) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(name + " exited with " + process.exitValue() + "\n" + logText());
        }
        if (dns.serial(address, zone).isPresent()) {
          return;
        }
        Await.pause(200);
      }
    }
    throw new IllegalStateException(name + " did not answer SOA " + zone + " at " + address + " within "
        + timeout + "\n" + logText());
  }

  /** The SOA serial this node answers for {@code zone}, if it answers. */
  OptionalLong serial(String zone) {
    try (LabDns dns = new LabDns(1000)) {
      return dns.serial(address, zone);
    }
  }

  /** {@code GET http://ADDRESS:8053PATH} with {@code apiKey}: "STATUS BODY", or the error. */
  String get(String path, String apiKey) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://" + address + ":" + ADMIN_PORT + path))
              .header("X-API-Key", apiKey).timeout(Duration.ofSeconds(3)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + " " + response.body();
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  Path log() {
    return dir.resolve("node.log");
  }

  /** The last 120 lines of the node's output. */
  String logText() {
    try {
      List<String> lines = Files.exists(log()) ? Files.readAllLines(log(), StandardCharsets.UTF_8) : List.of();
      int from = Math.max(0, lines.size() - 120);
      return "----- " + name + " (" + log() + ") -----\n" + String.join("\n", lines.subList(from, lines.size()))
          + "\n----- end of " + name + " -----";
    } catch (IOException e) {
      return "(cannot read " + log() + ": " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return name + "@" + address;
  }
}
