package io.tierdns.node.cache;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;
import io.tierdns.cache.CacheCounters;
import io.tierdns.cache.CachingResolver;
import io.tierdns.cache.EntryView;
import io.tierdns.node.api.ApiException;
import io.tierdns.node.api.RRsets;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The cache's admin endpoints: inspect entries, flush a name, a name and below, or everything,
 * and read the counters.
 */
@Controller("/api/v1/tierdns/cache")
public class CacheController {

  private final CacheRole role;

  public CacheController(CacheRole role) {
    this.role = role;
  }

  /** One cache entry as the API shows it. */
  @Serdeable
  public record EntryJson(
      String name, String type, String kind, List<String> records, long originalTtl,
      long remainingTtl, boolean stale, String storedAt, long ageMillis, int weightBytes) {}

  /** The result of a flush. */
  @Serdeable
  public record FlushJson(int flushed) {}

  /** The counters of the cache. */
  @Serdeable
  public record StatsJson(
      String tier, long hits, long misses, long staleAnswers, long servfails, long prefetches,
      long coalesced, long upstreamQueries, long upstreamErrors, long entries, long weightBytes,
      long evictions) {}

  @Get("/entries")
  public List<EntryJson> entries(
      @QueryValue String name, @Nullable @QueryValue String type, @Nullable @QueryValue String node) {
    Name n = RRsets.zoneName(name);
    CachingResolver r = resolver(node);
    if (type == null) {
      return r.inspect(n).stream().map(CacheController::json).toList();
    }
    int t = Type.value(type.toUpperCase(Locale.ROOT));
    if (t < 0) {
      throw ApiException.unprocessable("unknown type '" + type + "'");
    }
    return r.inspect(n, t).map(e -> List.of(json(e))).orElse(List.of());
  }

  @Delete("/entries")
  public FlushJson flush(
      @QueryValue String name, @Nullable @QueryValue Boolean below, @Nullable @QueryValue String node) {
    Name n = RRsets.zoneName(name);
    CachingResolver r = resolver(node);
    return new FlushJson(Boolean.TRUE.equals(below) ? r.flushBelow(n) : r.flush(n));
  }

  @Delete
  public FlushJson flushAll(@Nullable @QueryValue String node) {
    return new FlushJson(resolver(node).flushAll());
  }

  @Get("/stats")
  public StatsJson stats(@Nullable @QueryValue String node) {
    CacheCounters c = resolver(node).counters();
    return new StatsJson(
        role(node).tier(), c.hits(), c.misses(), c.staleAnswers(), c.servfails(), c.prefetches(),
        c.coalesced(), c.upstreamQueries(), c.upstreamErrors(), c.entries(), c.weightBytes(),
        c.evictions());
  }

  private CachingResolver resolver(String node) {
    return role(node).resolver();
  }

  /** This node's cache role, or, with {@code node}, that of another node of this JVM (under up). */
  private CacheRole role(String node) {
    return CacheRole.of(role, node);
  }

  private static EntryJson json(EntryView e) {
    return new EntryJson(
        e.name(), e.type(), e.kind(), e.records(), e.originalTtl(), e.remainingTtl(), e.stale(),
        e.storedAt().toString(), e.age().toMillis(), e.weightBytes());
  }
}
