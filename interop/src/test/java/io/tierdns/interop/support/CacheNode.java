package io.tierdns.interop.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged tierdns jar as a caching forwarder:
 * {@code java -jar tierdns.jar run --config DIR/tierdns.yml} with a {@code cache:} block that
 * forwards everything to one upstream on 127.0.0.1, and the admin API on a free loopback port
 * with a random key.
 *
 * <p>The cache knobs start from the values below and can be changed with {@link #set} before
 * {@link #start()}. {@link #start()} returns once a SOA query for the first zone is answered
 * through the cache (so the upstream must be up) and {@code GET /api/v1/tierdns/cache/stats}
 * answers 200. That SOA answer is then in the cache.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8767">RFC 8767 serve-stale</a>
 */
public final class CacheNode extends PeerProcess {

  private static final Pattern COUNTER = Pattern.compile("\"(\\w+)\"\\s*:\\s*(\\d+)");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final int httpPort = FreePorts.udpAndTcp();
  private final String apiKey = UUID.randomUUID().toString();
  private final int upstreamPort;
  private final Map<String, String> knobs = new LinkedHashMap<>();

  /**
   * @param zones the zones reachable through the upstream (the first one is probed at start)
   * @param upstreamPort the upstream's port on 127.0.0.1
   */
  public CacheNode(Map<String, Path> zones, int upstreamPort) {
    super("tierdns-cache", zones);
    this.upstreamPort = upstreamPort;
    knobs.put("tier", "local");
    knobs.put("min-ttl", "0s");
    knobs.put("max-ttl", "1d");
    knobs.put("negative-max-ttl", "1h");
    knobs.put("serve-stale", "true");
    knobs.put("stale-answer-ttl", "30s");
    knobs.put("max-stale", "1d");
    knobs.put("client-timeout", "1800ms");
    knobs.put("stale-refresh-time", "30s");
    knobs.put("servfail-ttl", "1s");
    knobs.put("prefetch-fraction", "0.1");
    knobs.put("prefetch-eligibility", "9s");
    knobs.put("max-size-bytes", "67108864");
    knobs.put("attempt-timeout", "1s");
    knobs.put("max-attempts", "3");
  }

  /** Sets one key of the {@code cache:} block, e.g. {@code set("max-stale", "5s")}. */
  public CacheNode set(String key, String value) {
    knobs.put(key, value);
    return this;
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
    StringBuilder y = new StringBuilder()
        .append("tierdns:\n")
        .append("  node-name: cache-1\n")
        .append("  listen: [\"127.0.0.1:").append(port()).append("\"]\n")
        .append("  cache:\n")
        .append("    upstreams: [\"127.0.0.1:").append(upstreamPort).append("\"]\n");
    knobs.forEach((key, value) -> y.append("    ").append(key).append(": ").append(value).append('\n'));
    y.append("  admin:\n")
        .append("    enabled: true\n")
        .append("    host: 127.0.0.1\n")
        .append("    port: ").append(httpPort).append('\n')
        .append("    api-key: \"").append(apiKey).append("\"\n");
    writeFile("tierdns.yml", y.toString());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-Xmx512m", "-jar", jar.toString(), "run", "--config", config().toString());
  }

  @Override
  protected void awaitReady() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = get("/api/v1/tierdns/cache/stats");
        if (response.statusCode() == 200) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Await.pause(200);
    }
    throw new IllegalStateException("tierdns cache admin API on 127.0.0.1:" + httpPort
        + " did not answer GET /api/v1/tierdns/cache/stats with 200 within 30 s (last: " + last + ")\n"
        + logText());
  }

  @Override
  protected Duration startupTimeout() {
    return Duration.ofSeconds(60);
  }

  /** {@code GET PATH} on the admin API with the key. */
  public HttpResponse<String> get(String path) throws IOException {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).GET());
  }

  /** {@code DELETE PATH} on the admin API with the key. */
  public HttpResponse<String> delete(String path) throws IOException {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).DELETE());
  }

  /** The body of {@code GET /api/v1/tierdns/cache/stats}; fails unless 200. */
  public String stats() throws IOException {
    HttpResponse<String> response = get("/api/v1/tierdns/cache/stats");
    if (response.statusCode() != 200) {
      throw new AssertionError("GET cache/stats: " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  /** A numeric counter of the stats body, e.g. {@code hits}; empty when absent. */
  public static OptionalLong counter(String statsBody, String name) {
    Matcher matcher = COUNTER.matcher(statsBody);
    while (matcher.find()) {
      if (matcher.group(1).equals(name)) {
        return OptionalLong.of(Long.parseLong(matcher.group(2)));
      }
    }
    return OptionalLong.empty();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return http.send(request.header("X-API-Key", apiKey).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
