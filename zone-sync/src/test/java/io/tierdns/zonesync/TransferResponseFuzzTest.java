package io.tierdns.zonesync;

import static io.tierdns.zonesync.Zones.ZONE;
import static io.tierdns.zonesync.Zones.zone;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.journal.JournalConfig;
import io.tierdns.authoritative.serial.Serial;
import io.tierdns.authoritative.serial.SerialComparison;
import io.tierdns.authoritative.testing.FuzzScratch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * Coverage-guided fuzzing of IXFR/AXFR response handling on the secondary (docs/fuzzing.md).
 *
 * <p>The input is what a primary sends on the TCP connection of a transfer: DNS messages, each
 * behind its two-byte length. {@link #stream} cuts the answer records into what {@link
 * DnsPrimaryClient} gives {@link ZoneFollower} (RFC 1995 §4 and RFC 5936 §2.2: an IXFR's diffs,
 * a full zone, "current", or a failure), without a socket: the follower sees it through the
 * {@link PrimaryClient} seam, as the answer to both its IXFR and its AXFR, and the primary's SOA
 * answer is the stream's first SOA. Each input starts from a fresh journal holding serial 100.
 *
 * <p>After the refresh: nothing was logged at ERROR (an event handler that throws, a journal that
 * cannot take the result); the served version is either the old one, untouched, or a valid zone
 * whose serial is newer (or exactly 2^31 away, which {@link TransferPlan} takes by AXFR); and the journal, reopened from disk, holds exactly the served version.
 * Seeds: {@code src/test/resources/io/tierdns/zonesync/TransferResponseFuzzTestInputs/}.
 */
class TransferResponseFuzzTest {

  private static final Path ROOT = FuzzScratch.root();
  private static final List<ILoggingEvent> ERRORS = new CopyOnWriteArrayList<>();

  static {
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    AppenderBase<ILoggingEvent> errors =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
              ERRORS.add(event);
            }
          }
        };
    errors.start();
    root.addAppender(errors);
  }

  @FuzzTest(maxDuration = "30s")
  void anyTransferAnswerIsAppliedWhole_orRejectedKeepingTheOldZone(byte[] tcp) throws IOException {
    List<Record> records = answers(tcp);
    if (records == null) {
      return; // a frame that does not parse: DnsPrimaryClient reports BAD_RESPONSE, nothing to apply
    }
    ERRORS.clear();
    Path dir = Files.createTempDirectory(ROOT, "xfr");
    try {
      ZoneRegistry registry = new ZoneRegistry();
      FakeScheduler clock = new FakeScheduler();
      FuzzedPrimary primary = new FuzzedPrimary(records);
      SecondaryZoneConfig config = SecondaryZoneConfig.of(ZONE, List.of(FuzzedPrimary.PRIMARY));
      ZoneSnapshot before;
      try (Secondaries secondaries =
          Secondaries.open(
              List.of(config), dir, JournalConfig.defaults(), registry, primary, clock,
              Runnable::run, List.of(), null, () -> 0.0)) {
        ZoneFollower follower = secondaries.follower(ZONE).orElseThrow();
        follower.start();
        clock.runDue();
        before = registry.zone(ZONE).orElseThrow();
        assertThat(before.serial()).isEqualTo(100);

        primary.fuzzing = true;
        follower.refreshNow();
        clock.runDue();

        assertThat(ERRORS).as("errors logged").isEmpty();
        ZoneSnapshot after = registry.zone(ZONE).orElseThrow();
        if (after != before) {
          // UNDEFINED (exactly 2^31 apart) is taken by AXFR on purpose: TransferPlan case 6, as Knot.
          assertThat(Serial.compare(after.serial(), before.serial()))
              .isIn(SerialComparison.GREATER, SerialComparison.UNDEFINED);
          assertThat(after.soa().getName()).isEqualTo(ZONE);
          assertThat(ZoneSnapshot.of(ZONE, after.records()).serial()).isEqualTo(after.serial());
        }
        assertThat(follower.store().current()).isSameAs(after);
      }
      ZoneRegistry reopened = new ZoneRegistry();
      try (SecondaryJournal journal =
          SecondaryJournal.open(ZONE, Secondaries.journalFile(dir, ZONE), JournalConfig.defaults(), reopened)) {
        ZoneSnapshot served = registry.zone(ZONE).orElseThrow();
        assertThat(journal.current().serial()).isEqualTo(served.serial());
        assertThat(Diffs.sameContent(journal.current(), served)).isTrue();
      }
    } finally {
      FuzzScratch.delete(dir);
    }
  }

  /** The answer records of length-prefixed messages, in order; null when a frame is malformed. */
  static List<Record> answers(byte[] tcp) {
    List<Record> records = new ArrayList<>();
    int at = 0;
    while (at + 2 <= tcp.length) {
      int length = ((tcp[at] & 0xff) << 8) | (tcp[at + 1] & 0xff);
      if (at + 2 + length > tcp.length) {
        return null;
      }
      byte[] frame = java.util.Arrays.copyOfRange(tcp, at + 2, at + 2 + length);
      at += 2 + length;
      try {
        records.addAll(new Message(frame).getSection(Section.ANSWER));
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
    return records;
  }

  /**
   * What {@code ZoneTransferIn} and {@link DnsPrimaryClient} make of a record stream: the first
   * record is the new SOA; for an IXFR a second SOA starts diffs (from-SOA, deletions, to-SOA,
   * additions, until the to-SOA is the new SOA again), otherwise the stream is a full zone closed
   * by the first SOA repeated.
   */
  static PrimaryClient.XfrResult stream(List<Record> records, boolean ixfr, long ours) {
    if (records.isEmpty() || !(records.get(0) instanceof SOARecord last)) {
      return new PrimaryClient.Failed(TransferFailure.BAD_RESPONSE, "missing initial SOA");
    }
    if (records.size() == 1) {
      return ixfr && !Serial.isNewer(last.getSerial(), ours)
          ? new PrimaryClient.Current(ours)
          : new PrimaryClient.Failed(TransferFailure.CONNECTION, "stream ended after the SOA");
    }
    if (ixfr && records.get(1) instanceof SOARecord) {
      List<ZoneDiff> diffs = new ArrayList<>();
      int i = 1;
      while (i < records.size()) {
        if (!(records.get(i) instanceof SOARecord from)) {
          return new PrimaryClient.Failed(TransferFailure.BAD_RESPONSE, "IXFR: no SOA opening a diff");
        }
        i++;
        List<Record> removed = new ArrayList<>();
        while (i < records.size() && !(records.get(i) instanceof SOARecord)) {
          removed.add(records.get(i++));
        }
        if (i == records.size()) {
          return new PrimaryClient.Failed(TransferFailure.CONNECTION, "IXFR stream ended in deletions");
        }
        SOARecord to = (SOARecord) records.get(i++);
        List<Record> added = new ArrayList<>();
        while (i < records.size() && !(records.get(i) instanceof SOARecord)) {
          added.add(records.get(i++));
        }
        diffs.add(new ZoneDiff(ZONE, from, to, removed, added));
        if (i == records.size()) {
          return new PrimaryClient.Failed(TransferFailure.CONNECTION, "IXFR stream ended without the final SOA");
        }
        if (((SOARecord) records.get(i)).getSerial() == last.getSerial() && i == records.size() - 1) {
          return new PrimaryClient.Incremental(diffs);
        }
      }
      return new PrimaryClient.Failed(TransferFailure.CONNECTION, "IXFR stream ended");
    }
    List<Record> full = new ArrayList<>();
    full.add(last);
    for (int i = 1; i < records.size(); i++) {
      Record r = records.get(i);
      if (r instanceof SOARecord && r.getName().equals(last.getName()) && i == records.size() - 1) {
        return new PrimaryClient.Full(full);
      }
      full.add(r);
    }
    return new PrimaryClient.Failed(TransferFailure.CONNECTION, "AXFR stream ended without the closing SOA");
  }

  /** Answers the first transfer with serial 100, then every SOA query and transfer from the input. */
  static final class FuzzedPrimary implements PrimaryClient {
    static final SecondaryZoneConfig.Primary PRIMARY =
        new SecondaryZoneConfig.Primary(new InetSocketAddress("127.0.0.1", 5300));
    private static final ZoneSnapshot START = zone(100);

    final List<Record> records;
    boolean fuzzing;

    FuzzedPrimary(List<Record> records) {
      this.records = records;
    }

    @Override
    public SoaOutcome soa(Name zone, SecondaryZoneConfig.Primary primary) {
      if (!fuzzing) {
        return new SoaOutcome.Answer(START.soa(), -1);
      }
      if (!records.isEmpty() && records.get(0) instanceof SOARecord soa && soa.getName().equals(zone)) {
        return new SoaOutcome.Answer(soa, -1);
      }
      return new SoaOutcome.Failed(TransferFailure.BAD_RESPONSE, "no SOA in the answer");
    }

    @Override
    public XfrResult ixfr(Name zone, SecondaryZoneConfig.Primary primary, SOARecord ours) {
      return stream(records, true, ours.getSerial());
    }

    @Override
    public XfrResult axfr(Name zone, SecondaryZoneConfig.Primary primary) {
      return fuzzing ? stream(records, false, 0) : new Full(START.records());
    }
  }
}
