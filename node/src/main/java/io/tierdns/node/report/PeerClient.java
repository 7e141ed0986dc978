package io.tierdns.node.report;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a tierdns node of another process over its admin API what it serves of a zone: a secondary
 * its serial and when it applied it ({@code GET /api/v1/tierdns/secondary/zones/{zone}}), a
 * subscribed cache its subscription serial ({@code GET /api/v1/tierdns/cache/subscriptions/{zone}}).
 *
 * <p>Every request is asynchronous and bounded: a connect timeout and a request timeout on the
 * request, and the future itself times out a little later in case the HTTP stack does not. Every
 * failure becomes a {@link PeerAnswer.Failed} with a status for the report, never an exception: a
 * timeout or a refused connection is {@code unreachable: ...}, an HTTP error, a body that is not
 * the expected JSON or a serial that is not a number is {@code error: ...}. Whether the answer is
 * believable (serial direction, apply time) is the {@link PropagationTracker#report tracker's}
 * call.
 */
public final class PeerClient implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final int MAX_DETAIL = 120;

  private final HttpClient http;
  private final Duration timeout;

  public PeerClient(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
  }

  /** Polls one peer about one zone; the future always completes normally, within about the timeout. */
  public CompletableFuture<PeerAnswer> poll(PeerConfig peer, String zone) {
    boolean secondary = peer.role() == PeerNode.Role.SECONDARY;
    String path = (secondary ? "api/v1/tierdns/secondary/zones/" : "api/v1/tierdns/cache/subscriptions/")
        + URLEncoder.encode(zone, StandardCharsets.UTF_8)
        + (peer.adminNode() == null ? "" : "?node=" + URLEncoder.encode(peer.adminNode(), StandardCharsets.UTF_8));
    HttpRequest request;
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(peer.admin().resolve(path)).timeout(timeout).GET()
          .header("Accept", "application/json");
      if (peer.apiKey() != null) {
        b.header("X-API-Key", peer.apiKey());
      }
      request = b.build();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new PeerAnswer.Failed("error: " + e.getMessage()));
    }
    CompletableFuture<HttpResponse<String>> sent;
    try {
      sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new PeerAnswer.Failed("unreachable: " + e));
    }
    return sent
        .orTimeout(timeout.toMillis() + 250, TimeUnit.MILLISECONDS)
        .handle((response, failure) -> {
          if (failure != null) {
            sent.cancel(true);
            return failed(failure);
          }
          return parse(response.statusCode(), response.body(), secondary);
        });
  }

  /**
   * What an unsubscribed cache holds of one RRset ({@code GET /api/v1/tierdns/cache/entries}): its
   * remaining TTL, 0 when it holds none; empty when it cannot be asked (then the caller assumes a
   * full TTL). Completes normally within about the timeout.
   */
  public CompletableFuture<java.util.Optional<CachedCopies>> cachedCopy(
      PeerConfig peer, String name, String type, long ttlMs) {
    String path = "api/v1/tierdns/cache/entries?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
        + "&type=" + URLEncoder.encode(type, StandardCharsets.UTF_8)
        + (peer.adminNode() == null ? "" : "&node=" + URLEncoder.encode(peer.adminNode(), StandardCharsets.UTF_8));
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(peer.admin().resolve(path)).timeout(timeout).GET();
      if (peer.apiKey() != null) {
        b.header("X-API-Key", peer.apiKey());
      }
      return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
          .orTimeout(timeout.toMillis() + 250, TimeUnit.MILLISECONDS)
          .handle((response, failure) -> {
            if (failure != null || response.statusCode() != 200) {
              return java.util.Optional.<CachedCopies>empty();
            }
            try {
              JsonNode root = JSON.readValue(response.body(), JsonNode.class);
              long remaining = 0;
              for (JsonNode e : root.values()) {
                JsonNode r = e.get("remainingTtl");
                if (r != null && r.isNumber()) {
                  remaining = Math.max(remaining, Math.min(r.getLongValue() * 1000, ttlMs));
                }
              }
              return java.util.Optional.of(new CachedCopies(remaining, ttlMs, 0));
            } catch (IOException | RuntimeException e) {
              return java.util.Optional.<CachedCopies>empty();
            }
          });
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(java.util.Optional.empty());
    }
  }

  /** The answer of a 200 body, or why it is not one. */
  static PeerAnswer parse(int status, String body, boolean secondary) {
    if (status != 200) {
      return new PeerAnswer.Failed("error: HTTP " + status + detail(PropagationJsonParser.errorMessage(body)));
    }
    JsonNode root;
    try {
      root = JSON.readValue(body == null ? "" : body, JsonNode.class);
    } catch (IOException | RuntimeException e) {
      return new PeerAnswer.Failed("error: bad JSON" + detail(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      return new PeerAnswer.Failed("error: bad JSON: expected an object");
    }
    JsonNode serial = root.get("serial");
    if (serial == null || !serial.isNumber()) {
      return new PeerAnswer.Failed("error: no numeric \"serial\" in the answer");
    }
    long s = serial.getLongValue();
    if (s < 0) {
      return new PeerAnswer.Failed("error: no version of the zone yet");
    }
    if (s > 0xFFFF_FFFFL) {
      return new PeerAnswer.Failed("error: serial " + s + " is not a 32-bit serial");
    }
    Instant applied = null;
    if (secondary) {
      JsonNode last = root.get("lastTransfer");
      if (last != null && last.isObject()) {
        JsonNode to = last.get("toSerial");
        JsonNode at = last.get("at");
        if (to != null && to.isNumber() && to.getLongValue() == s && at != null && at.isString()) {
          try {
            applied = Instant.parse(at.getStringValue());
          } catch (DateTimeParseException e) {
            return new PeerAnswer.Failed("error: bad lastTransfer.at '" + at.getStringValue() + "'");
          }
        }
      }
    }
    return new PeerAnswer.Serving(s, applied);
  }

  private PeerAnswer failed(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
      return new PeerAnswer.Failed("unreachable: no answer within " + timeout.toMillis() + " ms");
    }
    if (t instanceof ConnectException) {
      return new PeerAnswer.Failed("unreachable: connection refused");
    }
    if (t instanceof IOException) {
      return new PeerAnswer.Failed("unreachable: " + t.getClass().getSimpleName() + detail(t.getMessage()));
    }
    return new PeerAnswer.Failed("error: " + t);
  }

  private static String detail(String message) {
    if (message == null || message.isBlank()) {
      return "";
    }
    String m = message.strip().replaceAll("\\s+", " ");
    return ": " + (m.length() > MAX_DETAIL ? m.substring(0, MAX_DETAIL) + "..." : m);
  }

  @Override
  public void close() {
    // java.net.http.HttpClient is closed by garbage collection on Java 17
  }
}
