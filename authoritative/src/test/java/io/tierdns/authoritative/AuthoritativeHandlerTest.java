package io.tierdns.authoritative;

import static io.tierdns.authoritative.TestZones.name;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AuthoritativeHandlerTest {

  private final ZoneRegistry registry = new ZoneRegistry();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AuthoritativeHandler handler = new AuthoritativeHandler(registry, meters);

  AuthoritativeHandlerTest() {
    registry.replaceAll(
        List.of(
            TestZones.example(),
            TestZones.zone("zone2.test", TestZones.ZONE2),
            TestZones.zone("child.example.test", TestZones.CHILD)));
  }

  private static Message query(String qname, int qtype) {
    return query(qname, qtype, DClass.IN);
  }

  private static Message query(String qname, int qtype, int dclass) {
    Message q = Message.newQuery(Record.newRecord(name(qname), qtype, dclass));
    q.getHeader().setID(4242);
    return q;
  }

  private Message ask(Message query, Transport transport) {
    QueryContext context =
        new QueryContext(
            transport, new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress(53));
    return handler.handle(query, context).toCompletableFuture().join();
  }

  private Message ask(String qname, int qtype) {
    return ask(query(qname, qtype), Transport.UDP);
  }

  private static List<String> section(Message m, int section) {
    return m.getSection(section).stream()
        .map(r -> r.getName() + " " + r.getTTL() + " " + Type.string(r.getType()) + " " + r.rdataToString())
        .toList();
  }

  private static List<Integer> types(Message m, int section) {
    return m.getSection(section).stream().map(Record::getType).toList();
  }

  @Test
  void exactAnswerIsAuthoritativeAndCopiesIdRdAndQuestion() {
    Message q = query("www.example.test", Type.A);
    Message r = ask(q, Transport.UDP);
    assertThat(r.getHeader().getID()).isEqualTo(4242);
    assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(r.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getQuestion()).isEqualTo(q.getQuestion());
    assertThat(section(r, Section.ANSWER)).containsExactly("www.example.test. 3600 A 192.0.2.3");
    // Like Knot DNS: no NS set in authority on a positive answer.
    assertThat(r.getSection(Section.AUTHORITY)).isEmpty();
  }

  @Test
  void questionCaseIsPreservedForDns0x20() {
    Message r = ask("WwW.ExAmPlE.TeSt", Type.A);
    assertThat(r.getQuestion().getName().toString()).isEqualTo("WwW.ExAmPlE.TeSt.");
    assertThat(r.getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void noDataCarriesTheSoaWithTtlMinOfTtlAndMinimum() {
    Message r = ask("www.example.test", Type.TXT);
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(r.getSection(Section.ANSWER)).isEmpty();
    assertThat(r.getSection(Section.AUTHORITY)).singleElement()
        .satisfies(soa -> {
          assertThat(soa.getType()).isEqualTo(Type.SOA);
          assertThat(soa.getTTL()).isEqualTo(300);
        });
  }

  @Test
  void nxDomainCarriesTheSoaWithTtlMinOfTtlAndMinimum() {
    Message r = ask("nope.example.test", Type.A);
    assertThat(r.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(r.getSection(Section.AUTHORITY)).singleElement()
        .satisfies(soa -> assertThat(soa.getTTL()).isEqualTo(300));
  }

  @Test
  void wildcardMatchIsAnsweredAtTheQname() {
    Message r = ask("host.wild.example.test", Type.A);
    assertThat(section(r, Section.ANSWER))
        .containsExactly("host.wild.example.test. 3600 A 192.0.2.4");
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
  }

  @Test
  void wildcardNoDataIsNoErrorWithSoa() {
    Message r = ask("host.wild.example.test", Type.TXT);
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(types(r, Section.AUTHORITY)).containsExactly(Type.SOA);
  }

  @Test
  void emptyNonTerminalBlocksAWildcard() {
    assertThat(ask("b.ent.example.test", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(ask("q.b.ent.example.test", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void wildcardCnameIsSynthesisedAtTheQnameAndFollowed() {
    Message r = ask("y.wild2.example.test", Type.A);
    assertThat(section(r, Section.ANSWER))
        .containsExactly(
            "y.wild2.example.test. 3600 CNAME www.example.test.",
            "www.example.test. 3600 A 192.0.2.3");
  }

  @Test
  void cnameChainIsFollowedInsideTheZone() {
    Message r = ask("alias2.example.test", Type.A);
    assertThat(types(r, Section.ANSWER)).containsExactly(Type.CNAME, Type.CNAME, Type.A);
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
  }

  @Test
  void cnameChainIsFollowedIntoASecondServedZone() {
    Message r = ask("toz2.example.test", Type.A);
    assertThat(section(r, Section.ANSWER))
        .containsExactly(
            "toz2.example.test. 3600 CNAME www.zone2.test.",
            "www.zone2.test. 600 A 198.51.100.1");
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
  }

  @Test
  void cnameToAnOutOfZoneTargetStopsAtTheCname() {
    Message r = ask("ext.example.test", Type.A);
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(types(r, Section.ANSWER)).containsExactly(Type.CNAME);
    assertThat(r.getSection(Section.AUTHORITY)).isEmpty();
  }

  @Test
  void cnameLoopIsCutWhenATargetRepeats() {
    Message r = ask("loop1.example.test", Type.A);
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(types(r, Section.ANSWER)).containsExactly(Type.CNAME, Type.CNAME);
  }

  @Test
  void longCnameChainIsBoundedAtMaxChain() {
    StringBuilder text = new StringBuilder("$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\n");
    for (int i = 0; i < 40; i++) {
      text.append("c").append(i).append(" CNAME c").append(i + 1).append('\n');
    }
    registry.put(TestZones.zone("chain.test", text.toString()));
    Message r = ask("c0.chain.test", Type.A);
    assertThat(r.getSection(Section.ANSWER)).hasSize(AuthoritativeHandler.MAX_CHAIN);
  }

  @Test
  void nxDomainAtTheEndOfAChainIsTheFinalRcodeWithTheLastZonesSoa() {
    Message r = ask("nx.example.test", Type.A);
    assertThat(r.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(types(r, Section.ANSWER)).containsExactly(Type.CNAME);
    assertThat(r.getSection(Section.AUTHORITY).get(0).getName()).isEqualTo(name("example.test"));

    Message cross = ask("gone.zone2.test", Type.A);
    assertThat(cross.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(cross.getSection(Section.AUTHORITY).get(0).getName()).isEqualTo(name("zone2.test"));
  }

  @Test
  void referralHasAaClearNsInAuthorityAndGlue() {
    Message r = ask("sub.example.test", Type.A);
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(r.getSection(Section.ANSWER)).isEmpty();
    assertThat(section(r, Section.AUTHORITY))
        .containsExactlyInAnyOrder(
            "sub.example.test. 3600 NS ns.sub.example.test.",
            "sub.example.test. 3600 NS ns.outside.test.");
    assertThat(section(r, Section.ADDITIONAL))
        .containsExactly("ns.sub.example.test. 3600 A 192.0.2.50");
  }

  @Test
  void queryBelowACutIsAReferral() {
    Message r = ask("deep.host.sub.example.test", Type.AAAA);
    assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(types(r, Section.AUTHORITY)).containsOnly(Type.NS);
  }

  @Test
  void dsAtACutIsAnsweredAuthoritativelyFromTheParent() {
    Message r = ask("sub.example.test", Type.DS);
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(types(r, Section.ANSWER)).containsExactly(Type.DS);
    assertThat(r.getSection(Section.AUTHORITY)).isEmpty();
  }

  @Test
  void dsAtTheApexOfAServedChildZoneIsAnsweredFromTheServedParent() {
    Message r = ask("child.example.test", Type.DS);
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(section(r, Section.ANSWER)).singleElement().asString().contains("54321");
  }

  @Test
  void longestMatchPicksTheNestedZone() {
    Message r = ask("www.child.example.test", Type.A);
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(section(r, Section.ANSWER))
        .containsExactly("www.child.example.test. 600 A 192.0.2.78");
    assertThat(ask("child.example.test", Type.SOA).getSection(Section.ANSWER).get(0).getName())
        .isEqualTo(name("child.example.test"));

    registry.remove(name("child.example.test"));
    assertThat(ask("www.child.example.test", Type.A).getHeader().getFlag(Flags.AA)).isFalse();
  }

  @Test
  void nsAnswerCarriesAddressesOfInZoneTargets() {
    Message r = ask("example.test", Type.NS);
    assertThat(section(r, Section.ADDITIONAL))
        .containsExactly(
            "ns1.example.test. 3600 A 192.0.2.1",
            "ns1.example.test. 3600 AAAA 2001:db8:0:0:0:0:0:1");
  }

  @Test
  void mxAndSrvAnswersCarryAddressesOfTheirTargets() {
    assertThat(section(ask("example.test", Type.MX), Section.ADDITIONAL))
        .containsExactly("mail.example.test. 3600 A 192.0.2.2");
    assertThat(section(ask("srv._tcp.example.test", Type.SRV), Section.ADDITIONAL))
        .containsExactly("www.example.test. 3600 A 192.0.2.3");
  }

  @Test
  void nameUnderNoServedZoneIsRefusedWithoutAa() {
    Message r = ask("www.elsewhere.test", Type.A);
    assertThat(r.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(r.getQuestion().getName()).isEqualTo(name("www.elsewhere.test"));
    // RFC 8914 §4.21 Extended DNS Error 20, as Knot DNS and NSD add it.
    assertThat(r.getOPT().getOptions(org.xbill.DNS.EDNSOption.Code.EDNS_EXTENDED_ERROR))
        .extracting(o -> ((org.xbill.DNS.ExtendedErrorCodeOption) o).getErrorCode())
        .containsExactly(org.xbill.DNS.ExtendedErrorCodeOption.NOT_AUTHORITATIVE);
  }

  @Test
  void nonInClassIsRefused() {
    Message r = ask(query("www.example.test", Type.A, DClass.CH), Transport.UDP);
    assertThat(r.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
  }

  @Test
  void qclassAnyIsAnsweredFromTheInDataWithTheQuestionAsAskedAsKnotAndNsd() {
    Message q = query("www.example.test", Type.A, DClass.ANY);
    Message r = ask(q, Transport.UDP);
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(r.getQuestion()).isEqualTo(q.getQuestion());
    assertThat(r.getQuestion().getDClass()).isEqualTo(DClass.ANY);
    assertThat(section(r, Section.ANSWER)).containsExactly("www.example.test. 3600 A 192.0.2.3");
    assertThat(r.getSection(Section.ANSWER).get(0).getDClass()).isEqualTo(DClass.IN);

    Message nx = ask(query("nothing.example.test", Type.A, DClass.ANY), Transport.TCP);
    assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(types(nx, Section.AUTHORITY)).containsExactly(Type.SOA);
    assertThat(ask(query("www.nowhere.test", Type.A, DClass.ANY), Transport.UDP).getRcode())
        .isEqualTo(Rcode.REFUSED);
  }

  @Test
  void unknownOpcodeIsNotImplementedWithOpcodeCopied() {
    Message q = query("example.test", Type.SOA);
    q.getHeader().setOpcode(Opcode.STATUS);
    Message r = ask(q, Transport.UDP);
    assertThat(r.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(r.getHeader().getOpcode()).isEqualTo(Opcode.STATUS);
  }

  @Test
  void notifyForAZoneServedAsPrimaryOrNotServedIsNotAuthAsKnot() {
    for (String zone : List.of("example.test", "elsewhere.test")) {
      Message q = query(zone, Type.SOA);
      q.getHeader().setOpcode(Opcode.NOTIFY);
      q.getHeader().setFlag(Flags.AA);
      Message r = ask(q, Transport.UDP);
      assertThat(r.getRcode()).as(zone).isEqualTo(Rcode.NOTAUTH);
      assertThat(r.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
      assertThat(r.getQuestion()).isEqualTo(q.getQuestion());
    }
  }

  @Test
  void anyGetsOneRrsetTheLowestTypeOverUdpAndOverTcpAsKnot() {
    for (Transport t : Transport.values()) {
      Message r = ask(query("multi.example.test", Type.ANY), t);
      assertThat(types(r, Section.ANSWER)).as("%s", t).containsExactly(Type.A);
      assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
    }
    Message apex = ask(query("example.test", Type.ANY), Transport.TCP);
    assertThat(types(apex, Section.ANSWER)).containsOnly(Type.NS);
    assertThat(types(apex, Section.ADDITIONAL)).containsExactly(Type.A, Type.AAAA);
  }

  @Test
  void axfrIsNotImplementedOverUdpAndRefusedOverTcp() {
    assertThat(ask(query("example.test", Type.AXFR), Transport.UDP).getRcode())
        .isEqualTo(Rcode.NOTIMP);
    assertThat(ask(query("example.test", Type.AXFR), Transport.TCP).getRcode())
        .isEqualTo(Rcode.REFUSED);
    assertThat(ask(query("example.test", Type.IXFR), Transport.UDP).getRcode())
        .isEqualTo(Rcode.REFUSED);
  }

  @Test
  void responsesAreCountedByRcode() {
    ask("www.example.test", Type.A);
    ask("nope.example.test", Type.A);
    ask("nope.example.test", Type.A);
    assertThat(meters.counter("authoritative.responses", "rcode", "NXDOMAIN").count()).isEqualTo(2);
    assertThat(meters.counter("authoritative.responses", "rcode", "NOERROR").count()).isEqualTo(1);
  }

  @Test
  void aBugCompletesTheStageExceptionallyInsteadOfThrowing() {
    Message broken = new Message(); // no question: FORMERR, not an exception
    assertThat(ask(broken, Transport.UDP).getRcode()).isEqualTo(Rcode.FORMERR);
    AuthoritativeHandler failing = new AuthoritativeHandler(null, meters);
    assertThat(failing.handle(query("www.example.test", Type.A), null).toCompletableFuture())
        .isCompletedExceptionally();
    assertThat(meters.counter("authoritative.errors").count()).isEqualTo(1);
  }
}
