package io.tierdns.authoritative;

import io.tierdns.wire.RecordTtl;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Record;

/** Record helpers dnsjava lacks (its TTL setter is package-private). */
public final class ZoneRecords {

  private ZoneRecords() {}

  /** A copy of the record with another TTL ({@link RecordTtl#withTtl}). */
  public static Record withTtl(Record r, long ttl) {
    return RecordTtl.withTtl(r, ttl);
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
