package io.tierdns.authoritative.journal;

import static io.tierdns.authoritative.edit.EditFixtures.ZONE;
import static io.tierdns.authoritative.edit.EditFixtures.base;
import static io.tierdns.authoritative.edit.EditFixtures.rr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.EditFixtures;
import io.tierdns.authoritative.edit.ZoneChange;
import io.tierdns.authoritative.edit.ZoneChanges;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.serial.Serial;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

  private static final JournalConfig BIG = new JournalConfig(1L << 30, 100_000, 100);

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("example.test.journal");
  }

  /** Appends {@code n} changes after {@code start}; returns every version, start first. */
  private static List<ZoneSnapshot> commit(Journal j, ZoneSnapshot start, int n) {
    List<ZoneSnapshot> versions = new ArrayList<>(List.of(start));
    ZoneSnapshot cur = start;
    for (int i = 0; i < n; i++) {
      long serial = Serial.add(cur.serial(), 1);
      ZoneSnapshot next = ZoneChanges.apply(cur, List.of(new ZoneChange.AddRecord(rr("h" + serial + " A 192.0.2." + (i % 250 + 1)))), serial);
      j.append(Diffs.between(cur, next));
      versions.add(next);
      cur = next;
    }
    return versions;
  }

  @Test
  void appendedDiffsSurviveReopening() {
    List<ZoneSnapshot> versions;
    try (Journal j = Journal.create(file(), base(1), null, BIG)) {
      versions = commit(j, base(1), 5);
    }
    Journal.Recovery r = Journal.open(file(), ZONE, BIG);
    try (Journal j = r.journal()) {
      assertThat(r.truncatedBytes()).isZero();
      assertThat(Diffs.sameContent(r.state(), versions.get(5))).isTrue();
      assertThat(j.serial()).isEqualTo(6);
      assertThat(j.diffsSince(1).orElseThrow()).hasSize(5);
    }
  }

  /** The snapshot entry is written in pieces, its header last; it reads back whole. */
  @Test
  void aSnapshotOfManySlicesSurvivesReopeningAndCompaction() throws IOException {
    StringBuilder text = new StringBuilder(EditFixtures.BASE);
    for (int i = 0; i < 20_000; i++) {
      text.append("bulk-").append(i).append(" 300 IN TXT \"a string of some length to fill the entry ").append(i).append("\"\n");
    }
    ZoneSnapshot big = EditFixtures.zone(text.toString());
    List<ZoneSnapshot> versions;
    try (Journal j = Journal.create(file(), big, null, BIG)) {
      versions = commit(j, big, 2);
      j.compact(versions.get(2), null);
    }
    assertThat(Files.size(file())).isGreaterThan(3L * FileIo.SLICE);
    Journal.Recovery r = Journal.open(file(), ZONE, BIG);
    try (Journal j = r.journal()) {
      assertThat(r.truncatedBytes()).isZero();
      assertThat(Diffs.sameContent(r.state(), versions.get(2))).isTrue();
      assertThat(r.state().size()).isEqualTo(big.size() + 2);
      // the apex's records, one after the other in the snapshot, read back with one owner name
      assertThat(r.state().records().get(1).getName()).isSameAs(r.state().records().get(0).getName());
    }
  }

  @Test
  void diffsSinceGivesTheChainEmptyWhenCurrentAndNothingWhenItDoesNotReachBack() {
    try (Journal j = Journal.create(file(), base(10), null, BIG)) {
      commit(j, base(10), 3);
      assertThat(j.diffsSince(11).orElseThrow()).extracting(ZoneDiff::fromSerial).containsExactly(11L, 12L);
      assertThat(j.diffsSince(13).orElseThrow()).isEmpty();
      assertThat(j.diffsSince(9)).isEmpty();
      assertThat(j.diffsBetween(10, 12).orElseThrow()).hasSize(2);
    }
  }

  @Test
  void aTornLastEntryAtEveryByteOffsetRecoversThePreviousAcknowledgedState() throws IOException {
    List<ZoneSnapshot> versions;
    long acknowledged;
    try (Journal j = Journal.create(file(), base(1), null, BIG)) {
      versions = commit(j, base(1), 2);
      acknowledged = j.size();
      commit(j, versions.get(2), 1);
    }
    byte[] full = Files.readAllBytes(file());
    for (long cut = acknowledged; cut < full.length; cut++) {
      Path copy = dir.resolve("cut.journal");
      Files.write(copy, java.util.Arrays.copyOf(full, (int) cut));
      Journal.Recovery r = Journal.open(copy, ZONE, BIG);
      try (Journal j = r.journal()) {
        assertThat(r.state().serial()).as("cut at %d", cut).isEqualTo(3);
        assertThat(Diffs.sameContent(r.state(), versions.get(2))).isTrue();
        assertThat(Files.size(copy)).isEqualTo(acknowledged);
        // The journal takes appends again after the cut.
        commit(j, r.state(), 1);
      }
      assertThat(Journal.open(copy, ZONE, BIG).state().serial()).isEqualTo(4);
    }
    assertThat(Journal.open(file(), ZONE, BIG).state().serial()).isEqualTo(4);
  }

  @Test
  void aBadCrcInTheMiddleStopsThereAndKeepsACopyOfTheOriginal() throws IOException {
    long second;
    try (Journal j = Journal.create(file(), base(1), null, BIG)) {
      commit(j, base(1), 1);
      second = j.size();
      commit(j, ZoneChanges.apply(base(1), List.of(new ZoneChange.AddRecord(rr("h2 A 192.0.2.1"))), 2), 3);
    }
    try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {0x55}), second + 20); // inside the 2nd diff's payload
    }
    Journal.Recovery r = Journal.open(file(), ZONE, BIG);
    r.journal().close();
    assertThat(r.state().serial()).isEqualTo(2);
    assertThat(r.truncatedBytes()).isPositive();
    assertThat(Files.exists(dir.resolve("example.test.journal.corrupt"))).isTrue();
  }

  @Test
  void compactionKeepsRecentDiffsForIxfrAndTheCurrentState() {
    JournalConfig small = new JournalConfig(1L << 30, 10, 4);
    ZoneSnapshot cur;
    try (Journal j = Journal.create(file(), base(1), null, small)) {
      List<ZoneSnapshot> versions = commit(j, base(1), 10);
      cur = versions.get(10);
      assertThat(j.needsCompaction()).isTrue();
      long before = j.size();
      j.compact(cur, new FlushMark(cur.serial(), "00ff"));
      assertThat(j.size()).isLessThan(before);
      assertThat(j.needsCompaction()).isFalse();
      assertThat(j.diffsSince(7).orElseThrow()).hasSize(4);
      assertThat(j.diffsSince(6)).isEmpty();
      commit(j, cur, 1);
    }
    Journal.Recovery r = Journal.open(file(), ZONE, small);
    try (Journal j = r.journal()) {
      assertThat(r.state().serial()).isEqualTo(12);
      assertThat(j.diffsSince(7).orElseThrow()).hasSize(5);
      assertThat(j.lastFlush()).contains(new FlushMark(11, "00ff"));
    }
  }

  @Test
  void aCompactionWrittenWhileDiffsAreAppendedCarriesThemIntoTheCompactedFile() throws IOException {
    JournalConfig small = new JournalConfig(1L << 30, 10, 4);
    ZoneSnapshot last;
    try (Journal j = Journal.create(file(), base(1), null, small)) {
      List<ZoneSnapshot> versions = commit(j, base(1), 10);
      Journal.Compaction c = j.beginCompaction(versions.get(10)); // at serial 11
      c.write(new FlushMark(11, "00ff"));
      // appended to the old file while the compacted one waits beside it
      List<ZoneSnapshot> more = commit(j, versions.get(10), 3);
      last = more.get(3);
      assertThat(j.serial()).isEqualTo(14);
      assertThat(j.finishCompaction(c)).isTrue();
      assertThat(j.serial()).isEqualTo(14);
      assertThat(j.needsCompaction()).isFalse();
      assertThat(j.diffsSince(7).orElseThrow()).as("4 kept, 3 after the snapshot").hasSize(7);
      assertThat(j.diffsSince(6)).isEmpty();
      assertThat(j.lastFlush()).contains(new FlushMark(11, "00ff"));
      last = commit(j, last, 1).get(1); // appends go on in the compacted file
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left").containsExactly(file().getFileName().toString());
    }
    Journal.Recovery r = Journal.open(file(), ZONE, small);
    try (Journal j = r.journal()) {
      assertThat(r.state().serial()).isEqualTo(15);
      assertThat(Diffs.sameContent(r.state(), last)).isTrue();
      assertThat(j.diffsSince(7).orElseThrow()).hasSize(8);
      assertThat(j.lastFlush()).contains(new FlushMark(11, "00ff"));
    }
  }

  @Test
  void openingRemovesTheTemporaryFileOfACompactionThatDidNotFinish() throws IOException {
    try (Journal j = Journal.create(file(), base(1), null, BIG)) {
      List<ZoneSnapshot> versions = commit(j, base(1), 2);
      j.beginCompaction(versions.get(2)).write(null); // the process stops before finishing it
    }
    Path other = Files.writeString(dir.resolve(".other.journal.tmp"), "not ours");
    try (var files = Files.list(dir)) {
      assertThat(files.count()).isEqualTo(3);
    }
    Journal.Recovery r = Journal.open(file(), ZONE, BIG);
    try (Journal j = r.journal()) {
      assertThat(r.state().serial()).isEqualTo(3);
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder(file().getFileName().toString(), other.getFileName().toString());
    }
  }

  @Test
  void aCompactionOvertakenByAFlushMarkOrAnotherCompactionIsDiscarded() throws IOException {
    JournalConfig small = new JournalConfig(1L << 30, 10, 4);
    try (Journal j = Journal.create(file(), base(1), null, small)) {
      List<ZoneSnapshot> versions = commit(j, base(1), 10);
      Journal.Compaction c = j.beginCompaction(versions.get(10));
      c.write(new FlushMark(11, "00ff"));
      j.markFlushed(new FlushMark(11, "11ee")); // the zone file was written again meanwhile
      long size = j.size();
      assertThat(j.finishCompaction(c)).isFalse();
      assertThat(j.size()).isEqualTo(size);
      assertThat(j.lastFlush()).contains(new FlushMark(11, "11ee"));

      Journal.Compaction first = j.beginCompaction(versions.get(10));
      Journal.Compaction second = j.beginCompaction(versions.get(10));
      first.write(null);
      second.write(null);
      assertThat(j.finishCompaction(second)).isTrue();
      assertThat(j.finishCompaction(first)).as("begun before the other finished").isFalse();
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly(file().getFileName().toString());
    }
  }

  @Test
  void theChainRunsAcrossSerialWrapAround() {
    long start = 0xFFFF_FFFEL;
    try (Journal j = Journal.create(file(), base(start), null, BIG)) {
      commit(j, base(start), 3);
    }
    Journal.Recovery r = Journal.open(file(), ZONE, BIG);
    try (Journal j = r.journal()) {
      assertThat(r.state().serial()).isEqualTo(1);
      assertThat(j.diffsSince(start).orElseThrow()).extracting(ZoneDiff::toSerial).containsExactly(0xFFFF_FFFFL, 0L, 1L);
      assertThat(j.diffsSince(0).orElseThrow()).hasSize(1);
    }
  }

  @Test
  void aDiffThatDoesNotFollowTheLastSerialIsRefused() {
    try (Journal j = Journal.create(file(), base(1), null, BIG)) {
      ZoneSnapshot v5 = base(5);
      ZoneSnapshot v6 = ZoneChanges.apply(v5, List.of(new ZoneChange.AddRecord(rr("x A 192.0.2.1"))), 6);
      assertThatThrownBy(() -> j.append(Diffs.between(v5, v6))).isInstanceOf(IllegalStateException.class);
      assertThat(j.serial()).isEqualTo(1);
    }
  }

  @Test
  void aFileThatIsNotAJournalIsRefused() throws IOException {
    Files.writeString(file(), "$ORIGIN example.test.\n");
    assertThatThrownBy(() -> Journal.open(file(), ZONE, BIG)).isInstanceOf(JournalException.class).hasMessageContaining("not a tierdns journal");
  }
}
