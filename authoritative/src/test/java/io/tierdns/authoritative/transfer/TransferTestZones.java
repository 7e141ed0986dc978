package io.tierdns.authoritative.transfer;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.edit.ZoneHistory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Zones and an in-memory journal for transfer tests. */
final class TransferTestZones {

  static final Name ZONE = Name.fromConstantString("xfr.test.");

  private TransferTestZones() {}

  /** A zone with {@code hosts} A records at serial {@code serial}. */
  static ZoneSnapshot zone(long serial, int hosts) {
    StringBuilder sb = new StringBuilder();
    sb.append("$TTL 3600\n");
    sb.append("@ SOA ns1 hostmaster ").append(serial).append(" 7200 3600 1209600 300\n");
    sb.append("@ NS ns1\n");
    sb.append("ns1 A 192.0.2.1\n");
    for (int i = 0; i < hosts; i++) {
      sb.append("host").append(i).append(" A 10.").append((i >> 16) & 0xFF).append('.')
          .append((i >> 8) & 0xFF).append('.').append(i & 0xFF).append('\n');
      if (i % 10 == 0) {
        sb.append("host").append(i).append(" TXT \"record number ").append(i).append("\"\n");
      }
    }
    return ZoneSnapshot.of(ZONE, parse(sb.toString()));
  }

  static List<Record> parse(String text) {
    List<Record> records = new ArrayList<>();
    try (Master m =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ZONE)) {
      for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
        records.add(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  static Record record(String line) {
    return parse("$TTL 300\n" + line + "\n").get(0);
  }

  /** The next version: the SOA serial set, {@code remove} taken out, {@code add} put in. */
  static ZoneDiff edit(ZoneSnapshot from, long serial, List<Record> remove, List<Record> add) {
    return new ZoneDiff(
        from.origin(), from.soa(), Diffs.withSerial(from.soa(), serial), remove, add);
  }

  /** An in-memory journal fed by hand; it can forget its oldest diffs. */
  static final class History implements ZoneHistory {
    final Map<Name, List<ZoneDiff>> diffs = new ConcurrentHashMap<>();

    void add(ZoneDiff d) {
      diffs.computeIfAbsent(d.zone(), z -> new CopyOnWriteArrayList<>()).add(d);
    }

    void forgetOldest() {
      diffs.get(ZONE).remove(0);
    }

    @Override
    public Optional<List<ZoneDiff>> diffsSince(Name zone, long serial) {
      List<ZoneDiff> chain = diffs.getOrDefault(zone, List.of());
      for (int i = 0; i < chain.size(); i++) {
        if (chain.get(i).fromSerial() == serial) {
          return Optional.of(List.copyOf(chain.subList(i, chain.size())));
        }
      }
      if (!chain.isEmpty() && chain.get(chain.size() - 1).toSerial() == serial) {
        return Optional.of(List.of());
      }
      return Optional.empty();
    }
  }
}
