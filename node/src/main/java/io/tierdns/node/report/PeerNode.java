package io.tierdns.node.report;

import java.util.Objects;

/**
 * A node a change propagates to (any node but the primary), as the propagation report sees it.
 *
 * @param name the node's name
 * @param role {@link Role#SECONDARY} or {@link Role#CACHE}
 * @param tier its tier ({@code regional} for secondaries, the cache's configured tier otherwise)
 * @param upstream the node it takes the zone from, or null when that is the primary
 * @param subscribed for caches, whether the zone's changes reach it by NOTIFY + IXFR (an edge-tier
 *     subscription) rather than by TTL expiry; always true for secondaries
 */
public record PeerNode(String name, Role role, String tier, String upstream, boolean subscribed) {

  public PeerNode {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(tier, "tier");
  }

  /** What a node does with the zone. */
  public enum Role {
    /** Holds the zone by transfer (RFC 1995/5936); propagated when its SOA serial is ≥ S. */
    SECONDARY,
    /** Caches answers; propagated when no pre-S copy of a changed RRset can be served any more. */
    CACHE;

    /** The lower-case name used in JSON. */
    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
