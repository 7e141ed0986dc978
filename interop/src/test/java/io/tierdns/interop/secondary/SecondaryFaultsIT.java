package io.tierdns.interop.secondary;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.Await;
import io.tierdns.interop.support.AxfrDump;
import io.tierdns.interop.support.BigZoneWriter;
import io.tierdns.interop.support.Dig;
import io.tierdns.interop.support.DumpPeerLogsOnFailure;
import io.tierdns.interop.support.KnotPrimary;
import io.tierdns.interop.support.Notify;
import io.tierdns.interop.support.PeerProcess;
import io.tierdns.interop.support.ScriptedPrimary;
import io.tierdns.interop.support.ServingWatch;
import io.tierdns.interop.support.TierdnsSecondary;
import io.tierdns.interop.support.TsigKey;
import io.tierdns.interop.support.ZoneContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code interop/secondary/faults}: the packaged tierdns secondary as a real process against a
 * primary that misbehaves — Knot DNS killed in the middle of a 200,000-record transfer, a
 * scripted primary answering REFUSED then SERVFAIL to IXFR, the same primary cutting an AXFR
 * stream off halfway, a TSIG secret that does not match Knot's, and Knot restarted from a
 * backup with a lower serial. In every case a {@link ServingWatch} polls the secondary all along
 * the fault: it must answer the last good version (its serial and the probe TXT naming that
 * version) and never SERVFAIL, REFUSED or time out; once the fault is gone the secondary must
 * converge: same serial and the same AXFR content as the primary.
 */
@ExtendWith(DumpPeerLogsOnFailure.class)
class SecondaryFaultsIT {

  private static final String ZONE = "faults.test.";

  private final List<AutoCloseable> started = new ArrayList<>();
  private Path work;

  @BeforeEach
  void workDirectory() throws Exception {
    work = Files.createTempDirectory("tierdns-interop-secondary-faults-");
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
    deleteTree(work);
  }

  /** Deletes a work directory (zone files, AXFR dumps) unless {@code tierdns.interop.keep} is set. */
  static void deleteTree(Path root) throws java.io.IOException {
    if (root == null || Boolean.getBoolean("tierdns.interop.keep") || !Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private <T extends AutoCloseable> T started(T thing) {
    started.add(thing);
    return thing;
  }

  private Path zone(String name, long serial, int records, String version) throws Exception {
    return BigZoneWriter.write(work.resolve(name), ZONE, serial, records, version);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void primaryKilledDuringAxfrLeavesOldZoneServingAndRestartedPrimaryIsCaughtUp() throws Exception {
    KnotPrimary knot = started(new KnotPrimary(ZONE, zone("v1.zone", 1, 300, "v1"), null));
    knot.start();
    TierdnsSecondary secondary = started(new TierdnsSecondary(ZONE).primary(knot.port(), null));
    secondary.start();
    Await.serial(secondary, ZONE, 1, Duration.ofSeconds(15));

    knot.replaceZoneFile(zone("v2.zone", 2, 200_000, "v2"));
    knot.reload();
    Await.serial(knot, ZONE, 2, Duration.ofSeconds(30));
    int logMark = secondary.fullLog().length();
    ServingWatch watch = started(ServingWatch.start(secondary.port(), ZONE));
    long notified = System.nanoTime();
    assertThat(Notify.send(secondary.port(), ZONE, 2)).isEqualTo("NOERROR");
    // kill Knot once the secondary says the transfer is streaming (progress every 100,000
    // records), or 1.5 s after NOTIFY when the progress line does not come in time
    boolean sawProgress = false;
    while (System.nanoTime() - notified < TimeUnit.MILLISECONDS.toNanos(1500)) {
      if (since(secondary, logMark).contains("records so far")) {
        sawProgress = true;
        break;
      }
      Await.pause(5);
    }
    knot.killForcibly();
    long killedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - notified);
    System.out.printf("knotd killed %d ms after NOTIFY (progress line seen: %s)%n", killedAfter, sawProgress);
    assertThat(since(secondary, logMark)).as("the transfer must not have finished before the kill")
        .doesNotContain("applied: serial 1 -> 2");

    Await.until(Duration.ofSeconds(20), () -> "a failed refresh in\n" + since(secondary, logMark),
        () -> since(secondary, logMark).contains("refresh failed"));
    Await.pause(2000); // some retries against the dead primary
    assertServes(secondary, 1, "v1");

    knot.start();
    Duration caughtUp = Await.serial(secondary, ZONE, 2, Duration.ofSeconds(60));
    System.out.printf("secondary at serial 2 %d ms after knotd answered again%n", caughtUp.toMillis());
    watch.close();
    assertWatchSawOnly(watch, "serial 1, probe v1", "serial 2, probe v2");
    AxfrDump theirs = AxfrDump.of("knot", knot.port(), ZONE, null, work.resolve("knot.axfr"), 60);
    AxfrDump ours = AxfrDump.of("tierdns-secondary", secondary.port(), ZONE, null, work.resolve("tierdns.axfr"), 60);
    assertThat(theirs.serial()).isEqualTo(2);
    assertThat(ours.serial()).isEqualTo(2);
    assertThat(ours.records()).hasSize(200_000);
    assertThat(ours.differencesFrom(theirs)).as("zone diff secondary vs knot").isEmpty();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theAuditFindsAPrimaryRestoredAtTheSameSerialWithOtherContentAndRepairsByAxfr() throws Exception {
    ScriptedPrimary primary = started(ScriptedPrimary.start(ZONE, zone("v1.zone", 10, 300, "v1")));
    TierdnsSecondary secondary = started(new TierdnsSecondary(ZONE).primary(primary.port(), null).audit("2s"));
    secondary.start();
    Await.serial(secondary, ZONE, 10, Duration.ofSeconds(15));
    assertServes(secondary, 10, "v1");
    int logMark = secondary.fullLog().length();
    // the primary is restored from a backup: same serial, other content; serials alone miss it
    primary.load(zone("restored.zone", 10, 300, "restored"));
    Await.until(Duration.ofSeconds(30), () -> "the audit's repair in\n" + since(secondary, logMark), () -> {
      Dig.Result probe = Dig.dig(secondary.port()).run("+norec", "+short", "+time=1", "+tries=1", "probe." + ZONE, "TXT");
      return probe.output().trim().equals("\"restored\"");
    });
    assertServes(secondary, 10, "restored");
    System.out.println("audit log: " + since(secondary, logMark).lines().filter(l -> l.toLowerCase().contains("audit") || l.contains("ZONEMD")).toList());
    AxfrDump theirs = AxfrDump.of("scripted", primary.port(), ZONE, null, work.resolve("primary.axfr"), 60);
    AxfrDump ours = AxfrDump.of("tierdns-secondary", secondary.port(), ZONE, null, work.resolve("tierdns.axfr"), 60);
    assertThat(ours.serial()).isEqualTo(10);
    assertThat(ours.differencesFrom(theirs)).as("zone diff secondary vs restored primary").isEmpty();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void ixfrAnsweredRefusedThenServfailFallsBackToAxfrFromTheSamePrimary() throws Exception {
    ScriptedPrimary primary = started(ScriptedPrimary.start(ZONE, zone("v1.zone", 10, 300, "v1")));
    TierdnsSecondary secondary = started(new TierdnsSecondary(ZONE).primary(primary.port(), null));
    secondary.start();
    Await.serial(secondary, ZONE, 10, Duration.ofSeconds(15));
    ServingWatch watch = started(ServingWatch.start(secondary.port(), ZONE));

    primary.ixfr(ScriptedPrimary.IxfrMode.REFUSED);
    primary.load(zone("v2.zone", 11, 320, "v2"));
    Notify.send(secondary.port(), ZONE, 11);
    Await.serial(secondary, ZONE, 11, Duration.ofSeconds(15));
    assertThat(primary.served("IXFR REFUSED")).as("IXFR REFUSED answers: %s", primary).isGreaterThanOrEqualTo(1);
    assertThat(primary.served("AXFR WHOLE")).as("AXFRs: %s", primary).isEqualTo(2);

    primary.ixfr(ScriptedPrimary.IxfrMode.SERVFAIL);
    primary.load(zone("v3.zone", 12, 340, "v3"));
    Notify.send(secondary.port(), ZONE, 12);
    Await.serial(secondary, ZONE, 12, Duration.ofSeconds(15));
    assertThat(primary.served("IXFR SERVFAIL")).as("IXFR SERVFAIL answers: %s", primary).isGreaterThanOrEqualTo(1);
    assertThat(primary.served("AXFR WHOLE")).as("AXFRs: %s", primary).isEqualTo(3);
    watch.close();

    String log = secondary.fullLog();
    assertThat(log).contains("IXFR from").contains("REFUSED").contains("SERVFAIL")
        .contains("AXFR from 127.0.0.1@" + primary.port()).contains("applied: serial 11 -> 12");
    assertWatchSawOnly(watch, "serial 10, probe v1", "serial 11, probe v2", "serial 12, probe v3");
    assertSameZone(primary.port(), null, secondary, 12);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void axfrCutOffHalfwayIsDiscardedAndTheWholeStreamLaterApplies() throws Exception {
    ScriptedPrimary primary = started(ScriptedPrimary.start(ZONE, zone("v1.zone", 20, 300, "v1")));
    TierdnsSecondary secondary = started(new TierdnsSecondary(ZONE).primary(primary.port(), null));
    secondary.start();
    Await.serial(secondary, ZONE, 20, Duration.ofSeconds(15));
    ServingWatch watch = started(ServingWatch.start(secondary.port(), ZONE));

    primary.ixfr(ScriptedPrimary.IxfrMode.REFUSED);
    primary.axfr(ScriptedPrimary.AxfrMode.TRUNCATED);
    primary.load(zone("v2.zone", 21, 1000, "v2"));
    Notify.send(secondary.port(), ZONE, 21);
    Await.until(Duration.ofSeconds(20), primary::toString, () -> primary.served("AXFR TRUNCATED") >= 3);
    assertServes(secondary, 20, "v1");

    primary.axfr(ScriptedPrimary.AxfrMode.WHOLE);
    Duration took = Await.serial(secondary, ZONE, 21, Duration.ofSeconds(20));
    System.out.printf("whole AXFR applied %d ms after the primary stopped cutting it off (%s)%n", took.toMillis(), primary);
    watch.close();
    assertWatchSawOnly(watch, "serial 20, probe v1", "serial 21, probe v2");
    assertSameZone(primary.port(), null, secondary, 21);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void tsigSecretMismatchKeepsTheJournaledZoneServingUntilTheKeyIsFixed() throws Exception {
    TsigKey key = TsigKey.generate("xfr-key");
    KnotPrimary knot = started(new KnotPrimary(ZONE, zone("v1.zone", 100, 300, "v1"), key));
    knot.start();
    TierdnsSecondary secondary = started(new TierdnsSecondary(ZONE).primary(knot.port(), key));
    secondary.start();
    Await.serial(secondary, ZONE, 100, Duration.ofSeconds(15));

    secondary.killForcibly();
    knot.replaceZoneFile(zone("v2.zone", 101, 320, "v2"));
    knot.reload();
    Await.serial(knot, ZONE, 101, Duration.ofSeconds(15));
    int logMark = secondary.fullLog().length();
    secondary.key(key.withWrongSecret()).start();
    ServingWatch watch = ServingWatch.start(secondary.port(), ZONE);
    Await.until(Duration.ofSeconds(20), () -> "two failed refreshes in\n" + since(secondary, logMark),
        () -> count(since(secondary, logMark), "refresh failed") >= 2);
    assertServes(secondary, 100, "v1");
    watch.close();
    assertWatchSawOnly(watch, "serial 100, probe v1");
    System.out.println("with the wrong secret: " + since(secondary, logMark).lines()
        .filter(l -> l.contains("failed")).findFirst().orElse("(no failure line)"));
    assertThat(since(secondary, logMark)).as("the secondary says why").contains("NOTAUTH");

    secondary.killForcibly();
    secondary.key(key).start();
    Await.serial(secondary, ZONE, 101, Duration.ofSeconds(20));
    assertSameZone(knot.port(), key, secondary, 101);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void primaryRestoredWithALowerSerialDoesNotRollTheSecondaryBack() throws Exception {
    KnotPrimary knot = started(new KnotPrimary(ZONE, zone("v1.zone", 200, 300, "v1"), null));
    knot.start();
    TierdnsSecondary secondary = started(new TierdnsSecondary(ZONE).primary(knot.port(), null));
    secondary.start();
    Await.serial(secondary, ZONE, 200, Duration.ofSeconds(15));
    ServingWatch watch = started(ServingWatch.start(secondary.port(), ZONE));

    int logMark = secondary.fullLog().length();
    knot.killForcibly();
    knot.replaceZoneFile(zone("restored.zone", 150, 280, "restored"));
    knot.start();
    Await.serial(knot, ZONE, 150, Duration.ofSeconds(15));
    Notify.send(secondary.port(), ZONE, 150);
    Await.until(Duration.ofSeconds(15), () -> "the older serial noticed in\n" + since(secondary, logMark),
        () -> since(secondary, logMark).contains("primary's serial 150 is older than ours 200"));
    Await.pause(1500);
    assertServes(secondary, 200, "v1");

    knot.replaceZoneFile(zone("v2.zone", 201, 310, "v2"));
    knot.reload();
    Await.serial(knot, ZONE, 201, Duration.ofSeconds(15));
    Notify.send(secondary.port(), ZONE, 201);
    Await.serial(secondary, ZONE, 201, Duration.ofSeconds(15));
    watch.close();
    assertWatchSawOnly(watch, "serial 200, probe v1", "serial 201, probe v2");
    assertSameZone(knot.port(), null, secondary, 201);
  }

  /** The secondary answers {@code serial} and the probe TXT {@code version}, checked with the real dig. */
  private static void assertServes(TierdnsSecondary secondary, long serial, String version) {
    Dig.Result soa = Dig.dig(secondary.port()).run("+norec", "+time=2", "+tries=1", ZONE, "SOA");
    assertThat(soa.status()).as("%s", soa).isEqualTo("NOERROR");
    assertThat(Await.soaSerial(secondary.port(), ZONE)).hasValue(serial);
    Dig.Result probe = Dig.dig(secondary.port()).run("+norec", "+short", "+time=2", "+tries=1", "probe." + ZONE, "TXT");
    assertThat(probe.output().trim()).as("%s", probe).isEqualTo("\"" + version + "\"");
  }

  private static void assertWatchSawOnly(ServingWatch watch, String... allowed) {
    assertThat(watch.problems()).as("non-answers while the fault ran: %s", watch).isEmpty();
    // The watch drops polls that straddle a version swap; any pairing of an allowed serial and
    // probe is still accepted, as before the watch did that.
    java.util.Set<String> serials = new java.util.HashSet<>();
    java.util.Set<String> probes = new java.util.HashSet<>();
    for (String a : allowed) {
      serials.add(a.substring(0, a.indexOf(',')));
      probes.add(a.substring(a.indexOf(',') + 2));
    }
    for (String seen : watch.seen().keySet()) {
      int comma = seen.indexOf(',');
      assertThat(comma).as("what the secondary answered: %s", watch).isPositive();
      assertThat(serials).as("what the secondary answered: %s", watch).contains(seen.substring(0, comma));
      assertThat(probes).as("what the secondary answered: %s", watch).contains(seen.substring(comma + 2));
    }
    System.out.println("serving watch: " + watch);
  }

  private static void assertSameZone(int primaryPort, TsigKey key, PeerProcess secondary, long serial) {
    ZoneContent theirs = ZoneContent.axfr("primary", primaryPort, ZONE, key);
    ZoneContent ours = ZoneContent.axfr("tierdns-secondary", secondary.port(), ZONE, null);
    assertThat(theirs.serial()).as("primary serial").isEqualTo(serial);
    assertThat(ours.serial()).as("secondary serial").isEqualTo(serial);
    assertThat(ours.differencesFrom(theirs)).as("zone diff secondary vs primary").isEmpty();
  }

  private static String since(PeerProcess peer, int mark) {
    String log = peer.fullLog();
    return log.length() <= mark ? "" : log.substring(mark);
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}
