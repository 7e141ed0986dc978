package io.tierdns.authoritative;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * An immutable set of served zones, keyed by origin.
 *
 * <p>{@link #findZone(Name)} is the longest match: it walks the qname's ancestors, from the qname
 * up to the root, with one hash lookup each, so its cost depends on the qname's label count and
 * not on the number of zones.
 */
public final class ZoneTable {

  private static final ZoneTable EMPTY = new ZoneTable(Map.of());

  private final Map<Name, ZoneSnapshot> zones;

  private ZoneTable(Map<Name, ZoneSnapshot> zones) {
    this.zones = zones;
  }

  /** A table with no zone. */
  public static ZoneTable empty() {
    return EMPTY;
  }

  /**
   * A table of the given zones.
   *
   * @throws ZoneException when two snapshots have the same origin
   */
  public static ZoneTable of(Collection<ZoneSnapshot> snapshots) {
    Map<Name, ZoneSnapshot> map = new HashMap<>();
    for (ZoneSnapshot z : snapshots) {
      if (map.putIfAbsent(z.origin(), z) != null) {
        throw new ZoneException("zone " + z.origin() + " is given twice");
      }
    }
    return new ZoneTable(Map.copyOf(map));
  }

  /** This table with one zone added or replaced. */
  public ZoneTable with(ZoneSnapshot snapshot) {
    Map<Name, ZoneSnapshot> map = new HashMap<>(zones);
    map.put(snapshot.origin(), snapshot);
    return new ZoneTable(Map.copyOf(map));
  }

  /** This table without the zone at {@code origin} (the same table when it is not served). */
  public ZoneTable without(Name origin) {
    if (!zones.containsKey(origin)) {
      return this;
    }
    Map<Name, ZoneSnapshot> map = new HashMap<>(zones);
    map.remove(origin);
    return new ZoneTable(Map.copyOf(map));
  }

  /** The zone whose origin is exactly {@code origin}. */
  public Optional<ZoneSnapshot> zone(Name origin) {
    return Optional.ofNullable(zones.get(origin));
  }

  /** The zone with the longest origin at or above {@code qname}. */
  public Optional<ZoneSnapshot> findZone(Name qname) {
    return Optional.ofNullable(closest(qname, 0));
  }

  /**
   * The zone that answers {@code qtype} at {@code qname}: the longest match, except that DS at the
   * apex of a served zone is answered by the served parent zone when there is one (RFC 4035
   * §3.1.4.1: DS lives on the parent side of the cut).
   */
  public Optional<ZoneSnapshot> findZone(Name qname, int qtype) {
    ZoneSnapshot zone = closest(qname, 0);
    if (zone != null && qtype == Type.DS && zone.origin().equals(qname) && qname.labels() > 1) {
      ZoneSnapshot parent = closest(qname, 1);
      if (parent != null) {
        return Optional.of(parent);
      }
    }
    return Optional.ofNullable(zone);
  }

  private ZoneSnapshot closest(Name qname, int firstStrip) {
    int labels = qname.labels();
    for (int strip = firstStrip; strip < labels; strip++) {
      ZoneSnapshot z = zones.get(strip == 0 ? qname : new Name(qname, strip));
      if (z != null) {
        return z;
      }
    }
    return null;
  }

  /** Every zone, in canonical order of origin. */
  public List<ZoneSnapshot> zones() {
    return zones.values().stream()
        .sorted((a, b) -> a.origin().compareTo(b.origin()))
        .collect(Collectors.toUnmodifiableList());
  }

  /** Number of zones. */
  public int size() {
    return zones.size();
  }
}
