package io.tierdns.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tierdns.node.Cli;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's request body limit ({@code tierdns.admin.max-body-size}). */
class AdminLimitsTest {

  private static final String KEY = "limits-key";
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path tmp;
  private ApplicationContext context;

  private String start(String maxBodySize) throws Exception {
    Path zones = Files.createDirectories(tmp.resolve("zones"));
    Path repo = Path.of(System.getProperty("tierdns.repo", "..")).toAbsolutePath().normalize();
    Files.copy(repo.resolve("examples/zones/example.test.zone"), zones.resolve("example.test.zone"));
    Map<String, Object> props = new HashMap<>(Map.of(
        "tierdns.listen", List.of("127.0.0.1:0"),
        "tierdns.authoritative.zone-directory", zones.toString(),
        "tierdns.admin.enabled", true,
        "tierdns.admin.port", -1,
        "tierdns.admin.api-key", KEY));
    if (maxBodySize != null) {
      props.put("tierdns.admin.max-body-size", maxBodySize);
    }
    context = Cli.start(props);
    return context.getBean(EmbeddedServer.class).getURL() + "/api/v1/servers/localhost/zones/example.test.";
  }

  @AfterEach
  void stop() {
    if (context != null) {
      context.close();
    }
  }

  /** A PATCH adding one TXT record whose body is padded to about {@code size} bytes. */
  private static String patchOfSize(int size) {
    String head = "{\"rrsets\":[{\"name\":\"pad.example.test.\",\"type\":\"TXT\",\"changetype\":\"REPLACE\",\"records\":[{\"content\":\"\\\"x\\\"\"}]}],\"kind\":\"";
    return head + "p".repeat(Math.max(0, size - head.length() - 2)) + "\"}";
  }

  private HttpResponse<String> patch(String url, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("X-API-Key", KEY)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", KEY).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBodyOverTheConfiguredLimitIs413WithAJsonErrorAndChangesNothing() throws Exception {
    String url = start("16KB");
    String before = get(url).body();
    HttpResponse<String> r = patch(url, patchOfSize(20 * 1024));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).startsWith("{\"error\":");
    assertThat(get(url).body()).isEqualTo(before).doesNotContain("pad.example.test.");
  }

  @Test
  void aBodyUnderTheLimitIsApplied() throws Exception {
    String url = start("16KB");
    assertThat(patch(url, patchOfSize(12 * 1024)).statusCode()).isEqualTo(204);
    assertThat(get(url).body()).contains("pad.example.test.");
  }

  @Test
  void theDefaultLimitIsOneMebibyte() throws Exception {
    String url = start(null);
    assertThat(patch(url, patchOfSize(1000 * 1024)).statusCode()).isEqualTo(204);
    HttpResponse<String> r = patch(url, patchOfSize(1100 * 1024));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).startsWith("{\"error\":");
  }
}
