package io.tierdns.interop.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.Await;
import io.tierdns.interop.support.CacheNode;
import io.tierdns.interop.support.Dig;
import io.tierdns.interop.support.DnsClient;
import io.tierdns.interop.support.DumpPeerLogsOnFailure;
import io.tierdns.interop.support.KnotServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Serve-stale with real processes (RFC 8767): a tierdns cache with {@code max-stale: 5s} and
 * {@code stale-answer-ttl: 30s} forwards to knotd serving a zone whose every TTL is 2 s. The
 * cache is warmed, knotd is killed with SIGKILL, and then:
 *
 * <ol>
 *   <li>while the data is expired but within max-stale, cached names (a positive answer and an
 *       NXDOMAIN) keep answering, with TTL 30 (§4) and Extended DNS Error 3 "Stale Answer"
 *       (RFC 8914 §4.4), as seen by dnsjava and by {@code dig} (which prints EDE by itself; not
 *       with {@code +ednsopt=ede}, which tierdns currently answers with FORMERR);
 *   <li>past TTL + max-stale they answer SERVFAIL, and never stale again (§5: no stale data past
 *       its limit);
 *   <li>knotd restarted, fresh answers (TTL at most 2, no EDE) resume within a few seconds.
 * </ol>
 *
 * Bounded: about 15 s of observation plus start-up.
 */
@ExtendWith(DumpPeerLogsOnFailure.class)
class ServeStaleIT {

  private static final String ZONE = "stale.test.";
  private static final long TTL = 2;
  private static final long MAX_STALE = 5;
  private static final long STALE_TTL = 30;

  private KnotServer knot;
  private CacheNode cache;

  @AfterEach
  void stop() {
    if (cache != null) {
      cache.close();
    }
    if (knot != null) {
      knot.close();
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void cachedNamesAnswerStaleWithEde3ThenServfailAfterMaxStaleAndFreshAgainWhenTheUpstreamReturns()
      throws Exception {
    Path zoneFile = Files.createTempDirectory("tierdns-interop-stale-").resolve("stale.test.zone");
    Files.writeString(zoneFile, "$ORIGIN stale.test.\n$TTL " + TTL + "\n"
        + "@ SOA ns1 hostmaster 1 3600 900 604800 " + TTL + "\n"
        + "@ NS ns1\nns1 A 192.0.2.53\nwww A 192.0.2.80\nwww A 192.0.2.81\n");
    knot = new KnotServer(Map.of(ZONE, zoneFile));
    knot.start();
    cache = new CacheNode(Map.of(ZONE, zoneFile), knot.port())
        .set("max-stale", MAX_STALE + "s")
        .set("stale-answer-ttl", STALE_TTL + "s")
        .set("stale-refresh-time", "30s")
        .set("servfail-ttl", "1s");
    cache.start();

    try (DnsClient client = new DnsClient(cache.port(), 4000)) {
      Message warm = ask(client, "www.stale.test.", Type.A);
      long stored = System.nanoTime();
      assertThat(warm.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(warm.getSection(Section.ANSWER)).hasSize(2);
      assertThat(ask(client, "nx.stale.test.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(ede(warm)).isEmpty();
      knot.killForcibly();

      // Expired (TTL 2 s) but within max-stale (5 s more): stale answers only.
      Await.until(java.time.Duration.ofSeconds(5), () -> "www to expire",
          () -> seconds(stored) > TTL + 0.3);
      Message stale = ask(client, "www.stale.test.", Type.A);
      assertThat(stale.getRcode()).as("stale answer %s", stale).isEqualTo(Rcode.NOERROR);
      assertThat(stale.getSection(Section.ANSWER)).hasSize(2)
          .allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(STALE_TTL));
      assertThat(ede(stale)).as("EDE codes of %s", stale).containsExactly(ExtendedErrorCodeOption.STALE_ANSWER);
      Message staleNx = ask(client, "nx.stale.test.", Type.A);
      assertThat(staleNx.getRcode()).as("stale NXDOMAIN %s", staleNx).isEqualTo(Rcode.NXDOMAIN);
      assertThat(ede(staleNx)).containsExactly(ExtendedErrorCodeOption.STALE_ANSWER);
      Dig.Result dig = Dig.dig(cache.port()).run("www.stale.test.", "A", "+tries=1", "+time=3");
      assertThat(dig.output()).as(dig.toString()).contains("status: NOERROR").contains("EDE: 3 (Stale Answer)")
          .containsPattern("www\\.stale\\.test\\.\\s+30\\s+IN\\s+A\\s+192\\.0\\.2\\.8");

      // Poll across the max-stale limit: stale until about TTL + max-stale, then SERVFAIL for good.
      List<String> timeline = new ArrayList<>();
      double firstServfail = -1;
      double lastStale = -1;
      while (seconds(stored) < TTL + MAX_STALE + 3) {
        double at = seconds(stored);
        Message m = ask(client, "www.stale.test.", Type.A);
        timeline.add(String.format("%.2fs %s ede=%s", at, Rcode.string(m.getRcode()), ede(m)));
        if (m.getRcode() == Rcode.SERVFAIL && firstServfail < 0) {
          firstServfail = at;
        } else if (m.getRcode() == Rcode.NOERROR) {
          assertThat(firstServfail).as("stale answer after SERVFAIL: %s", timeline).isLessThan(0);
          assertThat(ede(m)).as("timeline %s", timeline).containsExactly(ExtendedErrorCodeOption.STALE_ANSWER);
          lastStale = at;
        }
        Await.pause(250);
      }
      assertThat(lastStale).as("stale answers until near TTL + max-stale; %s", timeline)
          .isGreaterThan(TTL + MAX_STALE - 1.0);
      assertThat(firstServfail).as("SERVFAIL once TTL + max-stale passed; %s", timeline)
          .isBetween((double) TTL + MAX_STALE - 0.5, (double) TTL + MAX_STALE + 2.0);
      Message last = ask(client, "www.stale.test.", Type.A);
      assertThat(last.getRcode()).as("timeline %s", timeline).isEqualTo(Rcode.SERVFAIL);
      assertThat(last.getSection(Section.ANSWER)).isEmpty();

      // The upstream returns: fresh answers resume.
      knot.start();
      List<String> after = new ArrayList<>();
      Message[] fresh = new Message[1];
      Await.until(java.time.Duration.ofSeconds(10), () -> "a fresh answer after knotd restarted: " + after, () -> {
        try {
          Message m = ask(client, "www.stale.test.", Type.A);
          after.add(Rcode.string(m.getRcode()) + " ede=" + ede(m));
          fresh[0] = m;
          return m.getRcode() == Rcode.NOERROR && ede(m).isEmpty();
        } catch (IOException e) {
          return false;
        }
      });
      assertThat(fresh[0].getSection(Section.ANSWER)).hasSize(2)
          .allSatisfy(r -> assertThat(r.getTTL()).isBetween(1L, TTL));
      Message freshNx = ask(client, "nx.stale.test.", Type.A);
      assertThat(freshNx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(ede(freshNx)).as("fresh NXDOMAIN %s", freshNx).isEmpty();
    }
  }

  private static Message ask(DnsClient client, String name, int type) throws IOException {
    Optional<Message> response = client.udp(DnsClient.recursiveQuery(name, type));
    if (response.isEmpty()) {
      throw new AssertionError("no response from the cache to " + name + " " + Type.string(type));
    }
    return response.get();
  }

  private static List<Integer> ede(Message m) {
    OPTRecord opt = m.getOPT();
    List<Integer> codes = new ArrayList<>();
    if (opt != null) {
      for (EDNSOption option : opt.getOptions(org.xbill.DNS.EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
        codes.add(((ExtendedErrorCodeOption) option).getErrorCode());
      }
    }
    return codes;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
