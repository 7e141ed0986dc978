package io.tierdns.authoritative;

import io.tierdns.wire.RecordTtl;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Record helpers dnsjava lacks (its TTL setter is package-private). */
public final class ZoneRecords {

  private ZoneRecords() {}

  /** A copy of the record with another TTL ({@link RecordTtl#withTtl}). */
  public static Record withTtl(Record r, long ttl) {
    return RecordTtl.withTtl(r, ttl);
  }

  /**
   * {@code r} with the owner name object of {@code previous} when their owners are the same name:
   * the records of one owner come one after the other in an AXFR or a journal's snapshot, and
   * each arrives with a name of its own (two objects). Shared, the copies die young instead of
   * being kept with the zone: a quarter fewer names for the million-record bench zone, which
   * the collector no longer copies into the old generation while a secondary takes the zone in.
   * Names compare without regard to case (RFC 4343 §3), as the snapshot groups owners: a later
   * record spelling its owner in another case takes the earlier spelling.
   *
   * @param previous the record read before {@code r}, or null
   */
  public static Record sharingOwner(Record r, Record previous) {
    if (previous == null) {
      return r;
    }
    Name owner = previous.getName();
    return owner != r.getName() && owner.equals(r.getName()) ? r.withName(owner) : r;
  }

  /** The records of one RRset with the lowest TTL among them (RFC 2181 §5.2), unmodifiable. */
  static List<Record> unifyTtl(List<Record> set) {
    return unifyTtl(set, null);
  }

  /**
   * {@link #unifyTtl(List)}, with the canonical RDATA of the set's records already made.
   *
   * @param canonical the canonical RDATA of {@code set}'s records in order (at least as many
   *     entries as records; reordered here), or {@code null} to make them here
   */
  static List<Record> unifyTtl(List<Record> set, byte[][] canonical) {
    if (set.size() == 1) {
      return List.of(set.get(0)); // most RRsets of a large zone: nothing to unify or sort
    }
    long min = Long.MAX_VALUE;
    for (Record r : set) {
      min = Math.min(min, r.getTTL());
    }
    // Sorted as Record#compareTo sorts them: a set's records share owner, class and type, so by
    // canonical RDATA (RFC 4034 §6.3), each made once rather than twice per comparison.
    int n = set.size();
    Record[] out = new Record[n];
    byte[][] rdata = canonical != null ? canonical : new byte[n][];
    for (int i = 0; i < n; i++) {
      out[i] = withTtl(set.get(i), min);
      if (canonical == null) {
        rdata[i] = out[i].rdataToWireCanonical(); // the TTL is not part of it
      }
    }
    if (n > 16) { // rare: a large RRset, sorted in n log n
      Integer[] order = new Integer[n];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(rdata[a], rdata[b]));
      Record[] sorted = new Record[n];
      Arrays.setAll(sorted, i -> out[order[i]]);
      return List.of(sorted);
    }
    for (int i = 1; i < n; i++) { // most sets: two records; an insertion sort of both arrays
      Record r = out[i];
      byte[] key = rdata[i];
      int j = i;
      for (; j > 0 && Arrays.compareUnsigned(rdata[j - 1], key) > 0; j--) {
        out[j] = out[j - 1];
        rdata[j] = rdata[j - 1];
      }
      out[j] = r;
      rdata[j] = key;
    }
    return List.of(out);
  }
}
