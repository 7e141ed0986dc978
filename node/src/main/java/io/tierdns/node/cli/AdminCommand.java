package io.tierdns.node.cli;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.tierdns.node.report.PropagationJsonParser;
import io.tierdns.node.report.PropagationReportCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tierdns zones | zone | record | cache}: an admin API client of a running node, as {@code
 * report} is; it starts no node (docs/admin-api.md, "Command line").
 *
 * <pre>
 * tierdns zones [--api URL] [--format table|json]
 * tierdns zone show ZONE [--api URL] [--format text|json]
 * tierdns record set ZONE NAME TYPE CONTENT... [--ttl SECONDS] [--api URL]
 * tierdns record delete ZONE NAME TYPE [--api URL]
 * tierdns cache flush [NAME [--below]] [--node NODE] [--api URL]
 * </pre>
 *
 * <p>A NAME without a final dot is relative to the zone ({@code @} is the apex); the API key is
 * {@code TIERDNS_API_KEY}, else {@code ./.tierdns/api-key}. Exit codes: 0 done, 1 the API refused
 * or could not be reached (the reason on stderr), 2 a command line that cannot be run.
 */
public final class AdminCommand {

  /** The commands this class runs. */
  public static final List<String> COMMANDS = List.of("zones", "zone", "record", "cache");

  private static final URI DEFAULT_API = URI.create("http://127.0.0.1:8053");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String ZONES = "/api/v1/servers/localhost/zones";
  private static final JsonMapper JSON = JsonMapper.createDefault();

  /** A command line that cannot be run; the message says why. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The API refused or could not be reached; the message says why. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  private final String apiKey;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  AdminCommand(String apiKey, PrintStream out) {
    this.apiKey = apiKey;
    this.out = out;
  }

  /** Runs {@code args} (the command first); returns the exit code. */
  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      return new AdminCommand(PropagationReportCommand.apiKey(env, Path.of(".tierdns", "api-key")), out).run(Parsed.of(args));
    } catch (UsageException e) {
      err.println("tierdns: " + e.getMessage());
      return 2;
    } catch (Failure e) {
      err.println("tierdns: " + e.getMessage());
      return 1;
    }
  }

  /** The words of a command line and its options ({@code --below} takes no value). */
  record Parsed(List<String> words, Map<String, String> options) {
    static Parsed of(List<String> args) {
      List<String> words = new ArrayList<>();
      Map<String, String> options = new LinkedHashMap<>();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.equals("--below")) {
          options.put("below", "true");
        } else if (a.startsWith("--")) {
          String key = a.substring(2);
          if (!List.of("api", "format", "ttl", "node").contains(key)) {
            throw new UsageException("unknown option " + a);
          }
          if (i + 1 >= args.size()) {
            throw new UsageException("option " + a + " needs a value");
          }
          if (options.put(key, args.get(++i)) != null) {
            throw new UsageException("option " + a + " given twice");
          }
        } else {
          words.add(a);
        }
      }
      return new Parsed(words, options);
    }

    String word(int i, String what) {
      if (i >= words.size()) {
        throw new UsageException(String.join(" ", words.subList(0, Math.min(2, words.size()))) + " needs " + what);
      }
      return words.get(i);
    }

    void noMoreThan(int count) {
      if (words.size() > count) {
        throw new UsageException("unexpected argument '" + words.get(count) + "'");
      }
    }
  }

  int run(Parsed p) {
    URI api = URI.create(p.options().getOrDefault("api", DEFAULT_API.toString()).replaceAll("/+$", ""));
    String command = p.word(0, "a command");
    String sub = command.equals("zones") ? "" : p.word(1, "a subcommand");
    switch (command + " " + sub) {
      case "zones " -> {
        p.noMoreThan(1);
        return zones(api, format(p, "table", "json"));
      }
      case "zone show" -> {
        p.noMoreThan(3);
        return show(api, absolute(p.word(2, "a ZONE")), format(p, "text", "json"));
      }
      case "record set" -> {
        String zone = absolute(p.word(2, "ZONE NAME TYPE CONTENT..."));
        String name = owner(p.word(3, "ZONE NAME TYPE CONTENT..."), zone);
        String type = p.word(4, "ZONE NAME TYPE CONTENT...").toUpperCase(Locale.ROOT);
        p.word(5, "ZONE NAME TYPE CONTENT...");
        long ttl = ttl(p.options().getOrDefault("ttl", "3600"));
        List<Map<String, Object>> records = new ArrayList<>();
        for (String content : p.words().subList(5, p.words().size())) {
          records.add(Map.of("content", content, "disabled", false));
        }
        return patch(api, zone, Map.of("name", name, "type", type, "ttl", ttl, "changetype", "REPLACE", "records", records));
      }
      case "record delete" -> {
        p.noMoreThan(5);
        String zone = absolute(p.word(2, "ZONE NAME TYPE"));
        String name = owner(p.word(3, "ZONE NAME TYPE"), zone);
        String type = p.word(4, "ZONE NAME TYPE").toUpperCase(Locale.ROOT);
        return patch(api, zone, Map.of("name", name, "type", type, "changetype", "DELETE"));
      }
      case "cache flush" -> {
        p.noMoreThan(3);
        String node = p.options().get("node");
        String path;
        if (p.words().size() == 3) {
          path = "/api/v1/tierdns/cache/entries?name=" + enc(absolute(p.words().get(2)))
              + (p.options().containsKey("below") ? "&below=true" : "") + (node == null ? "" : "&node=" + enc(node));
        } else if (p.options().containsKey("below")) {
          throw new UsageException("--below needs a NAME");
        } else {
          path = "/api/v1/tierdns/cache/" + (node == null ? "" : "?node=" + enc(node));
        }
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api + path)).DELETE(), api);
        JsonNode flushed = tree(r.body()).get("flushed");
        out.println(flushed == null ? "flushed" : "flushed " + flushed.getValue() + " entries");
        return 0;
      }
      default -> throw new UsageException("unknown command '" + (command + " " + sub).strip() + "'");
    }
  }

  private int zones(URI api, String format) {
    String body = send(HttpRequest.newBuilder(URI.create(api + ZONES)).GET(), api).body();
    if (format.equals("json")) {
      out.println(body.strip());
      return 0;
    }
    out.printf("%-40s %-8s %10s%n", "ZONE", "KIND", "SERIAL");
    for (JsonNode z : tree(body).values()) {
      out.printf("%-40s %-8s %10s%n", text(z, "name"), text(z, "kind"), text(z, "serial"));
    }
    return 0;
  }

  private int show(URI api, String zone, String format) {
    String body = send(HttpRequest.newBuilder(URI.create(api + ZONES + "/" + enc(zone))).GET(), api).body();
    if (format.equals("json")) {
      out.println(body.strip());
      return 0;
    }
    JsonNode root = tree(body);
    out.println("; " + text(root, "name") + " serial " + text(root, "serial"));
    JsonNode rrsets = root.get("rrsets");
    if (rrsets != null) {
      for (JsonNode set : rrsets.values()) {
        for (JsonNode r : set.get("records").values()) {
          boolean disabled = r.get("disabled") != null && r.get("disabled").getBooleanValue();
          out.println((disabled ? "; disabled: " : "") + text(set, "name") + " " + text(set, "ttl") + " IN "
              + text(set, "type") + " " + text(r, "content"));
        }
      }
    }
    return 0;
  }

  private int patch(URI api, String zone, Map<String, Object> rrset) {
    String json;
    try {
      json = JSON.writeValueAsString(Map.of("rrsets", List.of(rrset)));
    } catch (IOException e) {
      throw new IllegalStateException(e); // maps and strings always write
    }
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api + ZONES + "/" + enc(zone)))
        .header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json)), api);
    out.println(r.headers().firstValue("X-Tierdns-Serial").map(s -> "done: " + zone + " serial " + s).orElse("done"));
    return 0;
  }

  private HttpResponse<String> send(HttpRequest.Builder request, URI api) {
    request.timeout(TIMEOUT);
    if (apiKey != null) {
      request.header("X-API-Key", apiKey);
    }
    HttpRequest built = request.build();
    HttpResponse<String> r;
    try {
      r = http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new Failure("cannot reach the admin API at " + api + " (is a node running? --api URL)");
    } catch (HttpTimeoutException e) {
      throw new Failure("the admin API at " + api + " did not answer within " + TIMEOUT.toSeconds() + " s");
    } catch (IOException e) {
      throw new Failure(built.method() + " " + built.uri() + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
    if (r.statusCode() >= 300) {
      throw new Failure("the admin API answered " + r.statusCode() + ": " + PropagationJsonParser.errorMessage(r.body())
          + (r.statusCode() == 401 && apiKey == null
              ? " (set TIERDNS_API_KEY or run from the directory holding .tierdns/api-key)" : ""));
    }
    return r;
  }

  private static JsonNode tree(String body) {
    try {
      return JSON.readValue(body, JsonNode.class);
    } catch (IOException | RuntimeException e) {
      throw new Failure("the admin API's answer is not JSON: " + body.strip());
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null ? "-" : v.isString() ? v.getStringValue() : String.valueOf(v.getValue());
  }

  private static String format(Parsed p, String... allowed) {
    String f = p.options().getOrDefault("format", allowed[0]);
    if (!List.of(allowed).contains(f)) {
      throw new UsageException("--format must be one of " + String.join(", ", allowed));
    }
    return f;
  }

  private static long ttl(String s) {
    try {
      long ttl = Long.parseLong(s);
      if (ttl >= 0 && ttl <= Integer.MAX_VALUE) {
        return ttl;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new UsageException("--ttl must be a number of seconds from 0 to 2147483647");
  }

  /** NAME as the API wants it: absolute; relative names are under {@code zone}, {@code @} is it. */
  static String owner(String name, String zone) {
    if (name.equals("@")) {
      return zone;
    }
    return name.endsWith(".") ? name : name + "." + zone;
  }

  private static String absolute(String name) {
    return name.endsWith(".") ? name : name + ".";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
