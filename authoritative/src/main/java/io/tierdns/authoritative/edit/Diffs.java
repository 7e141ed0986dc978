package io.tierdns.authoritative.edit;

import io.tierdns.authoritative.AuthoritativeException;
import io.tierdns.authoritative.ZoneException;
import io.tierdns.authoritative.ZoneSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Differences between zone versions as IXFR carries them (RFC 1995 §4): computing one, condensing
 * a chain into one, inverting one, and applying one to a snapshot.
 *
 * <p>A record is compared with its TTL: a TTL change is a removal of the old record and an
 * addition of the new one, so a secondary that applies the diff ends with exactly the primary's
 * TTLs. The SOA is never in {@code removed}/{@code added}; it travels as {@code fromSoa}/{@code
 * toSoa}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1995#section-4">RFC 1995 §4</a>
 */
public final class Diffs {

  /** A diff that does not fit the snapshot it is applied to; the snapshot is unchanged. */
  public static final class MismatchException extends AuthoritativeException {
    private static final long serialVersionUID = 1L;

    public MismatchException(String message) {
      super(message);
    }

    public MismatchException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A record with its TTL, for comparisons that see TTL changes. */
  private record Rr(Record record, long ttl) {
    static Rr of(Record r) {
      return new Rr(r, r.getTTL());
    }
  }

  private Diffs() {}

  /**
   * The diff that turns {@code from} into {@code to}; {@code removed} and {@code added} in RFC 4034
   * canonical order.
   *
   * @throws IllegalArgumentException when the snapshots are of different zones
   */
  public static ZoneDiff between(ZoneSnapshot from, ZoneSnapshot to) {
    if (!from.origin().equals(to.origin())) {
      throw new IllegalArgumentException("cannot diff zone " + from.origin() + " with zone " + to.origin());
    }
    Optional<List<Name>> owners = to.ownersChangedSince(from);
    if (owners.isPresent()) {
      return betweenOwners(from, to, owners.get());
    }
    Set<Rr> before = keys(from.records());
    Set<Rr> after = keys(to.records());
    List<Record> removed = new ArrayList<>();
    for (Record r : from.records()) {
      if (r.getType() != Type.SOA && !after.contains(Rr.of(r))) {
        removed.add(r);
      }
    }
    List<Record> added = new ArrayList<>();
    for (Record r : to.records()) {
      if (r.getType() != Type.SOA && !before.contains(Rr.of(r))) {
        added.add(r);
      }
    }
    return new ZoneDiff(from.origin(), from.soa(), to.soa(), removed, added);
  }

  /**
   * {@link #between} when only {@code owners} (canonical order) can differ, as after {@link
   * ZoneSnapshot#patch}: the same diff, in the same order, at the cost of those owners. An edit of
   * one record in a million-record zone spent 4-5 s hashing every record of both versions here.
   */
  private static ZoneDiff betweenOwners(ZoneSnapshot from, ZoneSnapshot to, List<Name> owners) {
    List<Record> removed = new ArrayList<>();
    List<Record> added = new ArrayList<>();
    for (Name owner : owners) {
      List<Record> old = from.recordsAt(owner);
      List<Record> now = to.recordsAt(owner);
      Set<Rr> before = keys(old);
      Set<Rr> after = keys(now);
      for (Record r : old) {
        if (r.getType() != Type.SOA && !after.contains(Rr.of(r))) {
          removed.add(r);
        }
      }
      for (Record r : now) {
        if (r.getType() != Type.SOA && !before.contains(Rr.of(r))) {
          added.add(r);
        }
      }
    }
    return new ZoneDiff(from.origin(), from.soa(), to.soa(), removed, added);
  }

  /**
   * One diff equivalent to a chain of consecutive diffs, as IXFR sends with condensed differences
   * (RFC 1995 §5): a record added then removed disappears, a record removed then added back
   * likewise.
   *
   * @param chain oldest first, each starting at the serial the previous one ends at
   * @throws IllegalArgumentException when the chain is empty or not consecutive
   */
  public static ZoneDiff condense(List<ZoneDiff> chain) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("cannot condense an empty chain of diffs");
    }
    if (chain.size() == 1) {
      return chain.get(0);
    }
    // Keyed by the record without its TTL (Record.equals), as applying a diff matches records: a
    // removal cancels an earlier addition whatever TTL either carries, and a record listed twice
    // in one diff counts once. Only a record removed and added back with the very same TTL
    // cancels out; with another TTL both stay (a TTL change). Found by TransferResponseFuzzTest:
    // a chain adding a record with one TTL and removing it with another was journaled as a
    // removal of a record the first version never had.
    Map<Record, Record> removed = new LinkedHashMap<>();
    Map<Record, Record> added = new LinkedHashMap<>();
    ZoneDiff previous = null;
    for (ZoneDiff d : chain) {
      if (previous != null && previous.toSerial() != d.fromSerial()) {
        throw new IllegalArgumentException(
            "diffs are not consecutive: one ends at serial " + previous.toSerial() + ", the next starts at " + d.fromSerial());
      }
      for (Record r : new LinkedHashSet<>(d.removed())) {
        if (added.remove(r) == null) {
          removed.putIfAbsent(r, r);
        }
      }
      for (Record r : new LinkedHashSet<>(d.added())) {
        Record gone = removed.get(r);
        if (gone != null && gone.getTTL() == r.getTTL()) {
          removed.remove(r);
        } else {
          added.put(r, r);
        }
      }
      previous = d;
    }
    return new ZoneDiff(chain.get(0).zone(), chain.get(0).fromSoa(), previous.toSoa(), sortedRecords(removed.values()), sortedRecords(added.values()));
  }

  /** The diff that undoes {@code d}: from its new version back to its old one. */
  public static ZoneDiff invert(ZoneDiff d) {
    return new ZoneDiff(d.zone(), d.toSoa(), d.fromSoa(), d.added(), d.removed());
  }

  /**
   * Applies a diff strictly, as a secondary applies IXFR: the snapshot must be at the diff's
   * starting serial, every removed record must be present and every added one absent (after the
   * removals).
   *
   * @throws MismatchException when the diff does not fit; the caller falls back to a full transfer
   */
  public static ZoneSnapshot apply(ZoneSnapshot base, ZoneDiff diff) {
    return applyAll(base, List.of(diff));
  }

  /** {@link #apply} for a chain of diffs, oldest first, building one snapshot at the end. */
  public static ZoneSnapshot applyAll(ZoneSnapshot base, List<ZoneDiff> chain) {
    if (chain.isEmpty()) {
      return base;
    }
    MutableZone z = MutableZone.of(base);
    for (ZoneDiff d : chain) {
      if (!d.zone().equals(z.origin())) {
        throw new MismatchException("diff of zone " + d.zone() + " cannot apply to zone " + z.origin());
      }
      if (d.fromSerial() != z.soa().getSerial()) {
        throw new MismatchException(
            "diff from serial " + d.fromSerial() + " cannot apply to zone " + z.origin() + " at serial " + z.soa().getSerial());
      }
      for (Record r : d.removed()) {
        if (!z.remove(r)) {
          throw new MismatchException("diff " + d.fromSerial() + " -> " + d.toSerial() + " removes " + r + ", which the zone does not have");
        }
      }
      for (Record r : d.added()) {
        if (z.contains(r)) {
          throw new MismatchException("diff " + d.fromSerial() + " -> " + d.toSerial() + " adds " + r + ", which the zone has already");
        }
        z.add(r);
      }
      z.soa(d.toSoa());
    }
    return build(z, chain.get(chain.size() - 1));
  }

  /**
   * Applies a diff leniently, as a patch onto a version that may have moved on: removed records
   * that are absent and added records that are present are skipped (an added record's TTL wins).
   * The result's SOA is the diff's {@code toSoa}. Used to carry a hand edit of a zone file onto
   * the journal's state.
   *
   * @throws MismatchException when the result is not a valid zone (e.g. the patch puts a CNAME
   *     beside data added since)
   */
  public static ZoneSnapshot patch(ZoneSnapshot base, ZoneDiff diff) {
    MutableZone z = MutableZone.of(base);
    for (Record r : diff.removed()) {
      z.remove(r);
    }
    for (Record r : diff.added()) {
      z.add(r);
    }
    z.soa(diff.toSoa());
    return build(z, diff);
  }

  /** True when two versions have the same records with the same TTLs, SOA included. */
  public static boolean sameContent(ZoneSnapshot a, ZoneSnapshot b) {
    return a.origin().equals(b.origin()) && sameSoa(a.soa(), b.soa()) && a.soa().getSerial() == b.soa().getSerial() && between(a, b).isEmpty();
  }

  /** True when two SOA records differ at most in their serial (TTL compared). */
  public static boolean sameSoa(SOARecord a, SOARecord b) {
    return a.getTTL() == b.getTTL() && MutableZone.withSerial(a, 0).equals(MutableZone.withSerial(b, 0));
  }

  /** A copy of an SOA record with another serial. */
  public static SOARecord withSerial(SOARecord soa, long serial) {
    return MutableZone.withSerial(soa, serial);
  }

  private static ZoneSnapshot build(MutableZone z, ZoneDiff last) {
    try {
      return z.build();
    } catch (ZoneException e) {
      throw new MismatchException(
          "zone " + z.origin() + " after the diff to serial " + last.toSerial() + " is not valid: " + e.getMessage(), e);
    }
  }

  private static Set<Rr> keys(List<Record> records) {
    Set<Rr> keys = new HashSet<>(records.size() * 2);
    for (Record r : records) {
      keys.add(Rr.of(r));
    }
    return keys;
  }

  private static List<Record> sortedRecords(java.util.Collection<Record> records) {
    List<Record> out = new ArrayList<>(records);
    out.sort(null);
    return out;
  }

  private static List<Record> sorted(Set<Rr> keys) {
    List<Record> out = new ArrayList<>(keys.size());
    for (Rr k : keys) {
      out.add(k.record());
    }
    out.sort(null);
    return out;
  }
}
