package io.tierdns.node.report;

/**
 * Where one change stands at one node.
 *
 * @param node the node's name
 * @param role secondary or cache
 * @param tier the node's tier
 * @param state PENDING or PROPAGATED (see {@code docs/propagation.md} for what propagated means)
 * @param serial the latest serial seen at that node, or -1 when none was seen yet
 * @param measuredMs milliseconds from the commit at the primary to propagation, or null while pending
 * @param estimateMs the estimate made at commit time, in milliseconds from the commit
 * @param upperBoundMs the upper bound made at commit time, in milliseconds from the commit (≥ estimateMs)
 * @param basis how propagation was established: {@code observed} (the node reported the serial),
 *     {@code ttl-expiry} (an unsubscribed cache whose old copies have expired), or {@code pending}
 */
public record NodeReport(
    String node,
    PeerNode.Role role,
    String tier,
    State state,
    long serial,
    Long measuredMs,
    long estimateMs,
    long upperBoundMs,
    String basis) {

  /** The state of a change at a node. */
  public enum State {
    PENDING,
    PROPAGATED
  }

  public boolean propagated() {
    return state == State.PROPAGATED;
  }
}
