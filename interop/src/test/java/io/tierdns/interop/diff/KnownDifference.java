package io.tierdns.interop.diff;

import io.tierdns.interop.support.ZoneGenerator.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Type;

/**
 * The allow-list: documented, legitimate implementation choices on which two correct
 * authoritative servers may answer differently. Each entry rewrites both answers so that the
 * permitted difference disappears and nothing else changes; a pair of answers that is equal
 * only after these rewrites is counted under the entries that changed something, and any other
 * difference fails the test. Keep this list short and keep {@code docs/compliance.md}
 * ("Differences from Knot DNS and NSD") in step with it.
 */
public enum KnownDifference {

  /**
   * RFC 2181 §9: a response with TC=1 is only a signal to retry over TCP; what a server puts
   * in its sections alongside TC is not specified (Knot sends none, NSD and BIND keep the
   * RRsets that fit). With both TC=1, only header, question and OPT are compared.
   */
  TRUNCATED_CONTENT("RFC 2181 §9: section content of TC=1 responses is implementation-defined") {
    @Override
    Pair apply(Query query, String nameA, NormalizedAnswer a, String nameB, NormalizedAnswer b) {
      if (a.truncated() && b.truncated()) {
        return new Pair(a.with(List.of(), List.of(), List.of()), b.with(List.of(), List.of(), List.of()));
      }
      return new Pair(a, b);
    }
  },

  /**
   * RFC 1034 §4.3.2 step 3a lets a server add the zone's NS RRset to the authority section of
   * a positive answer ("may"); RFC 2181 §9 and minimal-responses practice leave it out. NSD
   * and BIND add it (with its addresses as additional data), Knot and tierdns do not. Removes
   * the apex NS RRset from the authority section of AA answers that have an answer section
   * and no SOA in authority, and the in-zone addresses of those NS names from additional.
   */
  AUTHORITY_NS_ON_POSITIVE_ANSWER("RFC 1034 §4.3.2 3a: apex NS in authority of positive answers is optional") {
    @Override
    Pair apply(Query query, String nameA, NormalizedAnswer a, String nameB, NormalizedAnswer b) {
      return new Pair(stripApexNs(a), stripApexNs(b));
    }
  },

  /**
   * RFC 8482 §4.1: a server may answer a qtype ANY query with any non-empty subset of the
   * RRsets at the name (Knot picks one, NSD picks another, BIND sends all). Accepted when both
   * answers are NOERROR with a non-empty answer section made only of RRsets owned by the
   * query name; the answer and additional sections are then not compared (the data itself is
   * checked by the per-type queries of the same names), header, authority and OPT still are.
   */
  ANY_SUBSET("RFC 8482 §4.1: ANY may be answered with any subset of the RRsets at the name") {
    @Override
    Pair apply(Query query, String nameA, NormalizedAnswer a, String nameB, NormalizedAnswer b) {
      if (query.qtype() != Type.ANY || !ownedBy(a, query) || !ownedBy(b, query)) {
        return new Pair(a, b);
      }
      return new Pair(a.with(List.of(), a.authority(), List.of()), b.with(List.of(), b.authority(), List.of()));
    }

    private boolean ownedBy(NormalizedAnswer x, Query query) {
      String qname = query.qname().toLowerCase(Locale.ROOT);
      return x.header().contains(" NOERROR ") && !x.answer().isEmpty()
          && x.answer().stream().allMatch(set -> set.owner().equals(qname));
    }
  },

  /**
   * RFC 1034 §4.3.2 step 3a restarts the lookup at step 1 ("search the available zones")
   * after a CNAME, so a server may follow a CNAME into another zone it serves (NSD, BIND) or
   * stop at the zone boundary and leave the rest to the resolver (Knot: the AA bit covers
   * only the first zone, RFC 6604 §2.1). When an answer contains a CNAME from one served zone
   * into the other, everything after that CNAME (further answer records, the other zone's NS
   * or SOA in authority, additional data, and an NXDOMAIN rcode that belongs to the target)
   * is dropped on both sides.
   */
  CNAME_ACROSS_ZONES("RFC 1034 §4.3.2 3a / RFC 6604 §2.1: following a CNAME into another served zone is optional") {
    @Override
    Pair apply(Query query, String nameA, NormalizedAnswer a, String nameB, NormalizedAnswer b) {
      return new Pair(cutAtZoneChange(a), cutAtZoneChange(b));
    }
  },

  /**
   * RFC 1034 §4.3.2 step 6 lets additional data come from any authoritative data the server
   * has. tierdns (and BIND) add the addresses of an NS, MX or SRV target that lives in
   * another zone they serve ({@code other.test. NS ns1.diff.test.} gets {@code ns1.diff.test.}
   * A/AAAA); Knot and NSD look only in the answering zone. Resolvers treat such records as
   * out of bailiwick either way. Removes, on both sides, additional A/AAAA RRsets owned by a
   * target whose served zone differs from the zone of the record naming it.
   */
  ADDITIONAL_FROM_OTHER_SERVED_ZONE("RFC 1034 §4.3.2 step 6: additional data may come from any zone served") {
    @Override
    Pair apply(Query query, String nameA, NormalizedAnswer a, String nameB, NormalizedAnswer b) {
      return new Pair(dropCrossZoneAdditional(a), dropCrossZoneAdditional(b));
    }
  };

  private final String reason;

  KnownDifference(String reason) {
    this.reason = reason;
  }

  /** Why this difference is legitimate, with the RFC that permits it. */
  public String reason() {
    return reason;
  }

  /** Rewrites both answers so the permitted difference disappears. */
  abstract Pair apply(Query query, String nameA, NormalizedAnswer a, String nameB, NormalizedAnswer b);

  /** Both sides of one comparison. */
  record Pair(NormalizedAnswer a, NormalizedAnswer b) {}

  private static NormalizedAnswer cutAtZoneChange(NormalizedAnswer x) {
    List<NormalizedAnswer.RRset> kept = new ArrayList<>();
    boolean crossed = false;
    for (NormalizedAnswer.RRset set : chainOrder(x.answer())) {
      kept.add(set);
      if (set.type() == Type.CNAME && !zoneOf(set.owner()).equals(zoneOf(set.rdata().get(0)))
          && !zoneOf(set.rdata().get(0)).isEmpty()) {
        crossed = true;
        break;
      }
    }
    if (!crossed) {
      return x;
    }
    String header = x.header().replace(" NXDOMAIN ", " NOERROR ");
    return x.withHeader(header).with(kept, List.of(), List.of());
  }

  /** The answer's RRsets in CNAME-chain order: the chain first, from the query name on. */
  private static List<NormalizedAnswer.RRset> chainOrder(List<NormalizedAnswer.RRset> answer) {
    List<NormalizedAnswer.RRset> cnames = answer.stream().filter(s -> s.type() == Type.CNAME).toList();
    List<NormalizedAnswer.RRset> ordered = new ArrayList<>();
    NormalizedAnswer.RRset current = cnames.stream()
        .filter(c -> cnames.stream().noneMatch(o -> o.rdata().get(0).equals(c.owner()))).findFirst().orElse(null);
    while (current != null && !ordered.contains(current)) {
      ordered.add(current);
      String target = current.rdata().get(0);
      current = cnames.stream().filter(c -> c.owner().equals(target)).findFirst().orElse(null);
    }
    answer.stream().filter(s -> !ordered.contains(s)).forEach(ordered::add);
    return ordered;
  }

  private static NormalizedAnswer dropCrossZoneAdditional(NormalizedAnswer x) {
    List<String> crossTargets = new ArrayList<>();
    List<NormalizedAnswer.RRset> naming = new ArrayList<>(x.answer());
    naming.addAll(x.authority());
    for (NormalizedAnswer.RRset set : naming) {
      if (set.type() != Type.NS && set.type() != Type.MX && set.type() != Type.SRV) {
        continue;
      }
      for (String rdata : set.rdata()) {
        String target = rdata.substring(rdata.lastIndexOf(' ') + 1);
        if (!zoneOf(target).isEmpty() && !zoneOf(target).equals(zoneOf(set.owner()))) {
          crossTargets.add(target);
        }
      }
    }
    if (crossTargets.isEmpty()) {
      return x;
    }
    List<NormalizedAnswer.RRset> additional = x.additional().stream()
        .filter(set -> !((set.type() == Type.A || set.type() == Type.AAAA) && crossTargets.contains(set.owner())))
        .toList();
    return x.with(x.answer(), x.authority(), additional);
  }

  private static String zoneOf(String name) {
    if (name.equals("diff.test.") || name.endsWith(".diff.test.")) {
      return "diff.test.";
    }
    if (name.equals("other.test.") || name.endsWith(".other.test.")) {
      return "other.test.";
    }
    return "";
  }

  private static NormalizedAnswer stripApexNs(NormalizedAnswer x) {
    boolean soaInAuthority = x.authority().stream().anyMatch(s -> s.type() == Type.SOA);
    if (!x.header().contains(" aa") || x.answer().isEmpty() || soaInAuthority) {
      return x;
    }
    List<NormalizedAnswer.RRset> authority = new ArrayList<>();
    List<String> nsNames = new ArrayList<>();
    for (NormalizedAnswer.RRset set : x.authority()) {
      if (set.type() == Type.NS && isApex(set.owner())) {
        nsNames.addAll(set.rdata());
      } else {
        authority.add(set);
      }
    }
    if (nsNames.isEmpty()) {
      return x;
    }
    List<NormalizedAnswer.RRset> additional = new ArrayList<>();
    for (NormalizedAnswer.RRset set : x.additional()) {
      boolean nsAddress = (set.type() == Type.A || set.type() == Type.AAAA) && nsNames.contains(set.owner());
      if (!nsAddress) {
        additional.add(set);
      }
    }
    return x.with(x.answer(), authority, additional);
  }

  private static boolean isApex(String owner) {
    return owner.equals("diff.test.") || owner.equals("other.test.");
  }
}
