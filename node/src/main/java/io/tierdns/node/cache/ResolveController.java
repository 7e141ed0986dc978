package io.tierdns.node.cache;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;
import io.tierdns.edge.BoundedRead;
import io.tierdns.node.api.ApiException;
import io.tierdns.node.api.RRsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Type;

/**
 * Bounded-staleness reads on a cache node: {@code GET /api/v1/tierdns/resolve?name=&type=
 * [&max-staleness=5s][&min-serial=N]}. The answer says where it came from (this node's cache or
 * the tier above), its age and the zone serial behind it.
 */
@Controller("/api/v1/tierdns/resolve")
public class ResolveController {

  private final CacheRole role;

  public ResolveController(CacheRole role) {
    this.role = role;
  }

  /** The answer to a bounded read. */
  @Serdeable
  public record ResolveJson(
      String name, String type, String rcode, List<String> records, String source, String node,
      long ageMillis, @Nullable Long serial, @Nullable String error) {}

  @Get
  public CompletionStage<ResolveJson> resolve(
      @QueryValue String name,
      @Nullable @QueryValue String type,
      @Nullable @QueryValue("max-staleness") String maxStaleness,
      @Nullable @QueryValue("min-serial") Long minSerial,
      @Nullable @QueryValue String node) {
    CacheRole target = CacheRole.of(role, node);
    int t = type == null ? Type.A : Type.value(type.toUpperCase(Locale.ROOT));
    if (t < 0) {
      throw ApiException.unprocessable("unknown type '" + type + "'");
    }
    BoundedRead.Request request;
    try {
      request = new BoundedRead.Request(RRsets.zoneName(name), t, duration(maxStaleness), minSerial);
    } catch (IllegalArgumentException e) {
      throw ApiException.unprocessable(e.getMessage());
    }
    return target.reads().read(request).thenApply(r -> new ResolveJson(
        r.name(), r.type(), r.rcode(), r.records(), r.source(), r.node(), r.ageMillis(), r.serial(), r.error()));
  }

  /** {@code 5s}, {@code 250ms}, {@code 2m} or ISO-8601 ({@code PT5S}). */
  static Duration duration(String text) {
    if (text == null) {
      return null;
    }
    String s = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      if (s.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
      }
      if (s.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
      }
      return Duration.parse(text);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw ApiException.unprocessable("invalid max-staleness '" + text + "': use e.g. 5s, 250ms, 2m");
    }
  }
}
