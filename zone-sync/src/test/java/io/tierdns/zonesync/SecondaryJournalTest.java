package io.tierdns.zonesync;

import static io.tierdns.zonesync.Zones.ZONE;
import static io.tierdns.zonesync.Zones.zone;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.journal.JournalConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecondaryJournalTest {

  @TempDir Path dir;

  /** The journal file every test opens, reopens and inspects. */
  private Path file() {
    return dir.resolve("example.test.journal");
  }

  /** The journal of {@link #file()}, opened (or recovered) into {@code registry}. */
  private SecondaryJournal open(ZoneRegistry registry) {
    return SecondaryJournal.open(ZONE, file(), JournalConfig.defaults(), registry);
  }

  @Test
  void aVersionIsServedBeforeItsSyncAndOnDiskAfterIt() {
    ZoneRegistry registry = new ZoneRegistry();
    SecondaryJournal journal = open(registry);
    journal.replace(zone(100));
    ZoneSnapshot next = zone(101, "new 300 IN A 192.0.2.99");

    journal.applyIncremental(List.of(Diffs.between(zone(100), next)), next);
    assertThat(registry.zone(ZONE).orElseThrow().serial()).isEqualTo(101);
    journal.sync();
    journal.close();

    ZoneRegistry reopened = new ZoneRegistry();
    SecondaryJournal again = open(reopened);
    assertThat(again.current().serial()).isEqualTo(101);
    assertThat(again.diffsSince(ZONE, 100)).hasValueSatisfying(d -> assertThat(d).hasSize(1));
    again.close();
  }

  @Test
  void ixfrsJournaledWhileCompactionsRunBesideThemAreAllKept() throws Exception {
    ZoneRegistry registry = new ZoneRegistry();
    JournalConfig small = new JournalConfig(1L << 30, 5, 3); // compact every 5 diffs
    SecondaryJournal journal = SecondaryJournal.open(ZONE, file(), small, registry);
    journal.replace(zone(100));
    journal.sync();
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    Thread compactor = new Thread(() -> {
      while (!done.get()) {
        journal.compactIfNeeded();
      }
    });
    compactor.start();
    ZoneSnapshot cur = zone(100);
    try {
      for (long serial = 101; serial <= 300; serial++) { // bounded: 200 IXFRs
        List<String> extra = new java.util.ArrayList<>();
        for (long k = 101; k <= serial; k += 17) {
          extra.add("n" + k + " 300 IN A 192.0.2.1");
        }
        extra.add("last 300 IN A 192.0.2." + (serial % 250 + 1));
        ZoneSnapshot next = zone(serial, extra.toArray(new String[0]));
        journal.applyIncremental(List.of(Diffs.between(cur, next)), next);
        cur = next;
      }
      journal.sync();
    } finally {
      done.set(true);
      compactor.join(10_000);
    }
    journal.compactIfNeeded();
    journal.close();

    SecondaryJournal again = SecondaryJournal.open(ZONE, file(), small, new ZoneRegistry());
    assertThat(again.current().serial()).isEqualTo(300);
    assertThat(Diffs.sameContent(again.current(), cur)).isTrue();
    assertThat(again.diffsSince(ZONE, 297)).hasValueSatisfying(d -> assertThat(d).hasSize(3));
    again.close();
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly(file().getFileName().toString());
    }
  }

  @Test
  void aSecondSyncWithNothingNewDoesNothing() throws Exception {
    ZoneRegistry registry = new ZoneRegistry();
    SecondaryJournal journal = open(registry);
    journal.replace(zone(100));
    ZoneSnapshot next = zone(101, "new 300 IN A 192.0.2.99");
    journal.applyIncremental(List.of(Diffs.between(zone(100), next)), next);
    journal.sync();
    // nothing unsynced: a second sync does nothing
    journal.sync();
    journal.close();
    assertThat(Files.size(file())).isPositive();
  }

  @Test
  void aWholeVersionIsServedFirstAndItsSnapshotWrittenBySync() {
    ZoneRegistry registry = new ZoneRegistry();
    SecondaryJournal journal = openAt100(registry);
    ZoneSnapshot next = zone(101, "new 300 IN A 192.0.2.99");
    journal.applyIncremental(List.of(Diffs.between(zone(100), next)), next);
    journal.sync();
    // an audit repair at the same serial: the journal is recreated from the whole version
    ZoneSnapshot repaired = zone(101, "repaired 300 IN A 192.0.2.77");

    assertThat(journal.replace(repaired)).isNull();
    assertThat(registry.zone(ZONE).orElseThrow().records()).isEqualTo(repaired.records());
    assertThat(journal.snapshotPending()).isTrue();
    assertThat(journal.diffsSince(ZONE, 100)).isEmpty(); // downstream gets AXFR meanwhile

    // a crash now: the file still holds the version before, whole, with its history
    SecondaryJournal old = open(new ZoneRegistry());
    assertThat(old.current().records()).isEqualTo(next.records());
    assertThat(old.diffsSince(ZONE, 100)).hasValueSatisfying(d -> assertThat(d).hasSize(1));
    old.close();

    journal.sync();
    assertThat(journal.snapshotPending()).isFalse();
    SecondaryJournal again = open(new ZoneRegistry());
    assertThat(again.current().records()).isEqualTo(repaired.records());
    assertThat(again.diffsSince(ZONE, 100)).isEmpty();
    again.close();
    journal.close();
  }

  @Test
  void anIxfrBeforeThePendingSnapshotIsWrittenFollowsIt() {
    ZoneRegistry registry = new ZoneRegistry();
    SecondaryJournal journal = open(registry);
    journal.replace(zone(100)); // the first version: a snapshot, written by sync
    assertThat(journal.snapshotPending()).isTrue();
    assertThat(Files.exists(file())).isFalse();
    ZoneSnapshot next = zone(101, "new 300 IN A 192.0.2.99");

    journal.applyIncremental(List.of(Diffs.between(zone(100), next)), next);
    assertThat(registry.zone(ZONE).orElseThrow().serial()).isEqualTo(101);
    journal.sync();
    journal.close();

    SecondaryJournal again = open(new ZoneRegistry());
    assertThat(again.current().records()).isEqualTo(next.records());
    assertThat(again.diffsSince(ZONE, 100)).hasValueSatisfying(d -> assertThat(d).hasSize(1));
    again.close();
  }

  @Test
  void aSmallAxfrIsServedAndJournaledAsTheDiffFromTheVersionBefore() {
    ZoneRegistry registry = new ZoneRegistry();
    SecondaryJournal journal = openAt100(registry);
    ZoneSnapshot next = zone(101, "new 300 IN A 192.0.2.99");

    ZoneDiff diff = journal.replace(next);

    assertThat(diff.added()).extracting(r -> r.getName().toString()).contains("new.example.test.");
    assertThat(registry.zone(ZONE).orElseThrow().serial()).isEqualTo(101);
    assertThat(journal.diffsSince(ZONE, 100)).hasValueSatisfying(d -> assertThat(d).hasSize(1));
    journal.close();
    assertReopensAt(next, 1);
  }

  @Test
  void anAxfrWhoseDiffCannotBeWrittenIsServedAndJournaledWholeBySync() {
    ZoneRegistry registry = new ZoneRegistry();
    SecondaryJournal journal = openAt100(registry);
    journal.journal().close(); // every write to it now fails
    ZoneSnapshot next = zone(101, "new 300 IN A 192.0.2.99");

    assertThat(journal.replace(next)).isNull();

    assertThat(registry.zone(ZONE).orElseThrow().records()).isEqualTo(next.records());
    assertThat(journal.snapshotPending()).isTrue();
    assertThat(journal.diffsSince(ZONE, 100)).isEmpty();
    journal.sync();
    journal.close();
    assertReopensAt(next, 0);
  }

  /** A journal that served and synced serial 100. */
  private SecondaryJournal openAt100(ZoneRegistry registry) {
    SecondaryJournal journal = open(registry);
    journal.replace(zone(100));
    journal.sync();
    return journal;
  }

  /** The journal reopens at {@code version} with {@code diffs} diffs of history after serial 100. */
  private void assertReopensAt(ZoneSnapshot version, int diffs) {
    SecondaryJournal again = open(new ZoneRegistry());
    assertThat(again.current().records()).isEqualTo(version.records());
    if (diffs == 0) {
      assertThat(again.diffsSince(ZONE, 100)).isEmpty();
    } else {
      assertThat(again.diffsSince(ZONE, 100)).hasValueSatisfying(d -> assertThat(d).hasSize(diffs));
    }
    again.close();
  }

  @Test
  void closeWritesAPendingSnapshot() {
    SecondaryJournal journal = open(new ZoneRegistry());
    journal.replace(zone(100));
    journal.close();

    SecondaryJournal again = open(new ZoneRegistry());
    assertThat(again.current().serial()).isEqualTo(100);
    again.close();
  }
}
