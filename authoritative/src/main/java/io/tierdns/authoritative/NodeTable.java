package io.tierdns.authoritative;

import org.xbill.DNS.Name;

/**
 * A snapshot's map from owner name to the owner's data: open addressing with linear probing over
 * two arrays, filled once while the snapshot is built and only read after.
 *
 * <p>A {@code HashMap} spends a 32-byte entry object per owner and a table beside it: 28 MiB for
 * the 740,382 owners of a million-record zone, where these two arrays take 8 MiB. The table is at
 * most three quarters full. dnsjava's {@link Name#hashCode} is weak (that zone's names have only
 * 502,089 distinct codes): it is mixed before use so that names of nearby codes spread, and names
 * of an equal code are told apart by {@link Name#equals}, as in a map.
 */
final class NodeTable {

  private final Name[] keys;
  private final Object[] values;
  private final int mask;
  private int size;

  /** A table for up to {@code expected} names. */
  NodeTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected + expected / 3) * 2 - 1);
    keys = new Name[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
  }

  /** Maps {@code key} to {@code value} (not null), replacing an earlier value of the same name. */
  void put(Name key, Object value) {
    int i = slot(key);
    if (keys[i] == null) {
      if (size + 1 > keys.length - keys.length / 4) {
        throw new IllegalStateException("node table of " + keys.length + " slots is full");
      }
      keys[i] = key;
      size++;
    }
    values[i] = value;
  }

  /** The value of {@code key}, or {@code null}. */
  Object get(Name key) {
    return values[slot(key)];
  }

  boolean containsKey(Name key) {
    return keys[slot(key)] != null;
  }

  int size() {
    return size;
  }

  /** The slot holding {@code key}, or the empty slot where it would go. */
  private int slot(Name key) {
    int i = mix(key.hashCode()) & mask;
    for (Name k = keys[i]; k != null && !k.equals(key); k = keys[i]) {
      i = (i + 1) & mask;
    }
    return i;
  }

  /** MurmurHash3's 32-bit finaliser. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }
}
