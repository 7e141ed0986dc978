package io.tierdns.authoritative;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * The data at one owner name: RRsets sorted by type number, each an unmodifiable list of records
 * with one TTL. Types sit in a small sorted array rather than a map: a node holds a handful of
 * types, a linear scan beats hashing and does not box the type.
 */
final class ZoneNode {

  private final int[] types;
  private final List<List<Record>> rrsets;

  ZoneNode(int[] types, List<List<Record>> rrsets) {
    this.types = types;
    this.rrsets = rrsets;
  }

  /** The records of one type, or {@code null}. */
  List<Record> get(int type) {
    return find(types, rrsets, type);
  }

  /** The set of {@code type} in parallel arrays of types and sets, or {@code null}. */
  static List<Record> find(int[] types, List<List<Record>> sets, int type) {
    for (int i = 0; i < types.length; i++) {
      if (types[i] == type) {
        return sets.get(i);
      }
    }
    return null;
  }

  boolean has(int type) {
    return get(type) != null;
  }

  /** Every RRset, by ascending type number. */
  List<List<Record>> all() {
    return rrsets;
  }
}
