package io.tierdns.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tierdns.node.Cli;
import io.tierdns.node.HierarchyTest;
import io.tierdns.node.UpLayout;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full default topology of {@code ./tierdns up} (primary, two secondaries, the regional cache,
 * two edge caches: {@link UpLayout#nodes}) in this JVM, on free loopback ports instead of
 * :5300–:5321 and :8053 so it can run next to a real {@code up}: a series of edits whose measured
 * times never exceed the upper bound at any node, with estimates within a stated factor of what
 * was measured (docs/propagation.md, "How close: observed numbers").
 */
class UpTopologyBoundTest {

  static final int EDITS = 15;
  private static final String CHANGE =
      "{\"rrsets\":[{\"name\":\"www.example.test.\",\"type\":\"A\",\"ttl\":300,\"changetype\":\"REPLACE\","
          + "\"records\":[{\"content\":\"192.0.2.%d\"}]}]}";

  @TempDir Path data;
  private final List<ApplicationContext> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.createDefault();
  private URI api;

  @AfterEach
  void stop() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }

  @Test
  void onTheSixNodesOfUpMeasuredTimesNeverExceedTheBoundAndEstimatesAreWithinAFactor() throws Exception {
    Map<String, Map<String, Object>> layout = UpLayout.nodes(PropagationReportTest.REPO, data, "k",
        new PrintStream(PrintStream.nullOutputStream()));
    Map<String, String> ports = freePortsFor(layout);
    for (Map.Entry<String, Map<String, Object>> n : layout.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> props = (Map<String, Object>) rewrite(n.getValue(), ports);
      if (props.containsKey("tierdns.admin.port")) {
        props.put("tierdns.admin.port", -1);
      }
      nodes.add(Cli.start(props));
    }
    assertThat(nodes).hasSize(6);
    api = nodes.get(0).getBean(EmbeddedServer.class).getURI();
    // bounded: the secondaries' first AXFR and the caches' first subscription transfers
    for (int i = 0; i < 200 && !allSubscribed(); i++) {
      Thread.sleep(50);
    }

    JsonNode warm = edit(0);
    System.out.println("propagation bounds (up): warm-up " + summary(warm));
    for (JsonNode n : warm.get("nodes").values()) {
      assertThat(n.get("measuredMs").getLongValue()).as("warm-up %s", n).isLessThanOrEqualTo(n.get("upperBoundMs").getLongValue());
    }
    // the bound is not uselessly loose: per node, the largest bound of the series is within
    // BOUND_FACTOR × the slowest time measured there (a slow hop stays in the history for 20 edits)
    java.util.Map<String, Long> slowest = new java.util.HashMap<>();
    java.util.Map<String, Long> loosest = new java.util.HashMap<>();
    for (JsonNode n : warm.get("nodes").values()) {
      slowest.merge(n.get("node").getStringValue(), n.get("measuredMs").getLongValue(), Math::max);
    }
    long maxBoundRatio = 0;
    double maxEstimateOverMeasured = 0;
    double maxMeasuredOverEstimate = 0;
    long maxMeasured = 0;
    for (int e = 1; e <= EDITS; e++) {
      JsonNode report = edit(e);
      System.out.println("propagation bounds (up): " + e + " " + summary(report));
      List<String> names = new ArrayList<>();
      for (JsonNode n : report.get("nodes").values()) {
        String node = n.get("node").getStringValue();
        names.add(node);
        long measured = n.get("measuredMs").getLongValue();
        long estimate = n.get("estimateMs").getLongValue();
        long bound = n.get("upperBoundMs").getLongValue();
        String what = "edit " + e + " node " + node + ": " + n;
        assertThat(n.get("basis").getStringValue()).as(what).isEqualTo("observed");
        assertThat(bound).as(what).isGreaterThanOrEqualTo(estimate);
        assertThat(measured).as(what).isLessThanOrEqualTo(bound);
        slowest.merge(node, measured, Math::max);
        loosest.merge(node, bound, Math::max);
        assertThat(estimate).as(what).isLessThanOrEqualTo(PropagationReportTest.ESTIMATE_FACTOR * measured
            + PropagationReportTest.ESTIMATE_SLACK_MS);
        assertThat(measured).as(what).isLessThanOrEqualTo(PropagationReportTest.ESTIMATE_FACTOR * estimate
            + PropagationReportTest.ESTIMATE_SLACK_MS);
        if (n.get("role").getStringValue().equals("secondary")) {
          // the primary NOTIFYs both secondaries (notify-delay 0s under up)
          assertThat(n.get("notifySentMs").getLongValue()).as(what).isBetween(0L, measured);
          assertThat(n.get("notifyAckedMs")).as(what).isNotNull();
        }
        maxBoundRatio = Math.max(maxBoundRatio, bound / Math.max(1, measured));
        maxEstimateOverMeasured = Math.max(maxEstimateOverMeasured, Math.max(1, estimate) / (double) Math.max(1, measured));
        maxMeasuredOverEstimate = Math.max(maxMeasuredOverEstimate, Math.max(1, measured) / (double) Math.max(1, estimate));
        maxMeasured = Math.max(maxMeasured, measured);
      }
      assertThat(names).containsExactlyInAnyOrder("secondary-1", "secondary-2", "regional", "edge-1", "edge-2");
    }
    for (var e : loosest.entrySet()) {
      assertThat(e.getValue()).as("largest bound of %s vs its slowest measured %d ms", e.getKey(), slowest.get(e.getKey()))
          .isLessThanOrEqualTo(PropagationReportTest.BOUND_FACTOR * slowest.get(e.getKey()) + PropagationReportTest.BOUND_SLACK_MS);
    }
    System.out.printf("propagation bounds (up): max measured %d ms, max bound/measured %d, max estimate/measured %.1f,"
        + " max measured/estimate %.1f%n", maxMeasured, maxBoundRatio, maxEstimateOverMeasured, maxMeasuredOverEstimate);
  }

  /** Each well-known address of the layout ("127.0.0.1:5300" ...) mapped to a free loopback port. */
  private static Map<String, String> freePortsFor(Map<String, Map<String, Object>> layout) throws Exception {
    List<String> fixed = new ArrayList<>();
    fixed.add(UpLayout.PRIMARY_LISTEN);
    fixed.addAll(UpLayout.SECONDARY_LISTEN);
    fixed.add(UpLayout.REGIONAL_LISTEN);
    fixed.addAll(UpLayout.EDGE_LISTEN);
    int[] free = HierarchyTest.freePorts(fixed.size());
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < fixed.size(); i++) {
      out.put(fixed.get(i), "127.0.0.1:" + free[i]);
    }
    return out;
  }

  private static Object rewrite(Object value, Map<String, String> ports) {
    if (value instanceof String s) {
      return ports.getOrDefault(s, s);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(rewrite(v, ports)));
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), rewrite(v, ports)));
      return out;
    }
    return value;
  }

  private boolean allSubscribed() throws Exception {
    for (String edge : List.of("edge-1", "edge-2", "regional")) {
      String body = get("/api/v1/tierdns/cache/subscriptions/example.test.?node=" + edge).body();
      if (!body.contains("\"serial\":") || body.contains("\"serial\":-1")) {
        return false;
      }
    }
    return true;
  }

  private JsonNode edit(int i) throws Exception {
    HttpResponse<String> patch = send("PATCH", "/api/v1/servers/localhost/zones/example.test.", CHANGE.formatted(100 + i));
    assertThat(patch.statusCode()).as(patch.body()).isEqualTo(204);
    long serial = Long.parseLong(patch.headers().firstValue("X-Tierdns-Serial").orElseThrow());
    JsonNode report = null;
    for (int t = 0; t < 200; t++) { // bounded: 10 s
      report = json.readValue(get("/api/v1/tierdns/zones/example.test./propagation?serial=" + serial).body(), JsonNode.class);
      boolean done = true;
      for (JsonNode n : report.get("nodes").values()) {
        done &= n.get("state").getStringValue().equals("PROPAGATED");
      }
      if (done) {
        return report;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not propagated in 10 s: " + report);
  }

  /** "secondary-1 3/5/260 ..." (measured/estimate/bound ms). */
  private static String summary(JsonNode report) {
    StringBuilder out = new StringBuilder();
    for (JsonNode n : report.get("nodes").values()) {
      out.append(n.get("node").getStringValue()).append(' ')
          .append(n.get("measuredMs").getLongValue()).append('/')
          .append(n.get("estimateMs").getLongValue()).append('/')
          .append(n.get("upperBoundMs").getLongValue()).append("  ");
    }
    return out.toString().strip();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(api.resolve(path)).header("X-API-Key", "k");
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
