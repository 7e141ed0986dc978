package io.tierdns.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link UpstreamSelector} tries upstreams.
 *
 * @param attemptTimeout how long one upstream gets before the next is tried (a TCP retry after TC
 *     gets a new timeout of its own)
 * @param maxAttempts how many upstreams one resolution tries at most
 * @param exploreProbability the chance that a resolution first tries a server other than the one
 *     with the lowest smoothed RTT, so that a server that has recovered is noticed
 */
public record SelectorPolicy(Duration attemptTimeout, int maxAttempts, double exploreProbability) {

  public SelectorPolicy {
    Objects.requireNonNull(attemptTimeout, "attemptTimeout");
    if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
      throw new IllegalArgumentException("attemptTimeout must be positive, got " + attemptTimeout);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (!(exploreProbability >= 0 && exploreProbability <= 1)) {
      throw new IllegalArgumentException(
          "exploreProbability must be in [0, 1], got " + exploreProbability);
    }
  }

  /** Attempt timeout 1 s, 3 attempts, 5 % exploration. */
  public static SelectorPolicy defaults() {
    return new SelectorPolicy(Duration.ofSeconds(1), 3, 0.05);
  }
}
