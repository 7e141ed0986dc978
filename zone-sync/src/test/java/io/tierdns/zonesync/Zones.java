package io.tierdns.zonesync;

import io.tierdns.authoritative.ZoneSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Test zones from master-file text. */
final class Zones {

  static final Name ZONE = Name.fromConstantString("example.test.");

  private Zones() {}

  static List<Record> parse(Name origin, String text) {
    try (Master m = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), origin, 3600)) {
      List<Record> out = new ArrayList<>();
      for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
        out.add(r);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Record record(String line) {
    return parse(ZONE, line + "\n").get(0);
  }

  /** example.test at {@code serial}, SOA timers refresh 3600, retry 600, expire 86400, plus extra lines. */
  static ZoneSnapshot zone(long serial, String... extra) {
    StringBuilder b = new StringBuilder();
    b.append("@ 3600 IN SOA ns1 hostmaster ").append(serial).append(" 3600 600 86400 300\n");
    b.append("@ 3600 IN NS ns1\n");
    b.append("ns1 3600 IN A 192.0.2.1\n");
    b.append("www 300 IN A 192.0.2.10\n");
    for (String e : extra) {
      b.append(e).append('\n');
    }
    return ZoneSnapshot.of(ZONE, parse(ZONE, b.toString()));
  }
}
