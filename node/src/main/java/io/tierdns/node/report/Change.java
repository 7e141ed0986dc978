package io.tierdns.node.report;

import java.time.Instant;
import java.util.List;

/**
 * One change of a zone and where it stands at every other node; an immutable snapshot.
 *
 * @param zone the zone, absolute (trailing dot)
 * @param serial the serial the change created
 * @param committedAt when it was durable at the primary
 * @param nodes one entry per node other than the primary, in node order
 */
public record Change(String zone, long serial, Instant committedAt, List<NodeReport> nodes) {

  public Change {
    nodes = List.copyOf(nodes);
  }

  /** The nodes of the given scope that do not serve this change yet. */
  public List<String> laggards(WaitScope scope) {
    return nodes.stream()
        .filter(n -> scope == WaitScope.ALL || n.role() == PeerNode.Role.SECONDARY)
        .filter(n -> !n.propagated())
        .map(NodeReport::node)
        .toList();
  }
}
