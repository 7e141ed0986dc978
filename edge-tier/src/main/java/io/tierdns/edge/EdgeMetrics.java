package io.tierdns.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.xbill.DNS.Name;

/**
 * The edge tier's meters: {@code edge.notifies.received{zone}}, {@code
 * edge.evictions{zone,kind}} (kind = rrset, negative, chain, below), {@code
 * edge.ixfr{zone,result}} (result = baseline, uptodate, incremental, full, failed) and {@code
 * edge.propagation{zone}}, the time from NOTIFY receipt to eviction done (with percentiles).
 * {@link #NOOP} records nothing.
 */
public class EdgeMetrics {

  /** Records nothing. */
  public static final EdgeMetrics NOOP = new EdgeMetrics(null);

  private final MeterRegistry registry;

  /** Meters in {@code registry}; {@code null} records nothing. */
  public EdgeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void notifyReceived(Name zone) {
    if (registry != null) {
      Counter.builder("edge.notifies.received").tag("zone", zone.toString()).register(registry).increment();
    }
  }

  public void evicted(Name zone, Evictions e) {
    if (registry == null) {
      return;
    }
    count(zone, "rrset", e.rrset());
    count(zone, "negative", e.negative());
    count(zone, "chain", e.chain());
    count(zone, "below", e.below());
  }

  private void count(Name zone, String kind, int n) {
    Counter.builder("edge.evictions").tag("zone", zone.toString()).tag("kind", kind)
        .register(registry).increment(n);
  }

  public void ixfr(Name zone, String result) {
    if (registry != null) {
      Counter.builder("edge.ixfr").tag("zone", zone.toString()).tag("result", result)
          .register(registry).increment();
    }
  }

  public void propagation(Name zone, Duration d) {
    if (registry != null) {
      Timer.builder("edge.propagation").tag("zone", zone.toString())
          .publishPercentiles(0.5, 0.99)
          .register(registry)
          .record(d);
    }
  }
}
