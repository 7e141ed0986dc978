package io.tierdns.node.report;

import static io.tierdns.node.TestHierarchy.CHANGE;
import static io.tierdns.node.report.LiveReports.summary;
import static io.tierdns.node.report.LiveReports.tree;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.tree.JsonNode;
import io.tierdns.node.AdminApiClient;
import io.tierdns.node.HierarchyTest;
import io.tierdns.node.TestHierarchy;
import io.tierdns.node.TestNodes;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Primary → secondary → regional cache → edge cache in this JVM on free loopback ports: a write
 * through the admin API is reported per node, measured and estimated, and its JSON has the shape
 * {@code docs/propagation.md} shows.
 */
class PropagationReportTest {

  static final Path REPO = Path.of(System.getProperty("tierdns.repo", "..")).toAbsolutePath().normalize();

  @TempDir Path tmp;
  private final TestNodes nodes = new TestNodes();
  private AdminApiClient api;

  @AfterEach
  void stop() {
    nodes.close();
  }

  @Test
  void everyChangeIsReportedPerNodeUntilEveryNodeServesIt() throws Exception {
    startHierarchy();
    long serial = 0;
    for (int edit = 1; edit <= 3; edit++) {
      HttpResponse<String> patch = api.send("PATCH", "/api/v1/servers/localhost/zones/example.test.", CHANGE.formatted(100 + edit));
      assertThat(patch.statusCode()).isEqualTo(204);
      serial = AdminApiClient.serialOf(patch);
      JsonNode report = awaitPropagated(serial);
      assertThat(report.get("zone").getStringValue()).isEqualTo("example.test.");
      assertThat(report.get("serial").getLongValue()).isEqualTo(serial);
      List<String> names = new ArrayList<>();
      for (JsonNode n : report.get("nodes").values()) {
        names.add(n.get("node").getStringValue());
        assertThat(n.get("serial").getLongValue()).isEqualTo(serial);
        assertThat(n.get("basis").getStringValue()).isEqualTo("observed");
        assertThat(n.get("measuredMs").getLongValue()).isBetween(0L, 30_000L);
        assertThat(n.get("estimateMs").getLongValue()).isPositive();
      }
      // one entry per node other than the primary
      assertThat(names).containsExactlyInAnyOrder("secondary", "regional", "edge");
    }
    JsonNode last = tree(api.get("/api/v1/tierdns/zones/example.test/propagation").body());
    assertThat(last.get("serial").getLongValue()).isEqualTo(serial);
    assertThat(roleOf(last, "secondary")).isEqualTo("secondary");
    assertThat(roleOf(last, "edge")).isEqualTo("cache");
    JsonNode earlier = tree(api.get("/api/v1/tierdns/zones/example.test./propagation?serial=" + (serial - 1)).body());
    assertThat(earlier.get("serial").getLongValue()).isEqualTo(serial - 1);
  }

  @Test
  void aSeriesOfEditsIsNeverSlowerThanTheBoundAndTheEstimateIsWithinAStatedFactor() throws Exception {
    startHierarchy();
    // warm-up: the first edit after start-up is estimated with the cold-start defaults
    HttpResponse<String> warm = api.send("PATCH", "/api/v1/servers/localhost/zones/example.test.", CHANGE.formatted(50));
    assertThat(warm.statusCode()).isEqualTo(204);
    JsonNode warmReport = awaitPropagated(AdminApiClient.serialOf(warm));
    System.out.println("propagation bounds: warm-up " + summary(warmReport));
    BoundSeries series = new BoundSeries();
    series.warmUp(warmReport);
    List<String> lines = new ArrayList<>();
    long maxBoundRatio = 0;
    double maxEstimateRatio = 0;
    for (int edit = 1; edit <= 10; edit++) {
      HttpResponse<String> patch = api.send("PATCH", "/api/v1/servers/localhost/zones/example.test.", CHANGE.formatted(50 + edit));
      assertThat(patch.statusCode()).isEqualTo(204);
      JsonNode report = awaitPropagated(AdminApiClient.serialOf(patch));
      lines.add(summary(report));
      for (JsonNode n : report.get("nodes").values()) {
        String node = n.get("node").getStringValue();
        long measured = n.get("measuredMs").getLongValue();
        long estimate = n.get("estimateMs").getLongValue();
        long bound = n.get("upperBoundMs").getLongValue();
        String what = "edit " + edit + " node " + node + ": " + n;
        series.check(what, node, measured, estimate, bound);
        maxBoundRatio = Math.max(maxBoundRatio, bound / Math.max(1, measured));
        maxEstimateRatio = Math.max(maxEstimateRatio, Math.max(estimate, 1) / (double) Math.max(measured, 1));
      }
    }
    lines.forEach(l -> System.out.println("propagation bounds: " + l));
    series.assertBoundsNotLoose();
    System.out.printf("propagation bounds: max bound/measured %d, max estimate/measured %.1f%n", maxBoundRatio, maxEstimateRatio);
  }

  @Test
  void theReportCommandPrintsEveryNodeOfALiveHierarchyAndTheMetricsFollow() throws Exception {
    startHierarchy();
    HttpResponse<String> patch = api.send("PATCH", "/api/v1/servers/localhost/zones/example.test.", CHANGE.formatted(21));
    long serial = AdminApiClient.serialOf(patch);
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    ReportOptions options = ReportOptions.parse(List.of("propagation", "example.test", "--api", api.uri().toString()));
    int code = new PropagationReportCommand(options, "k", new java.io.PrintStream(out, true), new java.io.PrintStream(err, true),
        java.time.Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), false).run();
    assertThat(code).as("stderr: %s", err).isZero();
    String table = out.toString();
    assertThat(table).contains("serial " + serial).contains("3 nodes: all propagated");
    for (String node : List.of("secondary", "regional", "edge")) {
      assertThat(table).containsPattern("(?m)^" + node + " .* PROPAGATED +" + serial + " ");
    }
    String metrics = api.get("/metrics").body();
    assertThat(metrics)
        .contains("propagation_lag_seconds{node=\"edge\",zone=\"example.test.\"} 0.0")
        .contains("propagation_serial_delta{node=\"secondary\",zone=\"example.test.\"} 0.0")
        .contains("propagation_time_to_visible_seconds_count{tier=\"edge\"} 1");
    // the API's 404 is what the command says for a zone without changes
    err.reset();
    ReportOptions unknown = ReportOptions.parse(List.of("propagation", "nope.test", "--api", api.uri().toString()));
    assertThat(new PropagationReportCommand(unknown, "k", new java.io.PrintStream(out, true), new java.io.PrintStream(err, true),
        java.time.Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), false).run()).isEqualTo(1);
    assertThat(err.toString()).contains("no change of nope.test. recorded on this node (HTTP 404)");
  }

  @Test
  void aDeletedZonesGaugesAreRemovedFromTheMetrics() throws Exception {
    startHierarchy();
    api.send("PATCH", "/api/v1/servers/localhost/zones/example.test.", CHANGE.formatted(21));
    assertThat(api.get("/metrics").body()).contains("propagation_lag_seconds{node=\"secondary\",zone=\"example.test.\"}");
    assertThat(api.send("DELETE", "/api/v1/servers/localhost/zones/example.test.", null).statusCode()).isEqualTo(204);
    // the primary's propagation meters of the zone; the secondary's own zonesync meters, which
    // /metrics shows too (labelled node="secondary"), are that node's business
    assertThat(api.get("/metrics").body().lines().filter(l -> l.startsWith("propagation_")))
        .noneMatch(l -> l.contains("zone=\"example.test.\""));
    assertThat(api.get("/api/v1/tierdns/zones/example.test./propagation").statusCode()).isEqualTo(404);
  }

  @Test
  void unknownZonesAndSerialsAre404() throws Exception {
    startHierarchy();
    assertThat(api.get("/api/v1/tierdns/zones/nope.test/propagation").statusCode()).isEqualTo(404);
    assertThat(api.send("PATCH", "/api/v1/servers/localhost/zones/example.test.", CHANGE.formatted(7)).statusCode()).isEqualTo(204);
    HttpResponse<String> missing = api.get("/api/v1/tierdns/zones/example.test./propagation?serial=1");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("no change of example.test. with serial 1");
  }

  @Test
  void theDocumentedReportHasTheShapeTheApiAnswers() throws Exception {
    startHierarchy();
    HttpResponse<String> patch = api.send("PATCH", "/api/v1/servers/localhost/zones/example.test.", CHANGE.formatted(9));
    JsonNode actual = awaitPropagated(AdminApiClient.serialOf(patch));
    Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(REPO.resolve("docs/propagation.md")));
    assertThat(m.find()).as("a json example in docs/propagation.md").isTrue();
    JsonNode documented = tree(m.group(1));
    assertThat(fields(documented)).isEqualTo(fields(actual));
    assertThat(fields(documented.get("nodes").get(0))).isEqualTo(fields(actual.get("nodes").get(0)));
    assertThat(documented.get("nodes").size()).isEqualTo(actual.get("nodes").size());
  }

  private static TreeSet<String> fields(JsonNode n) {
    TreeSet<String> out = new TreeSet<>();
    for (Map.Entry<String, JsonNode> e : n.entries()) {
      out.add(e.getKey());
    }
    return out;
  }

  private static String roleOf(JsonNode report, String node) {
    for (JsonNode n : report.get("nodes").values()) {
      if (n.get("node").getStringValue().equals(node)) {
        return n.get("role").getStringValue();
      }
    }
    return null;
  }

  private JsonNode awaitPropagated(long serial) throws Exception {
    JsonNode report = null;
    // Bounded: 30 s. Propagation takes milliseconds; the slack is for a saturated CI machine
    // (once, under a load average of 7 on 2 cores, 10 s was not enough).
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() - deadline < 0) {
      HttpResponse<String> r = api.get("/api/v1/tierdns/zones/example.test./propagation?serial=" + serial);
      assertThat(r.statusCode()).isEqualTo(200);
      report = tree(r.body());
      if (LiveReports.allPropagated(report)) {
        return report;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not propagated in 30 s: " + report);
  }

  @Test
  void aWriteThatWaitsForAllAnswersOnceEveryNodeServesIt() throws Exception {
    startHierarchy();
    HttpResponse<String> patch =
        api.send("PATCH", "/api/v1/servers/localhost/zones/example.test.?wait=all&timeout=10s", CHANGE.formatted(11));
    assertThat(patch.statusCode()).isEqualTo(204);
    String serial = patch.headers().firstValue("X-Tierdns-Serial").orElseThrow();
    JsonNode report = tree(api.get("/api/v1/tierdns/zones/example.test./propagation?serial=" + serial).body());
    for (JsonNode n : report.get("nodes").values()) {
      assertThat(n.get("state").getStringValue()).isEqualTo("PROPAGATED");
    }
  }

  @Test
  void aWaitThatTimesOutIs504NamingTheLaggardsWhileTheWriteIsDurable() throws Exception {
    startHierarchy();
    startUnsubscribedCache(); // it learns nothing: propagated only when its old copies expire
    HttpResponse<String> all =
        api.send("PATCH", "/api/v1/servers/localhost/zones/example.test.?wait=all&timeout=300ms", CHANGE.formatted(12));
    assertThat(all.statusCode()).isEqualTo(504);
    JsonNode body = tree(all.body());
    assertThat(body.get("durable").getBooleanValue()).isTrue();
    assertThat(body.get("laggards").get(0).getStringValue()).isEqualTo("local");
    assertThat(body.get("error").getStringValue()).contains("durable");
    assertThat(api.get("/api/v1/servers/localhost/zones/example.test.").body()).contains("192.0.2.12");
    // the secondaries do serve it
    HttpResponse<String> secondaries =
        api.send("PATCH", "/api/v1/servers/localhost/zones/example.test.?wait=secondaries&timeout=10s", CHANGE.formatted(13));
    assertThat(secondaries.statusCode()).isEqualTo(204);
  }

  @Test
  void theWhatIfAdvisorGivesEveryNodesBoundAndWhenToApplyAfterLoweringTheTtl() throws Exception {
    startHierarchy();
    startUnsubscribedCache(false);
    assertThat(api.send("PATCH", "/api/v1/servers/localhost/zones/example.test.", CHANGE.formatted(31)).statusCode()).isEqualTo(204);
    HttpResponse<String> r = api.get("/api/v1/tierdns/zones/example.test./propagation/estimate?name=www&type=A&ttl=60");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode e = tree(r.body());
    assertThat(e.get("name").getStringValue()).isEqualTo("www.example.test.");
    assertThat(e.get("currentTtl").getLongValue()).isEqualTo(300);
    assertThat(e.get("loweredTtl").getLongValue()).isEqualTo(60);
    List<String> names = new ArrayList<>();
    for (JsonNode n : e.get("nodes").values()) {
      names.add(n.get("node").getStringValue());
      assertThat(n.get("upperBoundMs").getLongValue()).isGreaterThanOrEqualTo(n.get("estimateMs").getLongValue());
    }
    assertThat(names).containsExactlyInAnyOrder("secondary", "regional", "edge", "local");
    // the unsubscribed cache bounds Z: its copies may carry the full 300 s
    assertThat(e.get("safeAfterMs").getLongValue()).isBetween(300_000L, 310_000L);
    assertThat(e.get("withinMs").getLongValue()).isBetween(60_000L, 70_000L);
    assertThat(e.get("advice").getStringValue())
        .startsWith("lower the TTL of www.example.test. A from 300 to 60 now, and the change will propagate within ")
        .contains(" if applied after ");
    // the same from the command line
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    ReportOptions whatIf = ReportOptions.parse(List.of("propagation", "example.test", "--what-if", "www", "A", "--ttl", "60",
        "--api", api.uri().toString()));
    assertThat(new PropagationReportCommand(whatIf, "k", new java.io.PrintStream(out, true), new java.io.PrintStream(err, true),
        java.time.Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), false).run()).as("stderr: %s", err).isZero();
    assertThat(out.toString()).startsWith("lower the TTL of www.example.test. A from 300 to 60 now")
        .containsPattern("(?m)^local +cache +local +");
    // no lowering needed at or below the TTL
    JsonNode same = tree(api.get("/api/v1/tierdns/zones/example.test./propagation/estimate?name=www.example.test.&type=a&ttl=300").body());
    assertThat(same.get("advice").getStringValue()).startsWith("the TTL of www.example.test. A is 300 s already");
    // refusals
    assertThat(api.get("/api/v1/tierdns/zones/example.test./propagation/estimate?name=www&type=BOGUS").statusCode()).isEqualTo(422);
    assertThat(api.get("/api/v1/tierdns/zones/example.test./propagation/estimate?name=www.other.test.&type=A").statusCode()).isEqualTo(422);
    assertThat(api.get("/api/v1/tierdns/zones/example.test./propagation/estimate?name=www&type=A&ttl=-5").statusCode()).isEqualTo(422);
    assertThat(api.get("/api/v1/tierdns/zones/nope.test./propagation/estimate?name=www&type=A").statusCode()).isEqualTo(404);
  }

  @Test
  void aBadWaitParameterIs422AndWritesNothing() throws Exception {
    startHierarchy();
    String before = api.get("/api/v1/servers/localhost/zones/example.test.").body();
    assertThat(api.send("PATCH", "/api/v1/servers/localhost/zones/example.test.?wait=some", CHANGE.formatted(14)).statusCode())
        .isEqualTo(422);
    assertThat(api.send("PATCH", "/api/v1/servers/localhost/zones/example.test.?wait=all&timeout=soon", CHANGE.formatted(14))
        .statusCode()).isEqualTo(422);
    assertThat(api.get("/api/v1/servers/localhost/zones/example.test.").body()).isEqualTo(before);
  }

  private String regionalAddress;

  private void startUnsubscribedCache() throws Exception {
    startUnsubscribedCache(true);
  }

  /** Without serve-stale its stale window is 0, so its bound is the TTL alone. */
  private void startUnsubscribedCache(boolean serveStale) throws Exception {
    String listen = "127.0.0.1:" + HierarchyTest.freePorts(1)[0];
    nodes.start(Map.of(
        "tierdns.node-name", "local",
        "tierdns.listen", List.of(listen),
        "tierdns.cache.tier", "local",
        "tierdns.cache.serve-stale", serveStale,
        "tierdns.cache.upstreams", List.of(regionalAddress)));
  }

  private void startHierarchy() throws Exception {
    TestHierarchy hierarchy = TestHierarchy.start(nodes, tmp, false);
    regionalAddress = hierarchy.regionalAddress();
    api = hierarchy.primaryApi();
    // bounded: the secondary's first AXFR and the caches' first subscription transfer
    for (int i = 0; i < 100 && !api.get("/api/v1/tierdns/cache/stats?node=edge").body().contains("tier"); i++) {
      Thread.sleep(50);
    }
  }
}
