package io.tierdns.cache.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tierdns.cache.CachePolicy;
import io.tierdns.cache.CachingResolver;
import io.tierdns.cache.ForwardTable;
import io.tierdns.cache.SelectorPolicy;
import io.tierdns.cache.Timers;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import io.tierdns.wire.client.DnsClient;
import io.tierdns.wire.client.DnsClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The cache in front of a real Knot DNS process on loopback, on the real clock: answers match a
 * direct query except for TTLs; with knotd killed, cached names are served stale (EDE 3) for the
 * max-stale window and then SERVFAIL; with knotd back, fresh answers resume. Skipped when knotd is
 * not installed. Zone TTLs are 1-2 s so that the whole story takes a few seconds.
 */
class KnotUpstreamTest {

  private static final String ZONE =
      "$ORIGIN example.\n$TTL 2\n"
          + "@ SOA ns.example. host.example. 1 3600 600 86400 1\n"
          + "@ NS ns.example.\n"
          + "ns A 192.0.2.53\n"
          + "www A 192.0.2.1\n"
          + "alias CNAME www\n"
          + bigTxt();

  /** Eight 200-byte TXT records: over 1232 bytes, so the UDP answer is truncated (TC). */
  private static String bigTxt() {
    StringBuilder b = new StringBuilder();
    for (char c = 'a'; c < 'i'; c++) {
      b.append("big TXT \"").append(String.valueOf(c).repeat(200)).append("\"\n");
    }
    return b.toString();
  }

  private static final QueryContext CONTEXT = new QueryContext(Transport.UDP, null, null);

  @TempDir Path dir;
  private KnotProcess knot;
  private DnsClient client;
  private ScheduledExecutorService scheduler;
  private CachingResolver resolver;

  @BeforeEach
  void start() throws Exception {
    if ("true".equals(System.getenv("CI")) && !KnotProcess.available()) {
      throw new AssertionError("knotd is not installed (.ci/install-deps installs knot)");
    }
    assumeTrue(KnotProcess.available(), "knotd not installed");
    knot = new KnotProcess(dir, "example.", ZONE);
    knot.start();
    client = new DnsClient(DnsClientOptions.defaults().withTimeout(Duration.ofMillis(500)));
    scheduler = Executors.newSingleThreadScheduledExecutor();
    resolver =
        CachingResolver.builder(
                ForwardTable.of(new DnsClientUpstream(client, knot.address())), Timers.of(scheduler))
            .policy(
                CachePolicy.builder()
                    .maxStale(Duration.ofSeconds(3))
                    .staleRefreshTime(Duration.ZERO)
                    .servfailTtl(Duration.ZERO)
                    .clientTimeout(Duration.ofMillis(400))
                    .build())
            .selectorPolicy(new SelectorPolicy(Duration.ofMillis(300), 1, 0))
            .build();
    awaitUp();
  }

  @AfterEach
  void stop() throws Exception {
    if (knot != null) {
      knot.close();
    }
    if (client != null) {
      client.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  private void awaitUp() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        client.query(knot.address(), query("example.", Type.SOA), Transport.UDP).join();
        return;
      } catch (RuntimeException e) {
        Thread.sleep(50); // a real process is starting: polling is the only way to know
      }
    }
    throw new AssertionError("knotd did not come up:\n" + knot.log());
  }

  private static Message query(String name, int type) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    return q;
  }

  private Message ask(String name, int type) throws Exception {
    return resolver.handle(query(name, type), CONTEXT).toCompletableFuture().join();
  }

  private static List<String> rdata(Message m, int section) {
    return m.getSection(section).stream().map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString()).toList();
  }

  private static List<Integer> ede(Message m) {
    OPTRecord opt = m.getOPT();
    return opt == null ? List.of()
        : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).stream()
            .map(o -> ((ExtendedErrorCodeOption) o).getErrorCode()).toList();
  }

  @Test
  void answersMatchADirectQueryExceptForTtls() throws Exception {
    for (String[] q : new String[][] {{"www.example.", "A"}, {"alias.example.", "A"}, {"nope.example.", "A"},
        {"www.example.", "AAAA"}, {"big.example.", "TXT"}}) {
      int type = Type.value(q[1]);
      Message direct = client.query(knot.address(), query(q[0], type), Transport.TCP).join();
      Message cached = ask(q[0], type);
      assertThat(cached.getRcode()).as(q[0] + " " + q[1]).isEqualTo(direct.getRcode());
      assertThat(rdata(cached, Section.ANSWER)).containsExactlyInAnyOrderElementsOf(rdata(direct, Section.ANSWER));
      assertThat(cached.getHeader().getFlag(org.xbill.DNS.Flags.TC)).isFalse();
      if (direct.getSection(Section.ANSWER).isEmpty()) {
        assertThat(rdata(cached, Section.AUTHORITY)).containsExactlyElementsOf(rdata(direct, Section.AUTHORITY));
      }
    }
  }

  @Test
  void withTheUpstreamKilledCachedNamesAreServedStaleUntilMaxStaleThenServfailAndFreshAfterRestart()
      throws Exception {
    assertThat(ask("www.example.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    knot.kill();
    Thread.sleep(2100); // TTL 2 s runs out on the real clock (a real process is involved)
    Message stale = ask("www.example.", Type.A);
    assertThat(stale.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(ede(stale)).containsExactly(ExtendedErrorCodeOption.STALE_ANSWER);
    assertThat(stale.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(30);
    Thread.sleep(3000); // past TTL + max-stale
    Message gone = ask("www.example.", Type.A);
    assertThat(gone.getRcode()).isEqualTo(Rcode.SERVFAIL);
    knot.start();
    awaitUp();
    Message fresh = ask("www.example.", Type.A);
    assertThat(fresh.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(ede(fresh)).isEmpty();
    assertThat(resolver.counters().staleAnswers()).isEqualTo(1);
  }
}
