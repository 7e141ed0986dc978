package io.tierdns.edge;

import io.tierdns.authoritative.serial.Serial;
import io.tierdns.cache.CacheEntry;
import io.tierdns.cache.CacheKey;
import io.tierdns.cache.CacheLookup;
import io.tierdns.cache.CachingResolver;
import io.tierdns.cache.Ticker;
import io.tierdns.cache.Timers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Bounded-staleness reads: {@code GET /api/v1/tierdns/resolve?name=&type=[&max-staleness=][&min-serial=]}.
 *
 * <p>Design note. {@link #decide} is the pure rule: answer from this node's cache only when it
 * holds a fresh copy (never a stale one) younger than {@code max-staleness}, and, with {@code
 * min-serial}, only when this node is subscribed to the zone and has seen a serial at least that
 * (RFC 1982): the subscription has then evicted every RRset changed up to it, so whatever the
 * cache still holds is at least that new. Otherwise the next tier up is asked directly (the
 * query bypasses this cache, and the answer refreshes it). With {@code min-serial} the upstream's
 * SOA is checked first and re-checked every {@code retryInterval} up to {@code maxWait}; if it
 * still lags the read fails, naming the tier that lags. Read-your-writes then holds through every
 * tier above that is authoritative or a subscribed cache (they evict on change, and a subscribed
 * cache answers the zone's SOA from its subscription); an unsubscribed cache above may answer
 * the new SOA and an old RRset within its TTL.
 */
public final class BoundedRead {

  /** Where an answer came from. */
  public static final String CACHE = "cache";

  public static final String UPSTREAM = "upstream";

  /**
   * A read.
   *
   * @param name the owner name, absolute
   * @param type the type
   * @param maxStaleness the oldest cached copy accepted, or {@code null} for any fresh copy
   * @param minSerial the zone serial the answer must reflect at least, or {@code null}
   */
  public record Request(Name name, int type, Duration maxStaleness, Long minSerial) {
    public Request {
      Objects.requireNonNull(name, "name");
      if (!name.isAbsolute()) {
        throw new IllegalArgumentException("name must be absolute: " + name);
      }
      if (maxStaleness != null && maxStaleness.isNegative()) {
        throw new IllegalArgumentException("max-staleness must not be negative");
      }
      if (minSerial != null && !Serial.isValid(minSerial)) {
        throw new IllegalArgumentException("min-serial must be within 0 .. 4294967295");
      }
    }
  }

  /**
   * The answer, ready to serialise.
   *
   * @param name the question name
   * @param type the question type mnemonic
   * @param rcode {@code NOERROR}, {@code NXDOMAIN}, {@code SERVFAIL} ...
   * @param records answer then authority records in presentation format, TTLs as served
   * @param source {@link #CACHE} (this node's cache) or {@link #UPSTREAM} (the next tier up)
   * @param node this node's name
   * @param ageMillis age of the cached copy; 0 for an upstream answer
   * @param serial the zone serial behind the answer (from the subscription or an SOA query), or
   *     {@code null} when unknown
   * @param error why the read failed (for instance which tier lags), or {@code null}
   */
  public record Result(
      String name, String type, String rcode, List<String> records, String source, String node,
      long ageMillis, Long serial, String error) {
    public Result {
      records = List.copyOf(records);
    }
  }

  /** The pure choice of {@link #decide}. */
  public enum Decision {
    CACHE,
    UPSTREAM
  }

  private final String node;
  private final CachingResolver resolver;
  private final Subscriptions subscriptions;
  private final Ticker ticker;
  private final Timers timers;
  private final Duration retryInterval;
  private final Duration maxWait;

  /**
   * @param node this node's name, reported in results
   * @param retryInterval pause between two SOA checks of a lagging upstream
   * @param maxWait how long a min-serial read waits for the upstream before failing
   */
  public BoundedRead(
      String node, CachingResolver resolver, Subscriptions subscriptions, Ticker ticker,
      Timers timers, Duration retryInterval, Duration maxWait) {
    this.node = Objects.requireNonNull(node, "node");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.retryInterval = Objects.requireNonNull(retryInterval, "retryInterval");
    this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
  }

  /**
   * Whether this node's cache may answer.
   *
   * @param lookup the cache lookup of the question
   * @param maxStaleness the oldest copy accepted, or {@code null}
   * @param minSerial the serial required, or {@code null}
   * @param localSerial the serial this node's subscription has seen, empty when not subscribed
   */
  public static Decision decide(
      CacheLookup lookup, Duration maxStaleness, Long minSerial, OptionalLong localSerial) {
    if (!lookup.isFresh()) {
      return Decision.UPSTREAM;
    }
    if (maxStaleness != null && lookup.ageNanos() >= maxStaleness.toNanos()) {
      return Decision.UPSTREAM;
    }
    if (minSerial != null
        && (localSerial.isEmpty() || !Serial.isAtLeast(localSerial.getAsLong(), minSerial))) {
      return Decision.UPSTREAM;
    }
    return Decision.CACHE;
  }

  /** Performs a read; the stage never fails (failures are results with an error). */
  public CompletionStage<Result> read(Request r) {
    OptionalLong local = localSerial(r.name());
    CacheLookup lookup = resolver.cache().lookup(CacheKey.of(r.name(), r.type()));
    if (decide(lookup, r.maxStaleness(), r.minSerial(), local) == Decision.CACHE) {
      return CompletableFuture.completedFuture(fromCache(r, lookup, local));
    }
    CompletionStage<Long> serial =
        r.minSerial() == null
            ? CompletableFuture.completedFuture(local.isPresent() ? local.getAsLong() : null)
            : zoneOf(r.name()).thenCompose(zone -> awaitSerial(zone, r.minSerial(), ticker.read() + maxWait.toNanos()));
    return serial
        .thenCompose(s -> resolver.refresh(r.name(), r.type()).thenApply(m -> fromUpstream(r, m, s)))
        .exceptionally(failure -> failed(r, failure));
  }

  private OptionalLong localSerial(Name name) {
    return subscriptions.covering(name).map(ZoneSubscription::serial).orElse(OptionalLong.empty());
  }

  /** The zone of {@code name}: a subscribed zone, else the owner of the SOA upstream returns. */
  private CompletionStage<Name> zoneOf(Name name) {
    var sub = subscriptions.covering(name);
    if (sub.isPresent()) {
      return CompletableFuture.completedFuture(sub.get().zone());
    }
    return resolver.refresh(name, Type.SOA).thenApply(m -> {
      SOARecord soa = soaIn(m);
      if (soa == null) {
        throw new LagException("the upstream sent no SOA for " + name + ": cannot check min-serial");
      }
      return soa.getName();
    });
  }

  private CompletionStage<Long> awaitSerial(Name zone, long min, long deadline) {
    return resolver.refresh(zone, Type.SOA).thenCompose(m -> {
      SOARecord soa = soaIn(m);
      if (soa != null && Serial.isAtLeast(soa.getSerial(), min)) {
        return CompletableFuture.completedFuture(soa.getSerial());
      }
      if (ticker.read() - deadline >= 0) {
        String seen = soa == null ? "no SOA" : "serial " + soa.getSerial();
        throw new LagException("upstream of " + node + " lags: it serves " + seen + " of zone "
            + zone + ", min-serial " + min + " not reached within " + maxWait.toMillis() + " ms");
      }
      CompletableFuture<Long> next = new CompletableFuture<>();
      timers.schedule(retryInterval, () -> awaitSerial(zone, min, deadline).whenComplete((v, e) -> {
        if (e != null) {
          next.completeExceptionally(e);
        } else {
          next.complete(v);
        }
      }));
      return next;
    });
  }

  private Result fromCache(Request r, CacheLookup lookup, OptionalLong local) {
    CacheEntry e = lookup.entry();
    List<String> records = new ArrayList<>();
    e.answerAt(lookup.ageSeconds()).forEach(x -> records.add(x.toString()));
    e.authorityAt(lookup.ageSeconds()).forEach(x -> records.add(x.toString()));
    Long serial = local.isPresent() ? Long.valueOf(local.getAsLong()) : soaSerial(e.authority());
    return new Result(r.name().toString(), Type.string(r.type()), Rcode.string(e.kind().rcode()),
        records, CACHE, node, TimeUnit.NANOSECONDS.toMillis(lookup.ageNanos()), serial, null);
  }

  private Result fromUpstream(Request r, Message m, Long serial) {
    List<String> records = new ArrayList<>();
    m.getSection(Section.ANSWER).forEach(x -> records.add(x.toString()));
    List<Record> authority = m.getSection(Section.AUTHORITY);
    authority.stream().filter(x -> !(x instanceof OPTRecord)).forEach(x -> records.add(x.toString()));
    Long s = serial != null ? serial : soaSerial(authority);
    return new Result(r.name().toString(), Type.string(r.type()), Rcode.string(m.getRcode()),
        records, UPSTREAM, node, 0, s, null);
  }

  private Result failed(Request r, Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return new Result(r.name().toString(), Type.string(r.type()), Rcode.string(Rcode.SERVFAIL),
        List.of(), UPSTREAM, node, 0, null, t.getMessage());
  }

  private static SOARecord soaIn(Message m) {
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record x : m.getSection(section)) {
        if (x instanceof SOARecord soa) {
          return soa;
        }
      }
    }
    return null;
  }

  private static Long soaSerial(List<Record> records) {
    for (Record x : records) {
      if (x instanceof SOARecord soa) {
        return soa.getSerial();
      }
    }
    return null;
  }

  /** A min-serial read that the tier above could not satisfy in time. */
  public static final class LagException extends RuntimeException {
    public LagException(String message) {
      super(message);
    }
  }
}
