package io.tierdns.authoritative;

import org.xbill.DNS.Name;

/**
 * A snapshot's map from name to value (an owner's data, a referral, a marker): open addressing
 * with linear probing, filled while the snapshot is built, or copied from the version before and
 * changed ({@link #copy}), and only read once the snapshot is published.
 *
 * <p>A {@code HashMap} spends a 32-byte entry object per owner and a table beside it: 28 MiB for
 * the 740,382 owners of a million-record zone, where these arrays take 8 MiB. The table is at most
 * three quarters full. dnsjava's {@link Name#hashCode} is weak (that zone's names have only
 * 502,089 distinct codes): it is mixed before use so that names of nearby codes spread, and names
 * of an equal code are told apart by {@link Name#equals}, as in a map.
 *
 * <p>A copy keeps its slots in chunks of {@value #CHUNK} and shares every chunk with the table it
 * was copied from until it writes to one (copy on write, per chunk). A table built whole (a load,
 * a transfer) is one chunk, as fast to fill as a plain array; its first copy cuts it into chunks. An edit of one
 * record in a million-record zone then copies two chunks instead of two arrays of a million
 * slots: those 8 MiB per edit filled the old generation every few edits, and each of those edits
 * paid a full collection of 0.4–0.7 s. A table copied from must not be written again; a
 * published snapshot's never is.
 */
final class NodeTable {

  private static final int SHIFT = 12;
  private static final int CHUNK = 1 << SHIFT;

  private Name[][] keys;
  private Object[][] values;
  /** Which chunks this table wrote or made itself; the others are shared with another table. */
  private boolean[] own;
  private int mask;
  /** A slot's chunk is {@code slot >>> shift}, its place there {@code slot & chunkMask}. */
  private int shift;
  private int chunkMask;
  private int size;

  /** A table sized for {@code expected} names; it grows when more come. */
  NodeTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected + expected / 3) * 2 - 1);
    keys = new Name[][] {new Name[capacity]};
    values = new Object[][] {new Object[capacity]};
    own = new boolean[] {true};
    mask = capacity - 1;
    shift = Integer.numberOfTrailingZeros(capacity);
    chunkMask = capacity - 1;
  }

  private NodeTable(NodeTable from) {
    mask = from.mask;
    size = from.size;
    if (from.shift <= SHIFT) {
      keys = from.keys.clone();
      values = from.values.clone();
      own = new boolean[keys.length];
      shift = from.shift;
      chunkMask = from.chunkMask;
      return;
    }
    // A table built whole: cut into chunks once (its first copy), shared from then on.
    int chunks = (mask + 1) >>> SHIFT;
    keys = new Name[chunks][];
    values = new Object[chunks][];
    own = new boolean[chunks];
    for (int c = 0; c < chunks; c++) {
      keys[c] = java.util.Arrays.copyOfRange(from.keys[0], c * CHUNK, (c + 1) * CHUNK);
      values[c] = java.util.Arrays.copyOfRange(from.values[0], c * CHUNK, (c + 1) * CHUNK);
      own[c] = true;
    }
    shift = SHIFT;
    chunkMask = CHUNK - 1;
  }

  /**
   * A table with this one's entries and room for {@code more} names: it shares this one's chunks
   * until it writes to them (microseconds even for a million names) when it has the room, else it
   * is a larger table filled again. This table must not be written after it was copied.
   */
  NodeTable copy(int more) {
    NodeTable t = new NodeTable(this);
    t.ensureRoom(more);
    return t;
  }

  /** Makes room for {@code more} names: when they would fill it beyond its limit, a larger table. */
  private void ensureRoom(int more) {
    if (size + more <= limit()) {
      return;
    }
    Name[][] oldKeys = keys;
    Object[][] oldValues = values;
    NodeTable t = new NodeTable(size + more);
    for (int c = 0; c < oldKeys.length; c++) {
      Name[] k = oldKeys[c];
      Object[] v = oldValues[c];
      for (int i = 0; i < k.length; i++) {
        if (k[i] != null) {
          t.put(k[i], v[i]);
        }
      }
    }
    keys = t.keys;
    values = t.values;
    own = t.own;
    mask = t.mask;
    shift = t.shift;
    chunkMask = t.chunkMask;
  }

  /**
   * Removes {@code key} if present and says whether it was. The entries after it in its probe run
   * move back into the gap (backward-shift deletion), so every lookup still finds its name before
   * the first empty slot.
   */
  boolean remove(Name key) {
    int gap = slot(key);
    if (key(gap) == null) {
      return false;
    }
    size--;
    for (int j = (gap + 1) & mask; key(j) != null; j = (j + 1) & mask) {
      Name k = key(j);
      int home = mix(k.hashCode()) & mask;
      // The entry at j may fill the gap unless its home lies cyclically in (gap, j].
      boolean staysPut = gap <= j ? gap < home && home <= j : gap < home || home <= j;
      if (!staysPut) {
        set(gap, k, value(j));
        gap = j;
      }
    }
    set(gap, null, null);
    return true;
  }

  /** Maps {@code key} to {@code value} (not null), replacing an earlier value of the same name. */
  void put(Name key, Object value) {
    putIfAbsent(key, value, true);
  }

  /**
   * Maps {@code key}, which the caller knows is not in the table, to {@code value} (not null): the
   * probe looks for the first empty slot and compares no names. A snapshot's owners are distinct
   * as it is built; with up to three quarters of the slots full, an insert passes about six names
   * on average, and comparing each ({@link Name#equals} reads the other name's object, a cache
   * miss each) took a quarter of a second of building a million-record zone.
   */
  void putNew(Name key, Object value) {
    if (size + 1 > limit()) {
      ensureRoom(Math.max(1, size)); // doubles
    }
    int i = mix(key.hashCode()) & mask;
    while (key(i) != null) {
      i = (i + 1) & mask;
    }
    set(i, key, value);
    size++;
  }

  /**
   * Maps {@code key} to {@code value} (not null) unless it is mapped already, and says whether it
   * was added: a set of names, as {@link java.util.Set#add}.
   */
  boolean add(Name key, Object value) {
    return putIfAbsent(key, value, false);
  }

  private boolean putIfAbsent(Name key, Object value, boolean replace) {
    int i = slot(key);
    boolean added = key(i) == null;
    if (added && size + 1 > limit()) {
      ensureRoom(Math.max(1, size)); // doubles
      i = slot(key);
    }
    if (added || replace) {
      set(i, key, value);
    }
    if (added) {
      size++;
    }
    return added;
  }

  /** The value of {@code key}, or {@code null}. */
  Object get(Name key) {
    return value(slot(key));
  }

  boolean containsKey(Name key) {
    return key(slot(key)) != null;
  }

  int size() {
    return size;
  }

  /** Gives every value to {@code action}, in no particular order. */
  void forEachValue(java.util.function.Consumer<Object> action) {
    for (Object[] chunk : values) {
      for (Object v : chunk) {
        if (v != null) {
          action.accept(v);
        }
      }
    }
  }

  private int limit() {
    return mask + 1 - (mask + 1) / 4;
  }

  private Name key(int i) {
    return keys[i >>> shift][i & chunkMask];
  }

  private Object value(int i) {
    return values[i >>> shift][i & chunkMask];
  }

  private void set(int i, Name key, Object value) {
    int c = i >>> shift;
    if (!own[c]) {
      keys[c] = keys[c].clone();
      values[c] = values[c].clone();
      own[c] = true;
    }
    keys[c][i & chunkMask] = key;
    values[c][i & chunkMask] = value;
  }

  /** The slot holding {@code key}, or the empty slot where it would go. */
  private int slot(Name key) {
    int i = mix(key.hashCode()) & mask;
    int m = chunkMask;
    Name[] chunk = keys[i >>> shift];
    for (Name k = chunk[i & m]; k != null && !k.equals(key); k = chunk[i & m]) {
      i = (i + 1) & mask;
      if ((i & m) == 0) {
        chunk = keys[i >>> shift]; // the run goes on in the next chunk (or wraps to the first)
      }
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
