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
 * A zone version's records as a working copy, grouped by owner and type, for building the next
 * snapshot off the serving path. Records match as dnsjava matches them (name, type, class, rdata;
 * not TTL). Only the owners an edit reads or changes are copied out of the version; {@link #build}
 * hands the changed ones to {@link ZoneSnapshot#patch}, so an edit costs what it touches, not the
 * size of the zone. Not thread-safe; lives for one edit.
 */
final class MutableZone {

  private final ZoneSnapshot base;
  private final Name origin;
  private final int dclass;
  /** The owners read or changed so far, by type; an empty map: the owner holds nothing now. */
  private final Map<Name, TreeMap<Integer, LinkedHashSet<Record>>> nodes = new HashMap<>();
  private final Set<Name> touched = new LinkedHashSet<>();
  private SOARecord soa;

  private MutableZone(ZoneSnapshot base) {
    this.base = base;
    this.origin = base.origin();
    this.dclass = base.dclass();
    this.soa = base.soa();
  }

  /** A working copy of a snapshot. The SOA is held apart from the other records. */
  static MutableZone of(ZoneSnapshot snapshot) {
    return new MutableZone(snapshot);
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
    return node(name);
  }

  boolean contains(Record r) {
    LinkedHashSet<Record> set = node(r.getName()).get(r.getType());
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
    TreeMap<Integer, LinkedHashSet<Record>> byType = node(r.getName());
    LinkedHashSet<Record> set = byType.get(r.getType());
    if (set == null || !set.remove(r)) {
      return false;
    }
    touched.add(r.getName());
    if (set.isEmpty()) {
      byType.remove(r.getType());
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
    if (node(name).remove(type) != null) {
      touched.add(name);
    }
  }

  /** Sets the TTL of every record of an RRset (RFC 2181 §5.2: one TTL per RRset). */
  void setTtl(Name name, int type, long ttl) {
    LinkedHashSet<Record> set = node(name).get(type);
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
   * Builds and validates the snapshot: the version this copy was made of, with the owners changed
   * and the SOA set.
   *
   * @throws ZoneException when the content breaks a rule of {@link ZoneSnapshot#of}
   */
  ZoneSnapshot build() {
    if (!soa.getName().equals(origin)) {
      // an IXFR's new SOA may name anything (found by TransferResponseFuzzTest)
      throw new ZoneException("SOA record " + soa + " is not at the zone apex " + origin);
    }
    Map<Name, List<Record>> owners = new HashMap<>();
    for (Name name : touched) {
      if (!name.equals(origin)) {
        owners.put(name, records(name));
      }
    }
    List<Record> apex = new ArrayList<>(); // always: the SOA changes with every version
    apex.add(soa);
    apex.addAll(records(origin));
    owners.put(origin, apex);
    return ZoneSnapshot.patch(base, owners);
  }

  /** The records held at a name now, by type (the apex's SOA is held apart). */
  private List<Record> records(Name name) {
    List<Record> all = new ArrayList<>();
    for (LinkedHashSet<Record> set : node(name).values()) {
      all.addAll(set);
    }
    return all;
  }

  /** The owner's sets, copied out of the version on first use. */
  private TreeMap<Integer, LinkedHashSet<Record>> node(Name name) {
    TreeMap<Integer, LinkedHashSet<Record>> byType = nodes.get(name);
    if (byType == null) {
      byType = new TreeMap<>();
      for (Record r : base.recordsAt(name)) {
        if (r.getType() != Type.SOA) {
          byType.computeIfAbsent(r.getType(), t -> new LinkedHashSet<>()).add(r);
        }
      }
      nodes.put(name, byType);
    }
    return byType;
  }

  private LinkedHashSet<Record> set(Name name, int type) {
    touched.add(name);
    return node(name).computeIfAbsent(type, t -> new LinkedHashSet<>());
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
