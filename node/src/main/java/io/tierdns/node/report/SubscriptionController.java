package io.tierdns.node.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;
import io.tierdns.edge.RefreshOutcome;
import io.tierdns.edge.ZoneSubscription;
import io.tierdns.node.api.ApiException;
import io.tierdns.node.api.RRsets;
import io.tierdns.node.cache.CacheRole;
import org.xbill.DNS.Name;

/**
 * {@code GET /api/v1/tierdns/cache/subscriptions/{zone}[?node=NAME]}: the serial a subscribed
 * cache has reached for a zone (its changed RRsets up to that serial are evicted), which the
 * primary's propagation report asks a cache of another process (see {@code docs/propagation.md}).
 */
@Controller("/api/v1/tierdns/cache/subscriptions")
public class SubscriptionController {

  /**
   * A cache's subscription to a zone.
   *
   * @param serial the serial reached, -1 before the first refresh
   * @param lastResult the last refresh's result ({@code baseline}, {@code incremental} ...), or null
   */
  @Serdeable
  public record SubscriptionJson(String zone, String tier, long serial, @Nullable String lastResult) {}

  private final CacheRole role;

  public SubscriptionController(CacheRole role) {
    this.role = role;
  }

  @Get("/{zone}")
  public SubscriptionJson subscription(@PathVariable String zone, @Nullable @QueryValue String node) {
    Name name = RRsets.zoneName(zone);
    CacheRole cache = CacheRole.of(role, node);
    ZoneSubscription sub = cache.subscription(name)
        .orElseThrow(() -> ApiException.notFound("this cache has no subscription to " + name));
    var serial = sub.serial();
    return new SubscriptionJson(name.toString(), cache.tier(), serial.isPresent() ? serial.getAsLong() : -1,
        sub.lastOutcome().map(RefreshOutcome::result).orElse(null));
  }
}
