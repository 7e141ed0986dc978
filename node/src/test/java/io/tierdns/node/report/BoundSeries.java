package io.tierdns.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.tree.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The checks of a series of edits on a live hierarchy (docs/propagation.md, "How close: observed
 * numbers"), for the tests that run one: at every node the measured time never exceeds the upper
 * bound, the estimate is within a stated factor of what was measured, and the bound is not uselessly
 * loose over the series.
 */
final class BoundSeries {

  /**
   * Measured ≤ bound always; per node, the largest bound ≤ BOUND_FACTOR × the slowest measured time +
   * BOUND_SLACK_MS (see docs/propagation.md).
   */
  static final long BOUND_FACTOR = 20;
  static final long BOUND_SLACK_MS = 1_000;
  /** The estimate (a median) is within ESTIMATE_FACTOR of what was measured, give or take ESTIMATE_SLACK_MS. */
  static final long ESTIMATE_FACTOR = 5;
  static final long ESTIMATE_SLACK_MS = 250;

  private final Map<String, Long> slowest = new HashMap<>();
  private final Map<String, Long> loosest = new HashMap<>();

  /**
   * The report of the warm-up edit, the first after start-up (estimated with the cold-start
   * defaults): every node's measured time is within its bound, and counts towards its slowest.
   */
  void warmUp(JsonNode report) {
    for (JsonNode n : report.get("nodes").values()) {
      assertThat(n.get("measuredMs").getLongValue()).as("warm-up %s", n).isLessThanOrEqualTo(n.get("upperBoundMs").getLongValue());
    }
    // the bound is not uselessly loose: per node, the largest bound of the series is within
    // BOUND_FACTOR × the slowest time measured there (a slow hop stays in the history for 20 edits)
    for (JsonNode n : report.get("nodes").values()) {
      slowest.merge(n.get("node").getStringValue(), n.get("measuredMs").getLongValue(), Math::max);
    }
  }

  /** One node's times for one edit of the series ({@code what} names them in a failure). */
  void check(String what, String node, long measured, long estimate, long bound) {
    assertThat(bound).as(what).isGreaterThanOrEqualTo(estimate);
    assertThat(measured).as(what).isLessThanOrEqualTo(bound);
    slowest.merge(node, measured, Math::max);
    loosest.merge(node, bound, Math::max);
    assertThat(estimate).as(what).isLessThanOrEqualTo(ESTIMATE_FACTOR * measured + ESTIMATE_SLACK_MS);
    assertThat(measured).as(what).isLessThanOrEqualTo(ESTIMATE_FACTOR * estimate + ESTIMATE_SLACK_MS);
  }

  /** After the series: per node, the largest bound within BOUND_FACTOR × its slowest time + BOUND_SLACK_MS. */
  void assertBoundsNotLoose() {
    for (var e : loosest.entrySet()) {
      assertThat(e.getValue()).as("largest bound of %s vs its slowest measured %d ms", e.getKey(), slowest.get(e.getKey()))
          .isLessThanOrEqualTo(BOUND_FACTOR * slowest.get(e.getKey()) + BOUND_SLACK_MS);
    }
  }
}
