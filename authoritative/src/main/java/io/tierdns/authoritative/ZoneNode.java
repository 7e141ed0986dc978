package io.tierdns.authoritative;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * The data at one owner name: RRsets by ascending type number, each an unmodifiable, non-empty
 * list of records with one TTL. A set's type is the type of its records, so none is stored.
 *
 * <p>A snapshot keeps each owner's data in the most compact of three forms ({@link #data}), and
 * a node is a view of it. Most owners of a large zone hold one record: the snapshot's table then
 * holds the record itself, where a node object, an array of types and two lists took 96 bytes
 * (with {@link NodeTable}, the live heap of a million-record zone fell from 229 to 182 MiB). An
 * owner's only RRset is held as its list; several sets sit in an array read by a linear scan: a
 * node holds a handful of types, and a scan beats hashing and boxes nothing.
 */
final class ZoneNode {

  /** A {@link Record}, a {@code List<Record>} or a {@code List<Record>[]}: see {@link #data}. */
  private final Object data;

  ZoneNode(Object data) {
    this.data = data;
  }

  /**
   * The compact form of an owner's {@code sets} (non-empty, each non-empty, by ascending type):
   * its only record, its only RRset's list, or an array of its RRsets.
   */
  @SuppressWarnings("unchecked")
  static Object data(List<List<Record>> sets) {
    if (sets.size() == 1) {
      List<Record> set = sets.get(0);
      return set.size() == 1 ? set.get(0) : set;
    }
    return sets.toArray(new List[0]);
  }

  /** The records of one type in an owner's {@code data}, or {@code null}. */
  @SuppressWarnings("unchecked")
  static List<Record> get(Object data, int type) {
    if (data instanceof Record r) {
      return r.getType() == type ? List.of(r) : null;
    }
    if (data instanceof List<?> one) {
      List<Record> set = (List<Record>) one;
      return set.get(0).getType() == type ? set : null;
    }
    if (data != null) {
      for (List<Record> set : (List<Record>[]) data) {
        if (set.get(0).getType() == type) {
          return set;
        }
      }
    }
    return null;
  }

  /** The records of one type, or {@code null}. */
  List<Record> get(int type) {
    return get(data, type);
  }

  boolean has(int type) {
    if (data instanceof Record r) {
      return r.getType() == type;
    }
    return get(data, type) != null;
  }

  /** Every RRset, by ascending type number. */
  @SuppressWarnings("unchecked")
  List<List<Record>> all() {
    if (data instanceof Record r) {
      return List.of(List.of(r));
    }
    return data instanceof List<?> one ? List.of((List<Record>) one) : List.of((List<Record>[]) data);
  }
}
