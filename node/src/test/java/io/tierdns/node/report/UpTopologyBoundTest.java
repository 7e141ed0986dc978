package io.tierdns.node.report;

import static io.tierdns.node.TestHierarchy.CHANGE;
import static io.tierdns.node.report.LiveReports.summary;
import static io.tierdns.node.report.LiveReports.tree;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.tree.JsonNode;
import io.tierdns.node.AdminApiClient;
import io.tierdns.node.TestNodes;
import io.tierdns.node.TestUp;
import io.tierdns.node.UpLayout;
import java.io.PrintStream;
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

  @TempDir Path data;
  private final TestNodes nodes = new TestNodes();
  private AdminApiClient api;

  @AfterEach
  void stop() {
    nodes.close();
  }

  @Test
  void onTheSixNodesOfUpMeasuredTimesNeverExceedTheBoundAndEstimatesAreWithinAFactor() throws Exception {
    Map<String, Map<String, Object>> layout = UpLayout.nodes(PropagationReportTest.REPO, data, "k",
        new PrintStream(PrintStream.nullOutputStream()));
    Map<String, String> ports = TestUp.freePorts();
    for (Map.Entry<String, Map<String, Object>> n : layout.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> props = (Map<String, Object>) rewrite(n.getValue(), ports);
      if (props.containsKey("tierdns.admin.port")) {
        props.put("tierdns.admin.port", -1);
      }
      nodes.start(props);
    }
    assertThat(nodes.started()).hasSize(6);
    api = AdminApiClient.of(nodes.started().get(0), "k");
    // bounded: the secondaries' first AXFR and the caches' first subscription transfers
    for (int i = 0; i < 200 && !allSubscribed(); i++) {
      Thread.sleep(50);
    }

    JsonNode warm = edit(0);
    System.out.println("propagation bounds (up): warm-up " + summary(warm));
    BoundSeries series = new BoundSeries();
    series.warmUp(warm);
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
        series.check(what, node, measured, estimate, bound);
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
    series.assertBoundsNotLoose();
    System.out.printf("propagation bounds (up): max measured %d ms, max bound/measured %d, max estimate/measured %.1f,"
        + " max measured/estimate %.1f%n", maxMeasured, maxBoundRatio, maxEstimateOverMeasured, maxMeasuredOverEstimate);
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
      String body = api.get("/api/v1/tierdns/cache/subscriptions/example.test.?node=" + edge).body();
      if (!body.contains("\"serial\":") || body.contains("\"serial\":-1")) {
        return false;
      }
    }
    return true;
  }

  private JsonNode edit(int i) throws Exception {
    HttpResponse<String> patch = api.send("PATCH", "/api/v1/servers/localhost/zones/example.test.", CHANGE.formatted(100 + i));
    assertThat(patch.statusCode()).as(patch.body()).isEqualTo(204);
    long serial = AdminApiClient.serialOf(patch);
    JsonNode report = null;
    for (int t = 0; t < 200; t++) { // bounded: 10 s
      report = tree(api.get("/api/v1/tierdns/zones/example.test./propagation?serial=" + serial).body());
      if (LiveReports.allPropagated(report)) {
        return report;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not propagated in 10 s: " + report);
  }
}
