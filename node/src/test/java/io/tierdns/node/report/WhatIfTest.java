package io.tierdns.node.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.node.report.PeerNode.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "what if" advisor: lower the TTL to X now, and a change propagates within Y if applied after Z. */
class WhatIfTest {

  private static final PeerNode SEC = new PeerNode("secondary", Role.SECONDARY, "regional", null, true);
  private static final PeerNode REGIONAL = new PeerNode("regional", Role.CACHE, "regional", "secondary", true);
  private static final PeerNode LOCAL = new PeerNode("local", Role.CACHE, "local", "regional", false);
  private static final PeerNode RESOLVER = new PeerNode("resolver", Role.CACHE, "local", null, false);
  private static final List<PeerNode> NODES = List.of(SEC, REGIONAL, LOCAL, RESOLVER);

  private final PropagationEstimator estimator = PropagationEstimator.withNotifyDelay(Duration.ZERO);

  @Test
  void anHourLongTtlIsLoweredFirstAndTheChangeIsFastOnceTheOldCopiesHaveExpired() {
    // local holds www A for 50 more minutes, with a 30 s stale window; nothing is known of resolver
    Map<String, CachedCopies> cached = Map.of("local", new CachedCopies(3_000_000, 3_600_000, 30_000));
    PropagationEstimator.WhatIf w = estimator.whatIf(NODES, cached, 3_600_000, 60_000);
    assertThat(w.lowering()).isTrue();
    // a change now: secondary and regional by history (cold start), the caches by TTL
    assertThat(w.now().get("secondary")).isEqualTo(new PropagationEstimator.Estimate(1000, 2250));
    assertThat(w.now().get("regional")).isEqualTo(new PropagationEstimator.Estimate(1500, 3500));
    // below a subscribed cache: it may hand out its old copy with a full TTL left until it evicts it
    assertThat(w.now().get("local")).isEqualTo(new PropagationEstimator.Estimate(3_631_500, 3_633_500));
    // below the primary, an unknown copy counts as a full current TTL
    assertThat(w.now().get("resolver")).isEqualTo(new PropagationEstimator.Estimate(3_600_000, 3_600_000));
    // Z: the TTL-lowering change itself is gone everywhere after the worst bound of a change now
    assertThat(w.worstNowMs()).isEqualTo(3_633_500);
    assertThat(w.safeAfterMs()).isEqualTo(3_633_500);
    // Y: afterwards every copy carries at most 60 s (plus its stale window)
    assertThat(w.after().get("local").upperBoundMs()).isEqualTo(93_500);
    assertThat(w.after().get("resolver").upperBoundMs()).isEqualTo(60_000);
    assertThat(w.after().get("secondary").upperBoundMs()).isEqualTo(2250);
    assertThat(w.withinMs()).isEqualTo(93_500);
    assertThat(w.loweredTtlMs()).isEqualTo(60_000);
  }

  @Test
  void aTtlAlreadyAtMostXNeedsNoLowering() {
    PropagationEstimator.WhatIf w = estimator.whatIf(NODES, Map.of(), 30_000, 60_000);
    assertThat(w.lowering()).isFalse();
    assertThat(w.safeAfterMs()).isZero();
    assertThat(w.loweredTtlMs()).isEqualTo(30_000);
    assertThat(w.withinMs()).isEqualTo(w.worstNowMs());
    assertThat(w.after()).isEqualTo(w.now());
  }

  @Test
  void measuredHistoryShrinksTheSecondaryAndSubscribedBoundsButNotTheTtls() {
    for (int i = 0; i < 5; i++) {
      estimator.recordHop("secondary", 20);
      estimator.recordHop("regional", 10);
    }
    PropagationEstimator.WhatIf w = estimator.whatIf(List.of(SEC, REGIONAL, LOCAL), Map.of(), 300_000, 10_000);
    assertThat(w.now().get("secondary")).isEqualTo(new PropagationEstimator.Estimate(20, 290));
    assertThat(w.now().get("regional")).isEqualTo(new PropagationEstimator.Estimate(30, 560));
    // local below the subscribed regional: its bound + a full TTL, before and after lowering
    assertThat(w.now().get("local").upperBoundMs()).isEqualTo(300_560);
    assertThat(w.after().get("local").upperBoundMs()).isEqualTo(10_560);
    assertThat(w.withinMs()).isEqualTo(10_560);
    assertThat(w.safeAfterMs()).isEqualTo(300_560);
  }

  @Test
  void withoutOtherNodesEverythingIsImmediate() {
    PropagationEstimator.WhatIf w = estimator.whatIf(List.of(), Map.of(), 300_000, 60_000);
    assertThat(w.worstNowMs()).isZero();
    assertThat(w.withinMs()).isZero();
  }

  @Test
  void negativeTtlsAreRefused() {
    assertThatThrownBy(() -> estimator.whatIf(NODES, Map.of(), -1, 60_000)).isInstanceOf(IllegalArgumentException.class);
  }
}
