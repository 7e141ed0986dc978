package io.tierdns.interop.xfr;

import static io.tierdns.interop.support.AdminApi.delete;
import static io.tierdns.interop.support.AdminApi.replace;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.AdminApi;
import io.tierdns.interop.support.Await;
import io.tierdns.interop.support.Dig;
import io.tierdns.interop.support.DumpPeerLogsOnFailure;
import io.tierdns.interop.support.PeerProcess;
import io.tierdns.interop.support.PrimarySource;
import io.tierdns.interop.support.TierdnsNode;
import io.tierdns.interop.support.TsigKey;
import io.tierdns.interop.support.ZoneContent;
import io.tierdns.interop.support.ZoneGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario {@code interop/xfr/tierdns_PEER}: a tierdns primary serving a generated zone of a
 * few hundred records, a real peer as its secondary (NOTIFY from tierdns, IXFR/AXFR from
 * tierdns, optionally TSIG-signed). The peer's first transfer is an AXFR; then ten edits
 * through the admin API (replace, add, delete, a TTL change, several RRsets at once), each
 * followed until the peer answers SOA with the edit's serial; the peer must say the later
 * transfers were IXFR; the scenario ends with a zone diff: a full AXFR from tierdns and from
 * the peer must hold the same records and serial.
 */
@ExtendWith(DumpPeerLogsOnFailure.class)
abstract class XfrScenario {

  static final String ZONE = ZoneGenerator.ZONE;
  static final Duration PER_EDIT = Duration.ofSeconds(15);

  /** One admin API change and what it exercises. */
  record Edit(String what, String... changes) {}

  static final List<Edit> EDITS = List.of(
      new Edit("replace an A RRset", replace("ns2.diff.test.", "A", 3600, "192.0.2.154")),
      new Edit("add a TXT RRset", replace("added.diff.test.", "TXT", 300, "\"added by the admin API\"")),
      new Edit("delete an AAAA RRset", delete("mail.diff.test.", "AAAA")),
      new Edit("several RRsets at once", replace("multi.diff.test.", "A", 120, "192.0.2.10", "192.0.2.11"),
          replace("multi.diff.test.", "AAAA", 120, "2001:db8::10"),
          replace("diff.test.", "MX", 3600, "10 mail.diff.test.", "30 multi.diff.test."),
          delete("added.diff.test.", "TXT")),
      new Edit("change only a TTL", replace("ns2.diff.test.", "A", 60, "192.0.2.154")),
      new Edit("a wildcard", replace("*.edits.diff.test.", "A", 300, "192.0.2.99")),
      new Edit("an SRV RRset", replace("_xmpp._tcp.diff.test.", "SRV", 300, "5 0 5222 multi.diff.test.")),
      new Edit("delete a whole name", delete("multi.diff.test.", "A"), delete("multi.diff.test.", "AAAA")),
      new Edit("a CNAME", replace("alias.diff.test.", "CNAME", 300, "ns1.diff.test.")),
      new Edit("a TXT of several strings", replace("diff.test.", "TXT", 3600, "\"v=spf1 -all\"",
          "\"tierdns\" \"interop\" \"ixfr\"", "\"" + "x".repeat(200) + "\"")));

  private final List<PeerProcess> started = new ArrayList<>();
  private final BiFunction<String, PrimarySource, PeerProcess> secondaryOf;
  private final boolean signed;

  /**
   * @param secondaryOf makes the peer, configured as a secondary of a primary for a zone, not
   *     started (e.g. {@code KnotServer::secondaryOf})
   * @param signed whether transfers are TSIG-signed (the ACL on tierdns is then the key alone)
   */
  XfrScenario(BiFunction<String, PrimarySource, PeerProcess> secondaryOf, boolean signed) {
    this.secondaryOf = secondaryOf;
    this.signed = signed;
  }

  /** The peer, configured as a secondary of {@code primary} for {@link #ZONE}, not started. */
  private PeerProcess secondary(PrimarySource primary) {
    return secondaryOf.apply(ZONE, primary);
  }

  /** Whether transfers are TSIG-signed (the ACL on tierdns is then the key alone). */
  private boolean signed() {
    return signed;
  }

  /**
   * Checks from the peer itself that every transfer after the first was an IXFR; {@code serials}
   * are the initial serial and then one per edit.
   */
  abstract void assertTransfersWereIncremental(PeerProcess peer, int primaryPort, List<Long> serials) throws Exception;

  @AfterEach
  void stop() {
    started.forEach(PeerProcess::close);
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void secondaryFollowsAdminEditsByIxfrAndEndsWithTheSameZone() throws Exception {
    Path zones = Files.createTempDirectory("tierdns-interop-xfr-");
    Path zoneFile = new ZoneGenerator(20240101L, 300).writeTo(zones).zones().get(ZONE);
    TsigKey key = signed() ? TsigKey.generate("xfr-key") : null;

    TierdnsNode primary = new TierdnsNode(Map.of(ZONE, zoneFile));
    PeerProcess peer = secondary(signed() ? PrimarySource.signed(primary.port(), key) : PrimarySource.unsigned(primary.port()));
    primary.notify(peer.port());
    if (signed()) {
      primary.key(key).allowTransfer("key:" + key.name());
    } else {
      primary.allowTransfer("127.0.0.1/32");
    }
    started.add(primary);
    primary.start();
    started.add(peer);
    long t0 = System.nanoTime();
    peer.start(); // returns once the peer answers SOA: its first transfer is done
    AdminApi api = primary.api();
    long serial = api.serial(ZONE);
    Await.serial(peer, ZONE, serial, PER_EDIT);
    System.out.printf("%s: initial transfer of %s serial %d in %d ms%n", peer.name(), ZONE, serial,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

    List<Long> serials = new ArrayList<>(List.of(serial));
    for (Edit edit : EDITS) {
      AdminApi.Response response = api.patch(ZONE, edit.changes());
      assertThat(response.status()).as("PATCH %s: %s", edit.what(), response).isEqualTo(204);
      assertThat(response.serial()).as("X-Tierdns-Serial of PATCH %s", edit.what()).isPresent();
      long next = response.serial().getAsLong();
      assertThat(next).as("serial after %s (policy increment)", edit.what()).isEqualTo(serial + 1);
      Duration took = Await.serial(peer, ZONE, next, PER_EDIT);
      System.out.printf("%s: %s -> serial %d seen after %d ms%n", peer.name(), edit.what(), next, took.toMillis());
      serials.add(next);
      serial = next;
    }

    assertTransfersWereIncremental(peer, primary.port(), serials);
    if (signed()) {
      assertUnsignedTransferRefused(primary);
    }

    ZoneContent ours = ZoneContent.axfr("tierdns", primary.port(), ZONE, key);
    ZoneContent theirs = ZoneContent.axfr(peer.name(), peer.port(), ZONE, null);
    assertThat(ours.serial()).as("tierdns serial").isEqualTo(serial);
    assertThat(theirs.serial()).as(peer.name() + " serial").isEqualTo(serial);
    assertThat(ours.differencesFrom(theirs)).as("zone diff tierdns vs " + peer.name()).isEmpty();
    assertThat(ours.containsText("_xmpp._tcp.diff.test.")).as("last edits in the zone").isTrue();
  }

  private static void assertUnsignedTransferRefused(TierdnsNode primary) {
    Dig.Result result = Dig.dig(primary.port())
        .run("+nocmd", "+nostats", "+time=5", "+tries=1", ZONE, "AXFR");
    assertThat(result.output()).as("unsigned AXFR with ACL key:xfr-key only").contains("Transfer failed");
  }

  static long count(String text, String needle) {
    long n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}
