package io.tierdns.node.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.node.report.PeerNode.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropagationEstimatorTest {

  private final PropagationEstimator estimator =
      new PropagationEstimator(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(500), 5);

  private static final PeerNode SECONDARY = new PeerNode("secondary-1", Role.SECONDARY, "regional", null, true);
  private static final PeerNode REGIONAL = new PeerNode("regional", Role.CACHE, "regional", "secondary-1", true);
  private static final PeerNode EDGE = new PeerNode("edge-1", Role.CACHE, "edge", "regional", true);

  @Test
  void withoutHistoryASecondaryIsNotifyDelayPlusTheDefaultTransfer() {
    assertThat(estimator.estimate(List.of(SECONDARY), Map.of(), 0)).containsEntry("secondary-1", 1100L);
  }

  @Test
  void aSecondaryIsNotifyDelayPlusTheMedianOfItsLastHops() {
    for (long hop : new long[] {900, 40, 50, 60, 70, 80}) { // 900 falls out of the last 5
      estimator.recordHop("secondary-1", hop);
    }
    assertThat(estimator.history("secondary-1")).containsExactly(40L, 50L, 60L, 70L, 80L);
    assertThat(estimator.estimate(List.of(SECONDARY), Map.of(), 0)).containsEntry("secondary-1", 160L);
  }

  @Test
  void aSubscribedCacheIsItsUpstreamPlusOneHopDownTheChain() {
    estimator.recordHop("secondary-1", 20);
    estimator.recordHop("regional", 10);
    estimator.recordHop("edge-1", 30);
    estimator.recordHop("edge-1", 50);
    // listed out of chain order on purpose: upstreams are resolved by name
    Map<String, Long> e = estimator.estimate(List.of(EDGE, REGIONAL, SECONDARY), Map.of(), 0);
    assertThat(e).containsEntry("secondary-1", 120L).containsEntry("regional", 130L).containsEntry("edge-1", 170L);
  }

  @Test
  void withoutHistoryTheBoundIsTheDefaultHopTimesTwoPlusTheFloorDownTheChain() {
    Map<String, PropagationEstimator.Estimate> e = estimator.estimates(List.of(SECONDARY, REGIONAL, EDGE), Map.of(), 0);
    // 100 NOTIFY + 1000 × 2 + 250; then + 500 × 2 + 250 per cache
    assertThat(e.get("secondary-1")).isEqualTo(new PropagationEstimator.Estimate(1100, 2350));
    assertThat(e.get("regional")).isEqualTo(new PropagationEstimator.Estimate(1600, 3600));
    assertThat(e.get("edge-1")).isEqualTo(new PropagationEstimator.Estimate(2100, 4850));
  }

  @Test
  void theBoundIsTheLargestRecentHopTimesTwoPlusTheFloorChainedAlongThePath() {
    for (long hop : new long[] {900, 40, 50, 60, 70, 80}) { // 900 falls out of the last 5
      estimator.recordHop("secondary-1", hop);
    }
    estimator.recordHop("regional", 10);
    estimator.recordHop("regional", 30);
    Map<String, PropagationEstimator.Estimate> e = estimator.estimates(List.of(REGIONAL, SECONDARY), Map.of(), 0);
    assertThat(e.get("secondary-1")).isEqualTo(new PropagationEstimator.Estimate(160, 100 + 80 * 2 + 250));
    assertThat(e.get("regional")).isEqualTo(new PropagationEstimator.Estimate(180, 510 + 30 * 2 + 250));
    assertThat(estimator.hopBound("regional", 500)).isEqualTo(310);
  }

  @Test
  void anUnsubscribedCacheIsBoundedByItsTtlExpiryFromTheUpstreamsBound() {
    PeerNode cache = new PeerNode("local", Role.CACHE, "local", "secondary-1", false);
    Map<String, PropagationEstimator.Estimate> e = estimator.estimates(List.of(SECONDARY, cache),
        Map.of("local", new CachedCopies(30_000, 300_000, 5_000)), 300_000);
    assertThat(e.get("local")).isEqualTo(new PropagationEstimator.Estimate(1100 + 305_000, 2350 + 305_000));
    PeerNode belowPrimary = new PeerNode("local", Role.CACHE, "local", null, false);
    assertThat(estimator.estimates(List.of(belowPrimary), Map.of("local", new CachedCopies(30_000, 300_000, 5_000)), 300_000)
        .get("local")).isEqualTo(new PropagationEstimator.Estimate(35_000, 35_000));
  }

  @Test
  void anUnsubscribedCacheBelowTheSecondaryWaitsForTheSecondaryThenAFullOldTtlPlusStale() {
    PeerNode cache = new PeerNode("local", Role.CACHE, "local", "secondary-1", false);
    Map<String, Long> e = estimator.estimate(List.of(SECONDARY, cache),
        Map.of("local", new CachedCopies(30_000, 300_000, 5_000)), 300_000);
    // a refetch just before the secondary has the change caches the old RRset for 300 s
    assertThat(e).containsEntry("local", 1100L + 300_000 + 5_000);
  }

  @Test
  void anUnsubscribedCacheOfThePrimaryIsOnlyItsRemainingTtlPlusStale() {
    PeerNode cache = new PeerNode("local", Role.CACHE, "local", null, false);
    assertThat(estimator.estimate(List.of(cache), Map.of("local", new CachedCopies(30_000, 300_000, 5_000)), 300_000))
        .containsEntry("local", 35_000L);
    assertThat(estimator.estimate(List.of(cache), Map.of("local", new CachedCopies(0, 300_000, 0)), 300_000))
        .containsEntry("local", 0L);
  }

  @Test
  void anUnsubscribedCacheWithoutKnowledgeAssumesTheOldTtl() {
    PeerNode cache = new PeerNode("local", Role.CACHE, "local", null, false);
    assertThat(estimator.estimate(List.of(cache), Map.of(), 60_000)).containsEntry("local", 60_000L);
  }

  @Test
  void belowAnotherCacheTheOldTtlIsNotAddedTwice() {
    PeerNode upper = new PeerNode("regional", Role.CACHE, "regional", null, false);
    PeerNode lower = new PeerNode("edge", Role.CACHE, "edge", "regional", false);
    Map<String, Long> e = estimator.estimate(List.of(upper, lower), Map.of(
        "regional", new CachedCopies(40_000, 60_000, 1_000),
        "edge", new CachedCopies(10_000, 60_000, 2_000)), 60_000);
    assertThat(e).containsEntry("regional", 41_000L).containsEntry("edge", 43_000L);
  }

  @Test
  void anUpstreamLoopDoesNotRecurseForever() {
    PeerNode a = new PeerNode("a", Role.CACHE, "edge", "b", true);
    PeerNode b = new PeerNode("b", Role.CACHE, "edge", "a", true);
    assertThat(estimator.estimate(List.of(a, b), Map.of(), 0)).containsKeys("a", "b");
  }

  @Test
  void historyMustHoldASample() {
    assertThatThrownBy(() -> new PropagationEstimator(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
