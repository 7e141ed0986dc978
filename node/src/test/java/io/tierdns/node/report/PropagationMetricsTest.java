package io.tierdns.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tierdns.authoritative.serial.Serial;
import io.tierdns.node.report.NodeReport.State;
import io.tierdns.node.report.PeerNode.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropagationMetricsTest {

  private static final String ZONE = "example.test.";
  private static final PeerNode SEC = new PeerNode("secondary", Role.SECONDARY, "regional", null, true);
  private static final PeerNode EDGE = new PeerNode("edge", Role.CACHE, "edge", "secondary", true);
  private static final PeerNode LOCAL = new PeerNode("local", Role.CACHE, "local", "edge", false);

  private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T12:00:00Z"));
  private final PropagationTracker tracker = new PropagationTracker(clock,
      new PropagationEstimator(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMillis(500), 5), 10);
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final PropagationMetrics metrics = new PropagationMetrics(registry, tracker, clock);

  {
    tracker.observer(metrics);
  }

  @Test
  void lagCountsFromTheOldestChangeANodeDoesNotServeAndIsZeroOnceCurrent() {
    metrics.track(tracker.committed(ZONE, 10, List.of(SEC, EDGE), Map.of(), 60_000));
    clock.advance(Duration.ofSeconds(2));
    metrics.track(tracker.committed(ZONE, 11, List.of(SEC, EDGE), Map.of(), 60_000));
    clock.advance(Duration.ofMillis(1500));

    assertThat(gauge("propagation_lag_seconds", "secondary")).isEqualTo(3.5);
    tracker.observe(ZONE, "secondary", 10, clock.instant());
    assertThat(gauge("propagation_lag_seconds", "secondary")).isEqualTo(1.5);
    tracker.observe(ZONE, "secondary", 11, clock.instant());
    assertThat(gauge("propagation_lag_seconds", "secondary")).isZero();
    assertThat(gauge("propagation_lag_seconds", "edge")).isEqualTo(3.5);
  }

  @Test
  void forgettingADeletedZoneRemovesItsGaugesAndLeavesOtherZones() {
    metrics.track(tracker.committed(ZONE, 10, List.of(SEC, EDGE), Map.of(), 60_000));
    metrics.track(tracker.committed("other.test.", 1, List.of(SEC), Map.of(), 60_000));
    tracker.forget(ZONE);
    metrics.forget(ZONE);
    clock.advance(Duration.ofHours(1));
    assertThat(registry.scrape()).doesNotContain("zone=\"example.test.\"")
        .contains("propagation_lag_seconds{node=\"secondary\",zone=\"other.test.\"} 3600.0");
    // a zone made again under the same name gets its gauges again
    metrics.track(tracker.committed(ZONE, 1, List.of(SEC), Map.of(), 60_000));
    assertThat(gauge("propagation_lag_seconds", "secondary")).isZero();
  }

  @Test
  void serialDeltaIsTheRfc1982DistanceAcrossTheWrapAround() {
    long before = Serial.MAX - 1; // 4294967294; two changes later the serial wraps to 0
    metrics.track(tracker.committed(ZONE, before, List.of(SEC, EDGE), Map.of(), 60_000));
    tracker.observe(ZONE, "secondary", before, clock.instant());
    tracker.committed(ZONE, Serial.MAX, List.of(SEC, EDGE), Map.of(), 60_000);
    tracker.committed(ZONE, 0, List.of(SEC, EDGE), Map.of(), 60_000);

    assertThat(gauge("propagation_serial_delta", "secondary")).isEqualTo(2.0);
    assertThat(gauge("propagation_serial_delta", "edge")).isNaN(); // nothing known of it yet
    tracker.observe(ZONE, "edge", 0, clock.instant());
    assertThat(gauge("propagation_serial_delta", "edge")).isZero();
  }

  @Test
  void serialDeltaNearTheMidpointStaysAPositiveDistance() {
    long node = 100;
    long primary = Serial.add(node, Serial.HALF - 1); // the farthest a newer serial can be
    List<Change> changes = List.of(
        new Change(ZONE, node, clock.instant(), List.of(report("secondary", node, true))),
        new Change(ZONE, primary, clock.instant(), List.of(report("secondary", node, false))));
    assertThat(PropagationMetrics.serialDelta(changes, "secondary")).isEqualTo((double) (Serial.HALF - 1));
  }

  @Test
  void anUnsubscribedCacheCountsAsCurrentOnceItsOldCopiesExpired() {
    metrics.track(tracker.committed(ZONE, 5, List.of(LOCAL), Map.of("local", new CachedCopies(20_000, 60_000, 0)), 60_000));
    assertThat(gauge("propagation_serial_delta", "local")).isNaN();
    clock.advance(Duration.ofSeconds(20));
    tracker.tick();
    assertThat(gauge("propagation_serial_delta", "local")).isZero();
    assertThat(gauge("propagation_lag_seconds", "local")).isZero();
    assertThat(registry.scrape()).contains("propagation_time_to_visible_seconds_count{tier=\"local\"} 1");
  }

  @Test
  void measuredTimesFeedAHistogramPerTierInThePrometheusText() {
    metrics.track(tracker.committed(ZONE, 7, List.of(SEC, EDGE), Map.of(), 60_000));
    tracker.observe(ZONE, "secondary", 7, clock.instant().plusMillis(40));
    tracker.observe(ZONE, "edge", 7, clock.instant().plusMillis(90));

    String text = registry.scrape();
    assertThat(text)
        .contains("propagation_time_to_visible_seconds_count{tier=\"regional\"} 1")
        .contains("propagation_time_to_visible_seconds_sum{tier=\"edge\"} 0.09")
        .contains("propagation_time_to_visible_seconds_bucket{tier=\"edge\",le=")
        .contains("propagation_lag_seconds{node=\"edge\",zone=\"example.test.\"} 0.0")
        .contains("propagation_serial_delta{node=\"secondary\",zone=\"example.test.\"} 0.0");
  }

  private double gauge(String prometheusName, String node) {
    String name = prometheusName.equals("propagation_lag_seconds") ? PropagationMetrics.LAG : PropagationMetrics.SERIAL_DELTA;
    return registry.get(name).tag("zone", ZONE).tag("node", node).gauge().value();
  }

  private static NodeReport report(String node, long serial, boolean propagated) {
    return new NodeReport(node, Role.SECONDARY, "regional", propagated ? State.PROPAGATED : State.PENDING, serial,
        propagated ? 10L : null, 1000, 2250, propagated ? "observed" : "pending");
  }
}
