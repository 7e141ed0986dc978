package io.tierdns.cache;

import static io.tierdns.cache.Dns.name;
import static io.tierdns.cache.Dns.query;
import static io.tierdns.cache.Dns.response;
import static io.tierdns.cache.Dns.rr;
import static io.tierdns.cache.Dns.soa;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class AnswerClassifierTest {

  private final AnswerClassifier defaults = new AnswerClassifier(CachePolicy.defaults());

  private static Optional<CacheEntry> classify(
      AnswerClassifier c, String qname, String qtype, int rcode, List<Record> an, List<Record> ns) {
    Message q = query(qname, qtype);
    return c.classify(CacheKey.of(q), response(q, rcode, an, ns), 0);
  }

  @Test
  void positiveEntryLivesAsLongAsItsSmallestTtl() {
    CacheEntry e =
        classify(defaults, "www.example.", "A", Rcode.NOERROR,
                List.of(rr("www.example.", "CNAME", 600, "web.example."),
                    rr("web.example.", "A", 120, "192.0.2.1")),
                List.of())
            .orElseThrow();
    assertThat(e.kind()).isEqualTo(CacheEntry.Kind.POSITIVE);
    assertThat(e.ttlSeconds()).isEqualTo(120);
    assertThat(e.answer()).hasSize(2);
  }

  @Test
  void recordsOffTheCnameChainAreNotCached() {
    CacheEntry e =
        classify(defaults, "www.example.", "A", Rcode.NOERROR,
                List.of(rr("www.example.", "CNAME", 600, "web.example."),
                    rr("web.example.", "A", 120, "192.0.2.1"),
                    rr("bank.example.", "A", 86400, "203.0.113.66"),
                    rr("web.example.", "TXT", 120, "\"not asked\"")),
                List.of())
            .orElseThrow();
    assertThat(e.answer()).extracting(r -> r.getName().toString()).containsExactly("www.example.", "web.example.");
  }

  @Test
  void chainMatchingIgnoresLetterCase() {
    CacheEntry e =
        classify(defaults, "WWW.Example.", "A", Rcode.NOERROR,
                List.of(rr("www.example.", "CNAME", 600, "Web.Example."),
                    rr("web.example.", "A", 120, "192.0.2.1")),
                List.of())
            .orElseThrow();
    assertThat(e.kind()).isEqualTo(CacheEntry.Kind.POSITIVE);
    assertThat(e.answer()).hasSize(2);
  }

  @Test
  void ttlsAreClampedIntoMinAndMax() {
    AnswerClassifier c =
        new AnswerClassifier(
            CachePolicy.builder().minTtl(Duration.ofSeconds(60)).maxTtl(Duration.ofSeconds(3600)).build());
    CacheEntry low =
        classify(c, "a.example.", "A", Rcode.NOERROR, List.of(rr("a.example.", "A", 5, "192.0.2.1")), List.of())
            .orElseThrow();
    CacheEntry high =
        classify(c, "b.example.", "A", Rcode.NOERROR, List.of(rr("b.example.", "A", 999999, "192.0.2.1")), List.of())
            .orElseThrow();
    assertThat(low.ttlSeconds()).isEqualTo(60);
    assertThat(low.answer().get(0).getTTL()).isEqualTo(60);
    assertThat(high.ttlSeconds()).isEqualTo(3600);
  }

  @Test
  void ttlZeroIsNotCachedUnlessMinTtlIsSet() {
    List<Record> an = List.of(rr("a.example.", "A", 0, "192.0.2.1"));
    assertThat(classify(defaults, "a.example.", "A", Rcode.NOERROR, an, List.of())).isEmpty();
    AnswerClassifier c = new AnswerClassifier(CachePolicy.builder().minTtl(Duration.ofSeconds(5)).build());
    assertThat(classify(c, "a.example.", "A", Rcode.NOERROR, an, List.of()).orElseThrow().ttlSeconds()).isEqualTo(5);
  }

  @Test
  void ttlWithTheTopBitSetCountsAsZeroPerRfc2181() {
    List<Record> an = List.of(Records.withTtl(rr("a.example.", "A", 60, "192.0.2.1"), 0x8000_0000L));
    assertThat(an.get(0).getTTL()).isEqualTo(0x8000_0000L);
    assertThat(classify(defaults, "a.example.", "A", Rcode.NOERROR, an, List.of())).isEmpty();
  }

  @Test
  void nxdomainTtlIsTheSmallerOfSoaTtlAndSoaMinimum() {
    CacheEntry e =
        classify(defaults, "nope.example.", "A", Rcode.NXDOMAIN, List.of(), List.of(soa("example.", 3600, 300)))
            .orElseThrow();
    assertThat(e.kind()).isEqualTo(CacheEntry.Kind.NXDOMAIN);
    assertThat(e.ttlSeconds()).isEqualTo(300);
    assertThat(e.authority()).singleElement().satisfies(r -> assertThat(r.getTTL()).isEqualTo(300));

    CacheEntry e2 =
        classify(defaults, "nope.example.", "A", Rcode.NXDOMAIN, List.of(), List.of(soa("example.", 60, 300)))
            .orElseThrow();
    assertThat(e2.ttlSeconds()).isEqualTo(60);
  }

  @Test
  void negativeTtlIsClampedToNegativeMaxTtl() {
    AnswerClassifier c = new AnswerClassifier(CachePolicy.builder().negativeMaxTtl(Duration.ofSeconds(30)).build());
    CacheEntry e =
        classify(c, "nope.example.", "A", Rcode.NXDOMAIN, List.of(), List.of(soa("example.", 3600, 3600)))
            .orElseThrow();
    assertThat(e.ttlSeconds()).isEqualTo(30);
  }

  @Test
  void nodataIsCachedAsNodataWithItsSoa() {
    CacheEntry e =
        classify(defaults, "www.example.", "AAAA", Rcode.NOERROR, List.of(), List.of(soa("example.", 600, 600)))
            .orElseThrow();
    assertThat(e.kind()).isEqualTo(CacheEntry.Kind.NODATA);
    assertThat(e.kind().rcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void nxdomainAtTheEndOfACnameChainKeepsTheChain() {
    CacheEntry e =
        classify(defaults, "www.example.", "A", Rcode.NXDOMAIN,
                List.of(rr("www.example.", "CNAME", 600, "gone.example.")),
                List.of(soa("example.", 600, 120)))
            .orElseThrow();
    assertThat(e.kind()).isEqualTo(CacheEntry.Kind.NXDOMAIN);
    assertThat(e.answer()).hasSize(1);
    assertThat(e.ttlSeconds()).isEqualTo(120);
  }

  @Test
  void negativeAnswerWithoutSoaIsNotCached() {
    assertThat(classify(defaults, "nope.example.", "A", Rcode.NXDOMAIN, List.of(), List.of())).isEmpty();
  }

  @Test
  void negativeAnswerWithAnOutOfZoneSoaIsNotCached() {
    assertThat(classify(defaults, "nope.example.", "A", Rcode.NXDOMAIN, List.of(), List.of(soa("other.", 60, 60))))
        .isEmpty();
  }

  @Test
  void servfailAndRefusedAreNeverCached() {
    assertThat(classify(defaults, "a.example.", "A", Rcode.SERVFAIL, List.of(), List.of())).isEmpty();
    assertThat(classify(defaults, "a.example.", "A", Rcode.REFUSED, List.of(), List.of())).isEmpty();
  }

  @Test
  void cnameLoopEndsTheChainWithoutHanging() {
    Optional<CacheEntry> e =
        classify(defaults, "a.example.", "A", Rcode.NOERROR,
            List.of(rr("a.example.", "CNAME", 60, "b.example."), rr("b.example.", "CNAME", 60, "a.example.")),
            List.of(soa("example.", 60, 60)));
    assertThat(e).get().extracting(CacheEntry::kind).isEqualTo(CacheEntry.Kind.NODATA);
  }

  @Test
  void cnameQuestionIsAnsweredByTheCnameItself() {
    CacheEntry e =
        classify(defaults, "www.example.", "CNAME", Rcode.NOERROR,
                List.of(rr("www.example.", "CNAME", 600, "web.example.")), List.of())
            .orElseThrow();
    assertThat(e.kind()).isEqualTo(CacheEntry.Kind.POSITIVE);
    assertThat(e.answer()).extracting(Record::getType).containsExactly(Type.CNAME);
  }

  @Test
  void weightGrowsWithTheRecords() {
    CacheEntry one =
        classify(defaults, "a.example.", "A", Rcode.NOERROR, List.of(rr("a.example.", "A", 60, "192.0.2.1")), List.of())
            .orElseThrow();
    CacheEntry two =
        classify(defaults, "a.example.", "A", Rcode.NOERROR,
                List.of(rr("a.example.", "A", 60, "192.0.2.1"), rr("a.example.", "A", 60, "192.0.2.2")), List.of())
            .orElseThrow();
    assertThat(one.weight()).isGreaterThan(CacheEntry.ENTRY_OVERHEAD);
    assertThat(two.weight()).isGreaterThan(one.weight());
    assertThat(name("a.example.")).isEqualTo(one.key().name());
  }
}
