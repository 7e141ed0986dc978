package io.tierdns.authoritative.journal;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.ZoneDiff;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * One zone's append-only journal file: the durable record of every committed change, and the
 * history IXFR serves (RFC 1995).
 *
 * <p>Design note. The file holds framed entries ({@link JournalCodec}): diffs, full snapshots
 * ("zone-in-journal", as Knot DNS keeps them) and flush marks (the hash of the zone file written
 * at that point). The zone's state is the last snapshot entry with the diffs after it applied;
 * diffs before the last snapshot are kept only to serve IXFR. {@link #append} returns only after
 * {@code fsync}, so an acknowledged change survives a crash. Opening reads entries up to the first
 * one that is short, fails its CRC32C or does not decode, and truncates the rest: an entry whose
 * write was cut off was never acknowledged. Compaction rewrites the file atomically (temporary
 * file, fsync, rename, fsync of the directory) as [recent diffs][snapshot][flush mark].
 *
 * <p>Not thread-safe for writers: one writer at a time (the zone store's lock). {@link
 * #diffsSince} and {@link #serial} may be called from any thread without a lock: they read an
 * immutable chain published through a volatile field.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1995#section-5">RFC 1995 §5</a>
 */
public final class Journal implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  /**
   * The outcome of opening a journal.
   *
   * @param journal the journal, ready for appends
   * @param state the zone at the journal's last acknowledged change
   * @param truncatedBytes how many bytes of a torn or corrupt tail were cut off (0 normally)
   */
  public record Recovery(Journal journal, ZoneSnapshot state, long truncatedBytes) {}

  /** A diff and the size of its frame in the file. */
  record Entry(ZoneDiff diff, int bytes) {}

  /** Diffs oldest first, the serial at the end of the journal, diffs after the last snapshot. */
  private record Chain(List<Entry> diffs, long serial, int afterSnapshot) {}

  private final Path file;
  private final Name zone;
  private final JournalConfig config;
  private FileChannel channel;
  private volatile Chain chain;
  private long size;
  private long baseSize;
  private FlushMark lastFlush;
  private boolean broken;
  /** Compactions finished: a {@link Compaction} begun before another finished is stale. */
  private long compactions;

  private Journal(Path file, Name zone, JournalConfig config, FileChannel channel, Chain chain, long size, long baseSize, FlushMark lastFlush) {
    this.file = file;
    this.zone = zone;
    this.config = config;
    this.channel = channel;
    this.chain = chain;
    this.size = size;
    this.baseSize = baseSize;
    this.lastFlush = lastFlush;
  }

  /**
   * Creates a journal holding one snapshot, replacing any file at {@code file} atomically.
   *
   * @param mark the zone file that holds {@code base}, or {@code null}
   */
  public static Journal create(Path file, ZoneSnapshot base, FlushMark mark, JournalConfig config) {
    try {
      long size = writeAtomically(file, List.of(), base, mark);
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      ch.position(size);
      return new Journal(file, base.origin(), config, ch, new Chain(List.of(), base.serial(), 0), size, size, mark);
    } catch (IOException e) {
      throw new JournalException(file + ": cannot create journal: " + e, e);
    }
  }

  /**
   * Opens a journal and recovers the last acknowledged state, truncating a torn tail. When the
   * damage is not at the tail (entries follow a bad one), the original is first copied to {@code
   * <file>.corrupt} for inspection.
   *
   * @throws JournalException when the file is not a journal, cannot be read, or holds no intact
   *     snapshot entry
   */
  public static Recovery open(Path file, Name zone, JournalConfig config) {
    removeStaleTemporaries(file);
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      JournalReader.Result read = JournalReader.read(file, zone, ch);
      Journal j =
          new Journal(
              file,
              zone,
              config,
              ch,
              new Chain(read.diffs(), read.serial(), read.afterSnapshot()),
              read.end(),
              read.baseSize(),
              read.lastFlush());
      ch = null;
      return new Recovery(j, read.state(), read.truncatedBytes());
    } catch (IOException e) {
      throw new JournalException(file + ": cannot read journal: " + e, e);
    } finally {
      closeQuietly(ch);
    }
  }

  /** The zone this journal records. */
  public Name zone() {
    return zone;
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** The serial of the last acknowledged change. */
  public long serial() {
    return chain.serial();
  }

  /** The file's size in bytes. */
  public long size() {
    return size;
  }

  /** The diffs held (IXFR history plus those since the last snapshot entry). */
  public int diffCount() {
    return chain.diffs().size();
  }

  /** The last flush mark: which zone file content matches which serial. */
  public Optional<FlushMark> lastFlush() {
    return Optional.ofNullable(lastFlush);
  }

  /**
   * Appends one diff and forces it to disk before returning: when this returns, the change is
   * durable. On failure the file is cut back to where it was and the exception thrown.
   *
   * @throws IllegalStateException when the diff does not start at {@link #serial()}
   * @throws JournalException when the write or the fsync fails
   */
  public void append(ZoneDiff diff) {
    append(diff, true);
  }

  /**
   * Appends one diff; with {@code force} false the bytes are written but not forced to disk, and
   * the change is durable only after the next {@link #sync()} (or forced append). For copies that
   * can be fetched again, such as a secondary's: it serves the version first and syncs after.
   */
  public void append(ZoneDiff diff, boolean force) {
    Chain c = chain;
    if (diff.fromSerial() != c.serial()) {
      throw new IllegalStateException(
          "zone " + zone + ": diff from serial " + diff.fromSerial() + " does not follow journal serial " + c.serial());
    }
    int bytes = write(JournalCodec.diff(diff), force);
    List<Entry> diffs = new ArrayList<>(c.diffs().size() + 1);
    diffs.addAll(c.diffs());
    diffs.add(new Entry(diff, bytes));
    chain = new Chain(List.copyOf(diffs), diff.toSerial(), c.afterSnapshot() + 1);
  }

  /**
   * Forces what was appended without force to disk.
   *
   * @throws JournalException when the fsync fails; the journal is then unusable (reopen it)
   */
  public void sync() {
    checkUsable();
    try {
      channel.force(true);
    } catch (IOException e) {
      broken = true;
      throw new JournalException(file + ": cannot sync journal: " + e, e);
    }
  }

  /** Appends a flush mark (after the zone file was written) and forces it to disk. */
  public void markFlushed(FlushMark mark) {
    write(JournalCodec.flush(mark), true);
    lastFlush = mark;
  }

  /** True when a size or entry limit of the {@link JournalConfig} is reached. */
  public boolean needsCompaction() {
    return chain.afterSnapshot() >= config.maxDiffs() || size > Math.max(config.maxBytes(), 2 * baseSize);
  }

  /**
   * Rewrites the file atomically as [the most recent diffs, for IXFR][a snapshot of {@code
   * current}][{@code mark}]: {@link #beginCompaction}, {@link Compaction#write} and {@link
   * #finishCompaction} in one go.
   *
   * @param current the zone at {@link #serial()}
   * @param mark the zone file written for this compaction, or {@code null}
   */
  public void compact(ZoneSnapshot current, FlushMark mark) {
    Compaction c = beginCompaction(current);
    c.write(mark);
    finishCompaction(c);
  }

  /**
   * A compaction in three steps, so that the journal's writer (the zone's lock) is held only for
   * the short first and last ones while the snapshot, a second or more for a million records, is
   * written without it: {@link #beginCompaction} (with the writer's lock) takes the journal's
   * state at a version; {@link #write} (without it) writes [the most recent diffs][the snapshot]
   * [the flush mark] to a temporary file beside the journal; {@link #finishCompaction} (with the
   * lock again) appends the diffs journaled meanwhile to that file and renames it into place.
   */
  public final class Compaction {
    private final Chain at;
    private final List<Entry> kept;
    private final ZoneSnapshot snapshot;
    private final long generation;
    private final FlushMark flushAtBegin;
    private Path tmp;
    private long size;
    private FlushMark mark;

    private Compaction(Chain at, ZoneSnapshot snapshot, long generation, FlushMark flushAtBegin) {
      this.at = at;
      this.kept = keep(at.diffs());
      this.snapshot = snapshot;
      this.generation = generation;
      this.flushAtBegin = flushAtBegin;
    }

    /** The serial of the snapshot it writes. */
    public long serial() {
      return at.serial();
    }

    /** The journal's last flush mark when it began (a later one makes it stale). */
    public FlushMark flushAtBegin() {
      return flushAtBegin;
    }

    /**
     * Writes the compacted journal to a temporary file and forces it to disk; touches nothing of
     * the journal's own.
     *
     * @param mark the zone file written for this compaction (at {@link #serial()}), or {@code null}
     * @throws JournalException when the file cannot be written (nothing changed)
     */
    public void write(FlushMark mark) {
      Path dir = file.toAbsolutePath().getParent();
      try {
        tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        size = writeFile(tmp, kept, snapshot, mark);
        this.mark = mark;
      } catch (IOException e) {
        discard();
        throw new JournalException(file + ": cannot compact journal: " + e, e);
      }
    }

    /** Removes the temporary file of a compaction that will not be finished. */
    public void discard() {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          log.warn("zone={} cannot remove {}: {}", zone, tmp, e.toString());
        }
        tmp = null;
      }
    }
  }

  /**
   * Starts a compaction at {@code current}, the zone at {@link #serial()} (with the writer's lock).
   */
  public Compaction beginCompaction(ZoneSnapshot current) {
    Chain c = chain;
    if (current.serial() != c.serial()) {
      throw new IllegalStateException(
          "zone " + zone + ": snapshot at serial " + current.serial() + " is not the journal's serial " + c.serial());
    }
    checkUsable();
    return new Compaction(c, current, compactions, lastFlush);
  }

  /**
   * Puts a written compaction in place (with the writer's lock): the diffs appended since it began
   * are appended to it, then it replaces the file atomically. A compaction overtaken by another
   * or by a flush mark (the zone file was written again since: its mark would be stale) is
   * discarded instead.
   *
   * @return whether the journal was compacted
   * @throws JournalException when the compacted file cannot be finished or reopened
   */
  public boolean finishCompaction(Compaction c) {
    checkUsable();
    if (c.tmp == null || c.generation != compactions || c.flushAtBegin != lastFlush) {
      c.discard();
      return false;
    }
    Chain now = chain;
    List<Entry> since = now.diffs().subList(c.at.diffs().size(), now.diffs().size());
    long newSize;
    try {
      try (FileChannel ch = FileChannel.open(c.tmp, StandardOpenOption.WRITE)) {
        ch.position(c.size);
        for (Entry e : since) {
          FileIo.writeFully(ch, JournalCodec.frame(JournalCodec.diff(e.diff())));
        }
        ch.force(true);
        newSize = ch.size();
      }
      Files.move(c.tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new JournalException(file + ": cannot compact journal: " + e, e);
    } finally {
      c.discard();
    }
    FileChannel old = channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      channel.position(newSize);
    } catch (IOException e) {
      broken = true; // the old channel points at the replaced file: appending there would be lost
      throw new JournalException(file + ": cannot reopen compacted journal: " + e, e);
    } finally {
      closeQuietly(old);
    }
    long before = size;
    size = newSize;
    baseSize = c.size;
    lastFlush = c.mark;
    compactions++;
    List<Entry> diffs = new ArrayList<>(c.kept.size() + since.size());
    diffs.addAll(c.kept);
    diffs.addAll(since);
    chain = new Chain(List.copyOf(diffs), now.serial(), since.size());
    log.info(
        "zone={} serial={} journal compacted at serial {} from {} to {} bytes, {} diffs kept, {} after the snapshot",
        zone, now.serial(), c.serial(), before, newSize, c.kept.size(), since.size());
    return true;
  }

  /**
   * The diffs from {@code serial} to the journal's last serial, oldest first; empty when {@code
   * serial} is the last; {@link Optional#empty()} when the journal does not reach back that far.
   */
  public Optional<List<ZoneDiff>> diffsSince(long serial) {
    Chain c = chain;
    return between(c, serial, c.serial());
  }

  /**
   * The diffs from serial {@code from} to serial {@code to}, oldest first, or {@link
   * Optional#empty()} when the journal holds no such chain.
   */
  public Optional<List<ZoneDiff>> diffsBetween(long from, long to) {
    return between(chain, from, to);
  }

  private static Optional<List<ZoneDiff>> between(Chain c, long from, long to) {
    if (from == to) {
      return Optional.of(List.of());
    }
    List<Entry> diffs = c.diffs();
    // Search from the newest: after 2^32 changes a serial may appear twice; the recent one counts.
    int end = -1;
    for (int i = diffs.size() - 1; i >= 0; i--) {
      if (diffs.get(i).diff().toSerial() == to) {
        end = i;
        break;
      }
    }
    for (int i = end; i >= 0; i--) {
      if (diffs.get(i).diff().fromSerial() == from) {
        List<ZoneDiff> out = new ArrayList<>(end - i + 1);
        for (int k = i; k <= end; k++) {
          out.add(diffs.get(k).diff());
        }
        return Optional.of(List.copyOf(out));
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private List<Entry> keep(List<Entry> diffs) {
    List<Entry> kept = new ArrayList<>();
    long bytes = 0;
    for (int i = diffs.size() - 1; i >= 0 && kept.size() < config.keepDiffs(); i--) {
      bytes += diffs.get(i).bytes();
      if (bytes > config.maxBytes() / 2) {
        break;
      }
      kept.add(0, diffs.get(i));
    }
    return List.copyOf(kept);
  }

  private int write(byte[] payload, boolean force) {
    checkUsable();
    ByteBuffer frame = JournalCodec.frame(payload);
    int bytes = frame.remaining();
    try {
      FileIo.writeFully(channel, frame, size);
      if (force) {
        channel.force(true);
      }
    } catch (IOException e) {
      try {
        // Cut the unacknowledged bytes off, so the next append does not follow garbage.
        channel.truncate(size);
        channel.force(true);
      } catch (IOException again) {
        broken = true;
        e.addSuppressed(again);
      }
      throw new JournalException(file + ": cannot append to journal: " + e, e);
    }
    size += bytes;
    return bytes;
  }

  private void checkUsable() {
    if (broken || !channel.isOpen()) {
      throw new JournalException(file + ": journal is closed or failed earlier; reopen the zone");
    }
  }

  private static long writeAtomically(Path file, List<Entry> diffs, ZoneSnapshot snapshot, FlushMark mark) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      long size = writeFile(tmp, diffs, snapshot, mark);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(dir);
      return size;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes [magic][diffs][snapshot][mark] to {@code tmp} and forces it to disk; its size. */
  private static long writeFile(Path tmp, List<Entry> diffs, ZoneSnapshot snapshot, FlushMark mark) throws IOException {
    long size;
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      FileIo.writeFully(ch, ByteBuffer.wrap(JournalCodec.MAGIC));
      for (Entry e : diffs) {
        FileIo.writeFully(ch, JournalCodec.frame(JournalCodec.diff(e.diff())));
      }
      // The snapshot goes to the file in pieces as it is encoded, its frame header last (the file
      // is renamed into place only once complete): a large zone is never one array in memory.
      long headerAt = ch.position();
      FileIo.writeFully(ch, ByteBuffer.allocate(JournalCodec.FRAME_HEADER));
      CRC32C crc = new CRC32C();
      long length = JournalCodec.writeSnapshot(snapshot, FileIo.SLICE, piece -> {
        crc.update(piece);
        FileIo.writeFully(ch, ByteBuffer.wrap(piece));
      });
      FileIo.writeFully(ch, JournalCodec.frameHeader(length, crc.getValue()), headerAt);
      if (mark != null) {
        FileIo.writeFully(ch, JournalCodec.frame(JournalCodec.flush(mark)));
      }
      ch.force(true);
      size = ch.size();
    }
    return size;
  }

  /**
   * Removes the temporary files of compactions a stopped process left beside {@code file} (each
   * as large as the zone): only this process writes the journal, so none is in use at opening.
   */
  private static void removeStaleTemporaries(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    String prefix = "." + file.getFileName();
    try (var stale = Files.newDirectoryStream(dir, p -> {
      String n = p.getFileName().toString();
      return n.startsWith(prefix) && n.endsWith(".tmp");
    })) {
      for (Path p : stale) {
        Files.deleteIfExists(p);
        log.info("zone journal {}: removed {}, left by a compaction that did not finish", file, p.getFileName());
      }
    } catch (IOException e) {
      log.warn("zone journal {}: cannot remove stale temporary files: {}", file, e.toString());
    }
  }

  /**
   * Deletes a closed journal for good (its zone is gone): the file, the temporary files of
   * compactions left beside it, and the unlink made durable.
   *
   * @throws IOException when the file cannot be deleted
   */
  public static void delete(Path file) throws IOException {
    removeStaleTemporaries(file);
    Files.deleteIfExists(file);
    syncDirectory(file.toAbsolutePath().getParent());
  }

  /** Makes a rename or unlink in {@code dir} durable (POSIX: fsync the directory). */
  public static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the rename itself is still atomic there.
      log.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch == null) {
      return;
    }
    try {
      ch.close();
    } catch (IOException e) {
      log.warn("cannot close journal channel: {}", e.toString());
    }
  }
}
