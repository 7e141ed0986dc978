package io.tierdns.authoritative.update;

import io.tierdns.authoritative.ZoneSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Zones, names and records for the UPDATE tests. */
final class UpdateTesting {

  private UpdateTesting() {}

  static final Name ZONE = name("example.test.");

  static final String EXAMPLE =
      String.join(
          "\n",
          "$TTL 3600",
          "@ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300",
          "@ NS ns1",
          "@ NS ns2",
          "ns1 A 192.0.2.1",
          "ns2 A 192.0.2.2",
          "www A 192.0.2.3",
          "www A 192.0.2.4",
          "www TXT \"hello\"",
          "alias CNAME www",
          "a.b.ent A 192.0.2.9",
          "host.dyn A 192.0.2.20",
          "");

  static ZoneSnapshot example() {
    return zone(ZONE, EXAMPLE);
  }

  static ZoneSnapshot zone(Name origin, String text) {
    List<Record> records = new ArrayList<>();
    try (Master m =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), origin)) {
      for (Record r; (r = m.nextRecord()) != null; ) {
        records.add(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ZoneSnapshot.of(origin, records);
  }

  static Name name(String s) {
    try {
      return Name.fromString(s, ZONE == null ? Name.root : ZONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A record in master-file syntax, relative to the zone: {@code rr("www 300 A 192.0.2.9")}. */
  static Record rr(String text) {
    try {
      String[] p = text.trim().split("\\s+", 3);
      Name owner = name(p[0]);
      long ttl = Long.parseLong(p[1]);
      String[] tr = p[2].split("\\s+", 2);
      int type = Type.value(tr[0]);
      return Record.fromString(owner, type, DClass.IN, ttl, tr.length > 1 ? tr[1] : "", ZONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An RR of class ANY or NONE with no rdata (delete RRset / name, or a prerequisite). */
  static Record empty(String owner, int type, int dclass) {
    return Record.newRecord(name(owner), type, dclass, 0);
  }

  /** A class-NONE record with rdata (delete this RR), from {@code rr} syntax. */
  static Record none(String text) {
    return withClass(rr(text), DClass.NONE, 0);
  }

  /** The same rdata with another class and TTL. */
  static Record withClass(Record r, int dclass, long ttl) {
    return Record.newRecord(r.getName(), r.getType(), dclass, ttl, r.rdataToWireCanonical());
  }
}
