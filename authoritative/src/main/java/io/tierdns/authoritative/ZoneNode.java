package io.tierdns.authoritative;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * The data at one owner name: RRsets by ascending type number, each an unmodifiable, non-empty
 * list of records with one TTL. A set's type is the type of its records, so none is stored.
 *
 * <p>Most owners of a large zone hold one RRset: the node then holds that list itself, 16 bytes
 * beside it, where an array of types and a list of sets took 72 bytes more (41 MiB for the
 * 740,000 owners of a million-record zone). Several sets sit in an array read by a linear scan: a
 * node holds a handful of types, and a scan beats hashing and boxes nothing.
 */
final class ZoneNode {

  /** The only RRset (a {@code List<Record>}), or several in a {@code List<Record>[]}. */
  private final Object sets;

  private ZoneNode(Object sets) {
    this.sets = sets;
  }

  /** A node of {@code sets}: non-empty, each non-empty, by ascending type. */
  @SuppressWarnings("unchecked")
  static ZoneNode of(List<List<Record>> sets) {
    return new ZoneNode(sets.size() == 1 ? sets.get(0) : sets.toArray(new List[0]));
  }

  /** The records of one type, or {@code null}. */
  @SuppressWarnings("unchecked")
  List<Record> get(int type) {
    if (sets instanceof List<?> one) {
      List<Record> set = (List<Record>) one;
      return set.get(0).getType() == type ? set : null;
    }
    for (List<Record> set : (List<Record>[]) sets) {
      if (set.get(0).getType() == type) {
        return set;
      }
    }
    return null;
  }

  boolean has(int type) {
    return get(type) != null;
  }

  /** Every RRset, by ascending type number. */
  @SuppressWarnings("unchecked")
  List<List<Record>> all() {
    return sets instanceof List<?> one ? List.of((List<Record>) one) : List.of((List<Record>[]) sets);
  }
}
