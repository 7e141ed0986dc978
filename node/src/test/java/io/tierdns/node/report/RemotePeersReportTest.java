package io.tierdns.node.report;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.tierdns.node.TestHierarchy.CHANGE;
import static io.tierdns.node.report.LiveReports.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tierdns.node.AdminApiClient;
import io.tierdns.node.HierarchyTest;
import io.tierdns.node.TestNodes;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary whose report follows nodes of "other processes" over HTTP and DNS: a real tierdns
 * secondary reached through its own admin API, and WireMock stubs of a slow, a failing and a lying
 * node, plus a foreign secondary that never answers its SOA. The write is not held up, the real
 * secondary is measured, and each bad node gets a state of its own.
 */
class RemotePeersReportTest {

  private static final String PATH = "/api/v1/tierdns/secondary/zones/example.test.";

  @TempDir Path tmp;
  private final TestNodes nodes = new TestNodes();
  private WireMockServer wiremock;
  private AdminApiClient api;

  @AfterEach
  void stop() {
    nodes.close();
    if (wiremock != null) {
      wiremock.stop();
    }
  }

  @Test
  void slowFailingAndLyingNodesGetAStateOfTheirOwnWhileTheRestOfTheReportIsRight() throws Exception {
    wiremock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    wiremock.start();
    int[] p = HierarchyTest.freePorts(3);
    String primary = "127.0.0.1:" + p[0];
    String secondary = "127.0.0.1:" + p[1];
    String silent = "127.0.0.1:" + p[2]; // nothing listens: a foreign secondary that never answers
    Path zones = TestNodes.exampleZones(tmp);

    ApplicationContext far = nodes.start(Map.of(
        "tierdns.node-name", "far-secondary",
        "tierdns.listen", List.of(secondary),
        "tierdns.secondary.journal-directory", tmp.resolve("sec").toString(),
        "tierdns.secondary.zones", List.of(Map.of("name", "example.test", "primaries", List.of(primary))),
        "tierdns.admin.enabled", true, "tierdns.admin.port", -1, "tierdns.admin.api-key", "far-key"));
    URI farApi = far.getBean(EmbeddedServer.class).getURI();
    String stub = wiremock.baseUrl();
    Map<String, Object> props = new HashMap<>(Map.of(
        "tierdns.node-name", "primary",
        "tierdns.listen", List.of(primary),
        "tierdns.authoritative.zone-directory", zones.toString(),
        "tierdns.authoritative.notify-delay", "0s",
        "tierdns.authoritative.zone-defaults.notify", List.of(secondary, silent),
        "tierdns.authoritative.zone-defaults.allow-transfer", List.of("127.0.0.0/8"),
        "tierdns.admin.enabled", true, "tierdns.admin.port", -1, "tierdns.admin.api-key", "k"));
    props.put("tierdns.propagation.request-timeout", "300ms");
    props.put("tierdns.propagation.peers", List.of(
        Map.of("name", "far-secondary", "role", "secondary", "dns", secondary, "admin", farApi.toString(),
            "api-key", "far-key"),
        Map.of("name", "slow", "role", "secondary", "admin", stub, "admin-node", "slow"),
        Map.of("name", "broken", "role", "secondary", "admin", stub, "admin-node", "broken"),
        Map.of("name", "liar", "role", "secondary", "admin", stub, "admin-node", "liar"),
        Map.of("name", "edge-far", "role", "cache", "tier", "edge", "subscribed", true, "admin", stub,
            "admin-node", "edge-far", "upstream", "far-secondary")));
    api = AdminApiClient.of(nodes.start(props), "k");
    for (int i = 0; i < 100 && !far.getBean(io.tierdns.node.secondary.SecondaryRole.class).states().stream()
        .anyMatch(s -> s.serial() >= 0); i++) {
      Thread.sleep(50); // bounded: the secondary's first AXFR
    }
    long before = tree(api.get("/api/v1/tierdns/zones/example.test.").body()).get("serial").getLongValue();

    wiremock.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("node", equalTo("slow"))
        .willReturn(okJson("{\"serial\":" + before + "}").withFixedDelay(3_000)));
    wiremock.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("node", equalTo("broken"))
        .willReturn(aResponse().withStatus(500).withBody("{\"error\":\"disk full\"}")));
    wiremock.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("node", equalTo("liar"))
        .willReturn(okJson("{\"serial\":" + (before + 1000) + "}")));
    wiremock.stubFor(get(urlPathEqualTo("/api/v1/tierdns/cache/subscriptions/example.test."))
        .withQueryParam("node", equalTo("edge-far"))
        .willReturn(okJson("{\"zone\":\"example.test.\",\"tier\":\"edge\",\"serial\":" + (before + 1) + "}")));

    long start = System.nanoTime();
    HttpResponse<String> patch = api.send("PATCH",
        "/api/v1/servers/localhost/zones/example.test.?wait=secondaries&timeout=2s", CHANGE.formatted(77));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // the wait ends at its timeout, naming the bad nodes but not the real secondary
    assertThat(patch.statusCode()).isEqualTo(504);
    assertThat(took).isLessThan(Duration.ofSeconds(5));
    JsonNode body = tree(patch.body());
    long serial = body.get("serial").getLongValue();
    List<String> laggards = new ArrayList<>();
    body.get("laggards").values().forEach(n -> laggards.add(n.getStringValue()));
    assertThat(laggards).containsExactlyInAnyOrder("slow", "broken", "liar", silent);

    JsonNode report = tree(api.get("/api/v1/tierdns/zones/example.test./propagation?serial=" + serial).body());
    Map<String, JsonNode> byNode = new HashMap<>();
    report.get("nodes").values().forEach(n -> byNode.put(n.get("node").getStringValue(), n));
    assertThat(byNode.keySet()).containsExactlyInAnyOrder("far-secondary", "slow", "broken", "liar", "edge-far", silent);

    JsonNode good = byNode.get("far-secondary");
    assertThat(good.get("state").getStringValue()).isEqualTo("PROPAGATED");
    assertThat(good.get("basis").getStringValue()).isEqualTo("observed");
    assertThat(good.get("serial").getLongValue()).isEqualTo(serial);
    assertThat(good.get("measuredMs").getLongValue()).isBetween(0L, 2_000L);
    assertThat(good.get("notifySentMs").getLongValue()).isBetween(0L, 1_000L);
    assertThat(good.get("notifyAckedMs").getLongValue()).isGreaterThanOrEqualTo(good.get("notifySentMs").getLongValue());
    assertThat(good.get("status")).isNull();

    JsonNode edge = byNode.get("edge-far");
    assertThat(edge.get("state").getStringValue()).isEqualTo("PROPAGATED");
    assertThat(edge.get("role").getStringValue()).isEqualTo("cache");

    assertPending(byNode.get("slow"), "unreachable: no answer within 300 ms");
    assertPending(byNode.get("broken"), "error: HTTP 500: disk full");
    assertPending(byNode.get("liar"), "inconsistent: serial " + (before + 1000) + " is newer than the primary's " + serial);
    assertThat(byNode.get(silent).get("state").getStringValue()).isEqualTo("PENDING");
    assertThat(byNode.get(silent).get("status").getStringValue()) // ICMP refusal or silence, by platform
        .isIn("unreachable: port unreachable", "unreachable: no SOA answer within 300 ms");
    assertThat(byNode.get(silent).get("notifySentMs")).isNotNull(); // a NOTIFY was sent, never acknowledged
    assertThat(byNode.get(silent).get("notifyAckedMs")).isNull();

    // the table says why, one line per bad node
    String table = PropagationTable.render(PropagationJsonParser.parse(
        api.get("/api/v1/tierdns/zones/example.test./propagation?serial=" + serial).body()));
    assertThat(table).contains("broken: error: HTTP 500: disk full").contains("liar: inconsistent: serial");
  }

  private static void assertPending(JsonNode n, String status) {
    assertThat(n.get("state").getStringValue()).as("%s", n).isEqualTo("PENDING");
    assertThat(n.get("status").getStringValue()).as("%s", n).isEqualTo(status);
    assertThat(n.get("measuredMs")).as("%s", n).satisfiesAnyOf(m -> assertThat(m).isNull(), m -> assertThat(m.isNull()).isTrue());
  }
}
