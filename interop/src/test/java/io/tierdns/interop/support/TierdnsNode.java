package io.tierdns.interop.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The packaged tierdns jar as a primary with its write path on:
 * {@code java -jar tierdns.jar run --config DIR/tierdns.yml}, serving every zone given from
 * {@code DIR/zones/NAME.zone} with its journal in {@code DIR/journal}, the admin API on a free
 * loopback port with a random key, and the TSIG keys, NOTIFY targets, transfer ACL and UPDATE
 * policy set before {@link #start()} (as {@code zone-defaults}, so for every zone).
 *
 * <p>{@link #start()} returns once the first zone answers SOA and {@code GET /api} answers
 * 200. The zone files are copied only when absent, so {@link #killForcibly()} then
 * {@link #start()} restarts the node on exactly the data it left.
 */
public final class TierdnsNode extends PeerProcess {

  private final int httpPort = FreePorts.udpAndTcp();
  private final String apiKey = UUID.randomUUID().toString();
  private final List<TsigKey> keys = new ArrayList<>();
  private final List<String> notify = new ArrayList<>();
  private final List<String> allowTransfer = new ArrayList<>();
  private final List<String> updatePolicy = new ArrayList<>();

  public TierdnsNode(Map<String, Path> zones) {
    super("tierdns", zones);
  }

  /** Declares a TSIG key (for transfers, UPDATE or both). */
  public TierdnsNode key(TsigKey key) {
    keys.add(key);
    return this;
  }

  /** NOTIFY {@code 127.0.0.1:port} after each change. */
  public TierdnsNode notify(int port) {
    notify.add("127.0.0.1:" + port);
    return this;
  }

  /** An {@code allow-transfer} entry: a CIDR or {@code key:NAME}. */
  public TierdnsNode allowTransfer(String entry) {
    allowTransfer.add(entry);
    return this;
  }

  /** An UPDATE policy rule: {@code key} may change {@code types} anywhere in the zone. */
  public TierdnsNode grantZone(TsigKey key, String... types) {
    updatePolicy.add("{key: " + key.name() + ", grant: zone, types: [" + String.join(", ", types) + "]}");
    return this;
  }

  /** The admin API of this node. */
  public AdminApi api() {
    return new AdminApi(httpPort, apiKey);
  }

  /** The admin API's port on 127.0.0.1. */
  public int httpPort() {
    return httpPort;
  }

  /** The generated configuration file. */
  public Path config() {
    return dir().resolve("tierdns.yml");
  }

  @Override
  protected List<String> prepare() throws IOException {
    Path jar = Binaries.requireTierdnsJar();
    Path zoneDir = Files.createDirectories(dir().resolve("zones"));
    Path journalDir = Files.createDirectories(dir().resolve("journal"));
    for (Map.Entry<String, Path> zone : zones().entrySet()) {
      String name = zone.getKey().substring(0, zone.getKey().length() - 1);
      Path target = zoneDir.resolve(name + ".zone");
      if (!Files.exists(target)) {
        Files.copy(zone.getValue(), target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    writeFile("tierdns.yml", yaml(zoneDir, journalDir));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-Xmx512m", "-jar", jar.toString(), "run", "--config", config().toString());
  }

  private String yaml(Path zoneDir, Path journalDir) {
    StringBuilder y = new StringBuilder()
        .append("tierdns:\n")
        .append("  node-name: primary\n")
        .append("  listen: [\"127.0.0.1:").append(port()).append("\"]\n")
        .append("  authoritative:\n")
        .append("    zone-directory: \"").append(zoneDir).append("\"\n")
        .append("    journal-directory: \"").append(journalDir).append("\"\n")
        .append("    serial-policy: increment\n");
    if (!keys.isEmpty()) {
      y.append("    tsig-keys:\n");
      for (TsigKey key : keys) {
        y.append("      - name: ").append(key.name()).append('\n')
            .append("        algorithm: ").append(key.algorithm()).append('\n')
            .append("        secret: \"").append(key.secret()).append("\"\n");
      }
    }
    y.append("    zone-defaults:\n")
        .append("      notify: [").append(quoted(notify)).append("]\n")
        .append("      allow-transfer: [").append(quoted(allowTransfer)).append("]\n");
    if (!updatePolicy.isEmpty()) {
      y.append("      update:\n")
          .append("        policy:\n");
      updatePolicy.forEach(rule -> y.append("          - ").append(rule).append('\n'));
      y.append("        allow-unsigned-from: []\n");
    }
    y.append("  admin:\n")
        .append("    enabled: true\n")
        .append("    host: 127.0.0.1\n")
        .append("    port: ").append(httpPort).append('\n')
        .append("    api-key: \"").append(apiKey).append("\"\n");
    return y.toString();
  }

  private static String quoted(List<String> items) {
    return String.join(", ", items.stream().map(i -> "\"" + i + "\"").toList());
  }

  @Override
  protected void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api"))
        .header("X-API-Key", apiKey).timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException notYet) {
        last = notYet.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      Await.pause(200);
    }
    throw new IllegalStateException("tierdns admin API on 127.0.0.1:" + httpPort
        + " did not answer GET /api with 200 within 30 s (last: " + last + ")\n" + logText());
  }

  @Override
  protected Duration startupTimeout() {
    return Duration.ofSeconds(60);
  }
}
