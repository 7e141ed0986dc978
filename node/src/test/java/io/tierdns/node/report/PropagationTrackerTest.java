package io.tierdns.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.node.report.NodeReport.State;
import io.tierdns.node.report.PeerNode.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PropagationTrackerTest {

  private static final String ZONE = "example.test.";
  private static final PeerNode SEC = new PeerNode("secondary-1", Role.SECONDARY, "regional", null, true);
  private static final PeerNode REGIONAL = new PeerNode("regional", Role.CACHE, "regional", "secondary-1", true);
  // a resolver asking the primary directly: its old copies are gone once their remaining TTL ends
  private static final PeerNode LOCAL = new PeerNode("local", Role.CACHE, "local", null, false);
  private static final List<PeerNode> PEERS = List.of(SEC, REGIONAL, LOCAL);

  private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T12:00:00Z"));
  private final PropagationTracker tracker = new PropagationTracker(clock,
      new PropagationEstimator(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(500), 5), 3);

  @Test
  void aCommitRecordsEveryNodePendingWithItsEstimate() {
    Change c = tracker.committed(ZONE, 7, PEERS, Map.of("local", new CachedCopies(20_000, 60_000, 0)), 60_000);
    assertThat(c.committedAt()).isEqualTo(clock.instant());
    assertThat(c.nodes()).extracting(NodeReport::node).containsExactly("secondary-1", "regional", "local");
    assertThat(c.nodes()).allMatch(n -> n.state() == State.PENDING && n.measuredMs() == null);
    assertThat(c.nodes()).extracting(NodeReport::estimateMs).containsExactly(1100L, 1600L, 20_000L);
    // bounds: 100 + 1000 × 2 + 250, then + 500 × 2 + 250; the cache's copies expire after 20 s either way
    assertThat(c.nodes()).extracting(NodeReport::upperBoundMs).containsExactly(2350L, 3600L, 20_000L);
  }

  @Test
  void anObservedSerialSettlesTheChangeWithTheTimeFromCommit() {
    tracker.committed(ZONE, 7, PEERS, Map.of(), 60_000);
    Instant commit = clock.instant();
    clock.advance(Duration.ofMillis(400));
    tracker.observe(ZONE, "secondary-1", 7, commit.plusMillis(250));
    NodeReport sec = tracker.change(ZONE, null).orElseThrow().nodes().get(0);
    assertThat(sec.state()).isEqualTo(State.PROPAGATED);
    assertThat(sec.measuredMs()).isEqualTo(250L);
    assertThat(sec.serial()).isEqualTo(7L);
    assertThat(sec.basis()).isEqualTo("observed");
  }

  @Test
  void anOlderSerialLeavesTheNodePendingButShowsWhatItServes() {
    tracker.committed(ZONE, 7, PEERS, Map.of(), 60_000);
    tracker.observe(ZONE, "secondary-1", 6, clock.instant());
    NodeReport sec = tracker.change(ZONE, 7L).orElseThrow().nodes().get(0);
    assertThat(sec.state()).isEqualTo(State.PENDING);
    assertThat(sec.serial()).isEqualTo(6L);
  }

  @Test
  void oneNewerSerialSettlesEveryEarlierPendingChange() {
    tracker.committed(ZONE, 7, PEERS, Map.of(), 60_000);
    clock.advance(Duration.ofMillis(100));
    tracker.committed(ZONE, 8, PEERS, Map.of(), 60_000);
    clock.advance(Duration.ofMillis(100));
    tracker.observe(ZONE, "secondary-1", 8, clock.instant());
    assertThat(tracker.change(ZONE, 7L).orElseThrow().nodes().get(0).measuredMs()).isEqualTo(200L);
    assertThat(tracker.change(ZONE, 8L).orElseThrow().nodes().get(0).measuredMs()).isEqualTo(100L);
  }

  @Test
  void serialsAcrossTheWrapAroundCompareByRfc1982() {
    long before = 4294967295L; // 2^32 - 1
    tracker.committed(ZONE, before, PEERS, Map.of(), 60_000);
    tracker.committed(ZONE, 2, PEERS, Map.of(), 60_000);
    tracker.observe(ZONE, "secondary-1", 2, clock.instant());
    assertThat(tracker.change(ZONE, before).orElseThrow().nodes().get(0).propagated()).isTrue();
    // the midpoint is undefined (RFC 1982 §3.2): not "at least"
    tracker.committed(ZONE, 10, PEERS, Map.of(), 60_000);
    tracker.observe(ZONE, "regional", 10 + (1L << 31), clock.instant());
    assertThat(tracker.change(ZONE, 10L).orElseThrow().nodes().get(1).propagated()).isFalse();
  }

  @Test
  void anUnsubscribedCacheIsPropagatedWhenItsOldCopiesHaveExpired() {
    tracker.committed(ZONE, 7, PEERS, Map.of("local", new CachedCopies(20_000, 60_000, 0)), 60_000);
    clock.advance(Duration.ofMillis(19_999));
    assertThat(tracker.change(ZONE, 7L).orElseThrow().nodes().get(2).state()).isEqualTo(State.PENDING);
    clock.advance(Duration.ofMillis(1));
    NodeReport local = tracker.change(ZONE, 7L).orElseThrow().nodes().get(2);
    assertThat(local.state()).isEqualTo(State.PROPAGATED);
    assertThat(local.basis()).isEqualTo("ttl-expiry");
    assertThat(local.measuredMs()).isEqualTo(20_000L);
  }

  @Test
  void measuredHopsFeedTheNextEstimate() {
    tracker.committed(ZONE, 7, PEERS, Map.of(), 60_000);
    Instant commit = clock.instant();
    tracker.observe(ZONE, "secondary-1", 7, commit.plusMillis(130)); // hop = 130 - 100 notify delay
    tracker.observe(ZONE, "regional", 7, commit.plusMillis(150)); // hop = 20 after the secondary
    Change next = tracker.committed(ZONE, 8, PEERS, Map.of("local", new CachedCopies(0, 60_000, 0)), 60_000);
    assertThat(next.nodes()).extracting(NodeReport::estimateMs).startsWith(130L, 150L);
  }

  @Test
  void aCacheSeenBeforeItsUpstreamTeachesNoHop() {
    tracker.committed(ZONE, 7, PEERS, Map.of(), 60_000);
    tracker.observe(ZONE, "regional", 7, clock.instant());
    assertThat(tracker.estimator().history("regional")).isEmpty();
  }

  @Test
  void theHistoryKeepsTheLastChangesPerZone() {
    for (long s = 1; s <= 5; s++) {
      tracker.committed(ZONE, s, PEERS, Map.of(), 0);
    }
    assertThat(tracker.changes(ZONE)).extracting(Change::serial).containsExactly(3L, 4L, 5L);
    assertThat(tracker.change(ZONE, 1L)).isEmpty();
    assertThat(tracker.change("other.test.", null)).isEmpty();
  }

  @Test
  void aWaitCompletesWhenTheScopeHasTheChangeAndNamesLaggardsMeanwhile() {
    tracker.committed(ZONE, 7, PEERS, Map.of("local", new CachedCopies(5_000, 60_000, 0)), 60_000);
    CompletableFuture<Change> secondaries = tracker.whenPropagated(ZONE, 7, WaitScope.SECONDARIES);
    CompletableFuture<Change> all = tracker.whenPropagated(ZONE, 7, WaitScope.ALL);
    assertThat(secondaries).isNotDone();
    tracker.observe(ZONE, "secondary-1", 7, clock.instant());
    assertThat(secondaries).isCompleted();
    assertThat(all).isNotDone();
    assertThat(tracker.change(ZONE, 7L).orElseThrow().laggards(WaitScope.ALL)).containsExactly("regional", "local");
    tracker.observe(ZONE, "regional", 7, clock.instant());
    clock.advance(Duration.ofSeconds(5));
    tracker.tick();
    assertThat(all).isCompleted();
    assertThat(tracker.whenPropagated(ZONE, 7, WaitScope.ALL)).isCompleted();
    assertThat(tracker.whenPropagated(ZONE, 99, WaitScope.ALL)).isCompletedExceptionally();
  }

  @Test
  void onlyNodesThatReportTheirSerialAreAwaitedByPolling() {
    tracker.committed(ZONE, 7, PEERS, Map.of(), 60_000);
    assertThat(tracker.awaitingObservations()).isTrue();
    tracker.observe(ZONE, "secondary-1", 7, clock.instant());
    tracker.observe(ZONE, "regional", 7, clock.instant());
    assertThat(tracker.awaitingObservations()).isFalse(); // "local" settles by TTL expiry alone
  }
}
