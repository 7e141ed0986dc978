package io.tierdns.authoritative;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The RFC 1034 §4.3.2 algorithm on one zone snapshot, as a pure function.
 *
 * <ol>
 *   <li>Walk down from the apex towards the qname; the first (topmost) delegation point met gives a
 *       {@link LookupResult.Referral}, except a DS query at the cut itself, which is answered from
 *       the parent side (RFC 4035 §3.1.4.1).
 *   <li>A node at the qname: the RRset of the type, or its CNAME, or NODATA. An empty
 *       non-terminal is NODATA (RFC 4592 §2.2.2).
 *   <li>Otherwise the closest encloser is the longest existing ancestor; the source of synthesis
 *       is {@code *.<closest encloser>}. When it exists the answer is synthesised with the qname
 *       as owner (including a wildcard CNAME); when it does not, NXDOMAIN. An empty non-terminal
 *       closest encloser therefore blocks wildcards further up (RFC 4592 §3.3.1).
 * </ol>
 *
 * <p>CNAME chains are not followed here: that spans zones and belongs to the handler.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1034#section-4.3.2">RFC 1034 §4.3.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4592#section-3.3">RFC 4592 §3.3</a>
 */
public final class ZoneLookup {

  private static final LookupResult NXDOMAIN = new LookupResult.NxDomain();
  private static final LookupResult NODATA = new LookupResult.NoData(false);
  private static final LookupResult WILDCARD_NODATA = new LookupResult.NoData(true);
  private static final Name WILD = Name.fromConstantString("*");

  private ZoneLookup() {}

  /**
   * Looks a name up in one zone.
   *
   * @param zone the snapshot
   * @param qname a name at or below the zone's origin
   * @param qtype the query type; {@link Type#ANY} returns every RRset at the name
   * @throws IllegalArgumentException when the qname is outside the zone (a caller bug)
   */
  public static LookupResult lookup(ZoneSnapshot zone, Name qname, int qtype) {
    Name origin = zone.origin();
    if (!qname.subdomain(origin)) {
      throw new IllegalArgumentException(qname + " is not in zone " + origin);
    }
    if (zone.hasDelegations()) {
      LookupResult.Referral referral = topmostCut(zone, qname, qtype);
      if (referral != null) {
        return referral;
      }
    }
    ZoneNode node = zone.node(qname);
    if (node != null) {
      return fromNode(node, qname, qtype, false);
    }
    if (zone.exists(qname)) {
      return NODATA; // empty non-terminal
    }
    Name encloser = closestEncloser(zone, qname);
    ZoneNode source = zone.node(wildcardOf(encloser));
    if (source == null) {
      return NXDOMAIN;
    }
    return fromNode(source, qname, qtype, true);
  }

  private static LookupResult.Referral topmostCut(ZoneSnapshot zone, Name qname, int qtype) {
    int below = qname.labels() - zone.origin().labels();
    // Walk from the label just under the apex down to the qname: the first cut wins.
    for (int strip = below - 1; strip >= 0; strip--) {
      Name candidate = strip == 0 ? qname : new Name(qname, strip);
      LookupResult.Referral cut = zone.delegation(candidate);
      if (cut != null) {
        // RFC 4035 §3.1.4.1: the parent side is authoritative for DS at the cut.
        boolean dsAtCut = strip == 0 && qtype == Type.DS;
        return dsAtCut ? null : cut;
      }
    }
    return null;
  }

  private static Name closestEncloser(ZoneSnapshot zone, Name qname) {
    // The origin always exists, so the loop ends at the latest there.
    for (int strip = 1; ; strip++) {
      Name candidate = new Name(qname, strip);
      if (zone.exists(candidate)) {
        return candidate;
      }
    }
  }

  private static Name wildcardOf(Name encloser) {
    try {
      return Name.concatenate(WILD, encloser);
    } catch (org.xbill.DNS.NameTooLongException e) {
      return WILD; // *.<encloser> cannot exist when it would be too long
    }
  }

  private static LookupResult fromNode(ZoneNode node, Name qname, int qtype, boolean wildcard) {
    if (qtype == Type.ANY) {
      List<Record> all = new ArrayList<>();
      for (List<Record> set : node.all()) {
        all.addAll(set);
      }
      return new LookupResult.Answer(owned(all, qname, wildcard), wildcard);
    }
    List<Record> set = node.get(qtype);
    if (set != null) {
      return new LookupResult.Answer(owned(set, qname, wildcard), wildcard);
    }
    List<Record> cname = node.get(Type.CNAME);
    if (cname != null) {
      Record alias = wildcard ? cname.get(0).withName(qname) : cname.get(0);
      return new LookupResult.Cname(alias, ((CNAMERecord) alias).getTarget(), wildcard);
    }
    return wildcard ? WILDCARD_NODATA : NODATA;
  }

  /** Wildcard answers carry the qname as owner (RFC 4592 §4.1 synthesis). */
  private static List<Record> owned(List<Record> set, Name qname, boolean wildcard) {
    if (!wildcard) {
      return set;
    }
    List<Record> out = new ArrayList<>(set.size());
    for (Record r : set) {
      out.add(r.withName(qname));
    }
    return List.copyOf(out);
  }
}
