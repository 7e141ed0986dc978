package io.tierdns.authoritative.edit;

import io.tierdns.authoritative.ZoneRecords;
import io.tierdns.authoritative.ZoneException;
import io.tierdns.authoritative.ZoneSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * A zone's records as a working copy, grouped by owner and type, for building the next snapshot
 * off the serving path. Records match as dnsjava matches them (name, type, class, rdata; not TTL).
 * Not thread-safe; lives for one edit.
 */
final class MutableZone {

  private final Name origin;
  private final int dclass;
  private final Map<Name, TreeMap<Integer, LinkedHashSet<Record>>> nodes = new HashMap<>();
  private final Set<Name> touched = new LinkedHashSet<>();
  private SOARecord soa;

  private MutableZone(Name origin, int dclass, SOARecord soa) {
    this.origin = origin;
    this.dclass = dclass;
    this.soa = soa;
  }

  /** A working copy of a snapshot. The SOA is held apart from the other records. */
  static MutableZone of(ZoneSnapshot snapshot) {
    MutableZone z = new MutableZone(snapshot.origin(), snapshot.dclass(), snapshot.soa());
    for (Record r : snapshot.records()) {
      if (r.getType() != Type.SOA) {
        z.set(r.getName(), r.getType()).add(r);
      }
    }
    z.touched.clear();
    return z;
  }

  Name origin() {
    return origin;
  }

  int dclass() {
    return dclass;
  }

  SOARecord soa() {
    return soa;
  }

  void soa(SOARecord soa) {
    this.soa = soa;
  }

  /** The names changed since {@link #of}, in the order they were changed. */
  Set<Name> touched() {
    return touched;
  }

  /** The types at a name, by type number; empty when none. Do not change the result. */
  Map<Integer, LinkedHashSet<Record>> types(Name name) {
    TreeMap<Integer, LinkedHashSet<Record>> byType = nodes.get(name);
    return byType == null ? Map.of() : byType;
  }

  boolean contains(Record r) {
    LinkedHashSet<Record> set = types(r.getName()).get(r.getType());
    return set != null && set.contains(r);
  }

  /** Adds a record; an equal record (other TTL) is replaced. */
  void add(Record r) {
    LinkedHashSet<Record> set = set(r.getName(), r.getType());
    set.remove(r);
    set.add(r);
  }

  /** Removes a record matched without TTL; false when it was not there. */
  boolean remove(Record r) {
    TreeMap<Integer, LinkedHashSet<Record>> byType = nodes.get(r.getName());
    LinkedHashSet<Record> set = byType == null ? null : byType.get(r.getType());
    if (set == null || !set.remove(r)) {
      return false;
    }
    touched.add(r.getName());
    if (set.isEmpty()) {
      byType.remove(r.getType());
      if (byType.isEmpty()) {
        nodes.remove(r.getName());
      }
    }
    return true;
  }

  /** Replaces the RRset at (name, type); an empty list deletes it. */
  void replace(Name name, int type, List<Record> records) {
    removeRRset(name, type);
    for (Record r : records) {
      add(r);
    }
  }

  void removeRRset(Name name, int type) {
    TreeMap<Integer, LinkedHashSet<Record>> byType = nodes.get(name);
    if (byType != null && byType.remove(type) != null) {
      touched.add(name);
      if (byType.isEmpty()) {
        nodes.remove(name);
      }
    }
  }

  /** Sets the TTL of every record of an RRset (RFC 2181 §5.2: one TTL per RRset). */
  void setTtl(Name name, int type, long ttl) {
    LinkedHashSet<Record> set = types(name).get(type);
    if (set == null) {
      return;
    }
    List<Record> copy = new ArrayList<>(set.size());
    for (Record r : set) {
      copy.add(ZoneRecords.withTtl(r, ttl));
    }
    set.clear();
    set.addAll(copy);
  }

  /**
   * Builds and validates the snapshot.
   *
   * @throws ZoneException when the content breaks a rule of {@link ZoneSnapshot#of}
   */
  ZoneSnapshot build() {
    List<Record> all = new ArrayList<>();
    all.add(soa);
    for (TreeMap<Integer, LinkedHashSet<Record>> byType : nodes.values()) {
      for (LinkedHashSet<Record> set : byType.values()) {
        all.addAll(set);
      }
    }
    return ZoneSnapshot.of(origin, all);
  }

  private LinkedHashSet<Record> set(Name name, int type) {
    touched.add(name);
    return nodes.computeIfAbsent(name, n -> new TreeMap<>()).computeIfAbsent(type, t -> new LinkedHashSet<>());
  }

  /** A copy of an SOA with another serial. */
  static SOARecord withSerial(SOARecord s, long serial) {
    return new SOARecord(
        s.getName(),
        s.getDClass(),
        s.getTTL(),
        s.getHost(),
        s.getAdmin(),
        serial,
        s.getRefresh(),
        s.getRetry(),
        s.getExpire(),
        s.getMinimum());
  }
}
