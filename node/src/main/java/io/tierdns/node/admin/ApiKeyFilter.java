package io.tierdns.node.admin;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.core.annotation.Nullable;
import io.tierdns.node.AdminSecurity;
import io.tierdns.node.NodeConfiguration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Checks {@code X-API-Key} on every {@code /api} path, as the PowerDNS API does. Probes ({@code
 * /health}) and scrapers ({@code /metrics}) are left open.
 */
@ServerFilter("/api/**")
public class ApiKeyFilter {

  private final NodeConfiguration.Admin admin;

  public ApiKeyFilter(NodeConfiguration.Admin admin) {
    this.admin = admin;
  }

  @RequestFilter
  @Nullable
  public MutableHttpResponse<?> check(HttpRequest<?> request) {
    String expected = AdminSecurity.apiKey(admin);
    if (expected == null) {
      return null;
    }
    String given = request.getHeaders().get("X-API-Key");
    if (given == null) {
      return HttpResponse.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "missing X-API-Key header"));
    }
    if (!MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
      return HttpResponse.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "invalid API key"));
    }
    return null;
  }
}
