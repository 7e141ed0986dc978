package io.tierdns.authoritative;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.function.Consumer;
import org.xbill.DNS.Record;

/**
 * A snapshot's records in canonical order: an immutable list kept in chunks of about {@value
 * #CHUNK} records (once changed: a list built whole is one chunk), so that the next version of a
 * zone ({@link #splice}) shares every chunk its changes do not touch. One edit of a million-record zone then copies one chunk and an array of
 * about a thousand chunk references, not a list of a million references (4 MiB per edit, which
 * with the node table's 8 MiB filled the old generation every few edits).
 *
 * <p>Reading in order (an AXFR, the journal, the zone file, a digest) costs one comparison per
 * record more than an array: {@link #get} remembers the chunk it read last. Reading at random
 * (a binary search) finds the chunk by a binary search over the chunks' first indexes.
 */
final class RecordList extends AbstractList<Record> implements RandomAccess {

  static final int CHUNK = 1024;
  private static final RecordList EMPTY = new RecordList(new Record[0][], new int[] {0});

  private final Record[][] chunks;
  /** {@code starts[k]}: the index of {@code chunks[k][0]}; one more entry, the size. */
  private final int[] starts;
  /** The chunk {@link #get} read last: an immutable object, so readers may race on it. */
  private Window window;

  private record Window(int start, int end, Record[] chunk) {}

  private RecordList(Record[][] chunks, int[] starts) {
    this.chunks = chunks;
    this.starts = starts;
    this.window = new Window(0, 0, null);
  }

  /** A list of {@code records} (copied; none may be null). */
  static RecordList of(List<Record> records) {
    Builder b = new Builder(records.size());
    records.forEach(b::add);
    return b.build();
  }

  /**
   * Fills a list in order. A list built whole (a load, a transfer) is one chunk, as fast to fill
   * as an array; its first {@link #splice} cuts the piece it touches, the whole list, into chunks.
   */
  static final class Builder extends AbstractList<Record> {
    private Record[] all;
    private int size;

    Builder(int expected) {
      all = new Record[Math.max(16, expected)];
    }

    @Override
    public boolean add(Record r) {
      if (size == all.length) {
        all = Arrays.copyOf(all, size + (size >> 1));
      }
      all[size++] = r;
      return true;
    }

    @Override
    public boolean addAll(java.util.Collection<? extends Record> records) {
      for (Record r : records) {
        add(r);
      }
      return !records.isEmpty();
    }

    @Override
    public Record get(int index) {
      throw new UnsupportedOperationException("a builder is only added to");
    }

    @Override
    public int size() {
      return size;
    }

    RecordList build() {
      if (size == 0) {
        return EMPTY;
      }
      Record[] chunk = size == all.length ? all : Arrays.copyOf(all, size);
      all = new Record[16];
      size = 0;
      return new RecordList(new Record[][] {chunk}, new int[] {0, chunk.length});
    }
  }

  @Override
  public int size() {
    return starts[chunks.length];
  }

  @Override
  public Record get(int index) {
    Window w = window;
    if (index >= w.start && index < w.end) {
      return w.chunk[index - w.start];
    }
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("index " + index + " of " + size());
    }
    int k = chunkOf(index);
    window = new Window(starts[k], starts[k + 1], chunks[k]);
    return chunks[k][index - starts[k]];
  }

  /** The chunk holding {@code index} (0 ≤ index &lt; size). */
  private int chunkOf(int index) {
    int lo = 0;
    int hi = chunks.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= index) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  @Override
  public Iterator<Record> iterator() {
    return new Iterator<>() {
      private int k;
      private int i;

      @Override
      public boolean hasNext() {
        return k < chunks.length;
      }

      @Override
      public Record next() {
        if (k >= chunks.length) {
          throw new NoSuchElementException();
        }
        Record[] c = chunks[k];
        Record r = c[i++];
        if (i == c.length) {
          k++;
          i = 0;
        }
        return r;
      }
    };
  }

  @Override
  public void forEach(Consumer<? super Record> action) {
    for (Record[] c : chunks) {
      for (Record r : c) {
        action.accept(r);
      }
    }
  }

  /**
   * This list with, for each run {@code k}, the records {@code [from[k], to[k])} replaced by
   * {@code with.get(k)} (an empty range inserts, an empty list deletes). The runs are in order and
   * do not overlap. The chunks no run touches are shared with this list; the touched ones are
   * made again, cut into chunks of at most {@value #CHUNK} records.
   */
  RecordList splice(int[] from, int[] to, List<List<Record>> with) {
    int size = size();
    List<Record[]> out = new ArrayList<>(chunks.length + from.length);
    for (int r = 0; r < from.length; r++) {
      if (from[r] < (r == 0 ? 0 : to[r - 1]) || to[r] < from[r] || to[r] > size) {
        throw new IllegalArgumentException("run " + r + " [" + from[r] + ", " + to[r] + ") is out of order or range");
      }
    }
    int next = 0; // the first chunk not yet copied out or rebuilt
    for (int r = 0; r < from.length; ) {
      // The chunks this run and every run reaching into them touch, rebuilt as one piece.
      int first = Math.max(next, touchedFrom(from[r]));
      int last = touchedTo(from[r], to[r]);
      int end = r;
      while (end + 1 < from.length && touchedFrom(from[end + 1]) <= last) {
        end++;
        last = Math.max(last, touchedTo(from[end], to[end]));
      }
      for (int k = next; k < first; k++) {
        out.add(chunks[k]);
      }
      List<Record> piece = new ArrayList<>();
      int at = first < chunks.length ? starts[first] : size;
      for (int q = r; q <= end; q++) {
        addRange(piece, at, from[q]);
        piece.addAll(with.get(q));
        at = to[q];
      }
      int pieceEnd = last < chunks.length ? starts[last + 1] : size;
      addRange(piece, at, pieceEnd);
      for (int i = 0; i < piece.size(); i += CHUNK) {
        out.add(piece.subList(i, Math.min(piece.size(), i + CHUNK)).toArray(new Record[0]));
      }
      next = Math.min(chunks.length, last + 1);
      r = end + 1;
    }
    for (int k = next; k < chunks.length; k++) {
      out.add(chunks[k]);
    }
    Record[][] made = out.toArray(new Record[0][]);
    int[] madeStarts = new int[made.length + 1];
    for (int k = 0; k < made.length; k++) {
      madeStarts[k + 1] = madeStarts[k] + made[k].length;
    }
    return made.length == 0 ? EMPTY : new RecordList(made, madeStarts);
  }

  /** The first chunk a run starting at {@code from} touches (a run at the end: the last chunk). */
  private int touchedFrom(int from) {
    return chunks.length == 0 ? 0 : chunkOf(Math.min(from, size() - 1));
  }

  /** The last chunk the run {@code [from, to)} touches. */
  private int touchedTo(int from, int to) {
    return to > from ? chunkOf(to - 1) : touchedFrom(from);
  }

  private void addRange(List<Record> piece, int from, int to) {
    for (int i = from; i < to; i++) {
      piece.add(get(i));
    }
  }
}
