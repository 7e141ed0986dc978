package io.tierdns.node.report;

import java.time.Instant;

/** What one poll of a node in another process gave: the serial it serves, or why nothing. */
public sealed interface PeerAnswer {

  /**
   * The node serves {@code serial}.
   *
   * @param appliedAt when it applied that serial, as it reports it; null when it does not say (a
   *     DNS answer, a cache subscription): the time of the answer is used
   */
  record Serving(long serial, Instant appliedAt) implements PeerAnswer {}

  /**
   * Nothing could be learnt.
   *
   * @param status {@code unreachable: ...} or {@code error: ...}, as shown in the report
   */
  record Failed(String status) implements PeerAnswer {}
}
