package io.tierdns.interop.report;

import static io.tierdns.interop.support.AdminApi.replace;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.AdminApi;
import io.tierdns.interop.support.Await;
import io.tierdns.interop.support.BindServer;
import io.tierdns.interop.support.DumpPeerLogsOnFailure;
import io.tierdns.interop.support.PeerProcess;
import io.tierdns.interop.support.PrimarySource;
import io.tierdns.interop.support.TierdnsNode;
import io.tierdns.interop.support.ZoneGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code interop/report/tierdns_bind}: the packaged tierdns jar as a primary with BIND 9 as its
 * secondary. BIND is a NOTIFY target that is no tierdns node, so the primary's propagation report
 * polls its SOA over DNS: after each edit the report shows BIND's measured apply time (the first
 * poll at which it answered the new serial), the NOTIFY send and acknowledgement times, and that
 * measured time is no later than when this test itself saw BIND serve the serial.
 */
@ExtendWith(DumpPeerLogsOnFailure.class)
class BindPropagationIT {

  static final String ZONE = ZoneGenerator.ZONE;
  static final int EDITS = 8;
  static final Pattern STATE = Pattern.compile("\"node\"\\s*:\\s*\"([^\"]+)\"[^}]*?\"state\"\\s*:\\s*\"(\\w+)\"");

  private final List<PeerProcess> started = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void stop() {
    started.forEach(PeerProcess::close);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theReportShowsTheBindSecondarysMeasuredApplyTimeAfterEachEdit() throws Exception {
    Path zones = Files.createTempDirectory("tierdns-interop-report-");
    Path zoneFile = new ZoneGenerator(20240101L, 50).writeTo(zones).zones().get(ZONE);
    TierdnsNode primary = new TierdnsNode(Map.of(ZONE, zoneFile));
    BindServer bind = BindServer.secondaryOf(ZONE, PrimarySource.unsigned(primary.port()));
    primary.notify(bind.port()).allowTransfer("127.0.0.1/32");
    started.add(primary);
    primary.start();
    started.add(bind);
    bind.start(); // returns once BIND answers SOA: its first AXFR is done
    AdminApi api = primary.api();
    String key = apiKey(primary.config());
    String node = "127.0.0.1:" + bind.port(); // a foreign secondary is named by its address
    long serial = api.serial(ZONE);
    Await.serial(bind, ZONE, serial, Duration.ofSeconds(15));

    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= EDITS; i++) {
      AdminApi.Response r = api.patch(ZONE, replace("www.diff.test.", "A", 300, "192.0.2." + (10 + i)));
      assertThat(r.status()).as("PATCH %d: %s", i, r).isEqualTo(204);
      long next = r.serial().orElseThrow();
      Duration seenByTest = Await.serial(bind, ZONE, next, Duration.ofSeconds(15));
      String report = awaitPropagated(primary.httpPort(), key, next, node);
      long measured = number(report, "measuredMs");
      long sent = number(report, "notifySentMs");
      long acked = number(report, "notifyAckedMs");
      long bound = number(report, "upperBoundMs");
      assertThat(string(report, "role")).isEqualTo("secondary");
      assertThat(string(report, "basis")).isEqualTo("observed");
      assertThat(number(report, "serial")).isGreaterThanOrEqualTo(next);
      // BIND applies the IXFR after the NOTIFY, and the report saw it no later than the test did
      assertThat(sent).as(report).isBetween(0L, measured);
      assertThat(acked).as(report).isBetween(sent, 15_000L);
      assertThat(measured).as(report).isBetween(0L, seenByTest.toMillis() + 250);
      lines.add(String.format("edit %d serial %d: NOTIFY +%d ms, ack +%d ms, BIND applied +%d ms (test saw it after %d ms),"
          + " estimate %d ms, bound %d ms", i, next, sent, acked, measured, seenByTest.toMillis(),
          number(report, "estimateMs"), bound));
      serial = next;
    }
    lines.forEach(l -> System.out.println("bind propagation: " + l));
    assertThat(serial).isGreaterThan(0);
  }

  /** The report's entry for {@code node} once it is PROPAGATED, as its JSON object text. */
  private String awaitPropagated(int port, String key, long serial, String node) throws Exception {
    String body = "";
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
              + "/api/v1/tierdns/zones/" + ZONE + "/propagation?serial=" + serial))
          .header("X-API-Key", key).timeout(Duration.ofSeconds(5)).GET().build();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      body = r.body();
      if (r.statusCode() == 200) {
        String entry = entry(body, node);
        if (entry != null && entry.contains("\"state\":\"PROPAGATED\"")) {
          return entry;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("serial " + serial + " not propagated to " + node + " in 15 s: " + body);
  }

  /** The JSON object of one node in the report (flat: its fields hold no objects). */
  private static String entry(String report, String node) {
    int at = report.indexOf("\"node\":\"" + node + "\"");
    if (at < 0) {
      return null;
    }
    int start = report.lastIndexOf('{', at);
    int end = report.indexOf('}', at);
    return report.substring(start, end + 1);
  }

  private static long number(String entry, String field) {
    Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(-?\\d+)").matcher(entry);
    assertThat(m.find()).as("%s in %s", field, entry).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static String string(String entry, String field) {
    Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]*)\"").matcher(entry);
    assertThat(m.find()).as("%s in %s", field, entry).isTrue();
    return m.group(1);
  }

  private static String apiKey(Path config) throws Exception {
    Matcher m = Pattern.compile("api-key:\\s*\"([^\"]+)\"").matcher(Files.readString(config));
    assertThat(m.find()).as("api-key in %s", config).isTrue();
    return m.group(1);
  }
}
