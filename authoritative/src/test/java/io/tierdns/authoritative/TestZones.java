package io.tierdns.authoritative;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** In-memory zones for tests, written in master format. */
final class TestZones {

  private TestZones() {}

  static final String EXAMPLE =
      String.join(
          "\n",
          "$TTL 3600",
          "@ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300",
          "@ NS ns1",
          "@ NS ns2.other.test.",
          "@ MX 10 mail",
          "ns1 A 192.0.2.1",
          "ns1 AAAA 2001:db8::1",
          "mail A 192.0.2.2",
          "www A 192.0.2.3",
          "multi TXT \"t\"",
          "multi MX 0 .",
          "multi A 192.0.2.11",
          "*.wild A 192.0.2.4",
          "*.wild2 CNAME www",
          "a.b.ent A 192.0.2.9",
          "*.ent A 192.0.2.8",
          "alias CNAME www",
          "alias2 CNAME alias",
          "ext CNAME www.outside.test.",
          "loop1 CNAME loop2",
          "loop2 CNAME loop1",
          "nx CNAME nothere",
          "toz2 CNAME www.zone2.test.",
          "tosub CNAME www.sub.example.test.",
          "sub NS ns.sub",
          "sub NS ns.outside.test.",
          "sub DS 12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE7BC2E2BB7D6BD6E5D5F5B8F0",
          "ns.sub A 192.0.2.50",
          "nods NS ns1",
          "child NS ns1.child",
          "child DS 54321 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE7BC2E2BB7D6BD6E5D5F5B8F1",
          "ns1.child A 192.0.2.77",
          "srv._tcp SRV 0 0 80 www",
          "");

  static final String ZONE2 =
      String.join(
          "\n",
          "$TTL 600",
          "@ SOA ns1.example.test. h 1 2 3 4 60",
          "@ NS ns1.example.test.",
          "www A 198.51.100.1",
          "gone CNAME nothing",
          "");

  static final String CHILD =
      String.join(
          "\n",
          "$TTL 600",
          "@ SOA ns1 h 1 2 3 4 60",
          "@ NS ns1",
          "ns1 A 192.0.2.77",
          "www A 192.0.2.78",
          "");

  static Name name(String s) {
    return Name.fromConstantString(s.endsWith(".") ? s : s + ".");
  }

  static List<Record> parse(String origin, String text) {
    List<Record> records = new ArrayList<>();
    try (Master m =
        new Master(
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), name(origin))) {
      for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
        records.add(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  static ZoneSnapshot zone(String origin, String text) {
    return ZoneSnapshot.of(name(origin), parse(origin, text));
  }

  static ZoneSnapshot example() {
    return zone("example.test", EXAMPLE);
  }
}
