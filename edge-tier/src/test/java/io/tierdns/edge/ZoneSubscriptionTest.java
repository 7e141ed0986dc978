package io.tierdns.edge;

import static io.tierdns.edge.ZoneUpstream.ZONE;
import static io.tierdns.edge.ZoneUpstream.zone;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.cache.CachePolicy;
import io.tierdns.cache.CachingResolver;
import io.tierdns.cache.FakeClock;
import io.tierdns.cache.ForwardTable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * A subscription with a scripted upstream: the catch-up re-eviction when one of several
 * upstreams applies a change after the others (it served the old data until then).
 */
class ZoneSubscriptionTest {

  static final String V1 =
      "@ SOA ns1 hostmaster 10 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.3\n";
  static final String V2 = V1.replace("10 7200", "11 7200").replace("192.0.2.3", "192.0.2.4");
  static final InetSocketAddress FIRST = new InetSocketAddress("127.0.0.1", 5301);
  static final InetSocketAddress LAGGING = new InetSocketAddress("127.0.0.2", 5302);

  final FakeClock clock = new FakeClock();
  /** What the cache's misses reach: the lagging upstream, still at V1 until it catches up. */
  final ZoneUpstream lagging = new ZoneUpstream(zone(V1));
  final CachingResolver resolver =
      CachingResolver.builder(ForwardTable.of(lagging), clock)
          .policy(CachePolicy.defaults()).ticker(clock).executor(Runnable::run).build();
  final Script fetcher = new Script();
  final List<Long> notifiedBelow = new ArrayList<>();
  final ZoneSubscription sub =
      new ZoneSubscription(
          new SubscriptionConfig(ZONE, List.of(FIRST, LAGGING), List.of()),
          new CacheEvictor(resolver), fetcher, (z, soa) -> notifiedBelow.add(soa.getSerial()),
          new RelayHistory(ZONE), EdgeMetrics.NOOP, clock, clock, Runnable::run, Duration.ZERO);

  /** The newest version, as every upstream that NOTIFYs us answers it. */
  static final class Script implements ZoneFetcher {
    ZoneSnapshot current = zone(V1);
    List<ZoneDiff> diffs = List.of();
    final List<String> asked = new ArrayList<>();

    @Override
    public CompletionStage<SOARecord> soa(InetSocketAddress upstream, Name zone) {
      asked.add("SOA");
      return CompletableFuture.completedFuture(current.soa());
    }

    @Override
    public CompletionStage<IxfrResult> ixfr(InetSocketAddress upstream, Name zone, SOARecord from) {
      asked.add("IXFR " + from.getSerial());
      return CompletableFuture.completedFuture(new IxfrResult.Incremental(diffs));
    }
  }

  String www() {
    return CacheEvictionTest.answer(CacheEvictionTest.ask(resolver, "www", Type.A));
  }

  void change() {
    ZoneSnapshot v1 = fetcher.current;
    fetcher.current = zone(V2);
    fetcher.diffs = List.of(Diffs.between(v1, fetcher.current));
  }

  @Test
  void aNotifyFromAnUpstreamThatCaughtUpEvictsWhatItServedBeforeAndIsPassedOn() {
    sub.start();
    assertThat(www()).isEqualTo("NOERROR [192.0.2.3]");
    change();

    RefreshOutcome first = sub.notified(FIRST).toCompletableFuture().join();
    assertThat(first.result()).isEqualTo(RefreshOutcome.INCREMENTAL);
    // a miss in the window reaches the upstream that has not applied the change yet
    assertThat(www()).isEqualTo("NOERROR [192.0.2.3]");

    lagging.serve(zone(V2));
    RefreshOutcome caughtUp = sub.notified(LAGGING).toCompletableFuture().join();

    assertThat(caughtUp.result()).isEqualTo(RefreshOutcome.UP_TO_DATE);
    assertThat(caughtUp.evictions().rrset()).isEqualTo(1);
    assertThat(www()).isEqualTo("NOERROR [192.0.2.4]");
    assertThat(notifiedBelow).containsExactly(11L, 11L);
  }

  @Test
  void aNotifyAtOurSerialAfterTheBaselineEvictsNothingAndIsNotPassedOn() {
    sub.start();
    assertThat(www()).isEqualTo("NOERROR [192.0.2.3]");

    RefreshOutcome o = sub.notified(FIRST).toCompletableFuture().join();

    assertThat(o.result()).isEqualTo(RefreshOutcome.UP_TO_DATE);
    assertThat(o.evictions()).isEqualTo(Evictions.NONE);
    assertThat(resolver.inspect(ZoneUpstream.name("www"), Type.A)).isPresent();
    assertThat(notifiedBelow).isEmpty();
  }

  @Test
  void aNotifyAnnouncingItsSerialSavesTheSoaQuery() {
    sub.start();
    assertThat(www()).isEqualTo("NOERROR [192.0.2.3]");
    change();

    RefreshOutcome first = sub.notified(FIRST, 11).toCompletableFuture().join();
    assertThat(first.result()).isEqualTo(RefreshOutcome.INCREMENTAL);
    assertThat(www()).isEqualTo("NOERROR [192.0.2.3]"); // from the lagging upstream
    lagging.serve(zone(V2));
    RefreshOutcome caughtUp = sub.notified(LAGGING, 11).toCompletableFuture().join();

    assertThat(caughtUp.result()).isEqualTo(RefreshOutcome.UP_TO_DATE);
    assertThat(caughtUp.evictions().rrset()).isEqualTo(1);
    assertThat(www()).isEqualTo("NOERROR [192.0.2.4]");
    assertThat(fetcher.asked).containsExactly("SOA", "IXFR 10"); // the SOA is the baseline's
    assertThat(notifiedBelow).containsExactly(11L, 11L);
  }

  @Test
  void aFailedIxfrAskedWithoutAnSoaQueryFlushesTheZoneAndTakesANewBaseline() {
    sub.start();
    assertThat(www()).isEqualTo("NOERROR [192.0.2.3]");
    ZoneFetcher failing =
        new ZoneFetcher() {
          @Override
          public CompletionStage<SOARecord> soa(InetSocketAddress upstream, Name zone) {
            return fetcher.soa(upstream, zone);
          }

          @Override
          public CompletionStage<IxfrResult> ixfr(InetSocketAddress upstream, Name zone, SOARecord from) {
            return CompletableFuture.failedFuture(new java.io.IOException("connection reset"));
          }
        };
    ZoneSubscription s =
        new ZoneSubscription(
            new SubscriptionConfig(ZONE, List.of(FIRST), List.of()),
            new CacheEvictor(resolver), failing, (z, soa) -> notifiedBelow.add(soa.getSerial()),
            new RelayHistory(ZONE), EdgeMetrics.NOOP, clock, clock, Runnable::run, Duration.ZERO);
    s.start();

    RefreshOutcome o = s.notified(FIRST, 11).toCompletableFuture().join();

    assertThat(o.result()).isEqualTo(RefreshOutcome.FAILED);
    assertThat(resolver.inspect(ZoneUpstream.name("www"), Type.A)).isEmpty();
    assertThat(s.soa()).isEmpty();
    assertThat(s.start().toCompletableFuture().join().result()).isEqualTo(RefreshOutcome.BASELINE);
  }
}
