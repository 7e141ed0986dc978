package io.tierdns.edge;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * A cache node's subscriptions, by zone apex. Readers (the query path) take no lock: {@link #add}
 * and {@link #remove}, which are rare, replace the whole map.
 */
public final class Subscriptions {

  private volatile Map<Name, ZoneSubscription> byZone;

  public Subscriptions(Collection<ZoneSubscription> subscriptions) {
    Map<Name, ZoneSubscription> m = new HashMap<>();
    for (ZoneSubscription s : subscriptions) {
      if (m.put(s.zone().canonicalize(), s) != null) {
        throw new IllegalArgumentException("zone " + s.zone() + " is subscribed twice");
      }
    }
    this.byZone = Map.copyOf(m);
  }

  /**
   * Adds a subscription (not started: the caller starts it once it is reachable here).
   *
   * @return false, and nothing added, when the zone is subscribed already
   */
  public synchronized boolean add(ZoneSubscription subscription) {
    Name zone = subscription.zone().canonicalize();
    if (byZone.containsKey(zone)) {
      return false;
    }
    Map<Name, ZoneSubscription> next = new HashMap<>(byZone);
    next.put(zone, subscription);
    byZone = Map.copyOf(next);
    return true;
  }

  /** Removes the subscription of exactly this apex; returns it, if there was one. */
  public synchronized Optional<ZoneSubscription> remove(Name zone) {
    Name key = zone.canonicalize();
    ZoneSubscription removed = byZone.get(key);
    if (removed != null) {
      Map<Name, ZoneSubscription> next = new HashMap<>(byZone);
      next.remove(key);
      byZone = Map.copyOf(next);
    }
    return Optional.ofNullable(removed);
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
