package io.tierdns.cache;

import static io.tierdns.cache.Dns.queryWithEdns;
import static io.tierdns.cache.Dns.response;
import static io.tierdns.cache.Dns.rr;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

class MicrometerResolverObserverTest {

  private final FakeClock clock = new FakeClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final QueryContext udp = new QueryContext(Transport.UDP, null, null);

  @Test
  void resolverEventsAreCountedUnderTheCachePrefix() {
    FakeUpstream up =
        new FakeUpstream("192.0.2.53:53")
            .answering((q, t) -> response(q, Rcode.NOERROR, List.of(rr("www.example.", "A", 60, "192.0.2.1")), List.of()));
    MicrometerResolverObserver metrics = new MicrometerResolverObserver(registry, "tier", "local");
    CachingResolver r =
        CachingResolver.builder(ForwardTable.of(up), clock)
            .ticker(clock)
            .executor(Runnable::run)
            .observer(metrics)
            .build();
    metrics.bind(r);

    r.handle(queryWithEdns("www.example.", "A"), udp).toCompletableFuture().join();
    r.handle(queryWithEdns("www.example.", "A"), udp).toCompletableFuture().join();
    clock.advanceSeconds(61);
    up.answering((q, t) -> response(q, Rcode.SERVFAIL, List.of(), List.of()));
    r.handle(queryWithEdns("www.example.", "A"), udp).toCompletableFuture().join();

    assertThat(registry.get("cache.hits").tag("tier", "local").counter().count()).isEqualTo(1);
    assertThat(registry.get("cache.misses").counter().count()).isEqualTo(2);
    assertThat(registry.get("cache.stale.answers").counter().count()).isEqualTo(1);
    assertThat(registry.get("cache.upstream.latency").tag("upstream", "192.0.2.53:53").timer().count())
        .isEqualTo(2);
    assertThat(registry.get("cache.upstream.errors").tag("kind", "servfail").counter().count()).isEqualTo(1);
    assertThat(registry.get("cache.entries").gauge().value()).isEqualTo(1);
    assertThat(registry.get("cache.size.bytes").gauge().value()).isPositive();
    assertThat(r.counters().upstreamQueries()).isEqualTo(2);
  }
}
