package io.tierdns.authoritative.store;

import io.tierdns.authoritative.ZoneFiles;
import io.tierdns.authoritative.ZoneLoadException;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.CommitResult;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneChange;
import io.tierdns.authoritative.edit.ZoneChanges;
import io.tierdns.authoritative.edit.ZoneCommitListener;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.edit.ZoneEdit;
import io.tierdns.authoritative.edit.ZoneEditException;
import io.tierdns.authoritative.edit.ZoneHistory;
import io.tierdns.authoritative.edit.ZoneWriter;
import io.tierdns.authoritative.journal.FlushMark;
import io.tierdns.authoritative.journal.Journal;
import io.tierdns.authoritative.journal.JournalException;
import io.tierdns.authoritative.serial.Serial;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * One zone's single write path on the primary: the zone file, its journal, its serial policy.
 *
 * <p>Design note. {@link #commit} runs under the zone's lock: the edit computes its changes from
 * the current version, the next version is built off the serving path ({@link ZoneChanges}), the
 * diff is appended to the journal and fsynced, and only then is the version published to the
 * {@link ZoneRegistry}. A failure at any step before the append changes nothing; a failed append
 * is cut back out of the journal. Readers never take the lock: queries read the registry, IXFR
 * reads the journal's immutable chain. Listeners are told after the lock is released, in commit
 * order (a second lock is taken hand over hand), and their failures never undo a commit.
 *
 * <p>The journal is the truth. The zone file is written from it on compaction and on close, and
 * a flush mark (the file's SHA-256) is journaled with it. At start-up and on {@link #reload} a
 * file whose hash differs from the last mark was edited by hand: the edit becomes a diff in the
 * journal with a new serial ({@link HandEdits}), and the file is rewritten with that version.
 * Before the file is written (a compaction, a flush), an edit made by hand since the last write
 * is taken in the same way, so that it is never overwritten; a file that does not load is left
 * as it is, and the journal is not compacted until it is fixed (the journal keeps the version it
 * was written from, which a later reload needs to carry the edit onto the current version).
 */
public final class ZoneStore implements ZoneWriter, ZoneHistory, Closeable {

  private static final Logger log = LoggerFactory.getLogger(ZoneStore.class);

  private final Name zone;
  private final Path zoneFile;
  private final ZoneStoreConfig config;
  private final ZoneRegistry registry;
  private final Clock clock;
  private java.time.Instant lastCompaction;
  private final Collection<ZoneCommitListener> listeners;
  private final Path journalFile;
  /**
   * The journal; null while a zone loaded from its file without one waits for it to be written
   * ({@link #createJournal}): it is created under {@link #lock}, by that call or by the first
   * write that needs it, whichever comes first. Read without the lock by IXFR ({@link
   * #diffsSince}).
   */
  private volatile Journal journal;
  /** The flush mark a journal not yet created is to start with (the zone file as loaded). */
  private volatile FlushMark journalToCreate;
  private final ReentrantLock lock = new ReentrantLock();
  /** Where compactions run once a commit has returned; the committing thread by default. */
  private volatile java.util.concurrent.Executor compactions = Runnable::run;
  /** Runs between writing a compaction and putting it in place, without the lock: for tests. */
  volatile Runnable whileCompacting = () -> {};
  /** A commit passed a limit of the journal: compact after it (guarded by {@link #lock}). */
  private boolean compactionDue;
  /**
   * A compaction is between its beginning and its end (guarded by {@link #lock}): it writes
   * without the lock, and a second one (committing threads that compact themselves, the default
   * executor) would write the same zone file beside it.
   */
  private boolean compacting;
  /**
   * The zone file as last found edited by hand and not loadable (size and time): reported once,
   * and compactions wait until it changes, without hashing it again at every commit.
   */
  private volatile FileState refusedEdit;
  private final ReentrantLock notifyLock = new ReentrantLock();
  private volatile ZoneSnapshot current;
  private volatile boolean closed;

  private ZoneStore(Name zone, Path zoneFile, Path journalFile, ZoneStoreConfig config, ZoneRegistry registry, Clock clock, Collection<ZoneCommitListener> listeners, Journal journal, ZoneSnapshot current) {
    this.journalFile = journalFile;
    this.zone = zone;
    this.zoneFile = zoneFile;
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    this.lastCompaction = clock.instant();
    this.listeners = listeners;
    this.journal = journal;
    this.current = current;
  }

  /**
   * Opens a zone and publishes it to the registry. With a journal, the journal's state is the
   * truth and a hand-edited zone file becomes a diff on top of it (a zone file that does not load
   * is logged and ignored). Without one, the zone file is the base and is published before its
   * journal is written: the journal (for a million records, a 50 MB file and half a second to a
   * second of a core) is created by {@link #createJournal} or by the first write that needs it.
   *
   * @param listeners told of every commit; read at each commit, so it may be a live collection
   * @throws ZoneLoadException when there is no journal and the zone file does not load
   * @throws JournalException when the journal exists but cannot be recovered
   */
  public static ZoneStore open(Name zone, Path zoneFile, Path journalFile, ZoneStoreConfig config, ZoneRegistry registry, Clock clock, Collection<ZoneCommitListener> listeners) {
    ZoneStore store;
    if (Files.exists(journalFile)) {
      Journal.Recovery r = Journal.open(journalFile, zone, config.journal());
      store = new ZoneStore(zone, zoneFile, journalFile, config, registry, clock, listeners, r.journal(), r.state());
      log.info("zone={} serial={} recovered from journal {} ({} diffs)", zone, r.state().serial(), journalFile, r.journal().diffCount());
      store.lock.lock();
      try {
        if (Files.exists(zoneFile)) {
          store.reconcileLocked();
        } else {
          store.flushLocked();
        }
      } catch (ZoneLoadException | ZoneEditException e) {
        log.warn("zone={} serial={} zone file ignored, serving the journal's state: {}", zone, store.current.serial(), e.getMessage());
      } finally {
        store.lock.unlock();
      }
    } else {
      String hash = hash(zoneFile);
      ZoneSnapshot base = ZoneFiles.load(zoneFile, zone);
      store = new ZoneStore(zone, zoneFile, journalFile, config, registry, clock, listeners, null, base);
      store.journalToCreate = new FlushMark(base.serial(), hash);
      log.info("zone={} serial={} loaded from {}", zone, base.serial(), zoneFile);
    }
    registry.put(store.current);
    return store;
  }

  /**
   * Creates a new zone: writes its zone file, then its journal (replacing any stale one), then
   * publishes it. Listeners are not told; the caller does that.
   *
   * @throws io.tierdns.authoritative.ZoneException when the records do not make a valid zone
   */
  static ZoneStore create(ZoneSnapshot zone, Path zoneFile, Path journalFile, ZoneStoreConfig config, ZoneRegistry registry, Clock clock, Collection<ZoneCommitListener> listeners) {
    ZoneFiles.write(zone, zoneFile);
    Journal.syncDirectory(zoneFile.toAbsolutePath().getParent());
    Journal journal = Journal.create(journalFile, zone, new FlushMark(zone.serial(), hash(zoneFile)), config.journal());
    ZoneStore store = new ZoneStore(zone.origin(), zoneFile, journalFile, config, registry, clock, listeners, journal, zone);
    registry.put(zone);
    return store;
  }

  /** The zone's apex. */
  public Name zone() {
    return zone;
  }

  /** The version being served. */
  public ZoneSnapshot current() {
    return current;
  }

  /** The zone file. */
  public Path zoneFile() {
    return zoneFile;
  }

  /** The journal file. */
  public Path journalFile() {
    return journalFile;
  }

  /**
   * Writes the journal of a zone {@link #open opened} from its zone file alone, unless a write
   * did already or the store is closed. Meant for a background thread once the zone is served: a
   * write waits for it (the lock), and until then the zone file is the only version and the
   * truth. A journal that cannot be written is logged; each write then tries again and fails
   * with the reason, changing nothing.
   */
  public void createJournal() {
    lock.lock();
    try {
      if (!closed) {
        journal();
      }
    } catch (JournalException e) {
      log.error("zone={} serial={} cannot create the journal {}: {}; edits fail until it can be written", zone, current.serial(), journalFile, e.getMessage());
    } finally {
      lock.unlock();
    }
  }

  /** The journal, written first if it is not yet (under the lock; see the field). */
  private Journal journal() {
    Journal j = journal;
    if (j == null) {
      long start = System.nanoTime();
      // No write has been made without the journal, so the version served is the one loaded.
      j = Journal.create(journalFile, current, journalToCreate, config.journal());
      journal = j;
      journalToCreate = null;
      log.info("zone={} serial={} journal {} created ({} ms)", zone, current.serial(), journalFile, (System.nanoTime() - start) / 1_000_000);
    }
    return j;
  }

  /** The last flush mark, without creating a journal that is not yet. */
  private Optional<FlushMark> lastFlush() {
    Journal j = journal;
    return j != null ? j.lastFlush() : Optional.ofNullable(journalToCreate);
  }

  @Override
  public CommitResult commit(Name zone, ZoneEdit edit) {
    if (!this.zone.equals(zone)) {
      throw new ZoneEditException(ZoneEditException.Kind.UNKNOWN_ZONE, "zone " + zone + " is not served by the store of " + this.zone);
    }
    return commit(edit);
  }

  /**
   * Applies an edit as one new version; returns once it is durable and served.
   *
   * @throws ZoneEditException when the edit is rejected or the zone was deleted; nothing changed
   * @throws JournalException when the journal cannot be written; nothing changed
   */
  public CommitResult commit(ZoneEdit edit) {
    return underLock(
        () -> {
          ZoneSnapshot cur = current;
          List<ZoneChange> changes = edit.changes(cur);
          if (changes.isEmpty()) {
            return new CommitResult(cur, null);
          }
          long policySerial = config.serialPolicy().next(cur.serial(), clock.instant());
          long serial = explicitSerial(changes, policySerial);
          return publishLocked(ZoneChanges.apply(cur, changes, serial), serial != policySerial);
        });
  }

  /**
   * Compares the zone file with the last flush and turns a hand edit into a new version.
   *
   * @return the new version, or an unchanged result when the file was not edited
   * @throws ZoneLoadException when the zone file does not load (the zone keeps being served)
   * @throws ZoneEditException when the edit conflicts with changes committed since the file was
   *     written
   */
  public CommitResult reload() {
    return underLock(this::reconcileLocked);
  }

  /**
   * Writes the zone file from the current version if it is not up to date. A file edited by hand
   * since it was last written is taken in first, as {@link #reload} does, and is not overwritten.
   *
   * @throws ZoneLoadException when the file was edited by hand and does not load (it is left as
   *     it is)
   * @throws ZoneEditException when such an edit conflicts with changes committed since
   */
  public void flush() {
    lock.lock();
    try {
      ensureOpen();
      if (lastFlush().map(m -> m.serial() != current.serial()).orElse(true)) {
        if (editedByHand()) {
          reconcileLocked(); // takes the edit in, then writes the file with the result
        } else {
          flushLocked();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<List<ZoneDiff>> diffsSince(Name zone, long serial) {
    return this.zone.equals(zone) ? diffsSince(serial) : Optional.empty();
  }

  /** The diffs from {@code serial} to the version being served (see {@link ZoneHistory}). */
  public Optional<List<ZoneDiff>> diffsSince(long serial) {
    return diffsBetween(serial, current.serial());
  }

  /** The diffs from serial {@code from} to serial {@code to}, when the journal holds them. */
  public Optional<List<ZoneDiff>> diffsBetween(long from, long to) {
    Journal j = journal;
    if (j == null) {
      // not written yet: the version loaded is the only one, and there are no diffs
      return from == to ? Optional.of(List.of()) : Optional.empty();
    }
    return j.diffsBetween(from, to);
  }

  /** Writes the zone file if needed and closes the journal; later commits fail. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      if (journal == null) {
        closed = true; // never written: nothing was changed, and the zone file is the truth
        return;
      }
      try {
        flush();
      } catch (RuntimeException e) {
        log.error("zone={} serial={} cannot write the zone file on close (the journal has every change): {}", zone, current.serial(), e.getMessage());
      }
      closed = true;
      journal.close();
    } finally {
      lock.unlock();
    }
  }

  /** Closes without writing the zone file: the zone is being deleted. */
  void closeForDelete() {
    lock.lock();
    try {
      closed = true;
      if (journal != null) {
        journal.close();
      }
    } finally {
      lock.unlock();
    }
  }

  // ---- under the lock ----

  /**
   * Journals and publishes {@code next} unless it equals the current version but for the serial.
   *
   * @param serialCounts a new serial alone is a change (one was asked for explicitly)
   */
  private CommitResult publishLocked(ZoneSnapshot next, boolean serialCounts) {
    ZoneSnapshot cur = current;
    ZoneDiff diff = Diffs.between(cur, next);
    if (diff.isEmpty() && Diffs.sameSoa(cur.soa(), next.soa()) && !serialCounts) {
      return new CommitResult(cur, null);
    }
    journal().append(diff);
    current = next;
    registry.put(next);
    log.debug("zone={} serial={} committed: {} removed, {} added", zone, next.serial(), diff.removed().size(), diff.added().size());
    if (journal.needsCompaction() || clock.instant().isAfter(lastCompaction.plus(config.journal().maxAge()))) {
      // After the commit has returned (underLock): writing the zone file and the journal's
      // snapshot takes a second or more for a million records, which the commit that crossed
      // the limit paid on top of its milliseconds.
      compactionDue = true;
    }
    return new CommitResult(next, diff);
  }

  private CommitResult reconcileLocked() {
    ensureOpen();
    String hash = hash(zoneFile);
    Optional<FlushMark> mark = lastFlush();
    if (mark.isPresent() && mark.get().sha256().equals(hash)) {
      return new CommitResult(current, null);
    }
    ZoneSnapshot file = ZoneFiles.load(zoneFile, zone);
    ZoneSnapshot cur = current;
    if (Diffs.sameContent(file, cur)) {
      journal().markFlushed(new FlushMark(cur.serial(), hash));
      return new CommitResult(cur, null);
    }
    ZoneSnapshot base = mark.map(m -> stateAt(m.serial())).orElse(null);
    if (base != null && Diffs.sameContent(file, base)) {
      journal().markFlushed(new FlushMark(base.serial(), hash)); // reformatted or comments only
      return new CommitResult(cur, null);
    }
    ZoneSnapshot next = HandEdits.target(cur, base, file, config.serialPolicy(), clock.instant());
    CommitResult result = publishLocked(next, Serial.isNewer(file.serial(), cur.serial()));
    if (result.changed()) {
      log.info("zone={} serial={} hand edit of {} journaled: {} removed, {} added", zone, result.serial(), zoneFile, result.diff().removed().size(), result.diff().added().size());
    }
    flushLocked(); // the file now shows the version (and serial) the edit became
    return result;
  }

  /** The version at {@code serial}, rebuilt by undoing diffs from the current one; null if not held. */
  private ZoneSnapshot stateAt(long serial) {
    ZoneSnapshot cur = current;
    if (serial == cur.serial()) {
      return cur;
    }
    Optional<List<ZoneDiff>> chain = diffsBetween(serial, cur.serial());
    if (chain.isEmpty()) {
      return null;
    }
    List<ZoneDiff> undo = new ArrayList<>(chain.get().size());
    for (int i = chain.get().size() - 1; i >= 0; i--) {
      undo.add(Diffs.invert(chain.get().get(i)));
    }
    try {
      return Diffs.applyAll(cur, undo);
    } catch (Diffs.MismatchException e) {
      log.warn("zone={} cannot rebuild serial {} from the journal: {}", zone, serial, e.getMessage());
      return null;
    }
  }

  private void flushLocked() {
    ZoneSnapshot cur = current;
    ZoneFiles.write(cur, zoneFile);
    Journal.syncDirectory(zoneFile.toAbsolutePath().getParent());
    journal().markFlushed(new FlushMark(cur.serial(), hash(zoneFile)));
  }

  /**
   * The compaction a commit found due, unless a later one did it or the store closed. The zone's
   * lock is held only to begin and to finish it: the zone file and the journal's snapshot of the
   * version served when it began (a second or more for a million records) are written without
   * it, so commits go on meanwhile; the diffs they journal are carried into the compacted
   * journal when it is put in place, and the zone file then shows the version it began at (it
   * lags the journal as it does after any commit).
   */
  private void compactIfDue() {
    ZoneSnapshot cur;
    Journal.Compaction compaction;
    lock.lock();
    try {
      if (!compactionDue || closed || compacting) {
        return; // done by another thread, or under way: no file to hash
      }
    } finally {
      lock.unlock();
    }
    FileState seen = takeInHandEdit();
    if (seen == REFUSED) {
      return;
    }
    lock.lock();
    try {
      if (!compactionDue || closed || compacting) {
        return; // a compaction under way re-checks the limits when it ends
      }
      compactionDue = false;
      cur = current;
      lastCompaction = clock.instant();
      compaction = journal().beginCompaction(cur);
      compacting = true;
    } catch (RuntimeException e) {
      log.error("zone={} serial={} journal compaction failed: {}", zone, current.serial(), e.getMessage(), e);
      return;
    } finally {
      lock.unlock();
    }
    Path written = zoneFile.resolveSibling("." + zoneFile.getFileName() + ".compacting");
    try {
      ZoneFiles.write(cur, written);
      compaction.write(new FlushMark(cur.serial(), hash(written)));
      whileCompacting.run();
      lock.lock();
      try {
        if (closed || journal.lastFlush().orElse(null) != compaction.flushAtBegin()) {
          // closed, or the zone file was written since (a flush, a reload): ours would be older
          compactionDue = !closed;
          return;
        }
        if (!java.util.Objects.equals(seen, FileState.of(zoneFile))) {
          // edited by hand while the compaction wrote: not overwritten; the next compaction
          // takes the edit in first
          log.info("zone={} serial={} the zone file {} changed while the journal was compacted: left as it is, compaction dropped", zone, cur.serial(), zoneFile);
          compactionDue = true;
          return;
        }
        Files.move(written, zoneFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Journal.syncDirectory(zoneFile.toAbsolutePath().getParent());
        journal.finishCompaction(compaction);
        // Commits made meanwhile saw the old journal's size: due again only if still past a limit.
        compactionDue = journal.needsCompaction();
      } finally {
        lock.unlock();
      }
    } catch (IOException | RuntimeException e) {
      // The commits are durable in the journal already; compaction is retried at the next commit.
      log.error("zone={} serial={} journal compaction failed: {}", zone, cur.serial(), e.getMessage(), e);
    } finally {
      // Nothing of a compaction that did not finish stays beside the zone (both are no-ops when
      // it did: its files were renamed into place).
      compaction.discard();
      deleteQuietly(written);
      lock.lock();
      try {
        compacting = false;
      } finally {
        lock.unlock();
      }
    }
  }

  /** What {@link #takeInHandEdit} returns when the file holds an edit that does not load. */
  private static final FileState REFUSED = new FileState(-1, java.nio.file.attribute.FileTime.fromMillis(0));

  /**
   * Before a compaction writes the zone file: an edit made by hand since the file was last
   * written is taken in, as {@link #reload} does (and its listeners are told). Hashing a large
   * file takes tens of milliseconds, so this runs without the lock; an edit made after it is
   * caught when the compaction finishes, by the file's size and time.
   *
   * @return the file's state once any edit is in (null: no file), or {@link #REFUSED} when the
   *     file holds an edit that does not load or conflicts: reported once, and the compaction
   *     waits, since a journal compacted past the version the file was written from could no
   *     longer carry the edit onto the current version
   */
  private FileState takeInHandEdit() {
    FileState seen = FileState.of(zoneFile);
    if (seen == null || closed) {
      return seen;
    }
    if (seen.equals(refusedEdit)) {
      return REFUSED;
    }
    try {
      if (!editedByHand()) {
        return seen;
      }
      CommitResult r = reload();
      log.info("zone={} serial={} the zone file {} was edited by hand since it was last written: taken in ({}) before the journal is compacted", zone, r.serial(), zoneFile, r.changed() ? "a new version" : "no change to the data");
      refusedEdit = null;
      return FileState.of(zoneFile); // rewritten with the version the edit became
    } catch (ZoneLoadException | ZoneEditException e) {
      if (closed) {
        return REFUSED; // closed meanwhile: nothing to compact, nothing to report
      }
      refusedEdit = seen;
      log.error("zone={} serial={} the zone file {} was edited by hand since it was last written, and the edit cannot be taken in: {}. The file is left as it is and the journal is not compacted until the file is fixed (then reload) or removed; the journal has every change",
          zone, current.serial(), zoneFile, e.getMessage());
      return REFUSED;
    } catch (RuntimeException e) {
      // the commit that led here has succeeded: its caller must not see this; tried again at the next
      log.error("zone={} serial={} cannot check the zone file {} for a hand edit before compacting: {}", zone, current.serial(), zoneFile, e.toString(), e);
      return REFUSED;
    }
  }

  /** Whether the zone file differs from the one last written (its hash is not the flush mark's). */
  private boolean editedByHand() {
    Optional<FlushMark> mark = lastFlush();
    return mark.isPresent() && Files.exists(zoneFile) && !mark.get().sha256().equals(hash(zoneFile));
  }

  /** A file's size and modification time, to see that it changed without reading it. */
  private record FileState(long size, java.nio.file.attribute.FileTime modified) {
    /** The file's state, or null when there is no file. */
    static FileState of(Path file) {
      try {
        java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        return new FileState(a.size(), a.lastModifiedTime());
      } catch (java.nio.file.NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        throw ZoneLoadException.of(file, 0, "cannot read: " + e, e);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", file, e.toString());
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new ZoneEditException(ZoneEditException.Kind.UNKNOWN_ZONE, "zone " + zone + " is not served here (closed or deleted)");
    }
  }

  /**
   * Has the journal compacted (and the zone file written) on {@code executor} after the commits
   * that need it, instead of on the committing thread (ZoneStores: the node's background thread).
   */
  void compactIn(java.util.concurrent.Executor executor) {
    this.compactions = executor;
  }

  /** Runs a write under the zone lock, then tells listeners in commit order, off the lock. */
  private CommitResult underLock(java.util.function.Supplier<CommitResult> write) {
    CommitResult result;
    lock.lock();
    boolean notifying = false;
    boolean compact;
    try {
      ensureOpen();
      result = write.get();
      if (result.changed()) {
        notifyLock.lock(); // taken before the write lock is released: notifications keep commit order
        notifying = true;
      }
      compact = compactionDue;
    } finally {
      lock.unlock();
    }
    if (notifying) {
      try {
        for (ZoneCommitListener l : listeners) {
          try {
            l.committed(result.snapshot(), result.diff());
          } catch (RuntimeException e) {
            log.warn("zone={} serial={} commit listener {} failed: {}", zone, result.serial(), l, e.toString(), e);
          }
        }
      } finally {
        notifyLock.unlock();
      }
    }
    if (compact) {
      // after the listeners' notifyLock is released: compaction takes the write lock
      compactions.execute(this::compactIfDue);
    }
    return result;
  }

  /** An SOA given in the changes with a serial newer than the policy's wins (a serial realigned by hand). */
  private static long explicitSerial(List<ZoneChange> changes, long policySerial) {
    long serial = policySerial;
    for (ZoneChange c : changes) {
      List<Record> records =
          c instanceof ZoneChange.ReplaceRRset r ? r.records() : c instanceof ZoneChange.AddRecord a ? List.of(a.record()) : List.of();
      for (Record r : records) {
        if (r instanceof SOARecord soa && Serial.isNewer(soa.getSerial(), serial)) {
          serial = soa.getSerial();
        }
      }
    }
    return serial;
  }

  private static String hash(Path file) {
    try {
      return FileHash.sha256(file);
    } catch (IOException e) {
      throw ZoneLoadException.of(file, 0, "cannot read: " + e, e);
    }
  }
}
