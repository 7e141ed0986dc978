package io.tierdns.edge;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/** A cache node's subscriptions, by zone apex. Immutable. */
public final class Subscriptions {

  private final Map<Name, ZoneSubscription> byZone;

  public Subscriptions(Collection<ZoneSubscription> subscriptions) {
    Map<Name, ZoneSubscription> m = new HashMap<>();
    for (ZoneSubscription s : subscriptions) {
      if (m.put(s.zone(), s) != null) {
        throw new IllegalArgumentException("zone " + s.zone() + " is subscribed twice");
      }
    }
    this.byZone = Map.copyOf(m);
  }

  public static Subscriptions none() {
    return new Subscriptions(List.of());
  }

  /** The subscription of exactly this apex. */
  public Optional<ZoneSubscription> of(Name zone) {
    return Optional.ofNullable(byZone.get(zone.canonicalize()));
  }

  /** The subscription of the closest enclosing subscribed zone of {@code name}. */
  public Optional<ZoneSubscription> covering(Name name) {
    Name n = name.canonicalize();
    for (int skip = 0; skip < n.labels(); skip++) {
      ZoneSubscription s = byZone.get(skip == 0 ? n : new Name(n, skip));
      if (s != null) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  public Collection<ZoneSubscription> all() {
    return byZone.values();
  }
}
