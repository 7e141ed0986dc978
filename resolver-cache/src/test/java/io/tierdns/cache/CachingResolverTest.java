package io.tierdns.cache;

import static io.tierdns.cache.Dns.edeCodes;
import static io.tierdns.cache.Dns.name;
import static io.tierdns.cache.Dns.queryWithEdns;
import static io.tierdns.cache.Dns.response;
import static io.tierdns.cache.Dns.rr;
import static io.tierdns.cache.Dns.soa;
import static io.tierdns.cache.Dns.ttls;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class CachingResolverTest {

  private static final QueryContext UDP =
      new QueryContext(Transport.UDP, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 53));
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private final FakeClock clock = new FakeClock();
  private final FakeUpstream upstream = new FakeUpstream("up").answering(CachingResolverTest::zone);

  /** A tiny upstream zone: www A (TTL 300), nope NXDOMAIN (SOA minimum 60), anything else NODATA. */
  private static Message zone(Message q, Transport t) {
    String qname = q.getQuestion().getName().toString().toLowerCase();
    int qtype = q.getQuestion().getType();
    if (qname.equals("www.example.") && qtype == Type.A) {
      return response(q, Rcode.NOERROR, List.of(rr("www.example.", "A", 300, "192.0.2.1")), List.of());
    }
    if (qname.equals("alias.example.") && qtype == Type.A) {
      return response(q, Rcode.NOERROR,
          List.of(rr("alias.example.", "CNAME", 3600, "www.example."), rr("www.example.", "A", 300, "192.0.2.1")),
          List.of());
    }
    if (qname.equals("nope.example.")) {
      return response(q, Rcode.NXDOMAIN, List.of(), List.of(soa("example.", 3600, 60)));
    }
    return response(q, Rcode.NOERROR, List.of(), List.of(soa("example.", 3600, 60)));
  }

  private CachingResolver resolver(CachePolicy policy) {
    return resolver(policy, SelectorPolicy.defaults());
  }

  private CachingResolver resolver(CachePolicy policy, SelectorPolicy selectorPolicy) {
    return CachingResolver.builder(ForwardTable.of(upstream), clock)
        .policy(policy)
        .selectorPolicy(selectorPolicy)
        .ticker(clock)
        .wallClock(Clock.fixed(NOW, ZoneOffset.UTC))
        .executor(Runnable::run)
        .random(new ScriptedRandom())
        .build();
  }

  private CachingResolver resolver() {
    return resolver(CachePolicy.defaults());
  }

  private static CompletableFuture<Message> ask(CachingResolver r, String name, String type) {
    return r.handle(queryWithEdns(name, type), UDP).toCompletableFuture();
  }

  private static Message answer(CachingResolver r, String name, String type) {
    CompletableFuture<Message> f = ask(r, name, type);
    assertThat(f).as("answered without waiting").isDone();
    return f.join();
  }

  @Test
  void aMissGoesUpstreamAndTheHitIsServedFromCacheWithTtlCountedDown() {
    CachingResolver r = resolver();
    Message first = answer(r, "www.example.", "A");
    assertThat(first.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(ttls(first, Section.ANSWER)).containsExactly(300L);
    clock.advanceSeconds(100);
    Message second = answer(r, "WWW.example.", "A");
    assertThat(ttls(second, Section.ANSWER)).containsExactly(200L);
    assertThat(upstream.count()).isEqualTo(1);
    assertThat(r.counters().hits()).isEqualTo(1);
    assertThat(r.counters().misses()).isEqualTo(1);
  }

  @Test
  void responsesAreRecursiveNotAuthoritative() {
    CachingResolver r = resolver();
    Message query = queryWithEdns("www.example.", "A");
    Message m = r.handle(query, UDP).toCompletableFuture().join();
    assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(m.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(m.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(m.getHeader().getID()).isEqualTo(query.getHeader().getID());
    Message noRd = queryWithEdns("www.example.", "A");
    noRd.getHeader().unsetFlag(Flags.RD);
    assertThat(r.handle(noRd, UDP).toCompletableFuture().join().getHeader().getFlag(Flags.RD)).isFalse();
  }

  @Test
  void theWholeCnameChainIsCachedAndCountsDown() {
    CachingResolver r = resolver();
    answer(r, "alias.example.", "A");
    clock.advanceSeconds(10);
    Message m = answer(r, "alias.example.", "A");
    assertThat(ttls(m, Section.ANSWER)).containsExactly(3590L, 290L);
    assertThat(upstream.count()).isEqualTo(1);
  }

  @Test
  void nxdomainIsCachedForTheSoaNegativeTtlWithTheSoaCountingDown() {
    CachingResolver r = resolver();
    assertThat(answer(r, "nope.example.", "A").getRcode()).isEqualTo(Rcode.NXDOMAIN);
    clock.advanceSeconds(20);
    Message m = answer(r, "nope.example.", "A");
    assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(ttls(m, Section.AUTHORITY)).containsExactly(40L);
    assertThat(upstream.count()).isEqualTo(1);
    clock.advanceSeconds(40); // expired: the next query asks again
    answer(r, "nope.example.", "A");
    assertThat(upstream.count()).isEqualTo(2);
  }

  @Test
  void nodataIsCachedAsNoerrorWithoutAnswers() {
    CachingResolver r = resolver();
    answer(r, "www.example.", "AAAA");
    Message m = answer(r, "www.example.", "AAAA");
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(m.getSection(Section.AUTHORITY)).singleElement().extracting(rec -> rec.getType()).isEqualTo(Type.SOA);
    assertThat(upstream.count()).isEqualTo(1);
  }

  @Test
  void maxTtlClampShortensTheCachedLife() {
    CachingResolver r = resolver(CachePolicy.builder().maxTtl(Duration.ofSeconds(60)).build());
    assertThat(ttls(answer(r, "www.example.", "A"), Section.ANSWER)).containsExactly(60L);
  }

  @Test
  void staleIsNotServedWhileUpstreamAnswersInTime() {
    CachingResolver r = resolver();
    answer(r, "www.example.", "A");
    clock.advanceSeconds(301);
    Message m = answer(r, "www.example.", "A");
    assertThat(ttls(m, Section.ANSWER)).containsExactly(300L);
    assertThat(edeCodes(m)).isEmpty();
    assertThat(r.counters().staleAnswers()).isZero();
  }

  @Test
  void whenUpstreamFailsStaleDataIsServedWithEde3AndTtl30() {
    CachingResolver r = resolver();
    answer(r, "www.example.", "A");
    clock.advanceSeconds(400);
    upstream.answering((q, t) -> response(q, Rcode.SERVFAIL, List.of(), List.of()));
    Message m = answer(r, "www.example.", "A");
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(ttls(m, Section.ANSWER)).containsExactly(30L);
    assertThat(edeCodes(m)).containsExactly(ExtendedErrorCodeOption.STALE_ANSWER);
    assertThat(r.counters().staleAnswers()).isEqualTo(1);
  }

  @Test
  void staleNxdomainIsServedToo() {
    CachingResolver r = resolver();
    answer(r, "nope.example.", "A");
    clock.advanceSeconds(61);
    upstream.answering((q, t) -> null);
    Message m = answer(r, "nope.example.", "A");
    assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(ttls(m, Section.AUTHORITY)).containsExactly(30L);
    assertThat(edeCodes(m)).containsExactly(ExtendedErrorCodeOption.STALE_ANSWER);
  }

  @Test
  void whenUpstreamIsSlowTheClientResponseTimerServesStaleAndTheRefreshLandsLater() {
    CachingResolver r = resolver(CachePolicy.defaults(), new SelectorPolicy(Duration.ofSeconds(5), 3, 0));
    answer(r, "www.example.", "A");
    clock.advanceSeconds(400);
    upstream.holding();
    CompletableFuture<Message> f = ask(r, "www.example.", "A");
    clock.advance(Duration.ofMillis(1799));
    assertThat(f).isNotDone();
    clock.advance(Duration.ofMillis(1));
    assertThat(f).isDone();
    assertThat(edeCodes(f.join())).containsExactly(ExtendedErrorCodeOption.STALE_ANSWER);
    assertThat(ttls(f.join(), Section.ANSWER)).containsExactly(30L);
    // the refresh was not abandoned: when the upstream answers, the cache is fresh again
    upstream.answering(CachingResolverTest::zone);
    upstream.release();
    Message fresh = answer(r, "www.example.", "A");
    assertThat(edeCodes(fresh)).isEmpty();
    assertThat(ttls(fresh, Section.ANSWER)).containsExactly(300L);
  }

  @Test
  void whenTheOnlyUpstreamTimesOutItIsAskedAgainAndStaleIsServedAtTheClientTimer() {
    CachingResolver r = resolver(); // attempt timeout 1 s < client timer 1.8 s
    answer(r, "www.example.", "A");
    clock.advanceSeconds(400);
    upstream.holding();
    CompletableFuture<Message> f = ask(r, "www.example.", "A");
    clock.advance(Duration.ofMillis(1000));
    assertThat(f).as("the lost datagram is sent again, not given up on").isNotDone();
    clock.advance(Duration.ofMillis(799));
    assertThat(f).isNotDone();
    clock.advance(Duration.ofMillis(1));
    assertThat(edeCodes(f.join())).containsExactly(ExtendedErrorCodeOption.STALE_ANSWER);
    assertThat(r.counters().upstreamErrors()).isEqualTo(1);
  }

  @Test
  void aFreshAnswerArrivingBeforeTheClientResponseTimerWins() {
    CachingResolver r = resolver();
    answer(r, "www.example.", "A");
    clock.advanceSeconds(400);
    upstream.holding();
    CompletableFuture<Message> f = ask(r, "www.example.", "A");
    clock.advance(Duration.ofMillis(900));
    upstream.answering(CachingResolverTest::zone);
    upstream.release();
    assertThat(f).isDone();
    assertThat(edeCodes(f.join())).isEmpty();
    clock.advanceSeconds(5); // the cancelled timer does not answer twice or count
    assertThat(r.counters().staleAnswers()).isZero();
  }

  @Test
  void aFreshAnswerIsReplayableUntilItsPrefetchWindowOpens() {
    CachingResolver r = resolver(); // prefetch in the last 10 % of TTLs of at least 9 s
    Message q = queryWithEdns("www.example.", "A");
    assertThat(r.replaySeconds(q, answer(r, "www.example.", "A"))).isEqualTo(270);
    clock.advanceSeconds(100);
    assertThat(r.replaySeconds(q, answer(r, "www.example.", "A"))).isEqualTo(170);
    clock.advanceSeconds(170);
    upstream.holding(); // the prefetch this hit starts stays in flight
    assertThat(r.replaySeconds(q, answer(r, "www.example.", "A"))).isZero();
    assertThat(r.counters().prefetches()).isEqualTo(1);
    upstream.answering(CachingResolverTest::zone);
    Message alias = queryWithEdns("alias.example.", "A"); // the chain ages with its smallest TTL
    assertThat(r.replaySeconds(alias, answer(r, "alias.example.", "A"))).isEqualTo(270);
  }

  @Test
  void withoutPrefetchAnAnswerIsReplayableUntilItsTtlRunsOut() {
    CachingResolver r = resolver(CachePolicy.builder().prefetchFraction(0).build());
    Message q = queryWithEdns("nope.example.", "A");
    assertThat(r.replaySeconds(q, answer(r, "nope.example.", "A"))).isEqualTo(60);
  }

  @Test
  void staleAnswersErrorsAndUncachedAnswersAreNeverReplayed() {
    CachingResolver r = resolver(CachePolicy.builder().clientTimeout(Duration.ZERO).build());
    Message q = queryWithEdns("www.example.", "A");
    answer(r, "www.example.", "A");
    clock.advanceSeconds(400);
    upstream.answering((query, t) -> null);
    Message stale = answer(r, "www.example.", "A");
    assertThat(edeCodes(stale)).containsExactly(ExtendedErrorCodeOption.STALE_ANSWER);
    assertThat(r.replaySeconds(q, stale)).isZero();
    Message failed = answer(r, "other.example.", "A");
    assertThat(failed.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(r.replaySeconds(queryWithEdns("other.example.", "A"), failed)).isZero();
    Message refused = answer(r, "example.", "AXFR");
    assertThat(r.replaySeconds(queryWithEdns("example.", "AXFR"), refused)).isZero();
  }

  @Test
  void anAnswerReplayedByTheWireLayerCountsAsAHit() {
    CachingResolver r = resolver();
    answer(r, "www.example.", "A");
    r.replayed();
    r.replayed();
    assertThat(r.counters().hits()).isEqualTo(2);
    assertThat(r.counters().misses()).isEqualTo(1);
  }

  @Test
  void everyInvalidationMovesTheGenerationWhateverItRemoved() {
    CachingResolver r = resolver();
    answer(r, "www.example.", "A");
    long before = r.cacheGeneration();
    answer(r, "alias.example.", "A");
    assertThat(r.cacheGeneration()).as("a put does not").isEqualTo(before);
    r.evict(name("www.example."), Type.A);
    long afterEvict = r.cacheGeneration();
    assertThat(afterEvict).isGreaterThan(before);
    r.evict(name("absent.example."), Type.A);
    assertThat(r.cacheGeneration()).isGreaterThan(afterEvict);
    long now = r.cacheGeneration();
    r.evictReferencing(name("nothing.example."));
    r.evictNegative(name("nothing.example."));
    r.flushBelow(name("example."));
    r.flushAll();
    assertThat(r.cacheGeneration()).isEqualTo(now + 4);
  }

  @Test
  void clientTimeoutZeroAnswersStaleAtOnceAndRefreshesInTheBackground() {
    CachingResolver r = resolver(CachePolicy.builder().clientTimeout(Duration.ZERO).build());
    answer(r, "www.example.", "A");
    clock.advanceSeconds(400);
    Message m = answer(r, "www.example.", "A");
    assertThat(edeCodes(m)).containsExactly(ExtendedErrorCodeOption.STALE_ANSWER);
    assertThat(upstream.count()).isEqualTo(2);
    assertThat(edeCodes(answer(r, "www.example.", "A"))).isEmpty();
  }

  @Test
  void staleDataIsNeverServedPastMaxStaleThenServfail() {
    CachingResolver r = resolver(CachePolicy.builder().maxStale(Duration.ofHours(1)).build());
    answer(r, "www.example.", "A");
    upstream.answering((q, t) -> null);
    clock.advance(Duration.ofSeconds(300 + 3600).minusSeconds(1));
    assertThat(edeCodes(answer(r, "www.example.", "A"))).containsExactly(ExtendedErrorCodeOption.STALE_ANSWER);
    clock.advanceSeconds(1);
    Message m = answer(r, "www.example.", "A");
    assertThat(m.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(edeCodes(m)).containsExactly(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY);
    assertThat(r.inspect(name("www.example."), Type.A)).isEmpty();
  }

  @Test
  void withServeStaleOffAnUpstreamFailureIsServfail() {
    CachingResolver r = resolver(CachePolicy.builder().serveStale(false).build());
    answer(r, "www.example.", "A");
    clock.advanceSeconds(301);
    upstream.answering((q, t) -> response(q, Rcode.SERVFAIL, List.of(), List.of()));
    assertThat(answer(r, "www.example.", "A").getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void afterAFailedRefreshStaleIsServedAtOnceWithoutAskingUntilTheRecheckWindowPasses() {
    CachingResolver r = resolver();
    answer(r, "www.example.", "A");
    clock.advanceSeconds(400);
    upstream.answering((q, t) -> null);
    answer(r, "www.example.", "A"); // fails upstream, stale served
    int asked = upstream.count();
    clock.advanceSeconds(29);
    Message m = answer(r, "www.example.", "A");
    assertThat(edeCodes(m)).containsExactly(ExtendedErrorCodeOption.STALE_ANSWER);
    assertThat(upstream.count()).isEqualTo(asked);
    clock.advanceSeconds(1); // window over: upstream is tried again (each attempt of the retry)
    answer(r, "www.example.", "A");
    assertThat(upstream.count()).isGreaterThan(asked);
  }

  @Test
  void aResolutionFailureWithoutStaleDataIsRememberedForServfailTtl() {
    CachingResolver r = resolver();
    upstream.answering((q, t) -> response(q, Rcode.SERVFAIL, List.of(), List.of()));
    assertThat(answer(r, "www.example.", "A").getRcode()).isEqualTo(Rcode.SERVFAIL);
    Message cached = answer(r, "www.example.", "A");
    assertThat(cached.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(edeCodes(cached)).containsExactly(ExtendedErrorCodeOption.CACHED_ERROR);
    assertThat(upstream.count()).isEqualTo(1);
    clock.advanceSeconds(1);
    upstream.answering(CachingResolverTest::zone);
    assertThat(answer(r, "www.example.", "A").getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aHitInTheLastTenthOfTheTtlPrefetchesOnce() {
    CachingResolver r = resolver();
    answer(r, "www.example.", "A");
    clock.advanceSeconds(269); // 31 s left of 300: not yet
    answer(r, "www.example.", "A");
    assertThat(upstream.count()).isEqualTo(1);
    clock.advanceSeconds(1); // 30 s left: prefetch
    upstream.holding();
    Message m = answer(r, "www.example.", "A");
    assertThat(ttls(m, Section.ANSWER)).containsExactly(30L); // the hit itself is served from cache
    answer(r, "www.example.", "A"); // a second hit joins the prefetch in flight
    assertThat(upstream.count()).isEqualTo(2);
    assertThat(r.counters().prefetches()).isEqualTo(1);
    upstream.answering(CachingResolverTest::zone);
    upstream.release();
    assertThat(ttls(answer(r, "www.example.", "A"), Section.ANSWER)).containsExactly(300L);
  }

  @Test
  void shortLivedEntriesAreNotPrefetched() {
    upstream.answering((q, t) -> response(q, Rcode.NOERROR, List.of(rr("www.example.", "A", 5, "192.0.2.1")), List.of()));
    CachingResolver r = resolver();
    answer(r, "www.example.", "A");
    clock.advanceSeconds(4);
    answer(r, "www.example.", "A");
    assertThat(upstream.count()).isEqualTo(1);
    assertThat(r.counters().prefetches()).isZero();
  }

  @Test
  void identicalQuestionsInFlightMakeOneUpstreamQuery() {
    CachingResolver r = resolver();
    upstream.holding();
    CompletableFuture<Message> a = ask(r, "www.example.", "A");
    CompletableFuture<Message> b = ask(r, "WWW.EXAMPLE.", "A");
    CompletableFuture<Message> c = ask(r, "www.example.", "AAAA");
    assertThat(upstream.count()).isEqualTo(2);
    upstream.answering(CachingResolverTest::zone);
    upstream.release();
    assertThat(a.join().getSection(Section.ANSWER)).hasSize(1);
    assertThat(b.join().getSection(Section.ANSWER)).hasSize(1);
    assertThat(b.join().getQuestion().getName().toString()).isEqualTo("WWW.EXAMPLE.");
    assertThat(c.join().getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.counters().coalesced()).isEqualTo(1);
  }

  @Test
  void uncacheableAnswersAreRelayed() {
    upstream.answering((q, t) -> response(q, Rcode.NOERROR, List.of(rr("www.example.", "A", 0, "192.0.2.1")), List.of()));
    CachingResolver r = resolver();
    Message m = answer(r, "www.example.", "A");
    assertThat(ttls(m, Section.ANSWER)).containsExactly(0L);
    answer(r, "www.example.", "A");
    assertThat(upstream.count()).isEqualTo(2);
  }

  @Test
  void zoneTransfersAndOtherOpcodesAreNotForwarded() {
    CachingResolver r = resolver();
    assertThat(answer(r, "example.", "AXFR").getRcode()).isEqualTo(Rcode.REFUSED);
    Message notify = queryWithEdns("example.", "SOA");
    notify.getHeader().setOpcode(org.xbill.DNS.Opcode.NOTIFY);
    assertThat(r.handle(notify, UDP).toCompletableFuture().join().getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(upstream.count()).isZero();
  }

  @Test
  void inspectShowsRecordsTtlsAndStaleness() {
    CachingResolver r = resolver();
    answer(r, "www.example.", "A");
    clock.advanceSeconds(100);
    EntryView v = r.inspect(name("WWW.example."), Type.A).orElseThrow();
    assertThat(v.name()).isEqualTo("www.example.");
    assertThat(v.type()).isEqualTo("A");
    assertThat(v.kind()).isEqualTo("POSITIVE");
    assertThat(v.originalTtl()).isEqualTo(300);
    assertThat(v.remainingTtl()).isEqualTo(200);
    assertThat(v.stale()).isFalse();
    assertThat(v.storedAt()).isEqualTo(NOW.minusSeconds(100));
    assertThat(v.records()).singleElement().asString().contains("200").contains("192.0.2.1");
    clock.advanceSeconds(250);
    EntryView stale = r.inspect(name("www.example."), Type.A).orElseThrow();
    assertThat(stale.stale()).isTrue();
    assertThat(stale.remainingTtl()).isZero();
    assertThat(r.inspect(name("www.example."))).hasSize(1);
    assertThat(r.inspect(name("other.example."), Type.A)).isEmpty();
  }

  @Test
  void flushNameBelowAndAllMakeTheNextQueryGoUpstream() {
    CachingResolver r = resolver();
    answer(r, "www.example.", "A");
    answer(r, "www.example.", "AAAA");
    answer(r, "alias.example.", "A");
    answer(r, "nope.example.", "A");
    assertThat(upstream.count()).isEqualTo(4);
    assertThat(r.flush(name("www.example."))).isEqualTo(2);
    answer(r, "www.example.", "A");
    assertThat(upstream.count()).isEqualTo(5);
    assertThat(r.flushBelow(name("example."))).isEqualTo(3);
    assertThat(r.inspect(name("alias.example."), Type.A)).isEmpty();
    answer(r, "www.example.", "A");
    assertThat(r.flushAll()).isEqualTo(1);
    assertThat(r.counters().entries()).isZero();
  }

  @Test
  void flushForgetsARememberedFailure() {
    CachingResolver r = resolver();
    upstream.answering((q, t) -> null);
    answer(r, "www.example.", "A");
    upstream.answering(CachingResolverTest::zone);
    r.flush(name("www.example."));
    assertThat(answer(r, "www.example.", "A").getRcode()).isEqualTo(Rcode.NOERROR);
  }
}
