package io.tierdns.authoritative;

import static io.tierdns.authoritative.TestZones.name;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.wire.MessageProcessor;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import io.tierdns.wire.WireObserver;
import io.tierdns.wire.WireOptions;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The operator's reproduction of RFC 9471 §3 through the handler and the wire layer: a delegation
 * whose six NS names are long names under the cut, each with A glue, asked without EDNS (512
 * octets). Knot DNS sets TC; tierdns sent AUTHORITY 6, ADDITIONAL 0 and no TC.
 */
class ReferralGlueTruncationTest {

  private static final String LONG = "x".repeat(61);

  private final MessageProcessor processor;

  ReferralGlueTruncationTest() {
    StringBuilder zone =
        new StringBuilder(
            """
            $TTL 3600
            @ SOA ns1.parent.test. hostmaster.parent.test. 1 7200 3600 1209600 300
            @ NS ns1.parent.test.
            ns1 A 192.0.2.1
            """);
    for (int i = 0; i < 6; i++) {
      String ns = i + LONG + ".deep";
      zone.append("deep NS ").append(ns).append('\n');
      zone.append(ns).append(" A 192.0.2.").append(10 + i).append('\n');
      // sibling glue: a name of the parent zone beside the cut, not under it
      zone.append("side NS ").append(i).append(LONG).append(".sib\n");
      zone.append(i).append(LONG).append(".sib A 192.0.2.").append(20 + i).append('\n');
    }
    ZoneRegistry registry = new ZoneRegistry();
    registry.replaceAll(List.of(TestZones.zone("parent.test", zone.toString())));
    processor =
        new MessageProcessor(
            new AuthoritativeHandler(registry), WireOptions.defaults(), WireObserver.NOOP);
  }

  private Message ask(String qname, Transport transport) throws Exception {
    Message q = Message.newQuery(Record.newRecord(name(qname), Type.A, DClass.IN));
    QueryContext context =
        new QueryContext(
            transport, new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress(53));
    byte[] answer = processor.process(q.toWire(), context).toCompletableFuture().join();
    if (transport == Transport.UDP) {
      assertThat(answer.length).isLessThanOrEqualTo(512);
    }
    return new Message(answer);
  }

  @Test
  void inDomainGlueThatDoesNotFitIn512OctetsSetsTcAlsoWhenReplayedFromThePacketCache()
      throws Exception {
    for (int i = 0; i < 2; i++) {
      Message r = ask("www.deep.parent.test", Transport.UDP);
      assertThat(r.getHeader().getFlag(Flags.TC)).as("answer %d", i).isTrue();
      assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
    }
    Message tcp = ask("www.deep.parent.test", Transport.TCP);
    assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(tcp.getSection(Section.AUTHORITY)).hasSize(6);
    assertThat(tcp.getSection(Section.ADDITIONAL)).hasSize(6);
  }

  @Test
  void siblingGlueThatDoesNotFitIsDroppedWithoutTc() throws Exception {
    Message r = ask("www.side.parent.test", Transport.UDP);
    assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(r.getSection(Section.AUTHORITY)).hasSize(6);
    assertThat(r.getSection(Section.ADDITIONAL).size()).isLessThan(6);
  }
}
