package io.tierdns.authoritative.update;

import io.tierdns.authoritative.ZoneRecords;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.ZoneChange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A working copy of the names an UPDATE touches, on top of an immutable snapshot.
 *
 * <p>RFC 2136 §3.4.2 processes update RRs one after the other, each seeing the effect of the ones
 * before (a CNAME added by one RR blocks an A added by the next). The draft holds the touched
 * names' RRsets as the update goes; {@link #changes()} then compares them with the snapshot and
 * emits one absolute {@link ZoneChange} (replace or delete) per RRset that differs, so the writer
 * gets the net effect and an update that changes nothing gives no change at all.
 *
 * <p>A name's records are read from the snapshot's canonically sorted record list by binary
 * search, so a draft costs O(log n) per name, not a scan of the zone.
 */
final class ZoneDraft {

  private final ZoneSnapshot base;
  private final Map<Name, TreeMap<Integer, List<Record>>> touched = new LinkedHashMap<>();

  ZoneDraft(ZoneSnapshot base) {
    this.base = base;
  }

  Name origin() {
    return base.origin();
  }

  int dclass() {
    return base.dclass();
  }

  /** The RRset now, unmodifiable; empty when there is none. */
  List<Record> rrset(Name name, int type) {
    List<Record> set = node(name).get(type);
    return set == null ? List.of() : Collections.unmodifiableList(set);
  }

  /** The types present at a name now. */
  Set<Integer> types(Name name) {
    return Collections.unmodifiableSet(node(name).keySet());
  }

  /** RFC 2136 §2.4.4 "name is in use": it owns at least one RR (an empty non-terminal does not). */
  boolean inUse(Name name) {
    return !node(name).isEmpty();
  }

  /** Sets an RRset; an empty list deletes it. */
  void put(Name name, int type, List<Record> records) {
    TreeMap<Integer, List<Record>> node = node(name);
    if (records.isEmpty()) {
      node.remove(type);
    } else {
      node.put(type, new ArrayList<>(records));
    }
  }

  void remove(Name name, int type) {
    node(name).remove(type);
  }

  private TreeMap<Integer, List<Record>> node(Name name) {
    return touched.computeIfAbsent(name, this::load);
  }

  private TreeMap<Integer, List<Record>> load(Name name) {
    TreeMap<Integer, List<Record>> byType = new TreeMap<>();
    for (Record r : baseRecords(name)) {
      byType.computeIfAbsent(r.getType(), t -> new ArrayList<>()).add(r);
    }
    return byType;
  }

  /** The snapshot's records at exactly {@code name}: a contiguous run of the sorted list. */
  private List<Record> baseRecords(Name name) {
    List<Record> all = base.records();
    int lo = 0;
    int hi = all.size();
    while (lo < hi) { // first index whose owner is >= name in canonical order (RFC 4034 §6.1)
      int mid = (lo + hi) >>> 1;
      if (all.get(mid).getName().compareTo(name) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    int end = lo;
    while (end < all.size() && all.get(end).getName().equals(name)) {
      end++;
    }
    return all.subList(lo, end);
  }

  /**
   * The net changes against the snapshot: deletions first, then replacements, each for one RRset.
   */
  List<ZoneChange> changes() {
    List<ZoneChange> deletes = new ArrayList<>();
    List<ZoneChange> replaces = new ArrayList<>();
    for (Map.Entry<Name, TreeMap<Integer, List<Record>>> e : touched.entrySet()) {
      Name name = e.getKey();
      TreeMap<Integer, List<Record>> now = e.getValue();
      TreeMap<Integer, List<Record>> before = load(name);
      Set<Integer> types = new TreeSet<>(before.keySet());
      types.addAll(now.keySet());
      for (int type : types) {
        List<Record> was = before.getOrDefault(type, List.of());
        List<Record> is = now.getOrDefault(type, List.of());
        if (sameRRset(was, is)) {
          continue;
        }
        if (is.isEmpty()) {
          deletes.add(new ZoneChange.DeleteRRset(name, type));
        } else {
          replaces.add(new ZoneChange.ReplaceRRset(name, type, is));
        }
      }
    }
    List<ZoneChange> all = new ArrayList<>(deletes);
    all.addAll(replaces);
    return all;
  }

  /** Same records (rdata compared canonically) and, for a non-empty set, the same TTL. */
  private static boolean sameRRset(List<Record> a, List<Record> b) {
    if (a.size() != b.size()) {
      return false;
    }
    if (a.isEmpty()) {
      return true;
    }
    if (!new HashSet<>(a).equals(new HashSet<>(b))) {
      return false;
    }
    long ttl = a.get(0).getTTL();
    for (Record r : b) {
      if (r.getTTL() != ttl) {
        return false;
      }
    }
    return true;
  }

  /**
   * True when the record has RDLENGTH 0, as class ANY deletes and prerequisites carry (dnsjava
   * parses those into a package-private empty record type).
   */
  static boolean noRdata(Record r) {
    return r.rdataToWireCanonical().length == 0;
  }

  /** True when two records carry the same rdata, compared canonically (RFC 4034 §6.2). */
  static boolean sameRdata(Record a, Record b) {
    return Arrays.equals(a.rdataToWireCanonical(), b.rdataToWireCanonical());
  }
}
