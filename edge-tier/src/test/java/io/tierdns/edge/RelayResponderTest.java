package io.tierdns.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.transfer.IxfrAnswer;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The relay's IXFR over UDP: the differences when they fit, else the SOA alone (RFC 1995 §2). */
class RelayResponderTest {

  static final Name ZONE = Name.fromConstantString("example.test.");
  static final Name WWW = Name.fromConstantString("www.example.test.");

  static SOARecord soa(long serial) {
    return new SOARecord(ZONE, DClass.IN, 300, Name.fromConstantString("ns1.example.test."),
        Name.fromConstantString("hostmaster.example.test."), serial, 7200, 3600, 1209600, 300);
  }

  static ARecord a(String address) throws Exception {
    return new ARecord(WWW, DClass.IN, 300, InetAddress.getByName(address));
  }

  static Message ixfrQuery(long serial, boolean edns) {
    Message q = Message.newQuery(Record.newRecord(ZONE, Type.IXFR, DClass.IN));
    q.addRecord(soa(serial), Section.AUTHORITY);
    if (edns) {
      q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    return q;
  }

  @Test
  void aSmallChangeIsAnsweredWholeOverUdp() throws Exception {
    RelayHistory history = new RelayHistory(ZONE);
    history.reset(soa(10));
    history.append(List.of(new ZoneDiff(ZONE, soa(10), soa(11), List.of(a("192.0.2.3")), List.of(a("192.0.2.4")))));

    Message answer = new RelayResponder(history).ixfrUdp(ixfrQuery(10, true)).orElseThrow();

    IxfrAnswer.Reading r = IxfrAnswer.read(ZONE, soa(10), answer).orElseThrow();
    assertThat(r).isInstanceOf(IxfrAnswer.Incremental.class);
    ZoneDiff d = ((IxfrAnswer.Incremental) r).diffs().get(0);
    assertThat(d.added()).containsExactly(a("192.0.2.4"));
    assertThat(d.toSerial()).isEqualTo(11);
  }

  @Test
  void aChangeThatDoesNotFitIsAnsweredWithTheSoaAloneAndAnUnknownSerialTooSoTheClientUsesTcp() throws Exception {
    RelayHistory history = new RelayHistory(ZONE);
    history.reset(soa(10));
    List<Record> big = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      big.add(new TXTRecord(Name.fromString("t" + i, ZONE), DClass.IN, 300, "x".repeat(200)));
    }
    history.append(List.of(new ZoneDiff(ZONE, soa(10), soa(11), List.of(), big)));
    RelayResponder relay = new RelayResponder(history);

    Message noEdns = relay.ixfrUdp(ixfrQuery(10, false)).orElseThrow();
    assertThat(noEdns.getSection(Section.ANSWER)).containsExactly(soa(11));
    Message unknown = relay.ixfrUdp(ixfrQuery(7, true)).orElseThrow();
    assertThat(unknown.getSection(Section.ANSWER)).containsExactly(soa(11));
    Message noSoa = relay.ixfrUdp(Message.newQuery(Record.newRecord(ZONE, Type.IXFR, DClass.IN))).orElseThrow();
    assertThat(noSoa.getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void beforeTheFirstSoaTheRelayHasNothingToSay() {
    assertThat(new RelayResponder(new RelayHistory(ZONE)).ixfrUdp(ixfrQuery(10, true))).isEmpty();
  }
}
