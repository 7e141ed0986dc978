package io.tierdns.authoritative;

import java.util.ArrayList;
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
 * node holds a handful of types, and a scan beats hashing and boxes nothing. In that array, a set
 * of one record is the record itself, not a list of it: 570,000 lists of 24 bytes in the
 * million-record bench zone, whose owners mostly hold one A and one AAAA record.
 */
final class ZoneNode {

  /**
   * A {@link Record}, a {@code List<Record>} of two or more records, or an {@code Object[]} of two
   * or more sets, each a {@code Record} or such a list: see {@link #data}.
   */
  private final Object data;

  ZoneNode(Object data) {
    this.data = data;
  }

  /**
   * The compact form of an owner's {@code sets} (non-empty, each non-empty, by ascending type):
   * its only record, its only RRset's list, or an array of its RRsets, each a set's only record or
   * its list.
   */
  static Object data(List<List<Record>> sets) {
    if (sets.size() == 1) {
      return compact(sets.get(0));
    }
    Object[] array = new Object[sets.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = compact(sets.get(i));
    }
    return array;
  }

  private static Object compact(List<Record> set) {
    return set.size() == 1 ? set.get(0) : set;
  }

  /** The records of one type in an owner's {@code data}, or {@code null}. */
  static List<Record> get(Object data, int type) {
    if (data instanceof Object[] sets) {
      for (Object set : sets) {
        List<Record> found = ofType(set, type);
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    return data == null ? null : ofType(data, type);
  }

  /** A set of {@code data}'s array, or a whole {@code data} of one set, when of {@code type}. */
  @SuppressWarnings("unchecked")
  private static List<Record> ofType(Object set, int type) {
    if (set instanceof Record r) {
      return r.getType() == type ? List.of(r) : null;
    }
    List<Record> list = (List<Record>) set;
    return list.get(0).getType() == type ? list : null;
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
    if (data instanceof Object[] sets) {
      List<List<Record>> all = new ArrayList<>(sets.length);
      for (Object set : sets) {
        all.add(set instanceof Record r ? List.of(r) : (List<Record>) set);
      }
      return all;
    }
    return List.of(data instanceof Record r ? List.of(r) : (List<Record>) data);
  }
}
