package io.tierdns.authoritative.store;

import static io.tierdns.authoritative.edit.EditFixtures.BASE;
import static io.tierdns.authoritative.edit.EditFixtures.ZONE;
import static io.tierdns.authoritative.edit.EditFixtures.name;
import static io.tierdns.authoritative.edit.EditFixtures.rr;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.CommitResult;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.EditFixtures.MutableClock;
import io.tierdns.authoritative.edit.ZoneChange;
import io.tierdns.authoritative.edit.ZoneEdit;
import io.tierdns.authoritative.journal.JournalConfig;
import io.tierdns.authoritative.serial.Serial;
import io.tierdns.authoritative.serial.SerialPolicy;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Crashes in-process: disk images taken while a writer commits, and journals cut at every kind of
 * offset after acknowledged commits. Reopening must give exactly an acknowledged version or a
 * later one that was being written, never an earlier one and never half of a change. (A real
 * {@code kill -9} of a process is tested by the node module.)
 */
class ZoneStoreCrashTest {

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2024-05-06T12:00:00Z"));

  private ZoneStores.Layout layout(Path root) {
    return new ZoneStores.Layout(root.resolve("zones"), root.resolve("journal"));
  }

  private ZoneStores open(Path root, ZoneStoreConfig config, ZoneRegistry registry) {
    return ZoneStores.open(layout(root), config, registry, clock);
  }

  private void seed(Path root) throws IOException {
    Files.createDirectories(layout(root).zoneDir());
    Files.writeString(layout(root).zoneDir().resolve("example.test.zone"), "$ORIGIN example.test.\n" + BASE.replace(" 1 7200", " 4294967290 7200"));
  }

  /** Change i: two records that must appear together, and a TXT RRset that churns. */
  private static ZoneEdit change(int i) {
    return current -> List.of(
        new ZoneChange.AddRecord(rr("p" + i + " A 192.0.2." + (i % 250 + 1))),
        new ZoneChange.AddRecord(rr("p" + i + " TXT \"pair " + i + "\"")),
        new ZoneChange.ReplaceRRset(name("churn"), Type.TXT, List.of(rr("churn TXT \"" + i + "\""))));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static void assertIsVersion(ZoneSnapshot recovered, Map<Long, ZoneSnapshot> versions, long ackedBefore) {
    assertThat(Serial.isAtLeast(recovered.serial(), ackedBefore))
        .as("recovered serial %d is older than acknowledged %d", recovered.serial(), ackedBefore)
        .isTrue();
    ZoneSnapshot expected = versions.get(recovered.serial());
    assertThat(expected).as("serial %d was never committed", recovered.serial()).isNotNull();
    assertThat(Diffs.sameContent(recovered, expected)).as("content at serial %d", recovered.serial()).isTrue();
  }

  @Test
  void diskImagesTakenDuringAStreamOfCommitsRecoverAnAcknowledgedVersionOrLater() throws Exception {
    Path live = dir.resolve("live");
    seed(live);
    // No compaction during the run: the zone file stays put and the journal only grows, so a
    // copy is a prefix of the journal, as a crash leaves it (torn last entry included).
    ZoneStoreConfig config = new ZoneStoreConfig(SerialPolicy.INCREMENT, JournalConfig.defaults());
    ZoneStores store = open(live, config, new ZoneRegistry());
    Map<Long, ZoneSnapshot> versions = new ConcurrentHashMap<>();
    versions.put(store.store(ZONE).orElseThrow().current().serial(), store.store(ZONE).orElseThrow().current());
    long[] acked = {store.store(ZONE).orElseThrow().current().serial()};
    int commits = 300;
    Thread writer = new Thread(() -> {
      for (int i = 0; i < commits; i++) {
        CommitResult r = store.commit(ZONE, change(i));
        versions.put(r.serial(), r.snapshot());
        synchronized (acked) {
          acked[0] = r.serial();
        }
      }
    });
    writer.start();
    List<Path> images = new ArrayList<>();
    List<Long> ackedAtImage = new ArrayList<>();
    Random random = new Random(42);
    while (writer.isAlive() && images.size() < 20) {
      Thread.sleep(random.nextInt(5));
      long before;
      synchronized (acked) {
        before = acked[0];
      }
      Path image = dir.resolve("image" + images.size());
      copyTree(live, image);
      images.add(image);
      ackedAtImage.add(before);
    }
    writer.join();
    // the live store is abandoned: never closed, never flushed
    assertThat(images).isNotEmpty();
    for (int k = 0; k < images.size(); k++) {
      ZoneRegistry registry = new ZoneRegistry();
      try (ZoneStores reopened = open(images.get(k), config, registry)) {
        assertIsVersion(registry.zone(ZONE).orElseThrow(), versions, ackedAtImage.get(k));
      }
    }
    ZoneRegistry registry = new ZoneRegistry();
    try (ZoneStores reopened = open(live, config, registry)) {
      assertThat(registry.zone(ZONE).orElseThrow().serial()).isEqualTo(acked[0]);
    }
  }

  @Test
  void aJournalCutAnywhereInTheLastAppendRecoversThePreviousAcknowledgedVersion() throws IOException {
    Path live = dir.resolve("live");
    seed(live);
    // Small limits: compactions happen in between, and the chain wraps past 2^32-1.
    ZoneStoreConfig config = new ZoneStoreConfig(SerialPolicy.INCREMENT, new JournalConfig(1L << 30, 7, 3));
    Path journal = layout(live).journalFile(ZONE);
    Random random = new Random(7);
    Map<Long, ZoneSnapshot> versions = new ConcurrentHashMap<>();
    int checked = 0;
    try (ZoneStores store = open(live, config, new ZoneRegistry())) {
      ZoneSnapshot previous = store.store(ZONE).orElseThrow().current();
      for (int i = 0; i < 40; i++) {
        long sizeBefore = Files.size(journal);
        CommitResult r = store.commit(ZONE, change(i));
        versions.put(r.serial(), r.snapshot());
        long sizeAfter = Files.size(journal);
        if (sizeAfter <= sizeBefore) {
          previous = r.snapshot(); // compacted: the file was rewritten, not appended to
          continue;
        }
        for (int k = 0; k < 3; k++) {
          long cut = sizeBefore + (long) random.nextInt((int) (sizeAfter - sizeBefore));
          Path image = dir.resolve("cut" + i + "-" + k);
          copyTree(live, image);
          try (FileChannel ch = FileChannel.open(layout(image).journalFile(ZONE), StandardOpenOption.WRITE)) {
            ch.truncate(cut);
          }
          ZoneRegistry registry = new ZoneRegistry();
          try (ZoneStores reopened = open(image, config, registry)) {
            ZoneSnapshot recovered = registry.zone(ZONE).orElseThrow();
            assertThat(recovered.serial()).as("cut at %d of [%d, %d)", cut, sizeBefore, sizeAfter).isEqualTo(previous.serial());
            assertThat(Diffs.sameContent(recovered, previous)).isTrue();
          }
          checked++;
        }
        previous = r.snapshot();
      }
      assertThat(previous.serial()).isLessThan(100); // wrapped around from 4294967290
    }
    assertThat(checked).isGreaterThan(60);
  }
}
