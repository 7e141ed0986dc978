package io.tierdns.node.api;

import io.tierdns.node.api.PdnsModel.CreateZoneJson;
import io.tierdns.node.api.PdnsModel.RRsetJson;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The records of a zone created through {@code POST .../zones}: the given RRsets, an NS RRset from
 * {@code nameservers}, and a SOA when none is given (as PowerDNS makes one).
 */
public final class ZoneFactory {

  static final long SOA_TTL = 3600;
  private final Clock clock;

  public ZoneFactory(Clock clock) {
    this.clock = clock;
  }

  /**
   * @throws ApiException 422 for invalid data or a zone without name servers
   */
  public List<Record> records(Name zone, CreateZoneJson body) {
    List<Record> records = new ArrayList<>();
    boolean hasSoa = false;
    boolean hasNs = false;
    if (body.rrsets() != null) {
      for (RRsetJson rrset : body.rrsets()) {
        if (rrset == null) {
          throw ApiException.unprocessable("null is not an RRset");
        }
        RRsetJson checked = new RRsetJson(rrset.name(), rrset.type(), rrset.ttl(), "REPLACE", rrset.records(), null);
        RRsets.toChanges(zone, List.of(checked)); // name, type and duplicate checks
        int type = Type.value(rrset.type().toUpperCase(Locale.ROOT));
        Name name = Name.fromConstantString(rrset.name().endsWith(".") ? rrset.name() : rrset.name() + ".");
        List<Record> rs = RRsets.records(name, type, rrset, "RRset " + name + " IN " + Type.string(type));
        records.addAll(rs);
        hasSoa |= type == Type.SOA && name.equals(zone) && !rs.isEmpty();
        hasNs |= type == Type.NS && name.equals(zone) && !rs.isEmpty();
      }
    }
    List<String> nameservers = body.nameservers() == null ? List.of() : body.nameservers();
    if (!nameservers.isEmpty() && hasNs) {
      throw ApiException.unprocessable("give name servers either in 'nameservers' or as an NS RRset, not both");
    }
    Name firstNs = null;
    for (String ns : nameservers) {
      Name target = absolute(ns);
      firstNs = firstNs == null ? target : firstNs;
      records.add(new NSRecord(zone, DClass.IN, SOA_TTL, target));
    }
    if (nameservers.isEmpty() && !hasNs) {
      throw ApiException.unprocessable("a zone needs name servers: give 'nameservers' or an NS RRset at the apex");
    }
    if (!hasSoa) {
      // relative to the zone, not by text: "hostmaster." + "." is no name, hostmaster. is right
      Name mname = firstNs != null ? firstNs : inZone("ns1", zone);
      Name rname = inZone("hostmaster", zone);
      records.add(new SOARecord(zone, DClass.IN, SOA_TTL, mname, rname, initialSerial(), 10800, 3600, 604800, 3600));
    }
    return records;
  }

  /** A date serial for today, {@code YYYYMMDD01}, as most operators start a zone. */
  long initialSerial() {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    return today.getYear() * 1_000_000L + today.getMonthValue() * 10_000L + today.getDayOfMonth() * 100L + 1;
  }

  private static Name inZone(String label, Name zone) {
    try {
      return Name.concatenate(Name.fromConstantString(label), zone);
    } catch (NameTooLongException e) {
      throw ApiException.unprocessable(
          "zone name " + zone + " is too long to make its SOA's " + label + "." + zone + "; give a SOA RRset");
    }
  }

  private static Name absolute(String text) {
    if (text == null || text.isBlank()) {
      throw ApiException.unprocessable("a name server without a name");
    }
    try {
      return Name.fromString(text.endsWith(".") ? text : text + ".");
    } catch (TextParseException e) {
      throw ApiException.unprocessable("invalid name server '" + text + "': " + e.getMessage());
    }
  }
}
