package io.tierdns.edge;

import static io.tierdns.edge.ZoneUpstream.ZONE;
import static io.tierdns.edge.ZoneUpstream.name;
import static io.tierdns.edge.ZoneUpstream.zone;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.cache.CachePolicy;
import io.tierdns.cache.CachingResolver;
import io.tierdns.cache.FakeClock;
import io.tierdns.cache.ForwardTable;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The eviction computation against a real cache fed by a real authoritative lookup. */
class CacheEvictionTest {

  static final String V1 =
      "@ SOA ns1 hostmaster 10 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n"
          + "www A 192.0.2.3\nalias CNAME www\nother A 192.0.2.9\n*.wild A 192.0.2.50\n"
          + "deep.x CNAME www\n";
  static final QueryContext UDP =
      new QueryContext(Transport.UDP, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 53));

  final FakeClock clock = new FakeClock();
  final ZoneUpstream upstream = new ZoneUpstream(zone(V1));

  CachingResolver resolver(CachePolicy policy) {
    return CachingResolver.builder(ForwardTable.of(upstream), clock)
        .policy(policy).ticker(clock).executor(Runnable::run).build();
  }

  static Message ask(CachingResolver r, String name, int type) {
    Message q = Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
    return r.handle(q, UDP).toCompletableFuture().join();
  }

  static String answer(Message m) {
    return Rcode.string(m.getRcode()) + " " + m.getSection(Section.ANSWER).stream().map(r -> r.rdataToString()).toList();
  }

  /** The next version of the upstream zone: {@code extra} added, serial + 1, and its diff. */
  ZoneDiff change(String v2Text) {
    ZoneSnapshot v1 = upstream.zone();
    ZoneSnapshot v2 = zone(v2Text);
    upstream.serve(v2);
    return Diffs.between(v1, v2);
  }

  boolean cached(CachingResolver r, String name, int type) {
    return r.inspect(name(name), type).isPresent();
  }

  @Test
  void aChangeEvictsItsRRsetTheCnameChainThroughItAndNewlyExistingNamesButNothingElse() {
    CachingResolver r = resolver(CachePolicy.defaults());
    ask(r, "www", Type.A);
    ask(r, "www", Type.TXT); // NODATA
    ask(r, "alias", Type.A); // chain alias -> www
    ask(r, "nope", Type.A); // NXDOMAIN, will exist
    ask(r, "b", Type.A); // NXDOMAIN, will be an empty non-terminal
    ask(r, "other", Type.A); // unchanged
    ask(r, "ghost", Type.A); // NXDOMAIN, stays so
    assertThat(ask(r, "b", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);

    ZoneDiff d = change(V1.replace("10 7200", "11 7200").replace("www A 192.0.2.3", "www A 192.0.2.4")
        + "www TXT \"new\"\nnope A 192.0.2.77\na.b A 192.0.2.88\n");
    EvictionPlan plan = EvictionPlan.of(ZONE, List.of(d));
    Evictions e = new CacheEvictor(r).apply(plan);

    assertThat(cached(r, "www", Type.A)).isFalse();
    assertThat(cached(r, "www", Type.TXT)).isFalse();
    assertThat(cached(r, "alias", Type.A)).isFalse();
    assertThat(cached(r, "nope", Type.A)).isFalse();
    assertThat(cached(r, "b", Type.A)).isFalse();
    assertThat(cached(r, "other", Type.A)).isTrue();
    assertThat(cached(r, "ghost", Type.A)).isTrue();
    assertThat(e.chain()).isEqualTo(1);
    assertThat(e.negative()).isEqualTo(1); // b: its NXDOMAIN went for the ENT (nope/A and www/TXT went as changed RRsets)
    assertThat(answer(ask(r, "alias", Type.A))).isEqualTo("NOERROR [www.example.test., 192.0.2.4]");
    assertThat(ask(r, "b", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer(ask(r, "nope", Type.A))).isEqualTo("NOERROR [192.0.2.77]");
  }

  @Test
  void aNegativeAnswerAtTheEndOfAChainGoesWhenItsTargetAppears() {
    CachingResolver r = resolver(CachePolicy.defaults());
    upstream.serve(zone(V1.replace("alias CNAME www", "alias CNAME later")));
    ask(r, "alias", Type.A); // NXDOMAIN via alias -> later
    ZoneDiff d = change(V1.replace("10 7200", "11 7200").replace("alias CNAME www", "alias CNAME later")
        + "later A 192.0.2.60\n");
    new CacheEvictor(r).apply(EvictionPlan.of(ZONE, List.of(d)));
    assertThat(cached(r, "alias", Type.A)).isFalse();
    assertThat(answer(ask(r, "alias", Type.A))).isEqualTo("NOERROR [later.example.test., 192.0.2.60]");
  }

  @Test
  void aChangedCnameEvictsEveryTypeAtItsOwnerAndAChangedWildcardItsSubtree() {
    CachingResolver r = resolver(CachePolicy.defaults());
    ask(r, "alias", Type.A);
    ask(r, "alias", Type.AAAA);
    ask(r, "foo.wild", Type.A); // synthesised
    ZoneDiff d = change(V1.replace("10 7200", "11 7200").replace("alias CNAME www", "alias CNAME other")
        .replace("*.wild A 192.0.2.50", "*.wild A 192.0.2.51"));
    EvictionPlan plan = EvictionPlan.of(ZONE, List.of(d));
    assertThat(plan.allTypes()).contains(name("alias"));
    assertThat(plan.below()).contains(name("wild"));
    new CacheEvictor(r).apply(plan);
    assertThat(cached(r, "alias", Type.A)).isFalse();
    assertThat(cached(r, "alias", Type.AAAA)).isFalse();
    assertThat(cached(r, "foo.wild", Type.A)).isFalse();
  }

  @Test
  void aNameThatLosesItsLastRecordLosesItsNodataEntriesToo() {
    CachingResolver r = resolver(CachePolicy.defaults());
    ask(r, "other", Type.A);
    ask(r, "other", Type.MX); // NODATA, will become NXDOMAIN
    ZoneDiff d = change(V1.replace("10 7200", "11 7200").replace("other A 192.0.2.9\n", ""));
    new CacheEvictor(r).apply(EvictionPlan.of(ZONE, List.of(d)));
    assertThat(cached(r, "other", Type.MX)).isFalse();
    assertThat(ask(r, "other", Type.MX).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void serveStaleNeverServesAnRRsetThatAChangeEvicted() {
    CachePolicy stale = CachePolicy.builder().serveStale(true).maxStale(Duration.ofDays(1))
        .clientTimeout(Duration.ofMillis(1800)).servfailTtl(Duration.ZERO).build();
    CachingResolver r = resolver(stale);
    ask(r, "www", Type.A);
    ask(r, "other", Type.A);
    clock.advanceSeconds(400); // past the TTL of 300: both stale
    upstream.down(true);
    ZoneDiff d = change(V1.replace("10 7200", "11 7200").replace("www A 192.0.2.3", "www A 192.0.2.4"));
    upstream.down(true);
    new CacheEvictor(r).apply(EvictionPlan.of(ZONE, List.of(d)));
    Message www = ask(r, "www", Type.A);
    Message other = ask(r, "other", Type.A);
    assertThat(www.getRcode()).as("the changed RRset is gone, stale copy included").isEqualTo(Rcode.SERVFAIL);
    assertThat(answer(other)).as("unchanged data still served stale").isEqualTo("NOERROR [192.0.2.9]");
  }

  @Test
  void aSoaOnlyChangeEvictsOnlyTheApexSoa() {
    CachingResolver r = resolver(CachePolicy.defaults());
    ask(r, "www", Type.A);
    ask(r, ZONE.toString(), Type.SOA);
    ask(r, "ghost", Type.A);
    ZoneDiff d = change(V1.replace("10 7200", "11 7200"));
    EvictionPlan plan = EvictionPlan.of(ZONE, List.of(d));
    assertThat(plan.onlySoa()).isTrue();
    new CacheEvictor(r).apply(plan);
    assertThat(r.inspect(ZONE, Type.SOA)).isEmpty();
    assertThat(cached(r, "www", Type.A)).isTrue();
    assertThat(cached(r, "ghost", Type.A)).isTrue();
  }
}
