package io.tierdns.cache;

import io.tierdns.wire.QueryContext;
import io.tierdns.wire.QueryHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The caching forwarder: answers from the {@link RRsetCache}, forwards misses through the {@link
 * UpstreamSelector}, and keeps answering with stale data when upstreams fail (RFC 8767).
 *
 * <p>Design note. A query takes one of three paths, decided by one cache lookup:
 *
 * <ol>
 *   <li><b>Fresh</b>: answered at once with TTLs counted down. A hit in the last {@code
 *       prefetchFraction} of the TTL of an entry that lived at least {@code prefetchEligibility}
 *       also starts a background refresh (prefetch), so popular names never expire in front of
 *       clients.
 *   <li><b>Stale</b> (past the TTL, within max-stale): if a refresh of this question failed less
 *       than {@code staleRefreshTime} ago, the stale answer goes out at once and upstream is not
 *       asked (BIND's stale-refresh-time). Otherwise a refresh starts and races the client-response
 *       timer (RFC 8767 §5): a fresh answer that arrives first is served; if the timer fires first,
 *       or the refresh fails, the stale answer is served, with TTL {@code staleAnswerTtl} (§4) and
 *       Extended DNS Error 3 "Stale Answer" (RFC 8914 §4.4). The refresh runs on regardless and
 *       refills the cache.
 *   <li><b>Miss</b> (including data past max-stale, never served): the question goes upstream;
 *       failure gives SERVFAIL with EDE 22 "No Reachable Authority", and the failure is remembered
 *       for {@code servfailTtl} (RFC 9520), during which SERVFAIL comes at once with EDE 13
 *       "Cached Error".
 * </ol>
 *
 * All upstream work for one question goes through the {@link Coalescer}, so concurrent misses,
 * stale refreshes and prefetches of the same question make one upstream query; the flight that
 * starts it stores the answer once. Nothing here blocks: timers run on the injected {@link Timers},
 * time comes from the injected {@link Ticker}.
 *
 * <p>Upstream queries carry RD and EDNS0 (1232 bytes) without DO; the client's CD and DO bits are
 * not forwarded (this cache does not validate DNSSEC and does not keep signatures apart).
 */
public final class CachingResolver implements QueryHandler {

  private static final Logger log = LoggerFactory.getLogger(CachingResolver.class);

  private final CachePolicy policy;
  private final RRsetCache cache;
  private final AnswerClassifier classifier;
  private final UpstreamSelector selector;
  private final Coalescer<CacheKey, Resolution> coalescer = new Coalescer<>();
  private final FailureMemory failures;
  private final Ticker ticker;
  private final Timers timers;
  private final Clock wallClock;
  private final ResolverStats stats;

  /** The result of one upstream resolution: the response and what of it was cached. */
  private record Resolution(Message response, Optional<CacheEntry> entry) {}

  private CachingResolver(Builder b) {
    this.policy = b.policy;
    this.ticker = b.ticker;
    this.timers = b.timers;
    this.wallClock = b.wallClock;
    this.stats = new ResolverStats(b.observer);
    this.cache = new RRsetCache(policy, ticker, b.executor);
    this.classifier = new AnswerClassifier(policy);
    this.failures = new FailureMemory(policy, ticker, b.executor);
    this.selector =
        new UpstreamSelector(b.table, b.selectorPolicy, ticker, timers, b.random, stats);
  }

  /**
   * Starts a builder.
   *
   * @param table the upstreams
   * @param timers the scheduler for the client-response timer and upstream timeouts
   */
  public static Builder builder(ForwardTable table, Timers timers) {
    return new Builder(table, timers);
  }

  @Override
  public CompletionStage<Message> handle(Message query, QueryContext context) {
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      return done(CacheResponses.error(query, Rcode.NOTIMP));
    }
    Record question = query.getQuestion();
    int type = question.getType();
    if (type == Type.AXFR || type == Type.IXFR || type == Type.MAILA || type == Type.MAILB
        || !CacheResponses.servableClass(question.getDClass())) {
      return done(CacheResponses.error(query, Rcode.REFUSED));
    }
    CacheKey key = CacheKey.of(query);
    CacheLookup lookup = cache.lookup(key);
    switch (lookup.state()) {
      case FRESH:
        stats.hit();
        maybePrefetch(key, lookup);
        return done(fresh(query, lookup.entry(), lookup.ageSeconds()));
      case STALE:
        stats.miss();
        return stale(query, key, lookup.entry());
      default:
        stats.miss();
        return miss(query, key);
    }
  }

  private CompletionStage<Message> miss(Message query, CacheKey key) {
    if (!policy.servfailTtl().isZero() && failures.within(key, policy.servfailTtl())) {
      stats.servfail();
      return done(
          CacheResponses.withEde(
              CacheResponses.error(query, Rcode.SERVFAIL), ExtendedErrorCodeOption.CACHED_ERROR));
    }
    return resolve(key)
        .handle(
            (resolution, failure) -> {
              if (failure == null) {
                return fromResolution(query, resolution);
              }
              stats.servfail();
              return CacheResponses.withEde(
                  CacheResponses.error(query, Rcode.SERVFAIL),
                  ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY);
            });
  }

  private CompletionStage<Message> stale(Message query, CacheKey key, CacheEntry entry) {
    if (failures.within(key, policy.staleRefreshTime())) {
      stats.staleAnswer();
      return done(staleAnswer(query, entry));
    }
    CompletionStage<Resolution> refresh = resolve(key);
    if (policy.clientTimeout().isZero()) {
      stats.staleAnswer();
      return done(staleAnswer(query, entry));
    }
    CompletableFuture<Message> answer = new CompletableFuture<>();
    Timers.Cancellable timer =
        timers.schedule(policy.clientTimeout(), () -> answerStale(answer, query, entry));
    refresh.whenComplete(
        (resolution, failure) -> {
          timer.cancel();
          if (failure == null) {
            answer.complete(fromResolution(query, resolution));
          } else {
            answerStale(answer, query, entry);
          }
        });
    return answer;
  }

  private void answerStale(CompletableFuture<Message> answer, Message query, CacheEntry entry) {
    if (!answer.isDone() && answer.complete(staleAnswer(query, entry))) {
      stats.staleAnswer();
    }
  }

  /**
   * The data generation of the cache ({@link RRsetCache#generation()}): invalidations, such as a
   * change-aware cache's evictions, make the wire layer's stored answers unreachable at once.
   */
  @Override
  public long cacheGeneration() {
    return cache.generation();
  }

  /**
   * A fresh answer from the cache may be replayed, its TTLs counting down, until the entry's
   * prefetch window opens (so the hit that starts the prefetch still reaches {@link #handle}), or
   * until its TTL runs out when it is never prefetched. Stale answers and cached errors (they
   * carry an Extended DNS Error), other rcodes and answers relayed without being cached: never.
   */
  @Override
  public int replaySeconds(Message query, Message response) {
    int rcode = response.getRcode();
    OPTRecord opt = response.getOPT();
    if ((rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN)
        || (opt != null && !opt.getOptions().isEmpty())
        || query.getQuestion() == null) {
      return 0;
    }
    CacheLookup lookup = cache.lookup(CacheKey.of(query));
    if (lookup.state() != CacheLookup.State.FRESH) {
      return 0;
    }
    CacheEntry e = lookup.entry();
    long until = prefetchable(e) ? prefetchStartNanos(e) : e.ttlNanos();
    long seconds = (until - lookup.ageNanos()) / 1_000_000_000L;
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, seconds));
  }

  /** An answer replayed by the wire layer is a cache hit like any other (counters, metrics). */
  @Override
  public void replayed() {
    stats.hit();
  }

  private boolean prefetchable(CacheEntry e) {
    return policy.prefetchFraction() > 0
        && e.ttlSeconds() >= policy.prefetchEligibility().getSeconds();
  }

  /** The age at which a hit on {@code e} starts a prefetch. */
  private long prefetchStartNanos(CacheEntry e) {
    return e.ttlNanos() - (long) (e.ttlNanos() * policy.prefetchFraction());
  }

  private void maybePrefetch(CacheKey key, CacheLookup lookup) {
    CacheEntry e = lookup.entry();
    if (!prefetchable(e)) {
      return;
    }
    if (lookup.ageNanos() < prefetchStartNanos(e)
        || failures.within(key, policy.staleRefreshTime())) {
      return;
    }
    Coalescer.Flight<Resolution> flight = coalescer.join(key, () -> fetch(key));
    if (flight.started()) {
      stats.prefetch();
    }
  }

  /** One coalesced upstream resolution of {@code key}. */
  private CompletionStage<Resolution> resolve(CacheKey key) {
    Coalescer.Flight<Resolution> flight = coalescer.join(key, () -> fetch(key));
    if (!flight.started()) {
      stats.coalesced();
    }
    return flight.result();
  }

  /** Asks upstream and stores the answer; runs once per flight. */
  private CompletionStage<Resolution> fetch(CacheKey key) {
    return selector
        .resolve(CacheResponses.upstreamQuery(key))
        .handle(
            (response, failure) -> {
              if (failure != null) {
                failures.failed(key);
                log.debug("resolution failed key={} cause={}", key, failure.toString());
                throw UpstreamSelector.asUpstreamException(failure);
              }
              failures.succeeded(key);
              Optional<CacheEntry> entry = classifier.classify(key, response, ticker.read());
              entry.ifPresent(cache::put);
              return new Resolution(response, entry);
            });
  }

  private Message fromResolution(Message query, Resolution r) {
    return r.entry().isPresent()
        ? fresh(query, r.entry().get(), 0)
        : CacheResponses.relay(query, r.response());
  }

  private static Message fresh(Message query, CacheEntry e, long ageSeconds) {
    return CacheResponses.answer(
        query, e.kind().rcode(), e.answerAt(ageSeconds), e.authorityAt(ageSeconds));
  }

  private Message staleAnswer(Message query, CacheEntry e) {
    long ttl = policy.staleAnswerTtl().getSeconds();
    Message m =
        CacheResponses.answer(
            query, e.kind().rcode(), e.answerWithTtl(ttl), e.authorityWithTtl(ttl));
    return CacheResponses.withEde(m, ExtendedErrorCodeOption.STALE_ANSWER);
  }

  private static CompletionStage<Message> done(Message m) {
    return CompletableFuture.completedFuture(m);
  }

  // ---- admin API ---------------------------------------------------------------------------

  /** The IN-class entry for {@code name}/{@code type}, unless absent or past max-stale. */
  public Optional<EntryView> inspect(Name name, int type) {
    CacheLookup l = cache.lookup(new CacheKey(name, type, DClass.IN));
    return l.isMiss() ? Optional.empty() : Optional.of(view(l));
  }

  /** Every servable entry of {@code name}, any type. */
  public List<EntryView> inspect(Name name) {
    List<EntryView> views = new ArrayList<>();
    for (CacheEntry e : cache.entriesOf(name)) {
      CacheLookup l = cache.lookup(e.key());
      if (!l.isMiss()) {
        views.add(view(l));
      }
    }
    return views;
  }

  private EntryView view(CacheLookup l) {
    CacheEntry e = l.entry();
    List<String> records = new ArrayList<>();
    long staleTtl = policy.staleAnswerTtl().getSeconds();
    List<Record> answer = l.isFresh() ? e.answerAt(l.ageSeconds()) : e.answerWithTtl(staleTtl);
    List<Record> authority =
        l.isFresh() ? e.authorityAt(l.ageSeconds()) : e.authorityWithTtl(staleTtl);
    answer.forEach(r -> records.add(r.toString()));
    authority.forEach(r -> records.add(r.toString()));
    Duration age = Duration.ofNanos(l.ageNanos());
    return new EntryView(
        e.key().name().toString(),
        Type.string(e.key().type()),
        e.kind().name(),
        records,
        e.ttlSeconds(),
        l.remainingSeconds(),
        l.isStale(),
        wallClock.instant().minus(age),
        age,
        e.weight());
  }

  /** Removes every entry of {@code name}; returns how many. */
  public int flush(Name name) {
    Name n = name.canonicalize();
    failures.forget(k -> k.name().equals(n));
    return cache.invalidate(n);
  }

  /** Removes the entries of {@code name} and of all names below it; returns how many. */
  public int flushBelow(Name name) {
    Name n = name.canonicalize();
    failures.forget(k -> k.name().subdomain(n));
    return cache.invalidateBelow(n);
  }

  /**
   * Removes exactly the entry of the question {@code name}/{@code type} (every class), for
   * change-aware eviction; returns how many.
   */
  public int evict(Name name, int type) {
    Name n = name.canonicalize();
    failures.forget(k -> k.type() == type && k.name().equals(n));
    return cache.invalidate(n, type);
  }

  /** Removes the NXDOMAIN and NODATA entries of {@code name}; returns how many. */
  public int evictNegative(Name name) {
    return cache.invalidateNegative(name);
  }

  /**
   * Removes the entries whose answer passes through {@code name} by a CNAME or DNAME chain (see
   * {@link RRsetCache#invalidateReferencing}); returns how many.
   */
  public int evictReferencing(Name name) {
    return cache.invalidateReferencing(name);
  }

  /**
   * Asks upstream for {@code name}/{@code type} (IN) now, bypassing the cache and any flight in
   * progress, and stores what is cacheable of the answer. For reads that must not be answered
   * from an old copy (bounded staleness, read-your-writes).
   *
   * @return the upstream's response as received, or a stage failed with an {@link
   *     UpstreamException}
   */
  public CompletionStage<Message> refresh(Name name, int type) {
    CacheKey key = CacheKey.of(name, type);
    return selector
        .resolve(CacheResponses.upstreamQuery(key))
        .thenApply(
            response -> {
              failures.succeeded(key);
              classifier.classify(key, response, ticker.read()).ifPresent(cache::put);
              return response;
            });
  }

  /** Empties the cache; returns how many entries there were. */
  public int flushAll() {
    failures.forget(k -> true);
    return cache.invalidateAll();
  }

  /** Counters since start. */
  public CacheCounters counters() {
    return stats.snapshot(cache);
  }

  /** The policy in force. */
  public CachePolicy policy() {
    return policy;
  }

  /** The upstream selector, for SRTT inspection. */
  public UpstreamSelector selector() {
    return selector;
  }

  /** The underlying cache, for gauges and tests. */
  public RRsetCache cache() {
    return cache;
  }

  /** Builds a {@link CachingResolver}; everything but the table and timers has a default. */
  public static final class Builder {
    private final ForwardTable table;
    private final Timers timers;
    private CachePolicy policy = CachePolicy.defaults();
    private SelectorPolicy selectorPolicy = SelectorPolicy.defaults();
    private Ticker ticker = Ticker.system();
    private Clock wallClock = Clock.systemUTC();
    private ResolverObserver observer = ResolverObserver.NOOP;
    private Executor executor = ForkJoinPool.commonPool();
    private RandomGenerator random = ThreadLocalRandom.current();

    private Builder(ForwardTable table, Timers timers) {
      this.table = Objects.requireNonNull(table, "table");
      this.timers = Objects.requireNonNull(timers, "timers");
    }

    public Builder policy(CachePolicy v) {
      policy = Objects.requireNonNull(v);
      return this;
    }

    public Builder selectorPolicy(SelectorPolicy v) {
      selectorPolicy = Objects.requireNonNull(v);
      return this;
    }

    /** The monotonic clock of every TTL and window; must be the one {@code timers} runs on. */
    public Builder ticker(Ticker v) {
      ticker = Objects.requireNonNull(v);
      return this;
    }

    /** Wall clock, used only to report when entries were stored. */
    public Builder wallClock(Clock v) {
      wallClock = Objects.requireNonNull(v);
      return this;
    }

    public Builder observer(ResolverObserver v) {
      observer = Objects.requireNonNull(v);
      return this;
    }

    /** Where Caffeine runs maintenance; tests pass {@code Runnable::run}. */
    public Builder executor(Executor v) {
      executor = Objects.requireNonNull(v);
      return this;
    }

    public Builder random(RandomGenerator v) {
      random = Objects.requireNonNull(v);
      return this;
    }

    public CachingResolver build() {
      return new CachingResolver(this);
    }
  }
}
