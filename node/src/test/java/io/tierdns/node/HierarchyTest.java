package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole hierarchy in this JVM on free loopback ports: primary → secondary → regional cache →
 * edge cache, subscriptions on. Bounded-staleness reads through every tier: max-staleness picks
 * cache or upstream, min-serial gives read-your-writes after an admin-API change.
 */
public class HierarchyTest {

  @TempDir Path tmp;
  private final List<ApplicationContext> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }

  @Test
  void boundedStalenessAndReadYourWritesHoldThroughEveryTier() throws Exception {
    int[] p = freePorts(4);
    String primary = "127.0.0.1:" + p[0];
    String secondary = "127.0.0.1:" + p[1];
    String regional = "127.0.0.1:" + p[2];
    String edge = "127.0.0.1:" + p[3];
    Path zones = Files.createDirectories(tmp.resolve("zones"));
    Files.copy(ConfigurationExamplesTest.REPO.resolve("examples/zones/example.test.zone"), zones.resolve("example.test.zone"));
    ApplicationContext primaryNode = start(Map.of(
        "tierdns.node-name", "primary",
        "tierdns.listen", List.of(primary),
        "tierdns.authoritative.zone-directory", zones.toString(),
        "tierdns.authoritative.notify-delay", "0s",
        "tierdns.authoritative.zone-defaults.notify", List.of(secondary),
        "tierdns.authoritative.zone-defaults.allow-transfer", List.of("127.0.0.0/8"),
        "tierdns.admin.enabled", true, "tierdns.admin.port", -1, "tierdns.admin.api-key", "k"));
    start(Map.of(
        "tierdns.node-name", "secondary",
        "tierdns.listen", List.of(secondary),
        "tierdns.secondary.journal-directory", tmp.resolve("sec").toString(),
        "tierdns.secondary.notify-delay", "0s",
        "tierdns.secondary.zones", List.of(Map.of("name", "example.test", "primaries", List.of(primary),
            "notify", List.of(regional), "allow-transfer", List.of("127.0.0.0/8")))));
    start(cache("regional", "regional", regional, secondary, edge));
    ApplicationContext edgeNode = start(cache("edge", "edge", edge, regional, null));
    URI primaryApi = primaryNode.getBean(EmbeddedServer.class).getURI();
    URI edgeApi = edgeNode.getBean(EmbeddedServer.class).getURI();

    // warm every tier through the edge, then a bounded read within the window is a cache hit
    String first = "";
    for (int i = 0; i < 100 && !first.contains("192.0.2.80"); i++) { // bounded: the secondary's first AXFR
      Thread.sleep(100);
      first = get(edgeApi.resolve("/api/v1/tierdns/resolve?name=www.example.test.&type=A"));
    }
    assertThat(first).contains("192.0.2.80");
    assertThat(get(edgeApi.resolve("/api/v1/tierdns/resolve?name=www.example.test.&type=A&max-staleness=5m")))
        .contains("\"source\":\"cache\"").contains("\"node\":\"edge\"");
    assertThat(get(edgeApi.resolve("/api/v1/tierdns/resolve?name=www.example.test.&type=A&max-staleness=0s")))
        .contains("\"source\":\"upstream\"");

    // a write through the admin API, then read-your-writes at the edge with its serial
    HttpResponse<String> patch = http.send(
        HttpRequest.newBuilder(primaryApi.resolve("/api/v1/servers/localhost/zones/example.test."))
            .method("PATCH", HttpRequest.BodyPublishers.ofString(
                "{\"rrsets\":[{\"name\":\"www.example.test.\",\"type\":\"A\",\"ttl\":300,\"changetype\":\"REPLACE\","
                    + "\"records\":[{\"content\":\"192.0.2.222\"}]}]}"))
            .header("X-API-Key", "k").header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(patch.statusCode()).isEqualTo(204);
    String serial = patch.headers().firstValue("X-Tierdns-Serial").orElseThrow();
    String ryw = get(edgeApi.resolve("/api/v1/tierdns/resolve?name=www.example.test.&type=A&min-serial=" + serial));
    assertThat(ryw).contains("192.0.2.222").contains("\"rcode\":\"NOERROR\"");
    // under up all nodes share the process: the primary's API reaches the others' caches by name
    assertThat(get(primaryApi.resolve("/api/v1/tierdns/nodes")))
        .contains("\"node\":\"primary\"").contains("\"node\":\"secondary\"")
        .contains("\"node\":\"regional\"").contains("\"tier\":\"edge\"");
    assertThat(get(primaryApi.resolve("/api/v1/tierdns/cache/stats?node=edge"))).contains("\"tier\":\"edge\"");
    assertThat(get(primaryApi.resolve("/api/v1/tierdns/secondary/zones?node=secondary")))
        .contains("\"zone\":\"example.test.\"").contains("\"state\":");
    assertThat(get(primaryApi.resolve("/api/v1/tierdns/cache/stats"))).contains("has no cache role").contains("edge");
    assertThat(get(primaryApi.resolve("/api/v1/tierdns/resolve?name=www.example.test.&type=A&node=edge&min-serial=" + serial)))
        .contains("192.0.2.222");
    // a serial nobody has yet: the read fails and names the lag instead of answering old data
    String ahead = get(edgeApi.resolve("/api/v1/tierdns/resolve?name=www.example.test.&type=A&min-serial="
        + (Long.parseLong(serial) + 5)));
    assertThat(ahead).contains("SERVFAIL").contains("lags");
  }

  private Map<String, Object> cache(String name, String tier, String listen, String upstream, String subscriber) {
    return Map.of(
        "tierdns.node-name", name,
        "tierdns.listen", List.of(listen),
        "tierdns.cache.tier", tier,
        "tierdns.cache.upstreams", List.of(upstream),
        "tierdns.cache.subscriptions", List.of(Map.of("zone", "example.test", "upstreams", List.of(upstream),
            "notify", subscriber == null ? List.of() : List.of(subscriber))),
        "tierdns.admin.enabled", true, "tierdns.admin.port", -1, "tierdns.admin.api-key", "k");
  }

  private ApplicationContext start(Map<String, Object> props) {
    ApplicationContext context = Cli.start(props);
    nodes.add(context);
    return context;
  }

  private String get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header("X-API-Key", "k").build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Ports free for both TCP and UDP on loopback right now. */
  public static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
    for (int i = 0; i < n; i++) {
      while (true) {
        try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          int port = tcp.getLocalPort();
          try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            boolean taken = false;
            for (int j = 0; j < i; j++) {
              taken |= ports[j] == port;
            }
            if (!taken) {
              ports[i] = port;
              break;
            }
          } catch (IOException e) {
            // UDP side taken: try another
          }
        }
      }
    }
    return ports;
  }
}
