package io.tierdns.interop.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A client of a node's PowerDNS-compatible admin API ({@code java.net.http}), with helpers that
 * build the {@code rrsets} JSON of a {@code PATCH}. Thread-safe.
 */
public final class AdminApi {

  private static final Pattern SERIAL = Pattern.compile("\"serial\"\\s*:\\s*(\\d+)");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final String key;

  public AdminApi(int port, String key) {
    this.base = "http://127.0.0.1:" + port + "/api/v1/servers/localhost/zones/";
    this.key = key;
  }

  /** One answer: status, the {@code X-Tierdns-Serial} header when present, and the body. */
  public record Response(int status, OptionalLong serial, String body) {
    @Override
    public String toString() {
      return status + (serial.isPresent() ? " serial " + serial.getAsLong() : "") + " " + body;
    }
  }

  /** {@code PATCH .../zones/ZONE} with body {@code {"rrsets":[changes...]}}. */
  public Response patch(String zone, String... changes) throws IOException, InterruptedException {
    return patchWithKey(key, zone, changes);
  }

  /** The same with another API key (for the 401 case). */
  public Response patchWithKey(String apiKey, String zone, String... changes) throws IOException, InterruptedException {
    String body = "{\"rrsets\":[" + String.join(",", changes) + "]}";
    return send(HttpRequest.newBuilder(zoneUri(zone)).header("X-API-Key", apiKey)
        .header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
  }

  /** {@code GET .../zones/ZONE}. */
  public Response zone(String zone) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(zoneUri(zone)).header("X-API-Key", key).GET());
  }

  /** The {@code serial} of the zone object; fails unless the GET answers 200. */
  public long serial(String zone) throws IOException, InterruptedException {
    Response response = zone(zone);
    Matcher matcher = SERIAL.matcher(response.body());
    if (response.status() != 200 || !matcher.find()) {
      throw new AssertionError("GET zone " + zone + ": " + response);
    }
    return Long.parseLong(matcher.group(1));
  }

  private URI zoneUri(String zone) {
    return URI.create(base + (zone.endsWith(".") ? zone : zone + "."));
  }

  private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    OptionalLong serial = response.headers().firstValue("X-Tierdns-Serial")
        .map(s -> OptionalLong.of(Long.parseLong(s.trim()))).orElse(OptionalLong.empty());
    return new Response(response.statusCode(), serial, response.body());
  }

  // --- rrsets JSON ------------------------------------------------------------------------------

  /** A {@code REPLACE} change; each content in presentation format (TXT with its quotes). */
  public static String replace(String name, String type, int ttl, String... contents) {
    String records = Arrays.stream(contents)
        .map(c -> "{\"content\":" + json(c) + ",\"disabled\":false}")
        .collect(Collectors.joining(","));
    return "{\"name\":" + json(name) + ",\"type\":" + json(type) + ",\"ttl\":" + ttl
        + ",\"changetype\":\"REPLACE\",\"records\":[" + records + "]}";
  }

  /** A {@code DELETE} change of the whole RRset. */
  public static String delete(String name, String type) {
    return "{\"name\":" + json(name) + ",\"type\":" + json(type) + ",\"changetype\":\"DELETE\"}";
  }

  /** {@code text} as a JSON string literal. */
  public static String json(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
