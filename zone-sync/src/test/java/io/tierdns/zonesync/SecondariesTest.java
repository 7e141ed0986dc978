package io.tierdns.zonesync;

import static io.tierdns.zonesync.Zones.ZONE;
import static io.tierdns.zonesync.Zones.zone;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.journal.JournalConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zones added to and removed from a running {@link Secondaries} (what {@code up} does live). */
class SecondariesTest {

  @TempDir Path dir;
  final FakeScheduler clock = new FakeScheduler();
  final FakePrimaries primaries = new FakePrimaries();
  final ZoneRegistry registry = new ZoneRegistry();
  Secondaries secondaries;

  @AfterEach
  void close() {
    if (secondaries != null) {
      secondaries.close();
    }
  }

  long served() {
    return registry.zone(ZONE).map(ZoneSnapshot::serial).orElse(-1L);
  }

  @Test
  void aZoneAddedWhileRunningIsTransferredJournalledAndServedLikeAConfiguredOne() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    secondaries = Secondaries.open(List.of(), dir, JournalConfig.defaults(), registry, primaries, clock,
        Runnable::run, List.of(), null, () -> 0.0);
    secondaries.start();

    assertThat(secondaries.add(SecondaryZoneConfig.of(ZONE, List.of(p.primary)))).isTrue();
    clock.runDue();

    assertThat(served()).isEqualTo(100);
    assertThat(secondaries.configs()).extracting(SecondaryZoneConfig::zone).containsExactly(ZONE);
    assertThat(secondaries.find(ZONE)).isNotNull();
    assertThat(Secondaries.journalFile(dir, ZONE)).exists();
    assertThat(secondaries.add(SecondaryZoneConfig.of(ZONE, List.of(p.primary)))).isFalse();
  }

  @Test
  void aZoneRemovedIsNoLongerServedAndItsJournalIsGoneSoARestartDoesNotServeIt() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    SecondaryZoneConfig config = SecondaryZoneConfig.of(ZONE, List.of(p.primary));
    secondaries = Secondaries.open(List.of(config), dir, JournalConfig.defaults(), registry, primaries, clock,
        Runnable::run, List.of(), null, () -> 0.0);
    secondaries.start();
    clock.runDue();
    assertThat(served()).isEqualTo(100);

    assertThat(secondaries.remove(ZONE)).isTrue();

    assertThat(served()).isEqualTo(-1);
    assertThat(secondaries.find(ZONE)).isNull();
    assertThat(secondaries.follower(ZONE)).isEmpty();
    assertThat(Secondaries.journalFile(dir, ZONE)).doesNotExist();
    assertThat(secondaries.remove(ZONE)).isFalse();
    clock.runDue(); // the removed zone's timers do nothing
    assertThat(served()).isEqualTo(-1);
  }
}
