package io.tierdns.node.report;

/**
 * Told by the {@link PropagationTracker} when a change becomes visible at a node (observed, or an
 * unsubscribed cache's old copies expired). Called under the tracker's lock: implementations must
 * be quick and must not call back into the tracker.
 */
public interface PropagationObserver {

  /** Does nothing. */
  PropagationObserver NOOP = (zone, serial, node) -> {};

  /**
   * The change {@code zone}/{@code serial} is now propagated at {@code node}; its {@code
   * measuredMs} is set.
   */
  void propagated(String zone, long serial, NodeReport node);
}
