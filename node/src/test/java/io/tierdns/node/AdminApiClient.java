package io.tierdns.node;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Requests to one node's admin API as an operator sends them: each with the API key in {@code X-API-Key}. */
public final class AdminApiClient {

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private final String apiKey;

  /** A client of the admin API at {@code base} (paths resolve against it) using this key. */
  public AdminApiClient(URI base, String apiKey) {
    this.base = base;
    this.apiKey = apiKey;
  }

  /** A client of the admin API of this node (its HTTP server) using this key. */
  public static AdminApiClient of(ApplicationContext node, String apiKey) {
    return new AdminApiClient(node.getBean(EmbeddedServer.class).getURI(), apiKey);
  }

  /** Where the API is: what paths resolve against. */
  public URI uri() {
    return base;
  }

  /** GET of a path. */
  public HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null);
  }

  /** POST of a path without a body. */
  public HttpResponse<String> post(String path) throws Exception {
    return send("POST", path, null);
  }

  /** A request with this method to a path, with a JSON body unless {@code body} is null. */
  public HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("X-API-Key", apiKey);
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The zone serial a write answered with, from its {@code X-Tierdns-Serial} header. */
  public static long serialOf(HttpResponse<String> write) {
    return Long.parseLong(write.headers().firstValue("X-Tierdns-Serial").orElseThrow());
  }
}
