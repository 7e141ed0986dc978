package io.tierdns.authoritative;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.xbill.DNS.Record;
import org.xbill.DNS.TTL;

/**
 * The RRsets of one owner while the snapshot is built: types ascending, each set without
 * duplicates (RFC 2181 §5; {@link Record#equals} ignores the TTL, the first occurrence is kept)
 * and in input order, as the validation messages name records.
 *
 * @param canonical per set, the canonical RDATA of its records in order when the duplicate check
 *     made them (sets of 2 to 16 records), for {@link #toNodeData}'s sort to use again; else
 *     {@code null} (the whole array is {@code null} for an owner of one record)
 */
record OwnerSets(int[] types, List<List<Record>> sets, byte[][][] canonical) {

  /**
   * @param held one record, or a mutable list of an owner's records in input order (sorted here)
   * @throws ZoneException when a record's TTL is above 2^31 - 1
   */
  static OwnerSets of(Object held) {
    if (held instanceof Record r) {
      checkTtl(r);
      return new OwnerSets(new int[] {r.getType()}, List.of(List.of(r)), null);
    }
    @SuppressWarnings("unchecked")
    List<Record> list = (List<Record>) held;
    sortByType(list);
    int[] types = new int[list.size()];
    byte[][][] canonical = new byte[list.size()][][];
    List<List<Record>> sets = new ArrayList<>();
    for (int from = 0; from < list.size(); ) {
      int type = list.get(from).getType();
      int to = from + 1;
      while (to < list.size() && list.get(to).getType() == type) {
        to++;
      }
      int size = to - from;
      byte[][] rdata = size > 1 && size <= 16 ? new byte[size][] : null;
      List<Record> set = withoutDuplicates(list.subList(from, to), rdata);
      set.forEach(OwnerSets::checkTtl);
      types[sets.size()] = type;
      canonical[sets.size()] = rdata;
      sets.add(set);
      from = to;
    }
    return new OwnerSets(
        Arrays.copyOf(types, sets.size()), sets, Arrays.copyOf(canonical, sets.size()));
  }

  /** The records of one type, or {@code null}. */
  List<Record> get(int type) {
    for (int i = 0; i < types.length; i++) {
      if (types[i] == type) {
        return sets.get(i);
      }
    }
    return null;
  }

  /**
   * The owner's data as a snapshot keeps it ({@link ZoneNode#data}), RRset TTLs unified and records
   * sorted; appends the records to {@code all}.
   */
  Object toNodeData(List<Record> all) {
    List<List<Record>> unified = new ArrayList<>(sets.size());
    for (int i = 0; i < sets.size(); i++) {
      List<Record> u = ZoneRecords.unifyTtl(sets.get(i), canonical == null ? null : canonical[i]);
      unified.add(u);
      all.addAll(u);
    }
    return ZoneNode.data(unified);
  }

  /**
   * Sorts an owner's records by type, stably (input order within a type). An insertion sort: an
   * owner holds a handful of records, and {@code List.sort} with a comparator cost more to compile
   * than to run when a million-record zone is built in a fresh JVM.
   */
  private static void sortByType(List<Record> list) {
    for (int i = 1; i < list.size(); i++) {
      Record r = list.get(i);
      int j = i;
      for (; j > 0 && list.get(j - 1).getType() > r.getType(); j--) {
        list.set(j, list.get(j - 1));
      }
      list.set(j, r);
    }
  }

  /**
   * The set with later duplicates of a record left out ({@link Record#equals}). The records of a
   * set share owner, type and class, so two are equal when their canonical RDATA are: compared
   * here once per record, where {@code List.contains} made two arrays for every pair and, called
   * for each of the 135,000 MX records of the million-record bench zone, was worth compiling to
   * the optimizing compiler in the middle of a transfer.
   *
   * @param kept where the canonical RDATA of the records kept go, in order (its first entries);
   *     {@code null} exactly when the set has one record or more than 16
   */
  private static List<Record> withoutDuplicates(List<Record> set, byte[][] kept) {
    if (set.size() == 1) {
      return List.of(set.get(0));
    }
    if (set.size() > 16) {
      return new ArrayList<>(new LinkedHashSet<>(set));
    }
    List<Record> out = new ArrayList<>(set.size());
    for (Record r : set) {
      byte[] rdata = r.rdataToWireCanonical();
      if (!contains(kept, out.size(), rdata)) {
        kept[out.size()] = rdata;
        out.add(r);
      }
    }
    return out;
  }

  private static boolean contains(byte[][] rdata, int count, byte[] one) {
    for (int i = 0; i < count; i++) {
      if (Arrays.equals(rdata[i], one)) {
        return true;
      }
    }
    return false;
  }

  static void checkTtl(Record r) {
    if (r.getTTL() > TTL.MAX_VALUE) {
      // Only parsed from the wire (a transfer, an UPDATE): dnsjava checks TTLs made any other
      // way, and code that copies the record would throw. Found by TransferResponseFuzzTest.
      throw new ZoneException("record " + r + " has a TTL above 2^31 - 1 (RFC 2181 §8)");
    }
  }
}
