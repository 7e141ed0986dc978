package io.tierdns.authoritative.update;

import io.tierdns.authoritative.ZoneRecords;
import io.tierdns.authoritative.serial.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TTL;
import org.xbill.DNS.Type;
import org.xbill.DNS.WKSRecord;

/**
 * The update section of an UPDATE: the prescan of RFC 2136 §3.4.1 with the permission check of
 * §3.3, then the processing of §3.4.2 on a {@link ZoneDraft}.
 *
 * <p>Design note. The prescan runs over every RR before anything is applied, so an update is
 * rejected as a whole (FORMERR, NOTZONE, REFUSED) or processed as a whole. Processing follows the
 * RFC's pseudo-code RR by RR; the RRs it says to skip are reported to {@code ignored} (for the log)
 * and do not fail the update, as in BIND and Knot DNS:
 *
 * <ul>
 *   <li>a CNAME added where other data exists, or other data where a CNAME exists (RRSIG and NSEC
 *       may sit beside a CNAME) — §3.4.2.2; BIND logs "attempt to add CNAME alongside non-CNAME
 *       ignored" and answers NOERROR;
 *   <li>a SOA whose serial is older than the zone's (RFC 1982) or not at the apex — §3.4.2.2 (an
 *       equal serial is accepted, as the RFC's "{@code >}" and BIND have it);
 *   <li>deleting the apex SOA (class ANY or NONE), the apex NS RRset (class ANY), or the last apex
 *       NS record (class NONE) — §3.4.2.3, §3.4.2.4; class ANY type ANY at the apex keeps SOA and
 *       NS.
 * </ul>
 *
 * Adding a record already present replaces it (its TTL); adding a record sets the whole RRset's TTL
 * to the record's (RFC 2181 §5.2, as BIND). A CNAME or SOA added replaces the RRset.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2136#section-3.4">RFC 2136 §3.4</a>
 */
final class UpdateSection {

  private UpdateSection() {}

  /**
   * RFC 2136 §3.4.1.3 and §3.3, for every RR before any is applied.
   *
   * @param key the key that signed the update, or {@code null} when unsigned
   * @throws io.tierdns.authoritative.edit.ZoneEditException NOTZONE, FORMERR or REFUSED
   */
  static void prescan(List<Record> updates, ZoneDraft zone, Name key, UpdatePolicy policy) {
    Name origin = zone.origin();
    for (Record rr : updates) {
      Name name = rr.getName();
      int type = rr.getType();
      int dclass = rr.getDClass();
      boolean empty = ZoneDraft.noRdata(rr);
      if (!name.subdomain(origin)) {
        throw UpdateErrors.notZone("update name " + name + " is outside the zone " + origin);
      }
      if (dclass == zone.dclass()) {
        if (!Type.isRR(type)) {
          throw UpdateErrors.formErr("cannot add a record of meta type " + Type.string(type) + ": " + rr);
        }
        if (empty) {
          throw UpdateErrors.formErr("record to add has no rdata: " + rr);
        }
        if (rr.getTTL() > TTL.MAX_VALUE) {
          // read from the wire as any 32 bits; dnsjava refuses such a TTL in a record made any
          // other way, so the SOA of the next serial could not be made from it (found by UpdateFuzzTest)
          throw UpdateErrors.formErr("record to add has a TTL above 2^31 - 1 (RFC 2181 §8): " + rr);
        }
      } else if (dclass == DClass.ANY) {
        if (rr.getTTL() != 0 || !empty || (type != Type.ANY && !Type.isRR(type))) {
          throw UpdateErrors.formErr("malformed delete-RRset (class ANY needs TTL 0, no rdata): " + rr);
        }
      } else if (dclass == DClass.NONE) {
        if (rr.getTTL() != 0 || empty || !Type.isRR(type)) {
          throw UpdateErrors.formErr("malformed delete-record (class NONE needs TTL 0 and rdata): " + rr);
        }
      } else {
        throw UpdateErrors.formErr("update " + rr + " has class " + DClass.string(dclass));
      }
      if (!permitted(rr, zone, key, policy)) {
        throw UpdateErrors.refused(
            (key == null ? "unsigned update" : "key " + key)
                + " may not change "
                + (type == Type.ANY ? "" : Type.string(type) + " at ")
                + name);
      }
    }
  }

  /**
   * Deleting every RRset at a name needs permission for each type there (as BIND 9.16+); for an
   * empty name, any grant covering the name.
   */
  private static boolean permitted(Record rr, ZoneDraft zone, Name key, UpdatePolicy policy) {
    Name name = rr.getName();
    if (rr.getType() != Type.ANY) {
      return policy.permits(key, name, rr.getType());
    }
    boolean apex = name.equals(zone.origin());
    boolean any = false;
    for (int type : zone.types(name)) {
      if (apex && (type == Type.SOA || type == Type.NS)) {
        continue; // never deleted by ANY at the apex
      }
      any = true;
      if (!policy.permits(key, name, type)) {
        return false;
      }
    }
    return any || policy.permitsName(key, name);
  }

  /** RFC 2136 §3.4.2: applies the RRs in order to the draft. */
  static void apply(List<Record> updates, ZoneDraft zone, Consumer<String> ignored) {
    for (Record rr : updates) {
      int dclass = rr.getDClass();
      if (dclass == DClass.ANY) {
        deleteRRsets(rr, zone, ignored);
      } else if (dclass == DClass.NONE) {
        deleteRecord(rr, zone, ignored);
      } else {
        add(rr, zone, ignored);
      }
    }
  }

  private static void add(Record rr, ZoneDraft zone, Consumer<String> ignored) {
    Name name = rr.getName();
    int type = rr.getType();
    if (type == Type.CNAME) {
      for (int t : zone.types(name)) {
        if (t != Type.CNAME && !besideCname(t)) {
          ignored.accept("CNAME beside other data (" + Type.string(t) + "): " + rr);
          return;
        }
      }
    } else if (!besideCname(type) && !zone.rrset(name, Type.CNAME).isEmpty()) {
      ignored.accept("data beside a CNAME: " + rr);
      return;
    }
    if (type == Type.SOA) {
      List<Record> soa = zone.rrset(name, Type.SOA);
      if (soa.isEmpty()) {
        ignored.accept("SOA not at the zone apex: " + rr);
        return;
      }
      long current = ((SOARecord) soa.get(0)).getSerial();
      long proposed = ((SOARecord) rr).getSerial();
      if (!Serial.isAtLeast(proposed, current)) { // older, or undefined (2^31 apart)
        ignored.accept("SOA serial " + proposed + " is older than " + current + ": " + rr);
        return;
      }
    }
    List<Record> set = new ArrayList<>();
    if (type != Type.CNAME && type != Type.SOA) {
      boolean replaced = false;
      for (Record zrr : zone.rrset(name, type)) {
        if (!replaced && sameRecord(zrr, rr)) {
          set.add(rr); // a duplicate replaces the stored record (and so its TTL)
          replaced = true;
        } else {
          set.add(zrr);
        }
      }
      if (!replaced) {
        set.add(rr);
      }
    } else {
      set.add(rr); // at most one CNAME, exactly one SOA: the new one replaces
    }
    long ttl = rr.getTTL();
    set.replaceAll(r -> ZoneRecords.withTtl(r, ttl));
    zone.put(name, type, set);
  }

  private static void deleteRRsets(Record rr, ZoneDraft zone, Consumer<String> ignored) {
    Name name = rr.getName();
    int type = rr.getType();
    boolean apex = name.equals(zone.origin());
    if (type == Type.ANY) {
      for (int t : List.copyOf(zone.types(name))) {
        if (!(apex && (t == Type.SOA || t == Type.NS))) {
          zone.remove(name, t);
        }
      }
    } else if (apex && (type == Type.SOA || type == Type.NS)) {
      ignored.accept("deleting the apex " + Type.string(type) + " RRset: " + rr);
    } else {
      zone.remove(name, type);
    }
  }

  private static void deleteRecord(Record rr, ZoneDraft zone, Consumer<String> ignored) {
    Name name = rr.getName();
    int type = rr.getType();
    boolean apex = name.equals(zone.origin());
    if (type == Type.SOA) {
      ignored.accept("deleting the SOA: " + rr);
      return;
    }
    List<Record> set = zone.rrset(name, type);
    List<Record> kept = new ArrayList<>(set.size());
    for (Record zrr : set) {
      if (!ZoneDraft.sameRdata(zrr, rr)) {
        kept.add(zrr);
      }
    }
    if (kept.size() == set.size()) {
      return; // nothing to delete
    }
    if (apex && type == Type.NS && kept.isEmpty()) {
      ignored.accept("deleting the last apex NS: " + rr);
      return;
    }
    zone.put(name, type, kept);
  }

  /** Types that may sit beside a CNAME (RFC 2181 §10.1, RFC 4035 §2.5; as ZoneSnapshot). */
  private static boolean besideCname(int type) {
    return type == Type.RRSIG || type == Type.NSEC;
  }

  /** RFC 2136 §3.4.2.2: the same rdata, or for WKS the same address and protocol. */
  private static boolean sameRecord(Record zrr, Record rr) {
    if (rr instanceof WKSRecord w && zrr instanceof WKSRecord z) {
      return w.getProtocol() == z.getProtocol() && w.getAddress().equals(z.getAddress());
    }
    return ZoneDraft.sameRdata(zrr, rr);
  }
}
