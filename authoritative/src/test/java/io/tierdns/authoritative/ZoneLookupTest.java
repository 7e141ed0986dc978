package io.tierdns.authoritative;

import static io.tierdns.authoritative.TestZones.name;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneLookupTest {

  private final ZoneSnapshot zone = TestZones.example();

  private LookupResult lookup(String qname, int qtype) {
    return ZoneLookup.lookup(zone, name(qname), qtype);
  }

  @Test
  void exactMatchIsAnAnswer() {
    LookupResult r = lookup("www.example.test", Type.A);
    assertThat(r).isInstanceOf(LookupResult.Answer.class);
    assertThat(((LookupResult.Answer) r).records())
        .extracting(Record::rdataToString)
        .containsExactly("192.0.2.3");
    assertThat(((LookupResult.Answer) r).wildcard()).isFalse();
  }

  @Test
  void existingNameWithoutTheTypeIsNoData() {
    assertThat(lookup("www.example.test", Type.TXT)).isEqualTo(new LookupResult.NoData(false));
  }

  @Test
  void missingNameIsNxDomain() {
    assertThat(lookup("nope.example.test", Type.A).kind()).isEqualTo(LookupResult.Kind.NXDOMAIN);
  }

  @Test
  void emptyNonTerminalIsNoData() {
    assertThat(lookup("b.ent.example.test", Type.A)).isEqualTo(new LookupResult.NoData(false));
  }

  @Test
  void wildcardMatchSynthesisesAnAnswerOwnedByTheQname() {
    LookupResult r = lookup("x.y.wild.example.test", Type.A);
    assertThat(r).isInstanceOf(LookupResult.Answer.class);
    LookupResult.Answer a = (LookupResult.Answer) r;
    assertThat(a.wildcard()).isTrue();
    assertThat(a.records()).extracting(Record::getName).containsOnly(name("x.y.wild.example.test"));
  }

  @Test
  void wildcardWithoutTheTypeIsWildcardNoData() {
    assertThat(lookup("x.wild.example.test", Type.TXT)).isEqualTo(new LookupResult.NoData(true));
  }

  @Test
  void emptyNonTerminalClosestEncloserBlocksAWildcardHigherUp() {
    // *.ent exists, but the closest encloser of q.b.ent is the empty non-terminal b.ent and
    // *.b.ent does not exist (RFC 4592 §2.2.2 and §3.3.1).
    assertThat(lookup("q.b.ent.example.test", Type.A).kind())
        .isEqualTo(LookupResult.Kind.NXDOMAIN);
    assertThat(lookup("q.ent.example.test", Type.A).kind()).isEqualTo(LookupResult.Kind.ANSWER);
  }

  @Test
  void wildcardCnameIsSynthesisedAtTheQname() {
    LookupResult r = lookup("y.wild2.example.test", Type.A);
    assertThat(r).isInstanceOf(LookupResult.Cname.class);
    LookupResult.Cname c = (LookupResult.Cname) r;
    assertThat(c.cname().getName()).isEqualTo(name("y.wild2.example.test"));
    assertThat(c.target()).isEqualTo(name("www.example.test"));
    assertThat(c.wildcard()).isTrue();
  }

  @Test
  void cnameIsReturnedForAnyOtherType() {
    LookupResult r = lookup("alias.example.test", Type.AAAA);
    assertThat(r).isInstanceOf(LookupResult.Cname.class);
    assertThat(((LookupResult.Cname) r).target()).isEqualTo(name("www.example.test"));
  }

  @Test
  void cnameQueryGetsTheCnameAsAnswer() {
    assertThat(lookup("alias.example.test", Type.CNAME).kind())
        .isEqualTo(LookupResult.Kind.ANSWER);
  }

  @Test
  void delegationPointIsAReferralWithGlue() {
    LookupResult r = lookup("sub.example.test", Type.A);
    assertThat(r).isInstanceOf(LookupResult.Referral.class);
    LookupResult.Referral ref = (LookupResult.Referral) r;
    assertThat(ref.cut()).isEqualTo(name("sub.example.test"));
    assertThat(ref.ns()).hasSize(2);
    assertThat(ref.glue()).extracting(Record::rdataToString).containsExactly("192.0.2.50");
  }

  @Test
  void nameBelowACutIsAReferralEvenWhenItIsOccludedGlue() {
    assertThat(lookup("a.b.sub.example.test", Type.A).kind())
        .isEqualTo(LookupResult.Kind.REFERRAL);
    assertThat(lookup("ns.sub.example.test", Type.A).kind()).isEqualTo(LookupResult.Kind.REFERRAL);
  }

  @Test
  void dsAtTheCutIsAnsweredFromTheParentSide() {
    assertThat(lookup("sub.example.test", Type.DS).kind()).isEqualTo(LookupResult.Kind.ANSWER);
    assertThat(lookup("nods.example.test", Type.DS)).isEqualTo(new LookupResult.NoData(false));
  }

  @Test
  void dsBelowTheCutIsAReferral() {
    assertThat(lookup("a.sub.example.test", Type.DS).kind()).isEqualTo(LookupResult.Kind.REFERRAL);
  }

  @Test
  void anyReturnsEveryRrsetAtTheName() {
    LookupResult r = lookup("multi.example.test", Type.ANY);
    assertThat(((LookupResult.Answer) r).records())
        .extracting(Record::getType)
        .containsExactly(Type.A, Type.MX, Type.TXT);
  }

  @Test
  void lookupIsCaseInsensitive() {
    assertThat(lookup("WwW.ExAmPlE.TeSt", Type.A).kind()).isEqualTo(LookupResult.Kind.ANSWER);
  }
}
