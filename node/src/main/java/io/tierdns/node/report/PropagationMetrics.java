package io.tierdns.node.report;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tierdns.authoritative.serial.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The propagation report as Prometheus metrics, registered in the primary's {@link MeterRegistry}:
 *
 * <ul>
 *   <li>{@code propagation_lag_seconds{zone,node}}: time since the oldest recorded change the node
 *       does not serve yet, 0 when it serves every one;
 *   <li>{@code propagation_serial_delta{zone,node}}: RFC 1982 distance from the node's serial to the
 *       primary's latest, NaN while nothing is known of the node;
 *   <li>{@code propagation_time_to_visible_seconds{tier}}: a histogram of measured commit → visible
 *       times (an unsubscribed cache counts at its TTL-expiry time).
 * </ul>
 *
 * <p>Gauges are registered for a (zone, node) the first time a commit names it, removed when the
 * zone is deleted, and read the tracker when scraped; the values are computed by the pure {@link #lagSeconds} and {@link #serialDelta}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1982#section-3">RFC 1982 §3</a>
 */
public final class PropagationMetrics implements PropagationObserver {

  static final String LAG = "propagation.lag";
  static final String SERIAL_DELTA = "propagation.serial.delta";
  static final String TIME_TO_VISIBLE = "propagation.time.to.visible";

  private final MeterRegistry registry;
  private final PropagationTracker tracker;
  private final Clock clock;
  private final Set<String> gauges = ConcurrentHashMap.newKeySet();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public PropagationMetrics(MeterRegistry registry, PropagationTracker tracker, Clock clock) {
    this.registry = registry;
    this.tracker = tracker;
    this.clock = clock;
  }

  /** Registers the gauges of every node of a change not seen before. Call outside the tracker's lock. */
  public void track(Change change) {
    String zone = change.zone();
    for (NodeReport n : change.nodes()) {
      String node = n.node();
      if (!gauges.add(zone + "\u0000" + node)) {
        continue;
      }
      Gauge.builder(LAG, tracker, t -> lagSeconds(t.changes(zone), node, clock.instant()))
          .description("Time since the oldest change the node does not serve yet; 0 when current")
          .baseUnit("seconds").tag("zone", zone).tag("node", node).strongReference(true).register(registry);
      Gauge.builder(SERIAL_DELTA, tracker, t -> serialDelta(t.changes(zone), node))
          .description("RFC 1982 distance between the primary's serial and the node's")
          .tag("zone", zone).tag("node", node).strongReference(true).register(registry);
    }
  }

  /**
   * Removes the gauges of a zone no longer served: left registered, its lag would keep growing
   * from a change that can never propagate and fire the lag alert (docs/propagation.md).
   */
  public void forget(String zone) {
    gauges.removeIf(key -> key.startsWith(zone + "\u0000"));
    for (String name : List.of(LAG, SERIAL_DELTA)) {
      registry.find(name).tag("zone", zone).meters().forEach(registry::remove);
    }
  }

  @Override
  public void propagated(String zone, long serial, NodeReport node) {
    if (node.measuredMs() != null) {
      timers.computeIfAbsent(node.tier(), tier -> Timer.builder(TIME_TO_VISIBLE)
              .description("Commit at the primary to visible at a node, per tier")
              .tag("tier", tier).publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
              .register(registry))
          .record(Duration.ofMillis(node.measuredMs()));
    }
  }

  /**
   * Seconds since the oldest change in {@code changes} still pending at {@code node}; 0 when none
   * is (or the node is not in any).
   */
  public static double lagSeconds(List<Change> changes, String node, Instant now) {
    for (Change c : changes) { // oldest first
      for (NodeReport n : c.nodes()) {
        if (n.node().equals(node) && !n.propagated()) {
          return Math.max(0, Duration.between(c.committedAt(), now).toMillis()) / 1000.0;
        }
      }
    }
    return 0;
  }

  /**
   * How many serials the node is behind the latest change (RFC 1982 arithmetic, so a wrap-around
   * counts as the short way): 0 when it serves the latest, NaN when nothing is known of it. The
   * node's serial is the newest it was seen serving or the newest change it has propagated
   * (unsubscribed caches are never seen, only settled).
   */
  public static double serialDelta(List<Change> changes, String node) {
    if (changes.isEmpty()) {
      return Double.NaN;
    }
    long primary = changes.get(changes.size() - 1).serial();
    long known = -1;
    for (Change c : changes) {
      for (NodeReport n : c.nodes()) {
        if (!n.node().equals(node)) {
          continue;
        }
        known = newer(known, n.serial());
        if (n.propagated()) {
          known = newer(known, c.serial());
        }
      }
    }
    if (known < 0) {
      return Double.NaN;
    }
    if (Serial.isAtLeast(known, primary)) {
      return 0;
    }
    return Math.floorMod(primary - known, Serial.MODULUS);
  }

  private static long newer(long known, long candidate) {
    if (candidate < 0) {
      return known;
    }
    return known < 0 || Serial.isNewer(candidate, known) ? candidate : known;
  }
}
