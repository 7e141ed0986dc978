package io.tierdns.authoritative.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.transfer.IxfrAnswer.Reading;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Reading an IXFR answer that came back in one message, and refusing what it cannot read. */
class IxfrAnswerTest {

  static final Name ZONE = Name.fromConstantString("example.test.");
  static final Name WWW = Name.fromConstantString("www.example.test.");

  static SOARecord soa(long serial) {
    return new SOARecord(ZONE, DClass.IN, 300, Name.fromConstantString("ns1.example.test."),
        Name.fromConstantString("hostmaster.example.test."), serial, 7200, 3600, 1209600, 300);
  }

  static ARecord a(String address) {
    try {
      return new ARecord(WWW, DClass.IN, 300, java.net.InetAddress.getByName(address));
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static Message answer(Record... records) {
    Message m = new Message();
    m.getHeader().setFlag(Flags.QR);
    m.addRecord(Record.newRecord(ZONE, Type.IXFR, DClass.IN), Section.QUESTION);
    for (Record r : records) {
      m.addRecord(r, Section.ANSWER);
    }
    return m;
  }

  // serials near the RFC 1982 wrap-around
  static final long OURS = 4294967295L;
  static final long NEXT = 0L;
  static final long AFTER = 1L;

  @Test
  void twoDifferencesAcrossTheSerialWrapAreReadInOrder() {
    Message m = answer(soa(AFTER), soa(OURS), a("192.0.2.3"), soa(NEXT), a("192.0.2.4"),
        soa(NEXT), a("192.0.2.4"), soa(AFTER), a("192.0.2.5"), soa(AFTER));

    Reading r = IxfrAnswer.read(ZONE, soa(OURS), m).orElseThrow();

    List<io.tierdns.authoritative.edit.ZoneDiff> diffs = ((IxfrAnswer.Incremental) r).diffs();
    assertThat(diffs).hasSize(2);
    assertThat(diffs.get(0).fromSerial()).isEqualTo(OURS);
    assertThat(diffs.get(0).removed()).containsExactly(a("192.0.2.3"));
    assertThat(diffs.get(0).added()).containsExactly(a("192.0.2.4"));
    assertThat(diffs.get(1).toSerial()).isEqualTo(AFTER);
    assertThat(diffs.get(1).added()).containsExactly(a("192.0.2.5"));
  }

  @Test
  void theUpstreamsSoaAloneAtOurSerialMeansCurrent() {
    assertThat(IxfrAnswer.read(ZONE, soa(OURS), answer(soa(OURS))).orElseThrow())
        .isInstanceOf(IxfrAnswer.Current.class);
  }

  @Test
  void aNewerSoaAloneIsLeftToTheFullTransfer() {
    assertThat(IxfrAnswer.read(ZONE, soa(OURS), answer(soa(NEXT)))).isEmpty();
  }

  @Test
  void anAxfrStyleAnswerIsTheWholeZone() {
    Reading r = IxfrAnswer.read(ZONE, soa(OURS), answer(soa(NEXT), a("192.0.2.4"), soa(NEXT))).orElseThrow();
    assertThat(((IxfrAnswer.Whole) r).soa().getSerial()).isEqualTo(NEXT);
    assertThat(((IxfrAnswer.Whole) r).records()).containsExactly(soa(NEXT), a("192.0.2.4"));
  }

  @Test
  void aStreamThatContinuesInAnotherMessageIsLeftToTheFullTransfer() {
    assertThat(IxfrAnswer.read(ZONE, soa(OURS), answer(soa(NEXT), soa(OURS), a("192.0.2.3"), soa(NEXT)))).isEmpty();
  }

  @Test
  void aDifferenceThatDoesNotStartAtOurSerialIsLeftToTheFullTransfer() {
    assertThat(IxfrAnswer.read(ZONE, soa(OURS),
        answer(soa(AFTER), soa(NEXT), a("192.0.2.4"), soa(AFTER), a("192.0.2.5"), soa(AFTER)))).isEmpty();
  }

  @Test
  void anErrorOrATruncatedAnswerIsLeftToTheFullTransfer() {
    Message refused = answer();
    refused.getHeader().setRcode(Rcode.REFUSED);
    Message truncated = answer(soa(NEXT), soa(OURS), soa(NEXT), soa(NEXT));
    truncated.getHeader().setFlag(Flags.TC);
    assertThat(IxfrAnswer.read(ZONE, soa(OURS), refused)).isEmpty();
    assertThat(IxfrAnswer.read(ZONE, soa(OURS), truncated)).isEmpty();
  }

  @Test
  void theQueryCarriesOurSoaWithoutRdAndEdnsOnlyOverUdp() {
    Message udp = IxfrAnswer.query(ZONE, soa(OURS), true);
    Message tcp = IxfrAnswer.query(ZONE, soa(OURS), false);
    assertThat(udp.getQuestion().getType()).isEqualTo(Type.IXFR);
    assertThat(udp.getHeader().getFlag(Flags.RD)).isFalse();
    assertThat(udp.getSection(Section.AUTHORITY)).containsExactly(soa(OURS));
    assertThat(udp.getOPT().getPayloadSize()).isEqualTo(1232);
    assertThat(tcp.getOPT()).isNull();
    assertThat(tcp.getSection(Section.AUTHORITY)).containsExactly(soa(OURS));
  }

  @Test
  void anUpstreamThatLeftUdpUnansweredIsAskedOverTcpUntilItAnswersAgain() {
    UdpIxfrBackoff backoff = new UdpIxfrBackoff();
    java.net.InetSocketAddress upstream = new java.net.InetSocketAddress("127.0.0.1", 5301);
    assertThat(backoff.udp(upstream)).isTrue();
    backoff.unanswered(upstream);
    assertThat(backoff.udp(upstream)).isFalse();
    assertThat(backoff.udp(new java.net.InetSocketAddress("127.0.0.1", 5302))).isTrue();
    backoff.answered(upstream);
    assertThat(backoff.udp(upstream)).isTrue();
  }
}
