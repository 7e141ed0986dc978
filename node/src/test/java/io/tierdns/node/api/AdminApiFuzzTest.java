package io.tierdns.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tierdns.node.Cli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the admin API's JSON (docs/fuzzing.md): any body, as a {@code PATCH}
 * of {@code example.test.} or a {@code POST} creating a zone, through an embedded node (Micronaut's
 * JSON binding, {@link RRsets}, {@link ZoneFactory}, the zone store's write path). The first byte
 * of the input picks the request, the rest is the body.
 *
 * <p>The answer is a success or a 4xx whose body is {@code {"error": ...}}, never a 5xx; after
 * every request the zone still serves its SOA and apex NS; a created zone is deleted again. One
 * node serves the whole run, so PATCHes accumulate as they would on a real primary. Seeds: {@code
 * src/test/resources/io/tierdns/node/api/AdminApiFuzzTestInputs/}.
 */
class AdminApiFuzzTest {

  private static final String KEY = "fuzz-key";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static ApplicationContext context;
  private static final String API = start();

  @FuzzTest(maxDuration = "30s")
  void anyBodyIsAppliedOrRejectedWithAJsonReason(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    boolean patch = (input[0] & 1) == 0;
    byte[] body = java.util.Arrays.copyOfRange(input, 1, input.length);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(API + (patch ? "/zones/example.test." : "/zones")))
            .header("X-API-Key", KEY)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(20));
    request.method(patch ? "PATCH" : "POST", HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    int status = response.statusCode();

    assertThat(status).as("status for %s %s: %s", patch ? "PATCH" : "POST",
        new String(body, StandardCharsets.UTF_8), response.body()).isLessThan(500);
    if (status >= 400) {
      assertThat(response.body()).as("error body").startsWith("{\"error\":");
    } else if (!patch) {
      Map<?, ?> created = context.getBean(JsonMapper.class).readValue(response.body(), Map.class);
      delete((String) created.get("name"));
    }
    HttpResponse<String> zone = get("/zones/example.test.");
    assertThat(zone.statusCode()).isEqualTo(200);
    assertThat(zone.body()).contains("\"type\":\"SOA\"").contains("\"type\":\"NS\"");
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(API + path)).header("X-API-Key", KEY).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void delete(String zone) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(API + "/zones/" + URLEncoder.encode(zone, StandardCharsets.UTF_8).replace("+", "%20")))
                .header("X-API-Key", KEY)
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("delete %s: %s", zone, r.body()).isLessThan(300);
  }

  /** One node for the whole run; it stops with the JVM. */
  private static String start() {
    try {
      Path repo = Path.of(System.getProperty("tierdns.repo", "..")).toAbsolutePath().normalize();
      Path zones = Files.createDirectories(Files.createTempDirectory("tierdns-fuzz").resolve("zones"));
      Files.copy(repo.resolve("examples/zones/example.test.zone"), zones.resolve("example.test.zone"));
      context =
          Cli.start(
              Map.of(
                  "tierdns.listen", List.of("127.0.0.1:0"),
                  "tierdns.authoritative.zone-directory", zones.toString(),
                  "tierdns.admin.enabled", true,
                  "tierdns.admin.port", -1,
                  "tierdns.admin.api-key", KEY,
                  "tierdns.admin.max-body-size", "64KB"));
      Runtime.getRuntime().addShutdownHook(new Thread(context::close));
      return context.getBean(EmbeddedServer.class).getURL() + "/api/v1/servers/localhost";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
