package io.tierdns.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.node.report.NodeReport.State;
import io.tierdns.node.report.PeerNode.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a node of another process says is checked before the report believes it: a lying node is
 * marked inconsistent and stays pending while the other nodes are reported right.
 */
class PeerAnswerCheckTest {

  private static final String ZONE = "example.test.";
  private static final Duration SKEW = Duration.ofSeconds(1);
  private static final PeerNode HONEST = new PeerNode("honest", Role.SECONDARY, "regional", null, true);
  private static final PeerNode LIAR = new PeerNode("liar", Role.SECONDARY, "regional", null, true);

  private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T12:00:00Z"));
  private final PropagationTracker tracker = new PropagationTracker(clock,
      PropagationEstimator.withNotifyDelay(Duration.ZERO), 10);

  private Instant commit(long serial) {
    tracker.committed(ZONE, serial, List.of(HONEST, LIAR), Map.of(), 60_000);
    return clock.instant();
  }

  private NodeReport node(long serial, String name) {
    return tracker.change(ZONE, serial).orElseThrow().nodes().stream().filter(n -> n.node().equals(name)).findFirst()
        .orElseThrow();
  }

  @Test
  void aSerialNewerThanThePrimarysIsInconsistentAndSettlesNothing() {
    Instant at = commit(10);
    clock.advance(Duration.ofMillis(30));
    assertThat(tracker.report(ZONE, "honest", 10, at.plusMillis(12), SKEW)).isEmpty();
    assertThat(tracker.report(ZONE, "liar", 11, null, SKEW))
        .contains("inconsistent: serial 11 is newer than the primary's 10");
    assertThat(node(10, "liar").state()).isEqualTo(State.PENDING);
    assertThat(node(10, "liar").status()).isEqualTo("inconsistent: serial 11 is newer than the primary's 10");
    assertThat(node(10, "liar").serial()).isEqualTo(-1); // the lie is not shown as its serial
    assertThat(node(10, "honest").state()).isEqualTo(State.PROPAGATED);
    assertThat(node(10, "honest").measuredMs()).isEqualTo(12L);
    assertThat(node(10, "honest").status()).isNull();
  }

  @Test
  void aSerialGoingBackwardsIsInconsistent() {
    Instant at = commit(10);
    assertThat(tracker.report(ZONE, "liar", 10, at.plusMillis(5), SKEW)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    commit(11);
    assertThat(tracker.report(ZONE, "liar", 9, null, SKEW)).contains("inconsistent: serial went backwards from 10 to 9");
    assertThat(node(11, "liar").status()).startsWith("inconsistent: serial went backwards");
    assertThat(node(10, "liar").state()).isEqualTo(State.PROPAGATED); // what was true stays true
  }

  @Test
  void anApplyTimeBeforeTheCommitIsInconsistentBeyondTheClockSkew() {
    Instant at = commit(10);
    clock.advance(Duration.ofSeconds(2));
    assertThat(tracker.report(ZONE, "liar", 10, at.minusSeconds(5), SKEW)).hasValueSatisfying(p ->
        assertThat(p).startsWith("inconsistent: serial 10 applied at 2024-05-01T11:59:55Z, before serial 10 was committed"));
    assertThat(node(10, "liar").state()).isEqualTo(State.PENDING);
    // within the skew it counts as 0 ms
    assertThat(tracker.report(ZONE, "honest", 10, at.minusMillis(400), SKEW)).isEmpty();
    assertThat(node(10, "honest").measuredMs()).isZero();
  }

  @Test
  void anApplyTimeInTheFutureIsInconsistent() {
    commit(10);
    assertThat(tracker.report(ZONE, "liar", 10, clock.instant().plusSeconds(60), SKEW))
        .hasValueSatisfying(p -> assertThat(p).endsWith(", in the future"));
    assertThat(node(10, "liar").state()).isEqualTo(State.PENDING);
  }

  @Test
  void anUnreachableNodeShowsWhyUntilItAnswersAgain() {
    Instant at = commit(10);
    tracker.status(ZONE, "liar", "unreachable: no answer within 1000 ms");
    assertThat(node(10, "liar").status()).isEqualTo("unreachable: no answer within 1000 ms");
    assertThat(tracker.change(ZONE, 10L).orElseThrow().laggards(WaitScope.ALL)).containsExactly("honest", "liar");
    clock.advance(Duration.ofMillis(700));
    assertThat(tracker.report(ZONE, "liar", 10, null, SKEW)).isEmpty();
    assertThat(node(10, "liar").status()).isNull();
    assertThat(node(10, "liar").measuredMs()).isEqualTo(700L); // no apply time: the time of the answer
    assertThat(at).isNotNull();
  }

  @Test
  void notifyTimesAreKeptPerChangeFromTheFirstSendOfThatSerialOrALaterOne() {
    Instant c1 = commit(10);
    clock.advance(Duration.ofMillis(50));
    commit(11);
    // the NOTIFY of 10 went out 3 ms after its commit, acknowledged 5 ms after; 11 was announced at +52 ms
    tracker.notified(ZONE, "honest", 10, c1.plusMillis(3), c1.plusMillis(5));
    tracker.notified(ZONE, "honest", 11, c1.plusMillis(52), null);
    assertThat(node(10, "honest").notifySentMs()).isEqualTo(3L);
    assertThat(node(10, "honest").notifyAckedMs()).isEqualTo(5L);
    assertThat(node(11, "honest").notifySentMs()).isEqualTo(2L);
    assertThat(node(11, "honest").notifyAckedMs()).isNull();
    tracker.notified(ZONE, "honest", 11, c1.plusMillis(52), c1.plusMillis(60));
    assertThat(node(11, "honest").notifyAckedMs()).isEqualTo(10L);
    // settling keeps them
    tracker.report(ZONE, "honest", 11, c1.plusMillis(70), SKEW);
    assertThat(node(11, "honest").notifySentMs()).isEqualTo(2L);
    assertThat(node(11, "honest").measuredMs()).isEqualTo(20L);
  }
}
