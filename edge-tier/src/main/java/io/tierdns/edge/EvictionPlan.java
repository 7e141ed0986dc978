package io.tierdns.edge;

import io.tierdns.authoritative.edit.ZoneDiff;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What a cache must forget after a zone changed: computed from the IXFR difference sequences
 * (RFC 1995 §4) it received. Pure.
 *
 * <p>Design note. The cache keys entries by question, so a changed RRset (owner N, type T) can be
 * behind several entries. The plan names them by rule, most precise first:
 *
 * <ol>
 *   <li>{@link #rrsets}: the questions (N, T) and (N, ANY); for an RRSIG, (N, covered type). The
 *       apex SOA is always in it, since every version changes the serial.
 *   <li>{@link #allTypes}: names whose CNAME changed; every question at N followed it (RFC 1034
 *       §3.6.2), so every type at N goes.
 *   <li>{@link #negatives}: N and its ancestors below the apex. A name that gains records makes
 *       its own NXDOMAIN wrong and turns missing ancestors into empty non-terminals (NODATA, not
 *       NXDOMAIN, RFC 8020 §2); a name that loses its last records turns NODATA into NXDOMAIN, for
 *       it and possibly for ancestors that were only ENTs. Every NXDOMAIN and NODATA entry of
 *       those names goes; there are few of them.
 *   <li>{@link #chains}: the same names again, for entries keyed by another question whose CNAME
 *       or DNAME chain passes through or ends at them (the cache's chain index finds those).
 *   <li>{@link #below}: when in doubt, a whole subtree: the parent of a changed wildcard (answers
 *       synthesised from it are cached under the query names, RFC 4592), the owner of a changed
 *       DNAME (RFC 6672 synthesis below it) and a changed delegation NS below the apex (referrals
 *       for everything under the cut).
 * </ol>
 *
 * Removing an entry is always safe (the next query refetches it), so every rule errs on the side
 * of removing more. Records of the difference outside the zone are ignored.
 *
 * @param zone the zone apex
 * @param rrsets exact questions to remove
 * @param allTypes names to remove every question of
 * @param negatives names whose NXDOMAIN and NODATA entries go
 * @param chains names whose referencing chain entries go
 * @param below subtrees to remove entirely
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1995#section-4">RFC 1995 §4</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2308#section-5">RFC 2308 §5</a>
 */
public record EvictionPlan(
    Name zone,
    Set<Question> rrsets,
    Set<Name> allTypes,
    Set<Name> negatives,
    Set<Name> chains,
    Set<Name> below) {

  /** A question of the cache, any class: owner name (lower case) and type. */
  public record Question(Name name, int type) {
    public Question {
      name = name.canonicalize();
    }

    @Override
    public String toString() {
      return name + "/" + Type.string(type);
    }
  }

  public EvictionPlan {
    Objects.requireNonNull(zone, "zone");
    rrsets = Set.copyOf(rrsets);
    allTypes = Set.copyOf(allTypes);
    negatives = Set.copyOf(negatives);
    chains = Set.copyOf(chains);
    below = Set.copyOf(below);
  }

  /** The plan for a chain of differences of {@code zone}, oldest first. */
  public static EvictionPlan of(Name zone, List<ZoneDiff> diffs) {
    Name apex = zone.canonicalize();
    Set<Question> rrsets = new LinkedHashSet<>();
    Set<Name> allTypes = new LinkedHashSet<>();
    Set<Name> existence = new LinkedHashSet<>();
    Set<Name> below = new LinkedHashSet<>();
    rrsets.add(new Question(apex, Type.SOA));
    rrsets.add(new Question(apex, Type.ANY));
    for (ZoneDiff d : diffs) {
      for (List<Record> records : List.of(d.removed(), d.added())) {
        for (Record r : records) {
          Name owner = r.getName().canonicalize();
          if (!owner.subdomain(apex)) {
            continue;
          }
          int type = r instanceof RRSIGRecord sig ? sig.getTypeCovered() : r.getType();
          rrsets.add(new Question(owner, type));
          rrsets.add(new Question(owner, Type.ANY));
          if (r.getType() == Type.RRSIG) {
            rrsets.add(new Question(owner, Type.RRSIG));
          }
          if (type == Type.CNAME) {
            allTypes.add(owner);
          }
          if (type == Type.DNAME || (type == Type.NS && !owner.equals(apex))) {
            below.add(owner);
          }
          if (owner.isWild()) {
            below.add(new Name(owner, 1));
          }
          for (Name n = owner; !n.equals(apex); n = new Name(n, 1)) {
            existence.add(n);
          }
        }
      }
    }
    return new EvictionPlan(apex, rrsets, allTypes, existence, existence, below);
  }

  /** True when nothing but the zone's SOA questions is to be removed. */
  public boolean onlySoa() {
    return rrsets.size() == 2 && allTypes.isEmpty() && negatives.isEmpty() && below.isEmpty();
  }
}
