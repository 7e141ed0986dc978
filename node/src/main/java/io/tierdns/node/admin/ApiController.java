package io.tierdns.node.admin;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.tierdns.node.AuthoritativeRole;
import io.tierdns.node.ReloadResult;
import java.util.List;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The root of the admin API. {@code GET /api} answers exactly what PowerDNS clients probe for;
 * tierdns' own endpoints live under {@code /api/v1/tierdns/}.
 */
@Controller("/api")
public class ApiController {

  private final AuthoritativeRole authoritative;

  public ApiController(AuthoritativeRole authoritative) {
    this.authoritative = authoritative;
  }

  /** PowerDNS API discovery: {@code [{"url":"/api/v1","version":1}]}. */
  @Get
  public List<ApiVersion> versions() {
    return List.of(new ApiVersion("/api/v1", 1));
  }

  /** One API version, fields in PowerDNS' order. */
  @Serdeable
  public record ApiVersion(String url, int version) {}

  /**
   * Reloads every zone file; the new set is swapped in atomically and a broken file keeps its
   * previous version serving.
   */
  @Post("/v1/tierdns/zones/reload")
  public ReloadResult reload() {
    return authoritative.reload();
  }
}
