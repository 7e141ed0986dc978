package io.tierdns.zonesync;

import static io.tierdns.zonesync.Zones.ZONE;
import static io.tierdns.zonesync.Zones.zone;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.edit.ZoneCommitListener;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.journal.JournalConfig;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneFollowerTest {

  @TempDir Path dir;
  final FakeScheduler clock = new FakeScheduler();
  final FakePrimaries primaries = new FakePrimaries();
  final ZoneRegistry registry = new ZoneRegistry();
  final List<String> committed = new ArrayList<>();
  Secondaries secondaries;

  final ZoneCommitListener listener =
      (snapshot, diff) -> committed.add(snapshot.serial() + (diff == null ? " full" : " diff"));

  @AfterEach
  void close() {
    if (secondaries != null) {
      secondaries.close();
    }
  }

  Secondaries open(SecondaryZoneConfig config) {
    secondaries =
        Secondaries.open(
            List.of(config), dir, JournalConfig.defaults(), registry, primaries, clock,
            Runnable::run, List.of(listener), null, () -> 0.0);
    return secondaries;
  }

  SecondaryZoneConfig config(FakePrimaries.Fake... fakes) {
    List<SecondaryZoneConfig.Primary> list = new ArrayList<>();
    for (FakePrimaries.Fake f : fakes) {
      list.add(f.primary);
    }
    return SecondaryZoneConfig.of(ZONE, list);
  }

  ZoneFollower follower() {
    return secondaries.follower(ZONE).orElseThrow();
  }

  long served() {
    return registry.zone(ZONE).map(ZoneSnapshot::serial).orElse(-1L);
  }

  @Test
  void theFirstRefreshLoadsTheZoneByAxfrAndPlansRefreshAndExpireFromItsSoa() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    open(config(p)).start();
    clock.runDue();
    assertThat(served()).isEqualTo(100);
    SecondaryZone s = follower().state();
    assertThat(s.state()).isEqualTo(SecondaryZone.State.SERVING);
    assertThat(s.lastTransfer().kind()).isEqualTo(TransferKind.AXFR);
    assertThat(s.nextRefresh()).isEqualTo(clock.now().plusSeconds(3600));
    assertThat(s.expiresAt()).isEqualTo(clock.now().plusSeconds(86400));
    assertThat(s.digest()).hasSize(96);
    assertThat(p.log).containsExactly("SOA", "AXFR");
    assertThat(committed).containsExactly("100 full");
  }

  @Test
  void anAxfrIsServedAndAnnouncedBeforeItsJournalSnapshotIsWritten() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    List<String> seen = new ArrayList<>();
    secondaries =
        Secondaries.open(
            List.of(config(p)), dir, JournalConfig.defaults(), registry, primaries, clock, Runnable::run,
            List.of((snapshot, diff) -> seen.add(served() + " pending=" + follower().store().snapshotPending())),
            null, () -> 0.0);
    secondaries.start();
    clock.runDue();
    assertThat(seen).containsExactly("100 pending=true");
    assertThat(follower().store().snapshotPending()).isFalse();
    SecondaryJournal reopened =
        SecondaryJournal.open(ZONE, Secondaries.journalFile(dir, ZONE), JournalConfig.defaults(), new ZoneRegistry());
    assertThat(reopened.current().serial()).isEqualTo(100);
    reopened.close();
  }

  /** The zone's tasks, queued by the executor of {@link #openQueued}: they run when a test says. */
  final java.util.ArrayDeque<Runnable> tasks = new java.util.ArrayDeque<>();

  void runTasks() {
    for (Runnable t; (t = tasks.poll()) != null; ) {
      t.run();
    }
  }

  /**
   * Opens the zone on an executor whose tasks run only when the test says (the lane's apart from
   * those it hands beside it), started and run until it serves {@code p}'s version and nothing is
   * left to do.
   */
  void openQueued(FakePrimaries.Fake p, JournalConfig journal) {
    secondaries =
        Secondaries.open(
            List.of(config(p)), dir, journal, registry, primaries, clock, tasks::add, List.of(listener), null, () -> 0.0);
    secondaries.start();
    runTasks();
    clock.runDue();
    runTasks();
    clock.runDue(); // the journal check planned after the first version
    runTasks();
  }

  /** The state's digest now, and that of the version serving. */
  void assertDigestOfServing() {
    assertThat(follower().state().digest())
        .isEqualTo(Zonemd.sha384Hex(ZONE, registry.zone(ZONE).orElseThrow().records()));
  }

  void change(FakePrimaries.Fake p, long serial) {
    p.commit(zone(serial, "n" + serial + " 300 IN A 192.0.2.1"));
    follower().notifyReceived(serial, null);
    clock.runDue();
    assertThat(served()).isEqualTo(serial);
  }

  @Test
  void aSlowDigestWaitsForChangesToPauseAndTakesAtMostATenthOfTheTime() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    open(config(p)).start();
    clock.runDue();
    assertDigestOfServing(); // a quick digest: at once

    // The last digest took 2 s (as a million-record zone's) and ended a minute ago.
    follower().lastDigestTook(Duration.ofSeconds(2));
    clock.advance(Duration.ofSeconds(60));
    change(p, 101);
    assertThat(follower().state().digest()).isNull();
    clock.advance(Duration.ofSeconds(1));
    change(p, 102); // a second later: the digest waits for two seconds without a change
    clock.advance(Duration.ofMillis(1999));
    assertThat(follower().state().digest()).as("changes paused for less than two seconds").isNull();
    clock.advance(Duration.ofMillis(1));
    assertDigestOfServing();

    // Right after a digest of 2 s, the next waits until 20 s after it ended.
    follower().lastDigestTook(Duration.ofSeconds(2));
    change(p, 103);
    clock.advance(Duration.ofMillis(19_999));
    assertThat(follower().state().digest()).isNull();
    clock.advance(Duration.ofMillis(1));
    assertDigestOfServing();

    // Changes 1.5 s apart without end: the digest is made 40 s after the first change it skipped.
    follower().lastDigestTook(Duration.ofSeconds(2));
    for (long serial = 104; serial <= 130; serial++) { // at 0, 1.5, ..., 39 s
      change(p, serial);
      clock.advance(Duration.ofMillis(serial < 130 ? 1500 : 999));
      assertThat(follower().state().digest()).as("serial %d", serial).isNull();
    }
    clock.advance(Duration.ofMillis(1));
    assertDigestOfServing();
    assertThat(served()).isEqualTo(130);
  }

  @Test
  void theDigestIsComputedBesideTheLaneAndOnlyForTheNewestOfVersionsThatCameFasterThanIt() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    openQueued(p, JournalConfig.defaults());
    assertThat(served()).isEqualTo(100);
    assertThat(follower().state().digest()).hasSize(96);
    String first = follower().state().digest();

    // Two changes, each applied by its lane task; the digest tasks they queued wait behind them.
    p.commit(zone(101, "new 300 IN A 192.0.2.99"));
    follower().notifyReceived(101, null);
    clock.runDue();
    Runnable lane101 = tasks.poll(); // the lane's drain: NOTIFY -> IXFR -> serving 101
    lane101.run();
    assertThat(served()).isEqualTo(101);
    assertThat(follower().state().digest()).as("no digest of the old version beside the new serial").isNull();
    assertThat(tasks).as("the digest task of 101").hasSize(1);
    Runnable digest101 = tasks.poll();

    p.commit(zone(102, "new 300 IN A 192.0.2.99", "newer 300 IN A 192.0.2.98"));
    follower().notifyReceived(102, null);
    clock.runDue();
    tasks.poll().run(); // the lane: serving 102 while 101's digest has not started
    assertThat(served()).isEqualTo(102);
    List<Runnable> queued = new ArrayList<>(tasks); // 102's digest, the journal's compaction check
    tasks.clear();

    digest101.run(); // takes the newest version, 102
    queued.forEach(Runnable::run); // 102's digest task finds nothing left to do
    runTasks(); // the lane puts the digest in the state
    String digest = follower().state().digest();
    assertThat(digest).hasSize(96).isNotEqualTo(first)
        .isEqualTo(Zonemd.sha384Hex(ZONE, registry.zone(ZONE).orElseThrow().records()));
  }

  @Test
  void theJournalIsCompactedBesideTheLaneAfterTheChangeIsServed() throws Exception {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    openQueued(p, new JournalConfig(1L << 30, 1, 1)); // compact after every diff

    p.commit(zone(101, "new 300 IN A 192.0.2.99"));
    follower().notifyReceived(101, null);
    clock.runDue();
    runTasks(); // serving 101, its diff appended
    assertThat(served()).isEqualTo(101);
    assertThat(follower().store().journal().needsCompaction()).isTrue();
    clock.runDue(); // FLUSH: the lane hands the compaction over
    tasks.poll().run();
    assertThat(follower().store().journal().needsCompaction()).as("not compacted on the lane").isTrue();
    assertThat(tasks).hasSize(1);
    tasks.poll().run(); // the compaction, beside the lane
    assertThat(follower().store().journal().needsCompaction()).isFalse();
    assertThat(secondaries.diffsSince(ZONE, 100)).as("IXFR history kept").hasValueSatisfying(l -> assertThat(l).hasSize(1));
  }

  @Test
  void aNotifyBringsTheChangeByIxfrAndTellsTheDownstreamListener() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    open(config(p)).start();
    clock.runDue();
    p.commit(zone(101, "new 300 IN A 192.0.2.99"));
    follower().notifyReceived(101, null);
    clock.runDue();
    assertThat(served()).isEqualTo(101);
    assertThat(follower().state().lastTransfer().kind()).isEqualTo(TransferKind.IXFR);
    assertThat(p.log).containsExactly("SOA", "AXFR", "SOA", "IXFR 100");
    assertThat(committed).containsExactly("100 full", "101 diff");
    // downstream IXFR is served from our journal
    assertThat(secondaries.diffsSince(ZONE, 100)).hasValueSatisfying(l -> assertThat(l).hasSize(1));
  }

  @Test
  void aNotifyAnnouncingANewerSerialFromAPrimaryAsksForTheIxfrWithoutAnSoaQueryFirst() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    open(config(p)).start();
    clock.runDue();
    p.commit(zone(101, "new 300 IN A 192.0.2.99"));
    follower().notifyReceived(101, new InetSocketAddress("127.0.0.1", 40001)); // any source port
    clock.runDue();
    assertThat(served()).isEqualTo(101);
    assertThat(p.log).containsExactly("SOA", "AXFR", "IXFR 100");
    SecondaryZone s = follower().state();
    assertThat(s.state()).isEqualTo(SecondaryZone.State.SERVING);
    assertThat(s.primaries().get(0).lastSerial()).isEqualTo(101);
    assertThat(s.nextRefresh()).isEqualTo(clock.now().plusSeconds(3600));
  }

  @Test
  void aNotifyAnnouncingASerialThePrimaryDoesNotHaveFallsBackToTheSoaQuery() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    open(config(p)).start();
    clock.runDue();
    follower().notifyReceived(105, new InetSocketAddress("127.0.0.1", 40001));
    clock.runDue();
    assertThat(served()).isEqualTo(100);
    assertThat(p.log).containsExactly("SOA", "AXFR", "IXFR 100", "SOA");
    assertThat(follower().state().lastError()).isNull();
  }

  @Test
  void aNotifyFromAnAllowedSenderThatIsNotAPrimaryStillQueriesTheSoa() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    open(config(p)).start();
    clock.runDue();
    p.commit(zone(101));
    follower().notifyReceived(101, new InetSocketAddress("127.0.0.9", 53));
    clock.runDue();
    assertThat(served()).isEqualTo(101);
    assertThat(p.log).containsExactly("SOA", "AXFR", "SOA", "IXFR 100");
  }

  @Test
  void anIxfrRefusedFallsBackToAxfrFromTheSamePrimary() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    open(config(p)).start();
    clock.runDue();
    p.commit(zone(102));
    p.ixfrFailure = TransferFailure.REFUSED;
    follower().refreshNow();
    clock.runDue();
    assertThat(served()).isEqualTo(102);
    assertThat(p.log.subList(2, p.log.size())).containsExactly("SOA", "IXFR 100", "AXFR");
  }

  @Test
  void aDiffThatDoesNotApplyFallsBackToAxfrAndTheOldZoneServesMeanwhile() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    open(config(p)).start();
    clock.runDue();
    ZoneSnapshot next = zone(101);
    p.commit(next);
    ZoneDiff bogus =
        new ZoneDiff(ZONE, zone(100).soa(), next.soa(), List.of(Zones.record("nothere 300 IN A 192.0.2.77")), List.of());
    p.bogusIxfr = List.of(bogus);
    follower().refreshNow();
    clock.runDue();
    assertThat(served()).isEqualTo(101);
    assertThat(follower().state().lastTransfer().kind()).isEqualTo(TransferKind.AXFR);
  }

  @Test
  void aDeadPrimaryLeavesTheZoneServingThenExpiresItThenItRecovers() throws Exception {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    open(config(p)).start();
    clock.runDue();
    p.soaFailure = TransferFailure.TIMEOUT;
    clock.advance(Duration.ofSeconds(3600)); // REFRESH fails
    assertThat(served()).isEqualTo(100);
    SecondaryZone s = follower().state();
    assertThat(s.state()).isEqualTo(SecondaryZone.State.SERVING);
    assertThat(s.lastError()).contains("TIMEOUT");
    assertThat(s.nextRefresh()).isEqualTo(clock.now().plusSeconds(600));

    clock.advance(Duration.ofSeconds(86400 - 3600)); // EXPIRE fires, retries keep failing
    assertThat(follower().state().state()).isEqualTo(SecondaryZone.State.EXPIRED);
    assertThat(registry.zone(ZONE)).isEmpty();
    SecondaryHandler handler =
        new SecondaryHandler(new AuthoritativeHandler(registry), secondaries, TsigKeyring.empty());
    // the packet cache follows the registry: expiring the zone moved its generation
    assertThat(handler.cacheGeneration()).isEqualTo(registry.version()).isPositive();
    Message q = Message.newQuery(Record.newRecord(Zones.record("www 1 IN A 1.1.1.1").getName(), Type.A, DClass.IN));
    Message r = handler.handle(q, ctx()).toCompletableFuture().get();
    assertThat(r.getRcode()).isEqualTo(Rcode.SERVFAIL);

    p.soaFailure = null;
    clock.advance(Duration.ofSeconds(600));
    assertThat(follower().state().state()).isEqualTo(SecondaryZone.State.SERVING);
    assertThat(served()).isEqualTo(100);
    assertThat(handler.handle(q, ctx()).toCompletableFuture().get().getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void withSeveralPrimariesTheOneWithTheHighestSerialIsPulledFrom() {
    FakePrimaries.Fake a = primaries.add(5300, zone(100));
    FakePrimaries.Fake b = primaries.add(5301, zone(100));
    FakePrimaries.Fake c = primaries.add(5302, zone(100));
    open(config(a, b, c)).start();
    clock.runDue();
    b.commit(zone(105));
    c.commit(zone(103));
    follower().refreshNow();
    clock.runDue();
    assertThat(served()).isEqualTo(105);
    assertThat(follower().state().lastTransfer().primary()).isEqualTo(b.primary);
  }

  @Test
  void whenTheBestPrimaryFailsTheNextOneIsUsed() {
    FakePrimaries.Fake a = primaries.add(5300, zone(100));
    FakePrimaries.Fake b = primaries.add(5301, zone(100));
    open(config(a, b)).start();
    clock.runDue();
    a.commit(zone(106));
    b.commit(zone(104));
    a.ixfrFailure = TransferFailure.CONNECTION;
    follower().refreshNow();
    clock.runDue();
    assertThat(served()).isEqualTo(104);
  }

  @Test
  void aPrimaryWhoseSerialWentBackwardsIsIgnoredAndTheZoneDoesNotExpireEarly() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    open(config(p)).start();
    clock.runDue();
    p.restore(zone(90, "old 300 IN TXT \"backup\""));
    follower().refreshNow();
    clock.runDue();
    assertThat(served()).isEqualTo(100);
    assertThat(follower().state().lastError()).contains("older than ours");
    assertThat(follower().planned(ZoneEvent.RETRY)).isPresent();
  }

  @Test
  void aSerialWrapIsFollowedByIxfr() {
    FakePrimaries.Fake p = primaries.add(5300, zone(4294967295L));
    open(config(p)).start();
    clock.runDue();
    p.commit(zone(1, "wrapped 300 IN A 192.0.2.5"));
    follower().refreshNow();
    clock.runDue();
    assertThat(served()).isEqualTo(1);
    assertThat(follower().state().lastTransfer().kind()).isEqualTo(TransferKind.IXFR);
  }

  @Test
  void aRestartedSecondaryServesItsJournaledZoneAtOnceThenRefreshes() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    open(config(p)).start();
    clock.runDue();
    p.commit(zone(101, "a 300 IN A 192.0.2.3"));
    follower().refreshNow();
    clock.runDue();
    secondaries.close();
    ZoneRegistry fresh = new ZoneRegistry();
    p.soaFailure = TransferFailure.CONNECTION;
    secondaries =
        Secondaries.open(
            List.of(config(p)), dir, JournalConfig.defaults(), fresh, primaries, clock,
            Runnable::run, List.of(), null, () -> 0.0);
    assertThat(fresh.zone(ZONE)).hasValueSatisfying(z -> assertThat(z.serial()).isEqualTo(101));
    secondaries.start();
    clock.runDue();
    assertThat(follower().state().state()).isEqualTo(SecondaryZone.State.SERVING);
    assertThat(fresh.zone(ZONE)).isPresent();
  }

  @Test
  void theAuditRepairsADivergenceAtTheSameSerialByAxfr() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    open(config(p).withAudit(Duration.ofHours(1))).start();
    clock.runDue();
    p.restore(zone(100, "diverged 300 IN A 192.0.2.66"));
    clock.advance(Duration.ofHours(1));
    SecondaryZone.AuditResult audit = follower().state().audit();
    assertThat(audit.outcome()).isEqualTo(SecondaryZone.AuditResult.Outcome.REPAIRED);
    assertThat(audit.ours()).isNotEqualTo(audit.theirs());
    assertThat(registry.zone(ZONE).orElseThrow().rrset(Zones.record("diverged 1 IN A 1.1.1.1").getName(), Type.A)).isPresent();
    assertThat(follower().state().digest()).isEqualTo(audit.theirs());
    clock.advance(Duration.ofHours(1));
    assertThat(follower().state().audit().outcome()).isEqualTo(SecondaryZone.AuditResult.Outcome.MATCH);
  }

  @Test
  void aTransferWhoseZonemdDoesNotMatchIsRejected() {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    open(config(p)).start();
    clock.runDue();
    p.commit(zone(101, "@ 3600 IN ZONEMD 101 1 1 " + "00".repeat(48)));
    follower().refreshNow();
    clock.runDue();
    assertThat(served()).isEqualTo(100);
    assertThat(p.log).contains("IXFR 100", "AXFR");
  }

  @Test
  void anEdnsExpireLowerThanTheSoaExpireShortensOurExpiry() throws Exception {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    p.ednsExpire = 500;
    open(config(p)).start();
    clock.runDue();
    assertThat(follower().state().expiresAt()).isEqualTo(clock.now().plusSeconds(500));
    assertThat(follower().expireSeconds()).isEqualTo(500);
    SecondaryHandler handler =
        new SecondaryHandler(new AuthoritativeHandler(registry), secondaries, TsigKeyring.empty());
    Message q = Message.newQuery(Record.newRecord(ZONE, Type.SOA, DClass.IN));
    q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(EdnsExpire.request())), org.xbill.DNS.Section.ADDITIONAL);
    clock.advance(Duration.ofSeconds(100));
    Message r = handler.handle(q, ctx()).toCompletableFuture().get();
    assertThat(EdnsExpire.value(r)).hasValue(400);
  }

  @Test
  void anAxfrAskingForExpireGetsItOnItsFirstMessageOnly() throws Exception {
    FakePrimaries.Fake p = primaries.add(5300, zone(100));
    open(config(p)).start();
    clock.runDue();
    SecondaryHandler handler =
        new SecondaryHandler(
            new AuthoritativeHandler(
                registry, null, null, zone -> io.tierdns.authoritative.acl.TransferAcl.parse("127.0.0.0/8"), TsigKeyring.empty()),
            secondaries,
            TsigKeyring.empty());
    Message q = Message.newQuery(Record.newRecord(ZONE, Type.AXFR, DClass.IN));
    q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(EdnsExpire.request())), org.xbill.DNS.Section.ADDITIONAL);
    clock.advance(Duration.ofSeconds(100));
    io.tierdns.wire.ResponseStream stream =
        handler.handleStream(q, new QueryContext(Transport.TCP, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 53)))
            .toCompletableFuture()
            .get();
    assertThat(stream.messages().get(0).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(EdnsExpire.value(stream.messages().get(0))).hasValue(86400 - 100);
    for (int i = 1; i < stream.messages().size(); i++) {
      assertThat(EdnsExpire.value(stream.messages().get(i))).isEmpty();
    }
  }

  static QueryContext ctx() {
    return new QueryContext(Transport.UDP, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 53));
  }
}
