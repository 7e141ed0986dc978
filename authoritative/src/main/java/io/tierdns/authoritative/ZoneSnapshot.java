package io.tierdns.authoritative;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SPFRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * One immutable version of a zone.
 *
 * <p>Design note. Everything a query needs is computed once, here, off the serving path: a table
 * from owner name to the owner's records ({@link NodeTable}, {@link ZoneNode}), the set of names
 * that exist including empty non-terminals (RFC 4592 §2.2.2), the delegation points with their
 * referral (NS set and glue) prebuilt, and the negative-answer SOA. A lookup therefore takes no
 * lock and allocates only the few {@link Name} objects it needs to strip labels and a view of the
 * node it answers from. A new version is a new snapshot, published with one atomic swap ({@link
 * ZoneRegistry}). A version made by {@link #patch} shares the chunks of its records ({@link
 * RecordList}) and tables ({@link NodeTable}) that its changes do not touch with the version it
 * came from, so a change costs what it touches, not the size of the zone.
 *
 * <p>{@link #of} validates: exactly one SOA, at the apex; at least one NS at the apex; every owner
 * inside the origin; one class; no CNAME beside other data (RRSIG and NSEC excepted) and at most
 * one CNAME per name (RFC 1034 §3.6.2, RFC 2181 §10.1); duplicate records collapsed (RFC 2181
 * §5); differing TTLs within an RRset set to the lowest (RFC 2181 §5.2).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1034#section-4.3.2">RFC 1034 §4.3.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2181#section-5.2">RFC 2181 §5.2</a>
 */
public final class ZoneSnapshot {

  private final Name origin;
  private final int dclass;
  private final SOARecord soa;
  private final SOARecord negativeSoa;
  private final RecordList records;
  /** Owner name to its data in {@link ZoneNode#data}'s compact form. */
  private final NodeTable nodes;
  /** Names that own no records but have descendants that do (RFC 4592 §2.2.2), to {@code TRUE}. */
  private final NodeTable emptyNonTerminals;
  /** Delegation point to its {@link LookupResult.Referral}. */
  private final NodeTable delegations;
  /**
   * NS target inside the zone to the cut (a {@link Name}) or cuts (a {@code Name[]}) whose
   * referrals name it: the referrals whose glue a change of that name changes. Only {@link #patch}
   * needs it: made at the first patch of a version built whole ({@link #glueTargets()}), so that a
   * load or a transfer does not pay for it, then carried from version to version.
   */
  private volatile NodeTable glueTargets;
  /** The version this one was patched from ({@link #patch}), weakly: never kept alive by it. */
  private final WeakReference<ZoneSnapshot> patchedFrom;
  /** The owners {@link #patch} changed, in canonical order; null for a version built whole. */
  private final List<Name> patchedOwners;

  /**
   * @param referrals the referrals already built (a version patched keeps the unchanged ones);
   *     filled here with those of {@code cutsToBuild}, and never changed after
   * @param glueTargets the NS targets of {@code referrals}, filled here with those of {@code
   *     cutsToBuild}; or null, to be made when first needed
   * @param patchedFrom the version this one was patched from, or null
   * @param patchedOwners the owners the patch changed, or null
   */
  private ZoneSnapshot(
      Name origin,
      int dclass,
      SOARecord soa,
      RecordList records,
      NodeTable nodes,
      NodeTable emptyNonTerminals,
      NodeTable referrals,
      NodeTable glueTargets,
      Collection<Name> cutsToBuild,
      ZoneSnapshot patchedFrom,
      List<Name> patchedOwners) {
    this.origin = origin;
    this.dclass = dclass;
    this.soa = soa;
    // RFC 2308 §3: the SOA in a negative answer carries min(SOA TTL, SOA MINIMUM).
    this.negativeSoa =
        (SOARecord) ZoneRecords.withTtl(soa, Math.min(soa.getTTL(), soa.getMinimum()));
    this.records = records;
    this.nodes = nodes;
    this.emptyNonTerminals = emptyNonTerminals;
    for (Name cut : cutsToBuild) {
      LookupResult.Referral referral = referral(cut); // a method of its own for the JIT, as Builder#add
      referrals.put(cut, referral);
      if (glueTargets != null) {
        linkGlueTargets(glueTargets, origin, referral);
      }
    }
    this.delegations = referrals;
    this.glueTargets = glueTargets;
    this.patchedFrom = patchedFrom == null ? null : new WeakReference<>(patchedFrom);
    this.patchedOwners = patchedOwners;
  }

  /**
   * Builds and validates a zone version.
   *
   * @param origin the apex, absolute
   * @param records the zone's records in any order; duplicates are collapsed
   * @throws ZoneException naming the record when the data breaks a rule listed on the class
   */
  public static ZoneSnapshot of(Name origin, Collection<Record> records) {
    if (!origin.isAbsolute()) {
      throw new ZoneException("zone origin " + origin + " is not absolute");
    }
    checkEncodable(records);
    Grouped grouped = Grouped.of(origin, records);
    // Owners in canonical order, then RRsets by type, then records by RDATA: the records come out
    // in RFC 4034 §6 order without sorting a million records with Record.compareTo.
    Object[] owners = grouped.owners();
    CanonicalNames.sort(owners, ZoneSnapshot::ownerOf);
    owners = mergeEqual(owners);
    // Every owner is inside the origin and the apex sorts first.
    OwnerSets apex = apex(origin, owners.length > 0 && ownerOf(owners[0]).equals(origin) ? owners[0] : null);

    Builder b = new Builder(origin, owners.length, records.size());
    b.apex(apex);
    for (int i = 1; i < owners.length; i++) {
      b.add(owners[i]);
    }
    SOARecord soa = (SOARecord) apex.get(Type.SOA).get(0);
    // Private and never changed after this point: no defensive copies of a million entries.
    return new ZoneSnapshot(
        origin, grouped.dclass(), soa, b.all.build(), b.nodes, b.emptyNonTerminals,
        new NodeTable(b.cuts.size()), null, b.cuts, null, null);
  }

  /**
   * The next version of {@code base}: every owner in {@code owners} gets exactly the records of
   * its list (an empty list: the owner is gone), every other owner keeps its data; the apex's list
   * holds the SOA. The rules and the result are those of {@link #of} given every record of the new
   * version, but the cost is that of the owners changed plus copying a few arrays: the new version
   * shares the records and data of every owner not changed with {@code base}, which stays as it
   * was. An IXFR or an edit of one record in a million-record zone took 6 s of a core through
   * {@link #of}.
   *
   * @throws ZoneException naming the record when the result breaks a rule of {@link #of}
   * @throws IllegalArgumentException when a list holds a record of another owner than its key
   */
  public static ZoneSnapshot patch(ZoneSnapshot base, Map<Name, List<Record>> owners) {
    if (owners.isEmpty()) {
      return base;
    }
    Name origin = base.origin;
    Name[] names = owners.keySet().toArray(new Name[0]);
    Arrays.sort(names); // Name#compareTo is the canonical order (RFC 4034 §6.1)

    // Each changed owner's data, checked as of() checks it; null: the owner holds nothing.
    Object[] data = new Object[names.length];
    List<List<Record>> unified = new ArrayList<>(names.length);
    int grown = 0;
    SOARecord soa = base.soa;
    for (int i = 0; i < names.length; i++) {
      Name name = names[i];
      List<Record> list = owners.get(name);
      for (Record r : list) {
        if (!r.getName().equals(name)) {
          throw new IllegalArgumentException("record " + r + " is listed as a record of " + name);
        }
        checkRecord(origin, r);
        if (r.getDClass() != base.dclass) {
          throw new ZoneException("record " + r + " is not of the zone's class");
        }
      }
      checkEncodable(list);
      if (!list.isEmpty()) {
        name = list.get(0).getName(); // the records' spelling of the name, as of() keeps it
        names[i] = name;
      }
      List<Record> out = new ArrayList<>(list.size());
      if (name.equals(origin)) {
        OwnerSets apex = apex(origin, list.isEmpty() ? null : new ArrayList<>(list));
        checkNode(origin, origin, apex);
        data[i] = apex.toNodeData(out);
        soa = (SOARecord) apex.get(Type.SOA).get(0);
      } else if (!list.isEmpty()) {
        OwnerSets sets = OwnerSets.of(list.size() == 1 ? list.get(0) : new ArrayList<>(list));
        checkNode(origin, name, sets);
        data[i] = sets.toNodeData(out);
        if (!base.nodes.containsKey(name)) {
          grown++;
        }
      }
      unified.add(out);
    }

    // The records in canonical order: base's, each changed owner's run replaced by its new one;
    // the chunks of base's list that no run touches are shared.
    RecordList old = base.records;
    int[] from = new int[names.length];
    int[] to = new int[names.length];
    for (int i = 0, at = 0; i < names.length; i++) {
      from[i] = ownersFrom(old, at, names[i], false);
      to[i] = at = ownersFrom(old, from[i], names[i], true);
    }
    RecordList records = old.splice(from, to, unified);

    NodeTable nodes = base.nodes.copy(grown);
    for (int i = 0; i < names.length; i++) {
      if (data[i] == null) {
        nodes.remove(names[i]);
      } else {
        nodes.put(names[i], data[i]);
      }
    }

    // Empty non-terminals (RFC 4592 §2.2.2): an owner added makes its missing ancestors ones; an
    // owner gone is one when it has descendants left, and takes with it the ancestors that were
    // ones only for it. In canonical order a name's descendants follow it at once.
    NodeTable emptyNonTerminals = base.emptyNonTerminals.copy(0);
    int childLabels = origin.labels() + 1;
    for (int i = 0; i < names.length; i++) {
      Name name = names[i];
      if (data[i] != null && !name.equals(origin)) {
        emptyNonTerminals.remove(name);
        if (name.labels() > childLabels) {
          for (Name n = new Name(name, 1); !nodes.containsKey(n) && emptyNonTerminals.add(n, Boolean.TRUE); ) {
            n = new Name(n, 1);
          }
        }
      }
    }
    for (int i = 0; i < names.length; i++) {
      Name name = names[i];
      if (data[i] != null || !name.subdomain(origin) || name.equals(origin)) {
        continue;
      }
      if (hasDescendants(records, name)) {
        emptyNonTerminals.add(name, Boolean.TRUE);
        continue;
      }
      emptyNonTerminals.remove(name);
      for (Name n = new Name(name, 1);
          !n.equals(origin) && !nodes.containsKey(n) && !hasDescendants(records, n) && emptyNonTerminals.remove(n); ) {
        n = new Name(n, 1);
      }
    }

    // Referrals: rebuilt at the changed owners that hold NS and at every cut that names a changed
    // owner as an NS target (its glue); the others are shared.
    Set<Name> changed = new HashSet<>(Arrays.asList(names));
    Set<Name> rebuild = new LinkedHashSet<>();
    for (int i = 0; i < names.length; i++) {
      if (!names[i].equals(origin) && data[i] != null && ZoneNode.get(data[i], Type.NS) != null) {
        rebuild.add(names[i]);
      }
      for (Name cut : cuts(base.glueTargets().get(names[i]))) {
        if (!changed.contains(cut)) {
          rebuild.add(cut);
        }
      }
    }
    NodeTable delegations = base.delegations.copy(rebuild.size());
    NodeTable glueTargets = base.glueTargets().copy(0);
    for (Name name : names) {
      dropReferral(delegations, glueTargets, origin, name);
    }
    for (Name cut : rebuild) {
      dropReferral(delegations, glueTargets, origin, cut);
    }
    return new ZoneSnapshot(
        origin, base.dclass, soa, records, nodes, emptyNonTerminals, delegations, glueTargets,
        rebuild, base, List.of(names));
  }

  /** Removes the referral at {@code cut}, if there is one, and its NS targets' links to it. */
  private static void dropReferral(NodeTable delegations, NodeTable glueTargets, Name origin, Name cut) {
    LookupResult.Referral old = (LookupResult.Referral) delegations.get(cut);
    if (old != null) {
      delegations.remove(cut);
      for (Record ns : old.ns()) {
        unlinkGlueTarget(glueTargets, origin, ((NSRecord) ns).getTarget(), cut);
      }
    }
  }

  /** The cuts of a {@link #glueTargets} value: none, one {@link Name} or a {@code Name[]}. */
  private static Name[] cuts(Object value) {
    return value == null ? new Name[0] : value instanceof Name n ? new Name[] {n} : (Name[]) value;
  }

  /** {@link #glueTargets}, made from the referrals the first time (a version built whole). */
  private synchronized NodeTable glueTargets() {
    if (glueTargets == null) {
      NodeTable made = new NodeTable(2 * delegations.size());
      delegations.forEachValue(referral -> linkGlueTargets(made, origin, (LookupResult.Referral) referral));
      glueTargets = made;
    }
    return glueTargets;
  }

  private static void linkGlueTargets(NodeTable glueTargets, Name origin, LookupResult.Referral referral) {
    for (Record ns : referral.ns()) {
      linkGlueTarget(glueTargets, origin, ((NSRecord) ns).getTarget(), referral.cut());
    }
  }

  /** Records that the referral at {@code cut} names {@code target} (kept only inside the zone). */
  private static void linkGlueTarget(NodeTable glueTargets, Name origin, Name target, Name cut) {
    if (!target.subdomain(origin)) {
      return; // no change to this zone changes it
    }
    Object value = glueTargets.get(target);
    if (value == null) {
      glueTargets.put(target, cut); // most targets: the name of one cut's referral
      return;
    }
    Name[] cuts = cuts(value);
    for (Name c : cuts) {
      if (c.equals(cut)) {
        return;
      }
    }
    // Values are shared with the versions before: replaced, never changed in place.
    Name[] more = Arrays.copyOf(cuts, cuts.length + 1);
    more[cuts.length] = cut;
    glueTargets.put(target, more);
  }

  private static void unlinkGlueTarget(NodeTable glueTargets, Name origin, Name target, Name cut) {
    if (!target.subdomain(origin)) {
      return;
    }
    Name[] cuts = cuts(glueTargets.get(target));
    List<Name> left = new ArrayList<>(cuts.length);
    for (Name c : cuts) {
      if (!c.equals(cut)) {
        left.add(c);
      }
    }
    if (left.size() == cuts.length) {
      return;
    }
    if (left.isEmpty()) {
      glueTargets.remove(target);
    } else {
      glueTargets.put(target, left.size() == 1 ? left.get(0) : left.toArray(new Name[0]));
    }
  }

  /**
   * The owners whose records may differ between {@code from} and this version, in canonical order,
   * when this version was made by {@link #patch} from {@code from} itself; else empty (compare
   * every record). Lets a diff of an edit cost what the edit touched.
   */
  public Optional<List<Name>> ownersChangedSince(ZoneSnapshot from) {
    return patchedFrom != null && patchedFrom.get() == from ? Optional.of(patchedOwners) : Optional.empty();
  }

  /**
   * The first index at or after {@code from} whose record's owner sorts at or after {@code name}
   * ({@code after}: strictly after), by binary search over records in canonical order.
   */
  private static int ownersFrom(RecordList records, int from, Name name, boolean after) {
    int lo = from;
    int hi = records.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int c = records.get(mid).getName().compareTo(name);
      if (c < 0 || (after && c == 0)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Whether some owner of {@code records} (canonical order) is below {@code name}. */
  private static boolean hasDescendants(RecordList records, Name name) {
    int next = ownersFrom(records, 0, name, true);
    return next < records.size() && records.get(next).getName().subdomain(name);
  }

  /**
   * Fills a snapshot's structures owner by owner, in canonical order. One owner is one call of
   * {@link #add}, a method of its own rather than the body of a loop in {@link #of}: the JIT then
   * compiles it once as a method, instead of compiling the whole of {@code of} replaced on the
   * stack in the middle of its loop (an OSR compilation of 40 KB of code that took about 0.4 s of
   * the only core of a secondary receiving a million records).
   */
  private static final class Builder {
    private final Name origin;
    private final int childLabels;
    final NodeTable nodes;
    final NodeTable emptyNonTerminals = new NodeTable(16);
    final RecordList.Builder all;
    final List<Name> cuts = new ArrayList<>();

    Builder(Name origin, int owners, int records) {
      this.origin = origin;
      this.childLabels = origin.labels() + 1;
      this.nodes = new NodeTable(owners);
      this.all = new RecordList.Builder(records);
    }

    /** The apex, the first owner in canonical order. */
    void apex(OwnerSets apex) {
      checkNode(origin, origin, apex);
      nodes.put(origin, apex.toNodeData(all));
    }

    /** An owner below the apex: its {@link Grouped} group. */
    void add(Object held) {
      Name owner = ownerOf(held);
      if (held instanceof Record r) {
        addOne(owner, r); // most owners of a large zone: no sets built
      } else {
        OwnerSets sets = OwnerSets.of(held);
        checkNode(origin, owner, sets);
        if (sets.get(Type.NS) != null) {
          cuts.add(owner);
        }
        nodes.putNew(owner, sets.toNodeData(all)); // owners are distinct (mergeEqual)
      }
      // Every ancestor up to the apex exists (empty non-terminals, RFC 4592 §2.2.2). An ancestor
      // sorts before its descendants, so an ancestor that owns records is in the table already;
      // the apex owns the SOA, so the walk stops there at the latest; a child of the apex needs
      // none.
      if (owner.labels() > childLabels) {
        for (Name n = new Name(owner, 1); !nodes.containsKey(n) && emptyNonTerminals.add(n, Boolean.TRUE); ) {
          n = new Name(n, 1);
        }
      }
    }

    /** An owner of one record: what {@link OwnerSets} checks and keeps, without building them. */
    private void addOne(Name owner, Record r) {
      OwnerSets.checkTtl(r);
      switch (r.getType()) {
        case Type.SOA:
          throw soaBelowApex(r, origin);
        case Type.NS:
          cuts.add(owner);
          break;
        default:
          break;
      }
      all.add(r);
      nodes.putNew(owner, r);
    }
  }

  /**
   * The records grouped by owner, checked one by one: inside the zone, one class, TXT not empty.
   * A group is a run of consecutive records with the same owner (a zone file, a journal or an AXFR
   * holds each owner's records together); {@link #mergeEqual} joins the groups of an owner whose
   * records were apart. A group holds the owner's only record, or a list of its records in input
   * order (most owners of a large zone hold one record: no list per owner), and no map is built:
   * input already in canonical order (a zone file or journal tierdns wrote, an AXFR) is then
   * neither sorted nor hashed before the snapshot's own map.
   */
  private static final class Grouped {
    private final Name origin;
    private final List<Object> owners = new ArrayList<>();
    private Name current;
    private Object held;
    private int dclass = -1;

    private Grouped(Name origin) {
      this.origin = origin;
    }

    static Grouped of(Name origin, Collection<Record> records) {
      Grouped g = new Grouped(origin);
      for (Record r : records) {
        g.add(r); // a method of its own for the JIT, as Builder#add
      }
      if (g.current != null) {
        g.owners.add(g.held);
      }
      return g;
    }

    private void add(Record r) {
      Name owner = r.getName();
      checkRecord(origin, r);
      if (dclass < 0) {
        dclass = r.getDClass();
      } else if (dclass != r.getDClass()) {
        throw new ZoneException("record " + r + " is not of the zone's class");
      }
      if (current != null && owner.equals(current)) {
        held = addToOwner(held, r);
      } else {
        if (current != null) {
          owners.add(held);
        }
        current = owner;
        held = r;
      }
    }

    /** The groups, in input order. */
    Object[] owners() {
      return owners.toArray();
    }

    int dclass() {
      return Math.max(dclass, 0);
    }
  }

  /** The checks of one record on its own: inside the zone; TXT and SPF not empty. */
  private static void checkRecord(Name origin, Record r) {
    if (!r.getName().subdomain(origin)) {
      throw new ZoneException("record " + r + " is outside the zone " + origin);
    }
    if ((r instanceof TXTRecord t && t.getStringsAsByteArrays().isEmpty()) || (r instanceof SPFRecord f && f.getStringsAsByteArrays().isEmpty())) {
      // RFC 1035 §3.3.14: one or more <character-string>s. dnsjava reads "t TXT" with nothing
      // after it as none, which would be written back as "" (found by ZoneFileFuzzTest).
      throw new ZoneException("record " + r.getName() + " " + Type.string(r.getType()) + " has no character-string");
    }
  }

  /**
   * The owner of a group of {@link Grouped}: its only record, or a list of its records in input
   * order, all with one owner (the first record's spelling of it). A group is that object itself,
   * not a record of name and records: 740,000 objects fewer for the bench zone.
   */
  @SuppressWarnings("unchecked")
  private static Name ownerOf(Object held) {
    return (held instanceof Record r ? r : ((List<Record>) held).get(0)).getName();
  }

  /**
   * The owners in canonical order with the groups of an equal name joined, in input order (a
   * stable sort keeps equal names in input order). Returns {@code sorted} itself when no two
   * groups have equal names, as for every input that keeps an owner's records together.
   */
  private static Object[] mergeEqual(Object[] sorted) {
    int out = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (out > 0 && ownerOf(sorted[out - 1]).equals(ownerOf(sorted[i]))) {
        sorted[out - 1] = addAllToOwner(sorted[out - 1], sorted[i]);
      } else {
        sorted[out++] = sorted[i];
      }
    }
    return out == sorted.length ? sorted : Arrays.copyOf(sorted, out);
  }

  /** {@code held} with the records of {@code more} (one record or a list) added after its own. */
  @SuppressWarnings("unchecked")
  private static Object addAllToOwner(Object held, Object more) {
    if (more instanceof Record r) {
      return addToOwner(held, r);
    }
    Object result = held;
    for (Record r : (List<Record>) more) {
      result = addToOwner(result, r);
    }
    return result;
  }

  /** The apex's RRsets, with exactly one SOA and at least one NS. */
  private static OwnerSets apex(Name origin, Object apexRecords) {
    OwnerSets apex = apexRecords == null ? null : OwnerSets.of(apexRecords);
    List<Record> soas = apex == null ? null : apex.get(Type.SOA);
    if (soas == null) {
      throw new ZoneException("zone " + origin + " has no SOA record at its apex");
    }
    if (soas.size() > 1) {
      throw new ZoneException("zone " + origin + " has more than one SOA record: " + soas.get(1));
    }
    if (apex.get(Type.NS) == null) {
      throw new ZoneException("zone " + origin + " has no NS record at its apex");
    }
    return apex;
  }

  @SuppressWarnings("unchecked")
  private static Object addToOwner(Object held, Object added) {
    if (held instanceof Record first) {
      List<Record> list = new ArrayList<>(4);
      list.add(first);
      list.add((Record) added);
      return list;
    }
    ((List<Record>) held).add((Record) added);
    return held;
  }

  /**
   * Every record must encode: a record dnsjava parsed from text but cannot encode (an HTTPS {@code
   * ech=} value that is not base64, found by ZoneFileFuzzTest) is an invalid zone, not a crash.
   * Types whose data are only addresses, names, numbers and byte strings always encode and are
   * skipped: they are most of a large zone, and encoding each cost an array per record.
   */
  private static void checkEncodable(Collection<Record> records) {
    for (Record r : records) {
      if (alwaysEncodes(r.getType())) {
        continue;
      }
      try {
        r.rdataToWireCanonical();
      } catch (RuntimeException bad) {
        throw new ZoneException(
            "record " + r.getName() + " " + Type.string(r.getType()) + " cannot be encoded: " + bad);
      }
    }
  }

  private static boolean alwaysEncodes(int type) {
    switch (type) {
      case Type.A:
      case Type.AAAA:
      case Type.NS:
      case Type.CNAME:
      case Type.PTR:
      case Type.DNAME:
      case Type.MX:
      case Type.TXT:
      case Type.SPF:
      case Type.SOA:
      case Type.SRV:
        return true;
      default:
        return false;
    }
  }

  private static ZoneException soaBelowApex(Record soa, Name origin) {
    return new ZoneException("SOA record " + soa + " is not at the zone apex " + origin);
  }

  private static void checkNode(Name origin, Name owner, OwnerSets byType) {
    List<Record> soa = byType.get(Type.SOA);
    if (soa != null && !owner.equals(origin)) {
      throw soaBelowApex(soa.get(0), origin);
    }
    List<Record> cname = byType.get(Type.CNAME);
    if (cname == null) {
      return;
    }
    if (cname.size() > 1) {
      throw new ZoneException(
          "more than one CNAME record at " + owner + ": " + cname.get(0) + " and " + cname.get(1));
    }
    for (int i = 0; i < byType.types().length; i++) {
      int type = byType.types()[i];
      if (type != Type.CNAME && type != Type.RRSIG && type != Type.NSEC) {
        throw new ZoneException(
            "CNAME record "
                + cname.get(0)
                + " is beside other data at the same name: "
                + byType.sets().get(i).get(0));
      }
    }
  }

  private LookupResult.Referral referral(Name cut) {
    List<Record> ns = nodeRecords(cut, Type.NS);
    // Glue: addresses of the NS targets held in this zone, including the occluded ones below the
    // cut, which exist only to be handed out here.
    List<Record> glue = new ArrayList<>();
    for (Record r : ns) {
      Name target = ((NSRecord) r).getTarget();
      addAll(glue, nodeRecords(target, Type.A));
      addAll(glue, nodeRecords(target, Type.AAAA));
    }
    return new LookupResult.Referral(cut, ns, List.copyOf(glue));
  }

  private static void addAll(List<Record> to, List<Record> from) {
    if (from != null) {
      to.addAll(from);
    }
  }

  /** The zone apex. */
  public Name origin() {
    return origin;
  }

  /** The zone's class (IN for every zone served today). */
  public int dclass() {
    return dclass;
  }

  /** The SOA record as stored. */
  public SOARecord soa() {
    return soa;
  }

  /** The SOA as put in the authority section of a negative answer: TTL = min(TTL, MINIMUM). */
  public SOARecord negativeSoa() {
    return negativeSoa;
  }

  /** The SOA serial (compare with RFC 1982 arithmetic, never with {@code <}). */
  public long serial() {
    return soa.getSerial();
  }

  /** Every record, in RFC 4034 §6 canonical order, RRset TTLs unified. */
  public List<Record> records() {
    return records;
  }

  /** Number of records. */
  public int size() {
    return records.size();
  }

  /**
   * One RRset as stored (occluded glue included), as a fresh copy the caller may change.
   *
   * @return empty when the name has no records of that type
   */
  public Optional<RRset> rrset(Name name, int type) {
    List<Record> set = nodeRecords(name, type);
    return set == null ? Optional.empty() : Optional.of(new RRset(set));
  }

  /** Every record at a name, RRsets by ascending type; empty when the name owns none. */
  public List<Record> recordsAt(Name name) {
    Object data = nodes.get(name);
    if (data == null) {
      return List.of();
    }
    List<List<Record>> sets = new ZoneNode(data).all();
    if (sets.size() == 1) {
      return sets.get(0);
    }
    List<Record> all = new ArrayList<>();
    sets.forEach(all::addAll);
    return all;
  }

  // ---- for ZoneLookup and the handler: shared, unmodifiable, never copied ----

  /** The records of one type at a name, or {@code null}. */
  List<Record> nodeRecords(Name name, int type) {
    return ZoneNode.get(nodes.get(name), type);
  }

  /** The node at a name, or {@code null}: a view of the snapshot's data, made for the caller. */
  ZoneNode node(Name name) {
    Object data = nodes.get(name);
    return data == null ? null : new ZoneNode(data);
  }

  /** True when the name exists: it owns records or is an empty non-terminal. */
  boolean exists(Name name) {
    return nodes.containsKey(name) || emptyNonTerminals.containsKey(name);
  }

  boolean hasDelegations() {
    return delegations.size() > 0;
  }

  /** The referral at a delegation point, or {@code null} when the name is not a cut. */
  LookupResult.Referral delegation(Name name) {
    return (LookupResult.Referral) delegations.get(name);
  }

  @Override
  public String toString() {
    return "ZoneSnapshot[" + origin + " serial=" + serial() + " records=" + records.size() + "]";
  }
}
