package io.tierdns.authoritative;

import org.xbill.DNS.Name;

/**
 * A snapshot's map from owner name to the owner's data: open addressing with linear probing over
 * two arrays, filled while the snapshot is built (or copied from the version before and changed,
 * {@link #copy}, {@link #remove}) and only read after.
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

  private NodeTable(Name[] keys, Object[] values, int size) {
    this.keys = keys;
    this.values = values;
    this.mask = keys.length - 1;
    this.size = size;
  }

  /**
   * A table with this one's entries and room for {@code more} names: a copy of the two arrays
   * (milliseconds for a million names) when they have the room, else a larger table filled again.
   */
  NodeTable copy(int more) {
    if (size + more <= keys.length - keys.length / 4) {
      return new NodeTable(keys.clone(), values.clone(), size);
    }
    NodeTable t = new NodeTable(size + more);
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        t.put(keys[i], values[i]);
      }
    }
    return t;
  }

  /**
   * Removes {@code key} if present. The entries after it in its probe run move back into the gap
   * (backward-shift deletion), so every lookup still finds its name before the first empty slot.
   */
  void remove(Name key) {
    int gap = slot(key);
    if (keys[gap] == null) {
      return;
    }
    size--;
    for (int j = (gap + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
      int home = mix(keys[j].hashCode()) & mask;
      // The entry at j may fill the gap unless its home lies cyclically in (gap, j].
      boolean staysPut = gap <= j ? gap < home && home <= j : gap < home || home <= j;
      if (!staysPut) {
        keys[gap] = keys[j];
        values[gap] = values[j];
        gap = j;
      }
    }
    keys[gap] = null;
    values[gap] = null;
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
