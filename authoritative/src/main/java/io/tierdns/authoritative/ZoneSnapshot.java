package io.tierdns.authoritative;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TTL;
import org.xbill.DNS.SPFRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * One immutable version of a zone.
 *
 * <p>Design note. Everything a query needs is computed once, here, off the serving path: a map
 * from owner name to {@link ZoneNode}, the set of names that exist including empty non-terminals
 * (RFC 4592 §2.2.2), the delegation points with their referral (NS set and glue) prebuilt, and the
 * negative-answer SOA. A lookup therefore takes no lock and allocates only the few {@link Name}
 * objects it needs to strip labels. A new version is a new snapshot, published with one atomic
 * swap ({@link ZoneRegistry}).
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
  private final List<Record> records;
  private final Map<Name, ZoneNode> nodes;
  private final Set<Name> names;
  private final Map<Name, LookupResult.Referral> delegations;

  private ZoneSnapshot(
      Name origin,
      int dclass,
      SOARecord soa,
      List<Record> records,
      Map<Name, ZoneNode> nodes,
      Set<Name> names) {
    this.origin = origin;
    this.dclass = dclass;
    this.soa = soa;
    // RFC 2308 §3: the SOA in a negative answer carries min(SOA TTL, SOA MINIMUM).
    this.negativeSoa =
        (SOARecord) ZoneRecords.withTtl(soa, Math.min(soa.getTTL(), soa.getMinimum()));
    this.records = records;
    this.nodes = nodes;
    this.names = names;
    this.delegations = buildReferrals();
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
    // Collapse duplicates (Record.equals ignores TTL) and group by owner, then type.
    Set<Record> unique = unique(records);
    Map<Name, TreeMap<Integer, List<Record>>> grouped = new HashMap<>();
    Integer dclass = null;
    for (Record r : unique) {
      Name owner = r.getName();
      if (!owner.subdomain(origin)) {
        throw new ZoneException("record " + r + " is outside the zone " + origin);
      }
      if (r.getTTL() > TTL.MAX_VALUE) {
        // Only parsed from the wire (a transfer, an UPDATE): dnsjava checks TTLs made any other
        // way, and code that copies the record would throw. Found by TransferResponseFuzzTest.
        throw new ZoneException("record " + r + " has a TTL above 2^31 - 1 (RFC 2181 §8)");
      }
      if ((r instanceof TXTRecord t && t.getStrings().isEmpty()) || (r instanceof SPFRecord f && f.getStrings().isEmpty())) {
        // RFC 1035 §3.3.14: one or more <character-string>s. dnsjava reads "t TXT" with nothing
        // after it as none, which would be written back as "" (found by ZoneFileFuzzTest).
        throw new ZoneException("record " + r.getName() + " " + Type.string(r.getType()) + " has no character-string");
      }
      if (dclass == null) {
        dclass = r.getDClass();
      } else if (dclass != r.getDClass()) {
        throw new ZoneException("record " + r + " is not of the zone's class");
      }
      grouped.computeIfAbsent(owner, n -> new TreeMap<>())
          .computeIfAbsent(r.getType(), t -> new ArrayList<>())
          .add(r);
    }
    TreeMap<Integer, List<Record>> apex = grouped.get(origin);
    List<Record> soas = apex == null ? null : apex.get(Type.SOA);
    if (soas == null || soas.isEmpty()) {
      throw new ZoneException("zone " + origin + " has no SOA record at its apex");
    }
    if (soas.size() > 1) {
      throw new ZoneException("zone " + origin + " has more than one SOA record: " + soas.get(1));
    }
    if (!apex.containsKey(Type.NS)) {
      throw new ZoneException("zone " + origin + " has no NS record at its apex");
    }

    Map<Name, ZoneNode> nodes = new HashMap<>();
    Set<Name> names = new HashSet<>();
    List<Record> all = new ArrayList<>(unique.size());
    for (Map.Entry<Name, TreeMap<Integer, List<Record>>> e : grouped.entrySet()) {
      Name owner = e.getKey();
      TreeMap<Integer, List<Record>> byType = e.getValue();
      checkNode(origin, owner, byType);
      int[] types = new int[byType.size()];
      List<List<Record>> sets = new ArrayList<>(byType.size());
      int i = 0;
      for (Map.Entry<Integer, List<Record>> t : byType.entrySet()) {
        types[i++] = t.getKey();
        List<Record> set = ZoneRecords.unifyTtl(t.getValue());
        sets.add(set);
        all.addAll(set);
      }
      nodes.put(owner, new ZoneNode(types, List.copyOf(sets)));
      // The owner and every ancestor up to the apex exist (empty non-terminals, RFC 4592 §2.2.2).
      for (Name n = owner; n.subdomain(origin) && names.add(n) && !n.equals(origin); ) {
        n = new Name(n, 1);
      }
    }
    all.sort(null);
    SOARecord soa = (SOARecord) nodes.get(origin).get(Type.SOA).get(0);
    return new ZoneSnapshot(origin, dclass, soa, List.copyOf(all), Map.copyOf(nodes), Set.copyOf(names));
  }

  /**
   * The records without duplicates, first occurrence kept. Hashing a record encodes it; a record
   * dnsjava parsed from text but cannot encode (an HTTPS {@code ech=} value that is not base64,
   * found by ZoneFileFuzzTest) is an invalid zone, not a crash.
   */
  private static Set<Record> unique(Collection<Record> records) {
    try {
      return new LinkedHashSet<>(records);
    } catch (RuntimeException e) {
      for (Record r : records) {
        try {
          r.hashCode();
        } catch (RuntimeException bad) {
          throw new ZoneException(
              "record " + r.getName() + " " + Type.string(r.getType()) + " cannot be encoded: " + bad);
        }
      }
      throw e;
    }
  }

  private static void checkNode(Name origin, Name owner, TreeMap<Integer, List<Record>> byType) {
    List<Record> soa = byType.get(Type.SOA);
    if (soa != null && !owner.equals(origin)) {
      throw new ZoneException("SOA record " + soa.get(0) + " is not at the zone apex " + origin);
    }
    List<Record> cname = byType.get(Type.CNAME);
    if (cname == null) {
      return;
    }
    if (cname.size() > 1) {
      throw new ZoneException(
          "more than one CNAME record at " + owner + ": " + cname.get(0) + " and " + cname.get(1));
    }
    for (Map.Entry<Integer, List<Record>> t : byType.entrySet()) {
      int type = t.getKey();
      if (type != Type.CNAME && type != Type.RRSIG && type != Type.NSEC) {
        throw new ZoneException(
            "CNAME record "
                + cname.get(0)
                + " is beside other data at the same name: "
                + t.getValue().get(0));
      }
    }
  }

  private Map<Name, LookupResult.Referral> buildReferrals() {
    Map<Name, LookupResult.Referral> cuts = new HashMap<>();
    for (Map.Entry<Name, ZoneNode> e : nodes.entrySet()) {
      List<Record> ns = e.getKey().equals(origin) ? null : e.getValue().get(Type.NS);
      if (ns == null) {
        continue;
      }
      // Glue: addresses of the NS targets held in this zone, including the occluded ones below the
      // cut, which exist only to be handed out here.
      List<Record> glue = new ArrayList<>();
      for (Record r : ns) {
        Name target = ((NSRecord) r).getTarget();
        addAll(glue, nodeRecords(target, Type.A));
        addAll(glue, nodeRecords(target, Type.AAAA));
      }
      cuts.put(e.getKey(), new LookupResult.Referral(e.getKey(), ns, List.copyOf(glue)));
    }
    return Map.copyOf(cuts);
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

  // ---- for ZoneLookup and the handler: shared, unmodifiable, never copied ----

  /** The records of one type at a name, or {@code null}. */
  List<Record> nodeRecords(Name name, int type) {
    ZoneNode node = nodes.get(name);
    return node == null ? null : node.get(type);
  }

  ZoneNode node(Name name) {
    return nodes.get(name);
  }

  /** True when the name exists: it owns records or is an empty non-terminal. */
  boolean exists(Name name) {
    return names.contains(name);
  }

  boolean hasDelegations() {
    return !delegations.isEmpty();
  }

  /** The referral at a delegation point, or {@code null} when the name is not a cut. */
  LookupResult.Referral delegation(Name name) {
    return delegations.get(name);
  }

  @Override
  public String toString() {
    return "ZoneSnapshot[" + origin + " serial=" + serial() + " records=" + records.size() + "]";
  }
}
