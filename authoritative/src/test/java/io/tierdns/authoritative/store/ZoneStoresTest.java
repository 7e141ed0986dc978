package io.tierdns.authoritative.store;

import static io.tierdns.authoritative.edit.EditFixtures.BASE;
import static io.tierdns.authoritative.edit.EditFixtures.ZONE;
import static io.tierdns.authoritative.edit.EditFixtures.name;
import static io.tierdns.authoritative.edit.EditFixtures.parse;
import static io.tierdns.authoritative.edit.EditFixtures.rr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.authoritative.ZoneFiles;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.CommitResult;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.EditFixtures.MutableClock;
import io.tierdns.authoritative.edit.ZoneChange;
import io.tierdns.authoritative.edit.ZoneCommitListener;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.edit.ZoneEditException;
import io.tierdns.authoritative.journal.JournalConfig;
import io.tierdns.authoritative.serial.SerialPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class ZoneStoresTest {

  @TempDir Path dir;
  private ZoneStores.Layout layout;
  private final MutableClock clock = new MutableClock(Instant.parse("2024-05-06T12:00:00Z"));
  private ZoneRegistry registry;
  private ZoneStoreConfig config = ZoneStoreConfig.defaults();

  @BeforeEach
  void writeZoneFile() throws IOException {
    layout = new ZoneStores.Layout(dir.resolve("zones"), dir.resolve("journal"));
    Files.createDirectories(layout.zoneDir());
    Files.writeString(layout.zoneDir().resolve("example.test.zone"), "$ORIGIN example.test.\n" + BASE);
  }

  private ZoneStores open() {
    registry = new ZoneRegistry();
    return ZoneStores.open(layout, config, registry, clock);
  }

  private static ZoneChange add(String line) {
    return new ZoneChange.AddRecord(rr(line));
  }

  private static CommitResult commit(ZoneStores s, ZoneChange... changes) {
    return s.commit(ZONE, current -> List.of(changes));
  }

  private ZoneSnapshot served() {
    return registry.zone(ZONE).orElseThrow();
  }

  private Path zoneFile() {
    return layout.zoneDir().resolve("example.test.zone");
  }

  @Test
  void aCommitIsJournaledServedAndToldToListenersWithTheNextSerial() {
    try (ZoneStores s = open()) {
      List<ZoneDiff> told = new ArrayList<>();
      s.addListener((snapshot, diff) -> told.add(diff));
      CommitResult r = commit(s, add("new A 192.0.2.44"));
      assertThat(r.serial()).isEqualTo(2);
      assertThat(served().rrset(name("new"), Type.A)).isPresent();
      assertThat(told).containsExactly(r.diff());
      assertThat(s.diffsSince(ZONE, 1).orElseThrow()).containsExactly(r.diff());
      assertThat(Files.exists(layout.journalFile(ZONE))).isTrue();
    }
  }

  @Test
  void aRejectedEditChangesNothing() throws IOException {
    try (ZoneStores s = open()) {
      long journalSize = Files.size(layout.journalFile(ZONE));
      assertThatThrownBy(() -> commit(s, add("new A 192.0.2.44"), add("www CNAME ns1")))
          .isInstanceOf(ZoneEditException.class)
          .extracting(e -> ((ZoneEditException) e).kind())
          .isEqualTo(ZoneEditException.Kind.CONFLICT);
      assertThatThrownBy(() -> s.commit(ZONE, current -> {
            throw new ZoneEditException(ZoneEditException.Kind.PREREQUISITE, "stale");
          }))
          .hasMessage("stale");
      assertThat(served().serial()).isEqualTo(1);
      assertThat(served().rrset(name("new"), Type.A)).isEmpty();
      assertThat(Files.size(layout.journalFile(ZONE))).isEqualTo(journalSize);
    }
  }

  @Test
  void anEditThatChangesNothingKeepsTheSerial() {
    try (ZoneStores s = open()) {
      CommitResult r = commit(s, new ZoneChange.DeleteRRset(name("nothing"), Type.A), add("www A 192.0.2.3"));
      assertThat(r.changed()).isFalse();
      assertThat(r.serial()).isEqualTo(1);
      assertThat(s.commit(ZONE, current -> List.of()).changed()).isFalse();
    }
  }

  @Test
  void anUnknownZoneIsRefusedAsUnknown() {
    try (ZoneStores s = open()) {
      assertThatThrownBy(() -> s.commit(name("other.test."), c -> List.of()))
          .isInstanceOf(ZoneEditException.class)
          .extracting(e -> ((ZoneEditException) e).kind())
          .isEqualTo(ZoneEditException.Kind.UNKNOWN_ZONE);
      assertThat(s.diffsSince(name("other.test."), 1)).isEmpty();
    }
  }

  @Test
  void reopeningWithoutCloseGivesTheLastCommittedState() {
    ZoneStores s = open();
    commit(s, add("a A 192.0.2.10"));
    ZoneSnapshot last = commit(s, add("b A 192.0.2.11")).snapshot();
    // abandoned: no close, no flush
    try (ZoneStores again = open()) {
      assertThat(Diffs.sameContent(served(), last)).isTrue();
      assertThat(again.diffsSince(ZONE, 1).orElseThrow()).hasSize(2);
    }
  }

  @Test
  void closingWritesTheZoneFileAndReopeningSeesNoHandEdit() {
    ZoneSnapshot last;
    try (ZoneStores s = open()) {
      last = commit(s, add("a A 192.0.2.10")).snapshot();
    }
    assertThat(ZoneFiles.load(zoneFile(), ZONE).serial()).isEqualTo(2);
    try (ZoneStores again = open()) {
      assertThat(served().serial()).isEqualTo(2);
      assertThat(Diffs.sameContent(served(), last)).isTrue();
    }
  }

  @Test
  void aZoneFileEditedByHandWhileStoppedBecomesADiffWithTheNextSerial() throws IOException {
    try (ZoneStores s = open()) {
      commit(s, add("a A 192.0.2.10"));
    }
    String text = Files.readString(zoneFile()).replace("192.0.2.3", "192.0.2.33");
    Files.writeString(zoneFile(), text);
    try (ZoneStores s = open()) {
      assertThat(served().serial()).isEqualTo(3);
      assertThat(served().rrset(name("www"), Type.A).orElseThrow().first().rdataToString()).isEqualTo("192.0.2.33");
      ZoneDiff hand = s.diffsSince(ZONE, 2).orElseThrow().get(0);
      assertThat(hand.removed()).containsExactly(rr("www A 192.0.2.3"));
      assertThat(hand.added()).containsExactly(rr("www A 192.0.2.33"));
      assertThat(ZoneFiles.load(zoneFile(), ZONE).serial()).isEqualTo(3);
    }
  }

  @Test
  void aHandEditWithANewerSerialKeepsTheFilesSerial() throws IOException {
    try (ZoneStores s = open()) {
      Files.writeString(zoneFile(), "$ORIGIN example.test.\n" + BASE.replace(" 1 7200", " 500 7200") + "added A 192.0.2.99\n");
      CommitResult r = s.reload(ZONE);
      assertThat(r.serial()).isEqualTo(500);
      assertThat(r.diff().added()).containsExactly(rr("added A 192.0.2.99"));
    }
  }

  @Test
  void aHandEditOfAStaleFileDoesNotRevertChangesCommittedSince() throws IOException {
    try (ZoneStores s = open()) {
      commit(s, add("api A 192.0.2.20")); // not yet in the zone file
      Files.writeString(zoneFile(), Files.readString(zoneFile()) + "byhand A 192.0.2.21\n");
      CommitResult r = s.reload(ZONE);
      assertThat(r.serial()).isEqualTo(3);
      assertThat(served().rrset(name("api"), Type.A)).isPresent();
      assertThat(served().rrset(name("byhand"), Type.A)).isPresent();
      assertThat(r.diff().removed()).isEmpty();
      // the file now shows the merged version; another reload finds nothing new
      assertThat(s.reload(ZONE).changed()).isFalse();
    }
  }

  @Test
  void reloadingAnUntouchedOrReformattedFileChangesNothing() throws IOException {
    try (ZoneStores s = open()) {
      assertThat(s.reload(ZONE).changed()).isFalse();
      Files.writeString(zoneFile(), "; a comment\n" + Files.readString(zoneFile()));
      assertThat(s.reload(ZONE).changed()).isFalse();
      assertThat(served().serial()).isEqualTo(1);
    }
  }

  @Test
  void aBrokenHandEditIsReportedAndTheZoneKeepsServing() throws IOException {
    try (ZoneStores s = open()) {
      Files.writeString(zoneFile(), Files.readString(zoneFile()) + "bad A not-an-address\n");
      assertThat(s.reloadAll()).hasSize(1);
      assertThat(served().serial()).isEqualTo(1);
    }
  }

  @Test
  void compactionWritesTheZoneFileAndKeepsIxfrHistory() {
    config = new ZoneStoreConfig(SerialPolicy.INCREMENT, new JournalConfig(1L << 30, 5, 3));
    try (ZoneStores s = open()) {
      for (int i = 0; i < 5; i++) {
        commit(s, add("c" + i + " A 192.0.2." + (i + 1)));
      }
      assertThat(ZoneFiles.load(zoneFile(), ZONE).serial()).isEqualTo(6);
      assertThat(s.diffsSince(ZONE, 3).orElseThrow()).hasSize(3);
      assertThat(s.diffsSince(ZONE, 2)).isEmpty();
    }
    try (ZoneStores s = open()) {
      assertThat(served().serial()).isEqualTo(6);
      assertThat(s.diffsSince(ZONE, 3).orElseThrow()).hasSize(3);
    }
  }

  /** Compactions queued by {@link #openCompactingAfterThreeCommits}: they run when a test says. */
  private final java.util.ArrayDeque<Runnable> compactions = new java.util.ArrayDeque<>();

  /**
   * The zone opened with a journal compacted after every third diff (two kept), compactions
   * queued in {@link #compactions}, and three commits made: serial 4, one compaction queued.
   */
  /** The zones opened with journal writes and compactions queued in {@link #compactions}. */
  private ZoneStores openQueued() {
    registry = new ZoneRegistry();
    return ZoneStores.open(layout, zone -> config, registry, clock, compactions::add);
  }

  private ZoneStores openCompactingAfterThreeCommits() {
    config = new ZoneStoreConfig(SerialPolicy.INCREMENT, new JournalConfig(1L << 30, 3, 2));
    ZoneStores s = openQueued();
    compactions.poll().run(); // the journal, written once the zone is served
    for (int i = 0; i < 3; i++) {
      commit(s, add("c" + i + " A 192.0.2." + (i + 1)));
    }
    return s;
  }

  @Test
  void aZoneOpenedFromItsFileServesBeforeItsJournalIsWritten() throws IOException {
    Path journal = layout.journalFile(ZONE);
    try (ZoneStores s = openQueued()) {
      assertThat(served().serial()).isEqualTo(1);
      assertThat(journal).as("written on the executor, after the zone is served").doesNotExist();
      assertThat(s.diffsSince(ZONE, 1)).as("up to date: no diffs").hasValue(List.of());
      assertThat(s.diffsSince(ZONE, 0)).as("no history yet").isEmpty();
      compactions.poll().run();
      assertThat(journal).exists();
      assertThat(compactions).isEmpty();
    }
    try (ZoneStores s = open()) {
      assertThat(s.store(ZONE).orElseThrow().current().serial()).as("recovered from the journal").isEqualTo(1);
    }
  }

  @Test
  void aWriteBeforeTheJournalIsWrittenWritesItFirst() throws IOException {
    Path journal = layout.journalFile(ZONE);
    try (ZoneStores s = openQueued()) {
      commit(s, add("early A 192.0.2.9"));
      assertThat(journal).exists();
      assertThat(s.diffsSince(ZONE, 1).orElseThrow()).hasSize(1);
      long size = Files.size(journal);
      compactions.poll().run(); // finds the journal written: nothing to do
      assertThat(Files.size(journal)).isEqualTo(size);
    }
    try (ZoneStores s = open()) {
      assertThat(s.store(ZONE).orElseThrow().current().serial()).isEqualTo(2);
    }
  }

  @Test
  void aStoreClosedBeforeItsJournalIsWrittenLeavesTheZoneFileAsTheTruth() throws IOException {
    Path journal = layout.journalFile(ZONE);
    String file = Files.readString(zoneFile());
    openQueued().close();
    compactions.poll().run(); // the store is closed: no journal is written
    assertThat(journal).doesNotExist();
    assertThat(Files.readString(zoneFile())).isEqualTo(file);
  }

  @Test
  void commitsGoOnWhileACompactionIsWrittenAndTheCompactedJournalKeepsThem() throws IOException {
    Path journal = layout.journalFile(ZONE);
    try (ZoneStores s = openCompactingAfterThreeCommits()) {
      assertThat(compactions).hasSize(1);
      ZoneStore store = s.store(ZONE).orElseThrow();
      // The compaction of serial 4 is written; before it is put in place, two commits come, from
      // other threads as in a node (the zone's lock is free while it writes).
      store.whileCompacting = () -> {
        for (int i = 3; i < 5; i++) {
          String name = "c" + i;
          int octet = i + 1;
          java.util.concurrent.CompletableFuture.runAsync(() -> commit(s, add(name + " A 192.0.2." + octet))).join();
        }
      };
      compactions.poll().run();
      store.whileCompacting = () -> {};
      assertThat(served().serial()).isEqualTo(6);
      assertThat(ZoneFiles.load(zoneFile(), ZONE).serial()).as("the zone file of the compaction's version").isEqualTo(4);
      assertThat(s.diffsSince(ZONE, 2).orElseThrow()).as("2 kept, 2 after the snapshot").hasSize(4);
      compactions.forEach(Runnable::run); // those commits saw the old journal: nothing left to do
      assertThat(ZoneFiles.load(zoneFile(), ZONE).serial()).isEqualTo(4);
      try (var files = Files.list(zoneFile().getParent())) {
        assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains("compacting") || n.endsWith(".tmp"));
      }
      commit(s, add("c5 A 192.0.2.6"));
      assertThat(Files.size(journal)).isPositive();
    }
    try (ZoneStores s = open()) {
      assertThat(served().serial()).isEqualTo(7);
      assertThat(served().recordsAt(org.xbill.DNS.Name.fromConstantString("c4." + ZONE))).hasSize(1);
      assertThat(s.diffsSince(ZONE, 2).orElseThrow()).hasSize(5);
    }
  }

  @Test
  void committingThreadsThatCompactThemselvesRunOneCompactionAtATime() throws IOException {
    // the default executor: each commit that finds a compaction due runs it in its own thread
    config = new ZoneStoreConfig(SerialPolicy.INCREMENT, new JournalConfig(1L << 30, 3, 2));
    registry = new ZoneRegistry();
    try (ZoneStores s = ZoneStores.open(layout, zone -> config, registry, clock)) {
      ZoneStore store = s.store(ZONE).orElseThrow();
      java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
      store.whileCompacting = () -> {
        if (written.incrementAndGet() == 1) {
          // past the limit of the journal not yet compacted: this commit's thread finds a
          // compaction due, and one under way
          java.util.concurrent.CompletableFuture.runAsync(() -> commit(s, add("c3 A 192.0.2.4"))).join();
        }
      };
      for (int i = 0; i < 3; i++) {
        commit(s, add("c" + i + " A 192.0.2." + (i + 1)));
      }
      assertThat(written).as("compactions written").hasValue(1);
      assertThat(served().serial()).isEqualTo(5);
      assertThat(ZoneFiles.load(zoneFile(), ZONE).serial()).isEqualTo(4);
    }
    try (ZoneStores s = open()) {
      assertThat(served().serial()).isEqualTo(5);
    }
  }

  @Test
  void aCompactionOvertakenByAFlushOfTheZoneFileIsDropped() throws IOException {
    try (ZoneStores s = openCompactingAfterThreeCommits()) {
      ZoneStore store = s.store(ZONE).orElseThrow();
      store.whileCompacting = () -> {
        java.util.concurrent.CompletableFuture.runAsync(() -> {
          commit(s, add("c3 A 192.0.2.4"));
          store.flush(); // the zone file at serial 5, newer than the compaction's
        }).join();
      };
      compactions.poll().run();
      assertThat(ZoneFiles.load(zoneFile(), ZONE).serial()).as("not replaced by the older version").isEqualTo(5);
      try (var files = Files.list(zoneFile().getParent())) {
        assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains("compacting") || n.endsWith(".tmp"));
      }
    }
    try (ZoneStores s = open()) {
      assertThat(served().serial()).isEqualTo(5);
    }
  }

  /** Runs the queued compactions, and those they queue (a hand edit taken in is a commit). */
  private void runCompactions() {
    for (int i = 0; i < 10 && !compactions.isEmpty(); i++) {
      compactions.poll().run();
    }
    assertThat(compactions).isEmpty();
  }

  @Test
  void aHandEditMadeWhileServingIsTakenInBeforeACompactionWritesTheZoneFile() throws IOException {
    try (ZoneStores s = openCompactingAfterThreeCommits()) {
      // the file was written at serial 1; serials 2-4 are in the journal only
      Files.writeString(zoneFile(), Files.readString(zoneFile()) + "byhand A 192.0.2.50\n");
      compactions.poll().run();
      assertThat(served().serial()).isEqualTo(5);
      assertThat(served().rrset(name("byhand"), Type.A)).isPresent();
      assertThat(served().rrset(name("c2"), Type.A)).as("the API's changes since the file was written").isPresent();
      ZoneSnapshot file = ZoneFiles.load(zoneFile(), ZONE);
      assertThat(file.serial()).isEqualTo(5);
      assertThat(Diffs.sameContent(file, served())).isTrue();
      assertThat(s.diffsSince(ZONE, 4).orElseThrow().get(0).added()).contains(rr("byhand A 192.0.2.50"));
      assertThat(s.diffsSince(ZONE, 1)).as("the journal compacted").isEmpty();
    }
  }

  @Test
  void aHandEditThatDoesNotLoadIsLeftAsItIsAndTheJournalWaitsForIt() throws IOException {
    try (ZoneStores s = openCompactingAfterThreeCommits()) {
      String broken = Files.readString(zoneFile()) + "bad A not-an-address\n";
      Files.writeString(zoneFile(), broken);
      compactions.poll().run();
      assertThat(Files.readString(zoneFile())).isEqualTo(broken);
      assertThat(served().serial()).isEqualTo(4);
      assertThat(s.diffsSince(ZONE, 1).orElseThrow()).as("not compacted: a reload needs serial 1").hasSize(3);
      commit(s, add("c3 A 192.0.2.4")); // past the limit still: the same file, not read again
      runCompactions();
      assertThat(Files.readString(zoneFile())).isEqualTo(broken);
      // fixed by hand and reloaded: the edit is carried onto serial 5 as a diff from serial 1
      Files.writeString(zoneFile(), broken.replace("not-an-address", "192.0.2.51"));
      CommitResult r = s.reload(ZONE);
      assertThat(r.diff().added()).containsExactly(rr("bad A 192.0.2.51"));
      assertThat(r.diff().removed()).isEmpty();
      assertThat(served().rrset(name("c3"), Type.A)).isPresent();
      runCompactions();
    }
  }

  @Test
  void aHandEditMadeWhileACompactionWritesIsNotOverwritten() throws IOException {
    try (ZoneStores s = openCompactingAfterThreeCommits()) {
      ZoneStore store = s.store(ZONE).orElseThrow();
      String[] edited = new String[1];
      store.whileCompacting = () -> {
        try {
          edited[0] = Files.readString(zoneFile()) + "byhand A 192.0.2.52\n";
          Files.writeString(zoneFile(), edited[0]);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      };
      compactions.poll().run();
      store.whileCompacting = () -> {};
      assertThat(Files.readString(zoneFile())).isEqualTo(edited[0]);
      try (var files = Files.list(zoneFile().getParent())) {
        assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains("compacting") || n.endsWith(".tmp"));
      }
      // the next commit's compaction takes it in
      commit(s, add("c3 A 192.0.2.4"));
      runCompactions();
      assertThat(served().rrset(name("byhand"), Type.A)).isPresent();
      assertThat(served().rrset(name("c3"), Type.A)).isPresent();
      assertThat(ZoneFiles.load(zoneFile(), ZONE).rrset(name("byhand"), Type.A)).isPresent();
    }
  }

  @Test
  void closingTakesInAHandEditAndLeavesOneThatDoesNotLoad() throws IOException {
    try (ZoneStores s = open()) {
      commit(s, add("api A 192.0.2.20"));
      Files.writeString(zoneFile(), Files.readString(zoneFile()) + "byhand A 192.0.2.21\n");
    }
    ZoneSnapshot file = ZoneFiles.load(zoneFile(), ZONE);
    assertThat(file.rrset(name("byhand"), Type.A)).isPresent();
    assertThat(file.rrset(name("api"), Type.A)).isPresent();
    String broken;
    try (ZoneStores s = open()) {
      commit(s, add("api2 A 192.0.2.22"));
      broken = Files.readString(zoneFile()) + "bad A not-an-address\n";
      Files.writeString(zoneFile(), broken);
    }
    assertThat(Files.readString(zoneFile())).isEqualTo(broken);
    try (ZoneStores s = open()) {
      assertThat(served().rrset(name("api2"), Type.A)).as("the journal had it").isPresent();
    }
  }

  @Test
  void withACompactionExecutorTheCommitReturnsFirstAndOneCompactionCoversTheCommitsBeforeIt() throws IOException {
    Path journal = layout.journalFile(ZONE);
    try (ZoneStores s = openCompactingAfterThreeCommits()) {
      // the third diff reached maxDiffs: served and journaled, the compaction only queued
      assertThat(served().serial()).isEqualTo(4);
      assertThat(compactions).hasSize(1);
      assertThat(ZoneFiles.load(zoneFile(), ZONE).serial()).as("zone file not yet written").isEqualTo(1);
      long appended = Files.size(journal);
      commit(s, add("c3 A 192.0.2.4")); // another commit before the compaction ran
      assertThat(Files.size(journal)).isGreaterThan(appended);
      assertThat(compactions).hasSize(2);

      compactions.poll().run(); // compacts at the version served now, serial 5
      assertThat(ZoneFiles.load(zoneFile(), ZONE).serial()).isEqualTo(5);
      assertThat(Files.size(journal)).isLessThan(appended);
      assertThat(s.diffsSince(ZONE, 3).orElseThrow()).hasSize(2);
      long compacted = Files.size(journal);
      compactions.poll().run(); // nothing left to do
      assertThat(Files.size(journal)).isEqualTo(compacted);

      commit(s, add("c4 A 192.0.2.5"));
      commit(s, add("c5 A 192.0.2.6"));
      commit(s, add("c6 A 192.0.2.7"));
      assertThat(compactions).hasSize(1);
    }
    // closed with a compaction still queued: it finds the store closed and does nothing
    compactions.poll().run();
    try (ZoneStores s = open()) {
      assertThat(served().serial()).isEqualTo(8);
    }
  }

  @Test
  void theFirstCommitPastTheAgeLimitCompactsAndWritesTheZoneFile() {
    config =
        new ZoneStoreConfig(
            SerialPolicy.INCREMENT, new JournalConfig(1L << 30, 1000, 10, java.time.Duration.ofMinutes(15)));
    try (ZoneStores s = open()) {
      commit(s, add("a A 192.0.2.1"));
      assertThat(ZoneFiles.load(zoneFile(), ZONE).serial()).as("within the age limit").isEqualTo(1);
      clock.set(clock.instant().plus(java.time.Duration.ofMinutes(16)));
      commit(s, add("b A 192.0.2.2"));
      assertThat(ZoneFiles.load(zoneFile(), ZONE).serial()).as("past the age limit").isEqualTo(3);
      assertThat(s.diffsSince(ZONE, 1).orElseThrow()).hasSize(2);
    }
  }

  @Test
  void theSerialPolicyReadsTheInjectedClock() {
    config = new ZoneStoreConfig(SerialPolicy.DATESERIAL, JournalConfig.defaults());
    try (ZoneStores s = open()) {
      assertThat(commit(s, add("a A 192.0.2.1")).serial()).isEqualTo(2024050600L);
      assertThat(commit(s, add("b A 192.0.2.1")).serial()).isEqualTo(2024050601L);
      clock.set(Instant.parse("2024-05-07T00:00:00Z"));
      assertThat(commit(s, add("c A 192.0.2.1")).serial()).isEqualTo(2024050700L);
    }
  }

  @Test
  void aFailingListenerNeverUndoesTheCommit() {
    try (ZoneStores s = open()) {
      List<Long> second = new ArrayList<>();
      s.addListener((snapshot, diff) -> {
        throw new IllegalStateException("listener broke");
      });
      s.addListener((snapshot, diff) -> second.add(snapshot.serial()));
      assertThat(commit(s, add("a A 192.0.2.1")).serial()).isEqualTo(2);
      assertThat(served().serial()).isEqualTo(2);
      assertThat(second).containsExactly(2L);
    }
  }

  @Test
  void creatingAZoneWritesFileAndJournalAndRefusesOneThatExists() {
    Name other = Name.fromConstantString("other.test.");
    try (ZoneStores s = open()) {
      List<Name> created = new ArrayList<>();
      s.addListener((snapshot, diff) -> created.add(snapshot.origin()));
      s.create(other, parse("other.test. 300 SOA ns1.other.test. h 7 1 1 1 1\nother.test. 300 NS ns1.other.test.\nns1.other.test. 300 A 192.0.2.1\n"));
      assertThat(created).containsExactly(other);
      assertThat(registry.zone(other)).isPresent();
      assertThat(Files.exists(layout.zoneFile(other))).isTrue();
      assertThat(Files.exists(layout.journalFile(other))).isTrue();
      assertThatThrownBy(() -> s.create(other, List.of()))
          .extracting(e -> ((ZoneEditException) e).kind())
          .isEqualTo(ZoneEditException.Kind.ZONE_EXISTS);
      assertThatThrownBy(() -> s.create(name("third.test."), parse("www.elsewhere.test. 300 A 192.0.2.1\n")))
          .extracting(e -> ((ZoneEditException) e).kind())
          .isEqualTo(ZoneEditException.Kind.OUT_OF_ZONE);
      assertThat(s.commit(other, c -> List.of(new ZoneChange.AddRecord(rr("www.other.test. 60 A 192.0.2.5")))).serial()).isEqualTo(8);
    }
    try (ZoneStores s = open()) {
      assertThat(s.zones()).contains(other, ZONE);
      assertThat(registry.zone(other).orElseThrow().serial()).isEqualTo(8);
    }
  }

  @Test
  void deletingAZoneStopsServingItAndRemovesItsFiles() {
    try (ZoneStores s = open()) {
      List<Name> deleted = new ArrayList<>();
      s.addListener(new ZoneCommitListener() {
        @Override
        public void committed(ZoneSnapshot snapshot, ZoneDiff diff) {}

        @Override
        public void deleted(Name zone) {
          deleted.add(zone);
        }
      });
      s.delete(ZONE);
      assertThat(deleted).containsExactly(ZONE);
      assertThat(registry.zone(ZONE)).isEmpty();
      assertThat(Files.exists(zoneFile())).isFalse();
      assertThat(Files.exists(layout.journalFile(ZONE))).isFalse();
      assertThatThrownBy(() -> commit(s, add("a A 192.0.2.1")))
          .extracting(e -> ((ZoneEditException) e).kind())
          .isEqualTo(ZoneEditException.Kind.UNKNOWN_ZONE);
    }
  }

  @Test
  void aBrokenZoneFileIsReportedWhileTheOthersServe() throws IOException {
    Files.writeString(layout.zoneDir().resolve("broken.test.zone"), "$ORIGIN broken.test.\n@ 300 A 192.0.2.1\n");
    try (ZoneStores s = open()) {
      assertThat(s.zones()).containsExactly(ZONE);
      assertThat(s.errors()).hasSize(1);
      assertThat(s.errors().get(0).message()).contains("broken.test.zone");
    }
  }
}
