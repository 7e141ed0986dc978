package io.tierdns.node.report;

import io.micronaut.context.env.Environment;
import io.tierdns.node.ListenAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tierdns.propagation} block of the primary: the peers in other processes and how they
 * are asked. Throws IllegalArgumentException naming the faulty key.
 *
 * @param peers nodes of other processes (see {@link PeerConfig})
 * @param requestTimeout how long one admin API request or SOA query may take before the node counts
 *     as unreachable for that poll
 * @param clockSkew how far a node's reported apply time may be before the commit or in the future
 *     before it is called inconsistent (within it, an early time counts as 0 ms)
 */
public record PropagationSettings(List<PeerConfig> peers, Duration requestTimeout, Duration clockSkew) {

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(1);

  public PropagationSettings {
    peers = List.copyOf(peers);
  }

  public static PropagationSettings none() {
    return new PropagationSettings(List.of(), DEFAULT_REQUEST_TIMEOUT, DEFAULT_CLOCK_SKEW);
  }

  /** Reads the block from the environment. */
  public static PropagationSettings from(Environment env) {
    Duration timeout = env.getProperty("tierdns.propagation.request-timeout", Duration.class)
        .orElse(DEFAULT_REQUEST_TIMEOUT);
    Duration skew = env.getProperty("tierdns.propagation.clock-skew", Duration.class).orElse(DEFAULT_CLOCK_SKEW);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("tierdns.propagation.request-timeout: must be positive, got " + timeout);
    }
    if (skew.isNegative()) {
      throw new IllegalArgumentException("tierdns.propagation.clock-skew: must not be negative, got " + skew);
    }
    Object list = env.getProperty("tierdns.propagation.peers", List.class).orElse(List.of());
    return new PropagationSettings(peers(list), timeout, skew);
  }

  /** Parses {@code tierdns.propagation.peers}. */
  static List<PeerConfig> peers(Object value) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException("tierdns.propagation.peers: expected a list");
    }
    List<PeerConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("tierdns.propagation.peers: expected a list of blocks, found '" + o + "'");
      }
      String name = string(m, "name", null);
      if (name == null) {
        throw new IllegalArgumentException("tierdns.propagation.peers: 'name' is required");
      }
      String where = "tierdns.propagation.peers[" + name + "]";
      if (!names.add(name)) {
        throw new IllegalArgumentException(where + ": the name is used twice");
      }
      for (Object key : m.keySet()) {
        if (!Set.of("name", "role", "tier", "upstream", "subscribed", "dns", "admin", "api-key", "admin-node", "zones")
            .contains(String.valueOf(key))) {
          throw new IllegalArgumentException(where + ": unknown key '" + key + "'");
        }
      }
      String roleText = string(m, "role", where);
      if (roleText == null) {
        throw new IllegalArgumentException(where + ": 'role' is required (secondary or cache)");
      }
      PeerNode.Role role = switch (roleText.toLowerCase(Locale.ROOT)) {
        case "secondary" -> PeerNode.Role.SECONDARY;
        case "cache" -> PeerNode.Role.CACHE;
        default -> throw new IllegalArgumentException(where + ": role '" + roleText + "': expected secondary or cache");
      };
      String tier = string(m, "tier", where);
      if (tier == null) {
        tier = role == PeerNode.Role.SECONDARY ? "regional" : "local";
      }
      Object sub = m.get("subscribed");
      boolean subscribed = sub != null && Boolean.parseBoolean(String.valueOf(sub));
      String dnsText = string(m, "dns", where);
      var dns = dnsText == null ? null : address(dnsText, where);
      String adminText = string(m, "admin", where);
      URI admin = null;
      if (adminText != null) {
        try {
          admin = URI.create(adminText.endsWith("/") ? adminText : adminText + "/");
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": admin '" + adminText + "' is not a URL");
        }
        if (!"http".equals(admin.getScheme()) && !"https".equals(admin.getScheme()) || admin.getHost() == null) {
          throw new IllegalArgumentException(where + ": admin '" + adminText + "': expected http://HOST:PORT");
        }
      }
      if (role == PeerNode.Role.SECONDARY && admin == null && dns == null) {
        throw new IllegalArgumentException(where + ": a secondary needs 'admin' (tierdns) or 'dns' (any server, polled over DNS)");
      }
      List<String> zones = new ArrayList<>();
      Object z = m.get("zones");
      if (z instanceof List<?> zl) {
        zl.forEach(x -> zones.add(String.valueOf(x)));
      } else if (z != null) {
        throw new IllegalArgumentException(where + ": zones: expected a list");
      }
      out.add(new PeerConfig(name, role, tier, string(m, "upstream", where), subscribed, dns, admin,
          string(m, "api-key", where), string(m, "admin-node", where), zones));
    }
    return out;
  }

  private static java.net.InetSocketAddress address(String text, String where) {
    try {
      return ListenAddress.parse(text.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(where + ": dns '" + text + "': " + e.getMessage());
    }
  }

  private static String string(Map<?, ?> m, String key, String where) {
    Object v = m.get(key);
    return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v).trim();
  }
}
