package io.tierdns.node.report;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A node in another process that the primary's propagation report follows, from {@code
 * tierdns.propagation.peers} (see {@code docs/propagation.md}).
 *
 * <ul>
 *   <li>With an {@code admin} URL it is a tierdns node, asked over its admin API what it serves: a
 *       secondary at {@code GET /api/v1/tierdns/secondary/zones/{zone}} (serial and apply time),
 *       a subscribed cache at {@code GET /api/v1/tierdns/cache/subscriptions/{zone}} (subscription
 *       serial).
 *   <li>A secondary without one is <em>foreign</em> (BIND, Knot, NSD ...): its SOA is polled over
 *       DNS at {@code dns}.
 *   <li>A cache without a subscription is never asked: it is settled when its old copies expire.
 * </ul>
 *
 * @param name the node's name in reports
 * @param role secondary or cache
 * @param tier its tier (default {@code regional} for a secondary, {@code local} for a cache)
 * @param upstream the name of the node it takes the zone from; null for the primary
 * @param subscribed for a cache, whether it has an edge-tier subscription to the zone
 * @param dns its DNS address: the SOA of a foreign secondary is asked there, and a NOTIFY target
 *     with that address is this node; may be null for a node with an admin URL
 * @param admin its admin API base URL, or null
 * @param apiKey the admin API key sent as {@code X-API-Key}, or null
 * @param adminNode the {@code ?node=} to ask for when one admin API fronts several nodes (as under
 *     {@code up}), or null
 * @param zones the zones it serves or caches; empty for every zone of the primary
 */
public record PeerConfig(
    String name, PeerNode.Role role, String tier, String upstream, boolean subscribed, InetSocketAddress dns,
    URI admin, String apiKey, String adminNode, List<String> zones) {

  public PeerConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(tier, "tier");
    zones = List.copyOf(zones);
    if (role == PeerNode.Role.SECONDARY) {
      subscribed = true;
    }
  }

  /** How the report learns what the node serves. */
  public enum Probe {
    /** Over its admin API. */
    HTTP,
    /** Its SOA over DNS (a foreign secondary). */
    DNS,
    /** Not at all: an unsubscribed cache settles at its TTL expiry. */
    NONE
  }

  public Probe probe() {
    if (role == PeerNode.Role.CACHE && !subscribed) {
      return Probe.NONE;
    }
    if (admin != null) {
      return Probe.HTTP;
    }
    return role == PeerNode.Role.SECONDARY ? Probe.DNS : Probe.NONE;
  }

  /** Whether it follows the zone (absolute name, trailing dot). */
  public boolean serves(String zone) {
    return zones.isEmpty() || zones.stream().anyMatch(z -> (z.endsWith(".") ? z : z + ".").equalsIgnoreCase(zone));
  }

  /** The peer as the tracker sees it. */
  public PeerNode node() {
    return new PeerNode(name, role, tier, upstream, subscribed);
  }
}
