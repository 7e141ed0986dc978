package io.tierdns.node.report;

import io.tierdns.node.report.PropagationController.PropagationJson;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code tierdns report propagation ZONE ...}: an admin API client that does not start a node. It
 * fetches {@code GET /api/v1/tierdns/zones/{zone}/propagation}, and while some node is pending
 * (table) or with {@code --watch} refetches every {@link #REFRESH} until every node serves the
 * change or {@link #WATCH_LIMIT} passes. Exit codes: 0 done, 1 the API failed or nodes are still
 * pending at the limit, 2 (from the caller) a bad command line.
 *
 * <p>The key is {@code TIERDNS_API_KEY}, else {@code ./.tierdns/api-key} (what {@code up} writes).
 */
public final class PropagationReportCommand {

  /** How long a watch lasts at most. */
  public static final Duration WATCH_LIMIT = Duration.ofSeconds(30);
  /** How often a watch refetches. */
  static final Duration REFRESH = Duration.ofMillis(250);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** Waits; a test passes one that moves its clock instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** A failure to report, with the message the user sees. */
  static final class ReportFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReportFailure(String message) {
      super(message);
    }
  }

  private final ReportOptions options;
  private final String apiKey;
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final Sleeper sleeper;
  private final boolean terminal;
  private final HttpClient http;

  PropagationReportCommand(ReportOptions options, String apiKey, PrintStream out, PrintStream err, Clock clock,
      Sleeper sleeper, boolean terminal) {
    this.options = options;
    this.apiKey = apiKey;
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.sleeper = sleeper;
    this.terminal = terminal;
    this.http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
  }

  /** Runs the report as the {@code tierdns} command does; returns the exit code (0 or 1). */
  public static int run(ReportOptions options, Map<String, String> env, PrintStream out, PrintStream err) {
    return new PropagationReportCommand(options, apiKey(env, Path.of(".tierdns", "api-key")), out, err,
        Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), System.console() != null).run();
  }

  /** The API key: {@code TIERDNS_API_KEY}, else the first line of {@code keyFile}, else null. */
  public static String apiKey(Map<String, String> env, Path keyFile) {
    String key = env.get("TIERDNS_API_KEY");
    if (key != null && !key.isBlank()) {
      return key.strip();
    }
    try {
      if (Files.isRegularFile(keyFile)) {
        List<String> lines = Files.readAllLines(keyFile, StandardCharsets.UTF_8);
        return lines.isEmpty() || lines.get(0).isBlank() ? null : lines.get(0).strip();
      }
    } catch (IOException e) {
      // unreadable: go on without a key; the API's 401 says what is missing
    }
    return null;
  }

  int run() {
    try {
      if (options.whatIfName() != null) {
        return whatIf();
      }
      Instant deadline = clock.instant().plus(WATCH_LIMIT);
      Fetched first = fetch();
      return switch (options.format()) {
        case JSON -> json(first, deadline);
        case HTML -> html(first, deadline);
        case TABLE -> table(first, deadline);
      };
    } catch (ReportFailure e) {
      err.println("tierdns: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("tierdns: interrupted");
      return 1;
    }
  }

  private int json(Fetched f, Instant deadline) throws InterruptedException {
    if (options.watch()) {
      f = awaitPropagated(f, deadline, null);
    }
    out.println(f.body.strip());
    return options.watch() ? pendingExit(f.report) : 0;
  }

  private int html(Fetched f, Instant deadline) throws InterruptedException {
    if (options.watch()) {
      f = awaitPropagated(f, deadline, null);
    }
    String page = PropagationHtml.render(f.report, clock.instant());
    if (options.out() == null) {
      out.print(page);
    } else {
      try {
        Files.writeString(options.out(), page, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ReportFailure("cannot write " + options.out() + ": " + e.getMessage());
      }
      err.println("tierdns: wrote " + options.out());
    }
    return options.watch() ? pendingExit(f.report) : 0;
  }

  private int table(Fetched f, Instant deadline) throws InterruptedException {
    String shown = PropagationTable.render(f.report);
    out.print(shown);
    out.flush();
    if (!options.watch() && PropagationTable.pending(f.report).isEmpty()) {
      return 0;
    }
    String[] last = {shown};
    f = awaitPropagated(f, deadline, report -> {
      String now = PropagationTable.render(report);
      if (now.equals(last[0])) {
        return;
      }
      if (terminal) {
        // redraw in place: up over the previous table, clear to the end of the screen
        out.print("\033[" + (last[0].split("\n", -1).length - 1) + "F\033[J");
      }
      out.print(now);
      out.flush();
      last[0] = now;
    });
    return pendingExit(f.report);
  }

  /** Refetches until no node is pending or the deadline passes; {@code onChange} sees each refresh. */
  private Fetched awaitPropagated(Fetched f, Instant deadline, Consumer<PropagationJson> onChange)
      throws InterruptedException {
    while (!PropagationTable.pending(f.report).isEmpty() && clock.instant().isBefore(deadline)) {
      sleeper.sleep(REFRESH);
      // pin the serial: a newer change while watching must not replace the one being watched
      f = fetch(f.report.serial());
      if (onChange != null) {
        onChange.accept(f.report);
      }
    }
    return f;
  }

  private int pendingExit(PropagationJson report) {
    List<String> pending = PropagationTable.pending(report);
    if (pending.isEmpty()) {
      return 0;
    }
    err.println("tierdns: still pending after " + WATCH_LIMIT.toSeconds() + " s: " + String.join(", ", pending));
    return 1;
  }

  private record Fetched(String body, PropagationJson report) {}

  /** {@code --what-if NAME TYPE}: the advisor's answer, as JSON or as the advice and one line per node. */
  private int whatIf() {
    String base = options.api().toString().replaceAll("/+$", "");
    URI uri = URI.create(base + "/api/v1/tierdns/zones/" + URLEncoder.encode(options.zone(), StandardCharsets.UTF_8)
        + "/propagation/estimate?name=" + URLEncoder.encode(options.whatIfName(), StandardCharsets.UTF_8)
        + "&type=" + URLEncoder.encode(options.whatIfType(), StandardCharsets.UTF_8)
        + (options.ttl() == null ? "" : "&ttl=" + options.ttl()));
    String body = get(uri);
    if (options.format() == ReportOptions.Format.JSON) {
      out.println(body.strip());
      return 0;
    }
    try {
      io.micronaut.json.tree.JsonNode root = io.micronaut.json.JsonMapper.createDefault()
          .readValue(body, io.micronaut.json.tree.JsonNode.class);
      out.println(root.get("advice").getStringValue());
      out.printf("%-16s %-9s %-9s %14s %14s %14s%n", "NODE", "ROLE", "TIER", "ESTIMATE", "BOUND NOW", "AFTER LOWERING");
      for (io.micronaut.json.tree.JsonNode n : root.get("nodes").values()) {
        out.printf("%-16s %-9s %-9s %14s %14s %14s%n", n.get("node").getStringValue(), n.get("role").getStringValue(),
            n.get("tier").getStringValue(), PropagationTable.duration(n.get("estimateMs").getLongValue()),
            PropagationTable.duration(n.get("upperBoundMs").getLongValue()),
            PropagationTable.duration(n.get("afterLoweringMs").getLongValue()));
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      throw new ReportFailure(uri + ": not an estimate: " + e.getMessage());
    }
  }

  private String get(URI uri) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Accept", "application/json").GET();
    if (apiKey != null) {
      request.header("X-API-Key", apiKey);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != 200) {
        throw new ReportFailure(PropagationJsonParser.errorMessage(response.body()) + " (HTTP " + response.statusCode() + ")");
      }
      return response.body();
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new ReportFailure("cannot reach the admin API at " + options.api()
          + " (is a node running, e.g. ./tierdns up? another address: --api URL)");
    } catch (IOException e) {
      throw new ReportFailure("admin API request to " + uri + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReportFailure("interrupted");
    }
  }

  private Fetched fetch() {
    return fetch(options.serial());
  }

  private Fetched fetch(Long serial) {
    URI uri = uri(options.api(), options.zone(), serial);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Accept", "application/json").GET();
    if (apiKey != null) {
      request.header("X-API-Key", apiKey);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new ReportFailure("cannot reach the admin API at " + options.api()
          + " (is a node running, e.g. ./tierdns up? another address: --api URL)");
    } catch (HttpTimeoutException e) {
      throw new ReportFailure("the admin API at " + options.api() + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
    } catch (IOException e) {
      throw new ReportFailure("admin API request to " + uri + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReportFailure("interrupted");
    }
    int status = response.statusCode();
    String message = status == 200 ? null : PropagationJsonParser.errorMessage(response.body());
    if (status == 401 || status == 403) {
      throw new ReportFailure("the admin API refused the request (" + status + "): " + message
          + (apiKey == null ? "; set TIERDNS_API_KEY or run from the directory holding .tierdns/api-key" : "; check TIERDNS_API_KEY"));
    }
    if (status != 200) {
      throw new ReportFailure(message + " (HTTP " + status + ")");
    }
    try {
      return new Fetched(response.body(), PropagationJsonParser.parse(response.body()));
    } catch (IllegalArgumentException e) {
      throw new ReportFailure(uri + ": " + e.getMessage());
    }
  }

  /** {@code API/api/v1/tierdns/zones/ZONE/propagation[?serial=N]}. */
  static URI uri(URI api, String zone, Long serial) {
    String base = api.toString().replaceAll("/+$", "");
    return URI.create(base + "/api/v1/tierdns/zones/" + URLEncoder.encode(zone, StandardCharsets.UTF_8)
        + "/propagation" + (serial == null ? "" : "?serial=" + serial));
  }
}
