package io.tierdns.cache;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * Which upstreams serve which names: lists per zone suffix, and a default list. The longest
 * matching suffix wins, as with BIND's per-zone {@code forwarders} or Unbound's {@code
 * forward-zone}.
 *
 * @param defaults upstreams for names under no configured zone; may be empty when every name of
 *     interest is under a zone
 * @param zones upstream lists by zone apex
 */
public record ForwardTable(List<Upstream> defaults, Map<Name, List<Upstream>> zones) {

  public ForwardTable {
    defaults = List.copyOf(defaults);
    Map<Name, List<Upstream>> copy = new HashMap<>();
    for (Map.Entry<Name, List<Upstream>> e : zones.entrySet()) {
      Name zone = Objects.requireNonNull(e.getKey(), "zone");
      if (!zone.isAbsolute()) {
        throw new IllegalArgumentException("forward zone must be absolute: " + zone);
      }
      if (e.getValue().isEmpty()) {
        throw new IllegalArgumentException("forward zone " + zone + " has no upstreams");
      }
      copy.put(zone.canonicalize(), List.copyOf(e.getValue()));
    }
    zones = Map.copyOf(copy);
    if (defaults.isEmpty() && zones.isEmpty()) {
      throw new IllegalArgumentException("no upstreams configured");
    }
  }

  /** One list for every name. */
  public static ForwardTable of(Upstream... upstreams) {
    return new ForwardTable(List.of(upstreams), Map.of());
  }

  /** The upstreams of the closest enclosing zone, else the defaults (possibly empty). */
  public List<Upstream> upstreamsFor(Name name) {
    Name n = name.canonicalize();
    int labels = n.labels();
    for (int skip = 0; skip < labels; skip++) {
      Name suffix = skip == 0 ? n : new Name(n, skip);
      List<Upstream> list = zones.get(suffix);
      if (list != null) {
        return list;
      }
    }
    return defaults;
  }
}
