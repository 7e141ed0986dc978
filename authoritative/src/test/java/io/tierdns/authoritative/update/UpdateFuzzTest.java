package io.tierdns.authoritative.update;

import static io.tierdns.authoritative.update.UpdateTesting.EXAMPLE;
import static io.tierdns.authoritative.update.UpdateTesting.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.serial.Serial;
import io.tierdns.authoritative.serial.SerialComparison;
import io.tierdns.authoritative.store.ZoneStoreConfig;
import io.tierdns.authoritative.store.ZoneStores;
import io.tierdns.authoritative.testing.FuzzScratch;
import io.tierdns.authoritative.update.UpdatePolicy.Grant;
import io.tierdns.authoritative.update.UpdatePolicy.Match;
import io.tierdns.wire.MessageProcessor;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import io.tierdns.wire.WireObserver;
import io.tierdns.wire.WireOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Coverage-guided fuzzing of RFC 2136 UPDATE handling (docs/fuzzing.md): raw messages through the
 * wire layer's checks ({@link MessageProcessor}, as on a TCP listener) to {@link UpdateHandler},
 * against a zone held by the real write path ({@link ZoneStores}: zone file, journal, serial policy) on a fresh directory for every
 * input. The policy lets unsigned updates from loopback change every type, the apex SOA and NS
 * included, so the fuzzer reaches the processing rules and not only the refusals.
 *
 * <p>After every message: the answer is never SERVFAIL (that is how an unexpected exception
 * surfaces); an error rcode leaves the served snapshot untouched; the zone still has its SOA and
 * an NS RRset at the apex; the serial never goes backwards and moves forward with every change;
 * and a message over the record limit is never applied. Seeds: {@code
 * src/test/resources/io/tierdns/authoritative/update/UpdateFuzzTestInputs/}.
 */
class UpdateFuzzTest {

  /** Small, so that the fuzzer also meets the limit. */
  static final int MAX_RECORDS = 16;

  private static final Path ROOT = FuzzScratch.root();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
  private static final UpdatePolicy POLICY =
      new UpdatePolicy(
          List.of(
              new Grant(null, Match.ZONE, null, Set.of()),
              new Grant(null, Match.ZONE, null, Set.of(Type.SOA, Type.NS))),
          List.of(Network.parse("127.0.0.0/8")));

  @FuzzTest(maxDuration = "30s")
  void anyUpdateLeavesTheZoneConsistent(byte[] wire) throws IOException {
    Path dir = Files.createTempDirectory(ROOT, "update");
    try {
      ZoneStores.Layout layout = new ZoneStores.Layout(dir.resolve("zones"), dir.resolve("journal"));
      Files.createDirectories(layout.zoneDir());
      Files.writeString(layout.zoneFile(ZONE), "$ORIGIN " + ZONE + "\n" + EXAMPLE);
      ZoneRegistry registry = new ZoneRegistry();
      try (ZoneStores stores = ZoneStores.open(layout, ZoneStoreConfig.defaults(), registry, CLOCK)) {
        ZoneSnapshot before = registry.zone(ZONE).orElseThrow();
        UpdateHandler handler =
            new UpdateHandler(
                registry,
                stores,
                zone -> zone.equals(ZONE) ? Optional.of(POLICY) : Optional.empty(),
                UpdateKeys.none(),
                CLOCK,
                Runnable::run,
                null,
                MAX_RECORDS);
        QueryContext from =
            new QueryContext(
                Transport.TCP, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 53));
        byte[] answer =
            new MessageProcessor(handler, WireOptions.defaults(), WireObserver.NOOP)
                .process(wire.clone(), from)
                .toCompletableFuture()
                .join();
        ZoneSnapshot after = registry.zone(ZONE).orElseThrow();
        if (answer == null) { // silence: a response, or shorter than a header
          assertThat(after).isSameAs(before);
          return;
        }
        int rcode = new Message(answer).getHeader().getRcode();

        assertThat(rcode).as("SERVFAIL means an unexpected exception").isNotEqualTo(Rcode.SERVFAIL);
        if (rcode != Rcode.NOERROR) {
          assertThat(after).isSameAs(before);
        }
        if (rcode == Rcode.NOERROR && records(wire) > MAX_RECORDS) {
          throw new AssertionError("an UPDATE over the record limit was applied");
        }
        assertThat(after.soa().getName()).isEqualTo(ZONE);
        assertThat(after.rrset(ZONE, Type.NS)).isPresent();
        SerialComparison serial = Serial.compare(after.serial(), before.serial());
        if (after == before) {
          assertThat(serial).isEqualTo(SerialComparison.EQUAL);
        } else {
          assertThat(serial).isEqualTo(SerialComparison.GREATER);
        }
      }
    } finally {
      FuzzScratch.delete(dir);
    }
  }

  /** Prerequisite plus update RRs, as dnsjava reads them. */
  private static int records(byte[] wire) throws IOException {
    Message m = new Message(wire);
    return m.getSection(Section.PREREQ).size() + m.getSection(Section.UPDATE).size();
  }
}
