package io.tierdns.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI client against a stub admin API on loopback: answers, errors, and a watch that ends. */
class PropagationReportCommandTest {

  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T12:00:01.320Z"));
  private final Deque<String[]> answers = new ArrayDeque<>(); // status, body
  private final List<String> requests = new ArrayList<>();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void aTableOfAFullyPropagatedChangeIsPrintedOnceWithTheKey() throws IOException {
    answer(200, ReportSamples.DONE);
    assertThat(run("propagation", "example.test", "--serial", "2024050103")).isZero();
    assertThat(stdout()).isEqualTo(PropagationTable.render(ReportSamples.done()));
    assertThat(requests).containsExactly("GET /api/v1/tierdns/zones/example.test/propagation?serial=2024050103 key=k");
  }

  @Test
  void aPendingTableRefreshesUntilEveryNodeServesTheChange() throws IOException {
    answer(200, ReportSamples.MIXED);
    answer(200, ReportSamples.MIXED);
    answer(200, ReportSamples.DONE);
    assertThat(run("propagation", "example.test.")).isZero();
    // printed when it changed only; later requests pin the serial being watched
    assertThat(stdout()).isEqualTo(PropagationTable.render(ReportSamples.mixed()) + PropagationTable.render(ReportSamples.done()));
    assertThat(requests).hasSize(3);
    assertThat(requests.get(2)).contains("?serial=2024050103");
  }

  @Test
  void aWatchGivesUpAfterThirtySecondsNamingTheLaggards() throws IOException {
    for (int i = 0; i < 200; i++) {
      answer(200, ReportSamples.MIXED);
    }
    assertThat(run("propagation", "example.test", "--format", "json", "--watch")).isEqualTo(1);
    assertThat(stderr()).contains("still pending after 30 s: edge");
    assertThat(requests).hasSize(1 + 120); // every 250 ms for 30 s of the test's clock
    assertThat(stdout().strip()).isEqualTo(ReportSamples.MIXED.strip());
  }

  @Test
  void jsonIsTheApisAnswerAsItCame() throws IOException {
    answer(200, ReportSamples.MIXED);
    assertThat(run("propagation", "example.test", "--format", "json")).isZero();
    assertThat(stdout().strip()).isEqualTo(ReportSamples.MIXED.strip());
  }

  @Test
  void htmlGoesToTheFileGiven() throws IOException {
    answer(200, ReportSamples.MIXED);
    Path page = tmp.resolve("report.html");
    assertThat(run("propagation", "example.test", "--format", "html", "--out", page.toString())).isZero();
    assertThat(Files.readString(page)).isEqualTo(PropagationHtml.render(ReportSamples.mixed(), clock.instant()));
    assertThat(stdout()).isEmpty();
  }

  @Test
  void anUnknownZoneIsTheApisNotFoundMessage() throws IOException {
    answer(404, "{\"error\":\"no change of nope.test. recorded on this node\"}");
    assertThat(run("propagation", "nope.test")).isEqualTo(1);
    assertThat(stderr()).isEqualTo("tierdns: no change of nope.test. recorded on this node (HTTP 404)\n");
  }

  @Test
  void aRefusedKeySaysWhereTheKeyComesFrom() throws IOException {
    answer(401, "{\"error\":\"missing X-API-Key header\"}");
    assertThat(new PropagationReportCommand(options("propagation", "x"), null, print(out), print(err), clock,
        clock::advance, false).run()).isEqualTo(1);
    assertThat(stderr()).contains("refused the request (401): missing X-API-Key header; set TIERDNS_API_KEY");
  }

  @Test
  void aNodeThatIsNotRunningIsNamedWithTheAddressTried() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ReportOptions o = ReportOptions.parse(List.of("propagation", "x", "--api", "http://127.0.0.1:" + port));
    assertThat(new PropagationReportCommand(o, "k", print(out), print(err), clock, clock::advance, false).run()).isEqualTo(1);
    assertThat(stderr()).startsWith("tierdns: cannot reach the admin API at http://127.0.0.1:" + port);
  }

  @Test
  void aBodyThatIsNotAReportIsAnErrorNotACrash() throws IOException {
    answer(200, "<html>proxy</html>");
    assertThat(run("propagation", "x")).isEqualTo(1);
    assertThat(stderr()).contains("not a propagation report");
  }

  @Test
  void theKeyComesFromTheEnvironmentElseTheFileUpWrites() throws IOException {
    Path file = tmp.resolve("api-key");
    assertThat(PropagationReportCommand.apiKey(Map.of(), file)).isNull();
    Files.writeString(file, "from-file\n");
    assertThat(PropagationReportCommand.apiKey(Map.of(), file)).isEqualTo("from-file");
    assertThat(PropagationReportCommand.apiKey(Map.of("TIERDNS_API_KEY", "from-env"), file)).isEqualTo("from-env");
  }

  private int run(String... args) throws IOException {
    return new PropagationReportCommand(options(args), "k", print(out), print(err), clock, clock::advance, false).run();
  }

  private ReportOptions options(String... args) throws IOException {
    start();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--api");
    all.add("http://127.0.0.1:" + server.getAddress().getPort());
    return ReportOptions.parse(all);
  }

  private void start() throws IOException {
    if (server != null) {
      return;
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      synchronized (answers) {
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " key="
            + exchange.getRequestHeaders().getFirst("X-API-Key"));
      }
      String[] a;
      synchronized (answers) {
        a = answers.isEmpty() ? new String[] {"500", "{\"error\":\"no answer left\"}"} : answers.poll();
      }
      byte[] body = a[1].getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(Integer.parseInt(a[0]), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  private void answer(int status, String body) {
    answers.add(new String[] {Integer.toString(status), body});
  }

  private static PrintStream print(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
