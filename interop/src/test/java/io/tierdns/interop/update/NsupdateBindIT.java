package io.tierdns.interop.update;

import static io.tierdns.interop.support.AdminApi.delete;
import static io.tierdns.interop.support.AdminApi.replace;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.AdminApi;
import io.tierdns.interop.support.Await;
import io.tierdns.interop.support.BindServer;
import io.tierdns.interop.support.Dig;
import io.tierdns.interop.support.DumpPeerLogsOnFailure;
import io.tierdns.interop.support.Nsupdate;
import io.tierdns.interop.support.PeerProcess;
import io.tierdns.interop.support.PrimarySource;
import io.tierdns.interop.support.TierdnsNode;
import io.tierdns.interop.support.TsigKey;
import io.tierdns.interop.support.ZoneContent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario {@code interop/update/nsupdate_bind}: the real {@code nsupdate} with a TSIG key
 * changes a tierdns zone (the hand-written {@code examples/zones/example.test.zone}) under an
 * update policy, and BIND 9, a secondary of tierdns, serves the change. Then bad input through
 * both write paths (RFC 2136 UPDATE and the admin API) is refused with the right code and
 * changes nothing: after each, tierdns' serial over DNS and in the API and a full AXFR are
 * what they were. Ends with a zone diff between tierdns and BIND.
 */
@ExtendWith(DumpPeerLogsOnFailure.class)
class NsupdateBindIT {

  private static final String ZONE = "example.test.";
  private static final Duration PROPAGATION = Duration.ofSeconds(15);

  private final List<PeerProcess> started = new ArrayList<>();
  private final TsigKey updateKey = TsigKey.generate("update-key");
  private TierdnsNode primary;
  private ZoneContent before;

  @AfterEach
  void stop() {
    started.forEach(PeerProcess::close);
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void nsupdateReachesBindAndBadInputChangesNothing() throws Exception {
    Path zoneFile = Path.of(System.getProperty("tierdns.repo", "."), "examples", "zones", "example.test.zone");
    primary = new TierdnsNode(Map.of(ZONE, zoneFile));
    PeerProcess bind = BindServer.secondaryOf(ZONE, PrimarySource.unsigned(primary.port()));
    primary.key(updateKey).grantZone(updateKey, "A", "AAAA", "TXT")
        .allowTransfer("127.0.0.1/32").notify(bind.port());
    started.add(primary);
    primary.start();
    started.add(bind);
    bind.start();
    AdminApi api = primary.api();
    long serial = api.serial(ZONE);
    Await.serial(bind, ZONE, serial, PROPAGATION);

    Nsupdate nsupdate = Nsupdate.to(primary.port());
    Dig.Result good = nsupdate.run(updateKey, "zone " + ZONE,
        "update delete www.example.test. A",
        "update add www.example.test. 300 A 192.0.2.81",
        "update add nsupdate.example.test. 300 TXT \"via nsupdate\"");
    assertThat(good.exitCode()).as("signed nsupdate:\n%s", good).isZero();
    assertThat(api.serial(ZONE)).as("serial after the UPDATE").isEqualTo(serial + 1);
    serial++;
    Await.serial(bind, ZONE, serial, PROPAGATION);
    Dig digBind = Dig.dig(bind.port());
    assertThat(digBind.run("+short", "www.example.test.", "A").output().strip()).isEqualTo("192.0.2.81");
    assertThat(digBind.run("+short", "nsupdate.example.test.", "TXT").output().strip()).isEqualTo("\"via nsupdate\"");

    before = ZoneContent.axfr("tierdns", primary.port(), ZONE, null);
    assertThat(before.serial()).isEqualTo(serial);

    badUpdate("wrong secret", "NOTAUTH", updateKey.withWrongSecret(), "zone " + ZONE,
        "update add wrong.example.test. 300 A 192.0.2.1");
    badUpdate("unknown key", "NOTAUTH", TsigKey.generate("no-such-key"), "zone " + ZONE,
        "update add wrong.example.test. 300 A 192.0.2.1");
    badUpdate("unsigned", "REFUSED", null, "zone " + ZONE,
        "update add wrong.example.test. 300 A 192.0.2.1");
    badUpdate("stale prerequisite", "NXRRSET", updateKey, "zone " + ZONE,
        "prereq yxrrset www.example.test. A 192.0.2.80",
        "update add wrong.example.test. 300 A 192.0.2.1");
    badUpdate("name outside the zone", "NOTZONE", updateKey, "zone " + ZONE,
        "update add www.elsewhere.test. 300 A 192.0.2.1");
    badUpdate("type the policy does not grant", "REFUSED", updateKey, "zone " + ZONE,
        "update add example.test. 300 MX 5 mail.example.test.");

    badPatch("unknown zone", 404, api.patch("nosuch.test.", replace("www.nosuch.test.", "A", 60, "192.0.2.1")));
    badPatch("name outside the zone", 422, api.patch(ZONE, replace("www.elsewhere.test.", "A", 60, "192.0.2.1")));
    badPatch("CNAME beside other data", 422, api.patch(ZONE, replace("www.example.test.", "CNAME", 60, "mail.example.test.")));
    badPatch("malformed A rdata", 422, api.patch(ZONE, replace("bad.example.test.", "A", 60, "192.0.2.300")));
    badPatch("malformed MX rdata", 422, api.patch(ZONE, replace("bad.example.test.", "MX", 60, "ten mail.example.test.")));
    badPatch("wrong API key", 401, api.patchWithKey("not-the-key", ZONE, replace("bad.example.test.", "A", 60, "192.0.2.1")));
    badPatch("a valid change next to an invalid one", 422, api.patch(ZONE,
        replace("fine.example.test.", "A", 60, "192.0.2.7"), replace("bad.example.test.", "A", 60, "not-an-address")));
    badPatch("DELETE of the apex SOA", 422, api.patch(ZONE, delete("example.test.", "SOA")));

    ZoneContent ours = ZoneContent.axfr("tierdns", primary.port(), ZONE, null);
    ZoneContent theirs = ZoneContent.axfr("bind", bind.port(), ZONE, null);
    assertThat(theirs.serial()).isEqualTo(serial);
    assertThat(ours.differencesFrom(theirs)).as("zone diff tierdns vs bind").isEmpty();
  }

  private void badUpdate(String what, String rcode, TsigKey key, String... lines) throws Exception {
    Dig.Result result = Nsupdate.to(primary.port()).run(key, lines);
    System.out.printf("UPDATE with %s -> exit %d: %s%n", what, result.exitCode(), result.output().strip().replace('\n', ' '));
    assertThat(result.exitCode()).as("nsupdate with %s must fail:\n%s", what, result).isNotZero();
    assertThat(result.output()).as("nsupdate with %s:\n%s", what, result).contains(rcode);
    assertUnchanged("UPDATE with " + what);
  }

  private void badPatch(String what, int status, AdminApi.Response response) throws Exception {
    System.out.printf("PATCH with %s -> %s%n", what, response);
    assertThat(response.status()).as("PATCH with %s: %s", what, response).isEqualTo(status);
    assertThat(response.body()).as("PATCH with %s: JSON error body", what).contains("\"error\"");
    assertUnchanged("PATCH with " + what);
  }

  private void assertUnchanged(String after) throws Exception {
    assertThat(primary.api().serial(ZONE)).as("API serial after %s", after).isEqualTo(before.serial());
    assertThat(Await.soaSerial(primary.port(), ZONE)).as("SOA serial after %s", after).hasValue(before.serial());
    ZoneContent now = ZoneContent.axfr("tierdns", primary.port(), ZONE, null);
    assertThat(before.differencesFrom(now)).as("AXFR after %s", after).isEmpty();
  }
}
