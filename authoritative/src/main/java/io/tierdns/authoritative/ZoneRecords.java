package io.tierdns.authoritative;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Record helpers dnsjava lacks (its TTL setter is package-private). */
public final class ZoneRecords {

  private ZoneRecords() {}

  /** A copy of the record with another TTL. */
  public static Record withTtl(Record r, long ttl) {
    if (r.getTTL() == ttl) {
      return r;
    }
    // Record.toWire(Section.ANSWER) is owner (uncompressed), type, class, TTL, rdlength, rdata.
    byte[] wire = r.toWire(Section.ANSWER);
    int at = r.getName().length() + 4;
    wire[at] = (byte) (ttl >>> 24);
    wire[at + 1] = (byte) (ttl >>> 16);
    wire[at + 2] = (byte) (ttl >>> 8);
    wire[at + 3] = (byte) ttl;
    try {
      return Record.fromWire(wire, Section.ANSWER);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The records of one RRset with the lowest TTL among them (RFC 2181 §5.2), unmodifiable. */
  static List<Record> unifyTtl(List<Record> set) {
    if (set.size() == 1) {
      return List.of(set.get(0)); // most RRsets of a large zone: nothing to unify or sort
    }
    long min = Long.MAX_VALUE;
    for (Record r : set) {
      min = Math.min(min, r.getTTL());
    }
    List<Record> out = new ArrayList<>(set.size());
    for (Record r : set) {
      out.add(withTtl(r, min));
    }
    out.sort(null);
    return List.copyOf(out);
  }
}
