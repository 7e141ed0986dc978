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
 * @param status null while the node answers as expected; otherwise why what it says is not used:
 *     {@code unreachable: ...} (timeout, connection refused), {@code error: ...} (HTTP error, bad
 *     JSON, DNS error) or {@code inconsistent: ...} (serial going backwards, newer than the
 *     primary's, applied before the commit or in the future)
 * @param notifySentMs when the primary first sent a NOTIFY announcing this change (or a later one)
 *     to this node, in milliseconds from the commit; null when it sent none (yet)
 * @param notifyAckedMs when the node acknowledged that NOTIFY, in milliseconds from the commit, or null
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
    String basis,
    String status,
    Long notifySentMs,
    Long notifyAckedMs) {

  /** A node that answers as expected, without NOTIFY times. */
  public NodeReport(
      String node, PeerNode.Role role, String tier, State state, long serial, Long measuredMs,
      long estimateMs, long upperBoundMs, String basis) {
    this(node, role, tier, state, serial, measuredMs, estimateMs, upperBoundMs, basis, null, null, null);
  }

  /** This report with another status (null: the node answers as expected). */
  public NodeReport withStatus(String newStatus) {
    return new NodeReport(node, role, tier, state, serial, measuredMs, estimateMs, upperBoundMs, basis, newStatus,
        notifySentMs, notifyAckedMs);
  }

  /** This report with the NOTIFY times of its change. */
  public NodeReport withNotify(Long sentMs, Long ackedMs) {
    return new NodeReport(node, role, tier, state, serial, measuredMs, estimateMs, upperBoundMs, basis, status,
        sentMs, ackedMs);
  }

  /** The state of a change at a node. */
  public enum State {
    PENDING,
    PROPAGATED
  }

  public boolean propagated() {
    return state == State.PROPAGATED;
  }
}
