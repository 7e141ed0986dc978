package io.tierdns.zonesync;

import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.edit.ZoneHistory;
import io.tierdns.authoritative.journal.Journal;
import io.tierdns.authoritative.journal.JournalConfig;
import io.tierdns.authoritative.serial.Serial;
import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * A secondary zone's persistence: its {@link Journal} and the version it serves.
 *
 * <p>Design note. Simpler than the primary's {@code ZoneStore}: no zone file, no serial policy,
 * no hand edits. A received version is written to the journal (not yet forced), published to the
 * {@link ZoneRegistry} with one swap, and forced to disk by {@link #sync()} after the downstream
 * NOTIFYs went out: an fsync costs milliseconds, up to tens of them when the disk is busy, and
 * would sit on the path of every change to every tier below. What a crash can lose is the last
 * few versions of a copy that the primary still holds: a restart serves the last version on disk
 * at once ({@link #open}) and transfers the rest again (a downstream secondary that already took
 * a newer serial from us keeps it: serials never go backwards there). When the sync fails the
 * journal is recreated from the served version. An IXFR is condensed into one diff and
 * appended as one entry, so a failed write leaves the journal at the old version. An AXFR to a
 * newer serial is journaled as the diff from our version when both are small (downstream
 * secondaries keep their IXFR), computed and written right after the version is served (a diff
 * that cannot be written makes the journal recreated, as below); otherwise, or when the serial
 * does not move forward (an audit repair at the same serial), the journal is recreated holding
 * the new snapshot alone. That snapshot is written by {@link #sync()}, after the version is
 * served, for the same reason as the fsync: encoding and writing a whole zone takes seconds for
 * a million records, and the file it replaces (atomically: temporary file, fsync, rename) still
 * holds the old version, consistent, so a crash in between restarts at the old serial, which then
 * refreshes. Until the snapshot is
 * written the journal serves no IXFR history (downstream gets AXFR, as it would from the new
 * snapshot), and a version that comes before it is only published: the snapshot then written is
 * the version served at that time.
 *
 * <p>The journal is the {@link ZoneHistory} the {@code AuthoritativeHandler} serves IXFR from to
 * chained secondaries. One writer at a time, under this object's lock (the zone's lane; the
 * compaction beside it, {@link #compactIfNeeded}); readers need no lock.
 */
public final class SecondaryJournal implements ZoneHistory, Closeable {

  private static final Logger log = LoggerFactory.getLogger(SecondaryJournal.class);

  /** Above this many records (old plus new), an AXFR is not diffed against the old version. */
  static final int DIFF_LIMIT = 200_000;

  private final Name zone;
  private final Path file;
  private final JournalConfig config;
  private final ZoneRegistry registry;
  private volatile Journal journal;
  private volatile ZoneSnapshot current;
  private boolean unsynced; // guarded by this
  /** The journal is to be recreated from {@link #current} at the next sync; {@link #journal} is null. */
  private boolean snapshotPending; // guarded by this
  /** A compaction is under way ({@link #compactIfNeeded}). */
  private final AtomicBoolean compacting = new AtomicBoolean();

  private SecondaryJournal(Name zone, Path file, JournalConfig config, ZoneRegistry registry, Journal journal, ZoneSnapshot current) {
    this.zone = zone;
    this.file = file;
    this.config = config;
    this.registry = registry;
    this.journal = journal;
    this.current = current;
  }

  /**
   * Opens the journal of a zone and, when it holds a version, publishes that version at once.
   *
   * @throws io.tierdns.authoritative.journal.JournalException when the file exists but cannot be
   *     recovered
   */
  public static SecondaryJournal open(Name zone, Path file, JournalConfig config, ZoneRegistry registry) {
    Objects.requireNonNull(zone, "zone");
    if (!Files.exists(file)) {
      return new SecondaryJournal(zone, file, config, registry, null, null);
    }
    Journal.Recovery r = Journal.open(file, zone, config);
    if (r.truncatedBytes() > 0) {
      log.warn("zone={} serial={} journal {}: {} bytes of a torn tail cut off", zone, r.state().serial(), file, r.truncatedBytes());
    }
    registry.put(r.state());
    log.info("zone={} serial={} serving the journaled version from {}", zone, r.state().serial(), file);
    return new SecondaryJournal(zone, file, config, registry, r.journal(), r.state());
  }

  /** The zone. */
  public Name zone() {
    return zone;
  }

  /** The journal file. */
  public Path file() {
    return file;
  }

  /** The version held (served unless expired), or {@code null} before the first transfer. */
  public ZoneSnapshot current() {
    return current;
  }

  /**
   * Journals an IXFR and publishes its result.
   *
   * @param diffs the diffs received, oldest first, starting at {@link #current()}
   * @param result the version they lead to, built and validated by the caller
   * @return the diff journaled (the chain condensed)
   */
  public synchronized ZoneDiff applyIncremental(List<ZoneDiff> diffs, ZoneSnapshot result) {
    ZoneSnapshot cur = Objects.requireNonNull(current, "no version to apply an IXFR to");
    ZoneDiff diff = Diffs.condense(diffs);
    if (diff.fromSerial() != cur.serial() || diff.toSerial() != result.serial()) {
      throw new IllegalArgumentException("zone " + zone + ": IXFR " + diff.fromSerial() + " -> " + diff.toSerial() + " does not lead from " + cur.serial() + " to " + result.serial());
    }
    if (snapshotPending || journal == null) {
      // the snapshot of the version this IXFR starts from is not written yet (no sync since a
      // whole version, or a failed one): write it first, so the diff follows it in the history
      writeSnapshot();
    }
    journal.append(diff, false);
    unsynced = true;
    publish(result);
    return diff;
  }

  /**
   * Publishes a whole version (AXFR, or an audit repair) and journals it: as the diff from the
   * version before when both are small and the serial moves forward, else as a snapshot written
   * by the next {@link #sync()}.
   *
   * @return the diff from the previous version when one was journaled, else {@code null}
   */
  public synchronized ZoneDiff replace(ZoneSnapshot next) {
    ZoneSnapshot cur = current;
    Journal j = journal;
    if (cur == null
        || j == null
        || !Serial.isNewer(next.serial(), cur.serial())
        || cur.size() + next.size() > DIFF_LIMIT) {
      // The whole version is written by the next sync, after it is served.
      dropJournal();
      publish(next);
      return null;
    }
    // Served first, then diffed: computing and writing the diff of a 100,000-record AXFR took
    // 0.5-0.8 s of a secondary's one core, during which the new version was not served. Until the
    // diff is appended, an IXFR finds no chain to the new serial in the journal and is answered
    // with the whole zone (IxfrPlan: JOURNAL_GAP).
    publish(next);
    try {
      ZoneDiff diff = Diffs.between(cur, next);
      j.append(diff, false);
      unsynced = true;
      return diff;
    } catch (RuntimeException e) {
      log.error(
          "zone={} serial={} journal {}: cannot append the diff from serial {}: {}; the next sync writes the whole version",
          zone, next.serial(), file, cur.serial(), e.toString());
      dropJournal();
      return null;
    }
  }

  /**
   * Stops using the journal: the next sync recreates it from the served version. It answers no
   * IXFR from now on: its history ends at the version replaced.
   */
  private void dropJournal() {
    Journal old = journal;
    journal = null;
    snapshotPending = true;
    unsynced = false;
    if (old != null) {
      old.close();
    }
  }

  /** The journal in use, or {@code null}: for tests. */
  Journal journal() {
    return journal;
  }

  /** True while a version is served whose snapshot is not yet written (until {@link #sync()}). */
  synchronized boolean snapshotPending() {
    return snapshotPending;
  }

  /**
   * Forces the versions published since the last sync to disk: writes the snapshot of the served
   * version when a whole version was received ({@link #replace}), else forces the diffs appended.
   * When that fails, the journal is recreated holding the served version alone (or, when that
   * fails too, the error is thrown and the next version or sync recreates it).
   */
  public synchronized void sync() {
    if (snapshotPending) {
      writeSnapshot(); // throws: still pending, retried by the next version or sync
      return;
    }
    if (!unsynced || journal == null) {
      return;
    }
    unsynced = false;
    try {
      journal.sync();
    } catch (RuntimeException e) {
      log.error("zone={} serial={} journal {}: {}; recreating it from the served version", zone, current.serial(), file, e.toString());
      dropJournal();
      writeSnapshot();
    }
  }

  /** Recreates the journal holding the served version alone (written and forced to disk). */
  private void writeSnapshot() {
    journal = Journal.create(file, current, null, config);
    snapshotPending = false;
    unsynced = false;
  }

  /** Publishes the held version again (after the zone had expired). */
  public void republish() {
    ZoneSnapshot cur = current;
    if (cur != null) {
      registry.put(cur);
    }
  }

  /**
   * Compacts the journal (a snapshot entry) when it outgrew its limits. The snapshot of a million
   * records (0.3-0.7 s) is written without this journal's lock, so IXFRs go on being journaled
   * meanwhile; the lock is held to begin and to put the compacted file in place, with the diffs
   * appended meanwhile carried into it ({@link Journal.Compaction}).
   */
  public void compactIfNeeded() {
    if (!compacting.compareAndSet(false, true)) {
      return; // one at a time: a second would be overtaken by the first and thrown away
    }
    try {
      Journal j;
      Journal.Compaction compaction;
      synchronized (this) {
        j = journal;
        ZoneSnapshot cur = current;
        if (j == null || cur == null || !j.needsCompaction()) {
          return;
        }
        compaction = j.beginCompaction(cur);
      }
      compaction.write(null);
      synchronized (this) {
        if (journal != j) {
          compaction.discard(); // dropped or recreated meanwhile: the compaction is of a file gone
          return;
        }
        j.finishCompaction(compaction);
      }
    } finally {
      compacting.set(false);
    }
  }

  @Override
  public Optional<List<ZoneDiff>> diffsSince(Name zone, long serial) {
    Journal j = journal;
    ZoneSnapshot cur = current;
    if (j == null || cur == null || !this.zone.equals(zone)) {
      return Optional.empty();
    }
    return j.diffsBetween(serial, cur.serial());
  }

  @Override
  public synchronized void close() {
    if (journal != null || snapshotPending) {
      try {
        sync();
      } catch (RuntimeException e) {
        log.error("zone={} journal {}: not synced at close: {}", zone, file, e.toString());
      }
      if (journal != null) {
        journal.close();
      }
    }
  }

  private void publish(ZoneSnapshot next) {
    current = next;
    registry.put(next);
  }
}
