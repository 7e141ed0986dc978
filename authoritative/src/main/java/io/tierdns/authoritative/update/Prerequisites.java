package io.tierdns.authoritative.update;

import io.tierdns.authoritative.edit.ZoneEditException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The prerequisite section of an UPDATE, checked against the zone as RFC 2136 §3.2.5 gives it in
 * pseudo-code, in the same order (so the first failing RR decides the rcode):
 *
 * <pre>
 *   TTL ≠ 0                                  FORMERR
 *   name outside the zone                    NOTZONE
 *   class ANY,  rdata, any type              FORMERR
 *   class ANY,  type ANY: name not in use    NXDOMAIN   (§2.4.4)
 *   class ANY,  type T:   no RRset           NXRRSET    (§2.4.1, value-independent)
 *   class NONE, rdata                        FORMERR
 *   class NONE, type ANY: name in use        YXDOMAIN   (§2.4.5)
 *   class NONE, type T:   RRset exists       YXRRSET    (§2.4.3)
 *   class = zone class: collected by (name, type); afterwards each collected set must equal the
 *                       zone's RRset exactly     NXRRSET (§2.4.2, value-dependent)
 *   any other class                          FORMERR
 * </pre>
 *
 * A meta type (AXFR, IXFR, MAILA, MAILB, OPT, TSIG, TKEY) is FORMERR in any prerequisite, and so is
 * type ANY with the zone's class.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2136#section-3.2">RFC 2136 §3.2</a>
 */
final class Prerequisites {

  private Prerequisites() {}

  /**
   * @throws ZoneEditException with the RFC 2136 rcode of the first prerequisite not met
   */
  static void check(List<Record> prerequisites, ZoneDraft zone) {
    Name origin = zone.origin();
    Map<List<Object>, List<Record>> valueDependent = new LinkedHashMap<>();
    for (Record rr : prerequisites) {
      Name name = rr.getName();
      int type = rr.getType();
      if (rr.getTTL() != 0) {
        throw UpdateErrors.formErr("prerequisite " + rr + " has a TTL other than 0");
      }
      if (!name.subdomain(origin)) {
        throw UpdateErrors.notZone("prerequisite name " + name + " is outside the zone " + origin);
      }
      if (type != Type.ANY && !Type.isRR(type)) {
        throw UpdateErrors.formErr("prerequisite " + rr + " has a meta type");
      }
      int dclass = rr.getDClass();
      boolean empty = ZoneDraft.noRdata(rr);
      if (dclass == DClass.ANY) {
        if (!empty) {
          throw UpdateErrors.formErr("prerequisite " + rr + " of class ANY carries rdata");
        }
        if (type == Type.ANY) {
          if (!zone.inUse(name)) {
            throw UpdateErrors.prerequisite(Rcode.NXDOMAIN, "name " + name + " is not in use");
          }
        } else if (zone.rrset(name, type).isEmpty()) {
          throw UpdateErrors.prerequisite(
              Rcode.NXRRSET, "no " + Type.string(type) + " RRset at " + name);
        }
      } else if (dclass == DClass.NONE) {
        if (!empty) {
          throw UpdateErrors.formErr("prerequisite " + rr + " of class NONE carries rdata");
        }
        if (type == Type.ANY) {
          if (zone.inUse(name)) {
            throw UpdateErrors.prerequisite(Rcode.YXDOMAIN, "name " + name + " is in use");
          }
        } else if (!zone.rrset(name, type).isEmpty()) {
          throw UpdateErrors.prerequisite(
              Rcode.YXRRSET, "a " + Type.string(type) + " RRset exists at " + name);
        }
      } else if (dclass == zone.dclass()) {
        if (type == Type.ANY || empty) {
          throw UpdateErrors.formErr("prerequisite " + rr + " of the zone's class needs a type and rdata");
        }
        valueDependent.computeIfAbsent(List.of(name, type), k -> new ArrayList<>()).add(rr);
      } else {
        throw UpdateErrors.formErr("prerequisite " + rr + " has class " + DClass.string(dclass));
      }
    }
    for (List<Record> expected : valueDependent.values()) {
      Record first = expected.get(0);
      List<Record> actual = zone.rrset(first.getName(), first.getType());
      // Record equality ignores the TTL and compares rdata canonically (RFC 2136 §3.2.3).
      if (!new HashSet<>(actual).equals(new HashSet<>(expected))) {
        throw UpdateErrors.prerequisite(
            Rcode.NXRRSET,
            "the " + Type.string(first.getType()) + " RRset at " + first.getName() + " is not as required");
      }
    }
  }
}
