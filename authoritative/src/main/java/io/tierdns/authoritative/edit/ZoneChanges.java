package io.tierdns.authoritative.edit;

import io.tierdns.authoritative.ZoneException;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.serial.Serial;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Applies a change set to a zone version, giving the next version. Pure: the current snapshot is
 * not touched, the new one is built off the serving path through {@link ZoneSnapshot#of}, so all
 * of its rules hold for the result. A change set is all or nothing: the first change that cannot
 * be applied rejects the whole set.
 *
 * <p>Rules beyond {@link ZoneSnapshot#of}: every name must be inside the zone ({@code
 * OUT_OF_ZONE}); records of a {@link ZoneChange.ReplaceRRset} must all have its name and type, be
 * of the zone's class and not be meta types ({@code INVALID_DATA}); the apex SOA cannot be
 * deleted ({@code INVALID_DATA}); a CNAME beside other data, or two CNAMEs at a name, is a {@code
 * CONFLICT}. {@link ZoneChange.DeleteName} at the apex keeps the SOA and NS RRsets (RFC 2136
 * §3.4.2.3). The SOA's serial is always set to the serial given, whatever a change put there.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2136#section-3.4.2">RFC 2136 §3.4.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1034#section-3.6.2">RFC 1034 §3.6.2</a>
 */
public final class ZoneChanges {

  private ZoneChanges() {}

  /**
   * The version after {@code changes}, with SOA serial {@code newSerial}.
   *
   * @throws ZoneEditException naming the offending record or name; nothing is changed
   */
  public static ZoneSnapshot apply(ZoneSnapshot current, List<ZoneChange> changes, long newSerial) {
    if (!Serial.isValid(newSerial)) {
      throw new IllegalArgumentException("serial " + newSerial + " is outside 0 .. 2^32-1");
    }
    MutableZone z = MutableZone.of(current);
    for (ZoneChange change : changes) {
      applyOne(z, change);
    }
    checkCnames(z);
    z.soa(MutableZone.withSerial(z.soa(), newSerial));
    try {
      return z.build();
    } catch (ZoneException e) {
      throw new ZoneEditException(ZoneEditException.Kind.INVALID_DATA, e.getMessage());
    }
  }

  private static void applyOne(MutableZone z, ZoneChange change) {
    if (change instanceof ZoneChange.ReplaceRRset c) {
      checkName(z, c.name());
      for (Record r : c.records()) {
        checkRecord(z, r);
        if (!r.getName().equals(c.name()) || r.getType() != c.type()) {
          throw invalid("record " + r + " does not belong to the RRset " + c.name() + " " + Type.string(c.type()));
        }
      }
      if (c.type() == Type.SOA) {
        replaceSoa(z, c.name(), c.records());
      } else {
        checkType(c.name(), c.type());
        z.replace(c.name(), c.type(), c.records());
      }
    } else if (change instanceof ZoneChange.DeleteRRset c) {
      checkName(z, c.name());
      if (c.type() == Type.SOA && c.name().equals(z.origin())) {
        throw apexSoa(z);
      }
      z.removeRRset(c.name(), c.type());
    } else if (change instanceof ZoneChange.DeleteName c) {
      checkName(z, c.name());
      boolean apex = c.name().equals(z.origin());
      for (Integer type : List.copyOf(z.types(c.name()).keySet())) {
        // RFC 2136 §3.4.2.3: deleting all RRsets at the apex leaves its SOA and NS RRsets.
        if (!(apex && type == Type.NS)) {
          z.removeRRset(c.name(), type);
        }
      }
    } else if (change instanceof ZoneChange.AddRecord c) {
      Record r = c.record();
      checkName(z, r.getName());
      checkRecord(z, r);
      if (r.getType() == Type.SOA) {
        replaceSoa(z, r.getName(), List.of(r));
      } else {
        checkType(r.getName(), r.getType());
        z.add(r);
        z.setTtl(r.getName(), r.getType(), r.getTTL());
      }
    } else if (change instanceof ZoneChange.DeleteRecord c) {
      Record r = c.record();
      checkName(z, r.getName());
      if (r.getType() == Type.SOA && r.getName().equals(z.origin())) {
        throw apexSoa(z);
      }
      z.remove(r);
    } else {
      throw new IllegalArgumentException("unknown change " + change);
    }
  }

  private static void replaceSoa(MutableZone z, Name name, List<Record> records) {
    if (!name.equals(z.origin())) {
      throw invalid("SOA record " + records.get(0) + " is not at the zone apex " + z.origin());
    }
    if (records.isEmpty()) {
      throw apexSoa(z);
    }
    if (records.size() > 1) {
      throw invalid("zone " + z.origin() + " can have only one SOA record: " + records.get(1));
    }
    z.soa((SOARecord) records.get(0));
  }

  private static void checkName(MutableZone z, Name name) {
    if (!name.isAbsolute()) {
      throw invalid("name " + name + " is not absolute");
    }
    if (!name.subdomain(z.origin())) {
      throw new ZoneEditException(
          ZoneEditException.Kind.OUT_OF_ZONE, "name " + name + " is outside the zone " + z.origin());
    }
  }

  private static void checkRecord(MutableZone z, Record r) {
    if (!r.getName().subdomain(z.origin())) {
      throw new ZoneEditException(
          ZoneEditException.Kind.OUT_OF_ZONE, "record " + r + " is outside the zone " + z.origin());
    }
    if (r.getDClass() != z.dclass()) {
      throw invalid("record " + r + " is not of the zone's class");
    }
    checkType(r.getName(), r.getType());
  }

  private static void checkType(Name name, int type) {
    if (!Type.isRR(type)) {
      throw invalid(Type.string(type) + " at " + name + " is a meta type, not zone data");
    }
  }

  /** CNAME rules for the names the change set touched (the rest was valid before). */
  private static void checkCnames(MutableZone z) {
    for (Name name : z.touched()) {
      Map<Integer, LinkedHashSet<Record>> types = z.types(name);
      LinkedHashSet<Record> cname = types.get(Type.CNAME);
      if (cname == null) {
        continue;
      }
      if (cname.size() > 1) {
        var it = cname.iterator();
        throw conflict("more than one CNAME record at " + name + ": " + it.next() + " and " + it.next());
      }
      boolean apex = name.equals(z.origin());
      for (Map.Entry<Integer, LinkedHashSet<Record>> t : types.entrySet()) {
        int type = t.getKey();
        if (apex || (type != Type.CNAME && type != Type.RRSIG && type != Type.NSEC)) {
          Record other = apex && type == Type.CNAME ? z.soa() : t.getValue().iterator().next();
          throw conflict(
              "CNAME record " + cname.iterator().next() + " is beside other data at the same name: " + other);
        }
      }
    }
  }

  private static ZoneEditException apexSoa(MutableZone z) {
    return invalid("the SOA record of zone " + z.origin() + " cannot be deleted");
  }

  private static ZoneEditException invalid(String message) {
    return new ZoneEditException(ZoneEditException.Kind.INVALID_DATA, message);
  }

  private static ZoneEditException conflict(String message) {
    return new ZoneEditException(ZoneEditException.Kind.CONFLICT, message);
  }
}
