package io.tierdns.authoritative;

import static io.tierdns.authoritative.TestZones.name;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tierdns.wire.MessageProcessor;
import io.tierdns.wire.MicrometerWireObserver;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import io.tierdns.wire.WireObserver;
import io.tierdns.wire.WireOptions;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The wire layer's packet cache in front of the authoritative handler. */
class AuthoritativePacketCacheTest {

  private static final QueryContext UDP =
      new QueryContext(
          Transport.UDP, new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress(53));
  private static final QueryContext TCP =
      new QueryContext(
          Transport.TCP, new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress(53));

  private final ZoneRegistry registry = new ZoneRegistry();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AuthoritativeHandler handler = new AuthoritativeHandler(registry);
  private final MessageProcessor cached =
      new MessageProcessor(handler, WireOptions.defaults(), new MicrometerWireObserver(meters));
  private final MessageProcessor uncached =
      new MessageProcessor(
          handler, WireOptions.defaults().withPacketCacheBytes(0), WireObserver.NOOP);

  AuthoritativePacketCacheTest() {
    registry.replaceAll(
        List.of(
            TestZones.example(),
            TestZones.zone("zone2.test", TestZones.ZONE2),
            TestZones.zone("child.example.test", TestZones.CHILD)));
  }

  @Test
  void everySwapOfTheRegistryIncreasesItsVersion() {
    long v = registry.version();
    registry.put(TestZones.zone("zone2.test", TestZones.ZONE2));
    assertThat(registry.version()).isGreaterThan(v);
    v = registry.version();
    registry.remove(name("zone2.test"));
    assertThat(registry.version()).isGreaterThan(v);
    v = registry.version();
    registry.replaceAll(List.of(TestZones.example()));
    assertThat(registry.version()).isGreaterThan(v);
    assertThat(handler.cacheGeneration()).isEqualTo(registry.version());
    assertThat(new AuthoritativeHandler(null).cacheGeneration()).isNegative();
  }

  @Test
  void cachedAnswersAreByteForByteTheAnswersOfTheHandler() {
    List<Message> queries =
        List.of(
            query("www.example.test.", Type.A),
            query("WwW.ExAmPlE.TeSt.", Type.A),
            query("example.test.", Type.NS),
            query("example.test.", Type.MX),
            query("nothere.example.test.", Type.A),
            query("www.example.test.", Type.TXT),
            query("x.wild.example.test.", Type.A),
            query("Alias2.Example.Test.", Type.A),
            query("toz2.example.test.", Type.A),
            query("a.sub.example.test.", Type.A),
            query("sub.example.test.", Type.DS),
            query("srv._tcp.example.test.", Type.SRV),
            query("example.test.", Type.ANY),
            query("www.example.org.", Type.A),
            query("www.example.test.", Type.A, DClass.CH),
            edns(query("MULTI.example.test.", Type.MX), 1232, true),
            edns(query("www.example.test.", Type.A), 4096, false),
            edns(query("nothere.example.test.", Type.A), 512, false));
    for (QueryContext context : List.of(UDP, TCP)) {
      for (Message q : queries) {
        byte[] wire = q.toWire();
        byte[] expected = answer(uncached, wire, context);
        assertThat(answer(cached, wire, context)).as("miss %s", q.getQuestion()).isEqualTo(expected);
        assertThat(answer(cached, wire, context)).as("hit %s", q.getQuestion()).isEqualTo(expected);
      }
    }
    assertThat(meters.get("wire.packetcache.hits").tag("transport", "udp").functionCounter().count())
        .isGreaterThanOrEqualTo(queries.size());
  }

  @Test
  void aZoneChangeIsServedOnTheVeryNextQuery() throws Exception {
    byte[] wire = query("www.example.test.", Type.A).toWire();
    assertThat(address(answer(cached, wire, UDP))).isEqualTo("192.0.2.3");
    assertThat(address(answer(cached, wire, UDP))).isEqualTo("192.0.2.3");
    registry.put(
        TestZones.zone("example.test", TestZones.EXAMPLE.replace("192.0.2.3", "192.0.2.33")));
    assertThat(address(answer(cached, wire, UDP))).isEqualTo("192.0.2.33");
    registry.remove(name("example.test"));
    assertThat(new Message(answer(cached, wire, UDP)).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void transfersAreNeverCached() throws Exception {
    byte[] axfr = query("example.test.", Type.AXFR).toWire();
    answer(cached, axfr, UDP);
    answer(cached, axfr, UDP);
    assertThat(meters.get("wire.packetcache.misses").tag("transport", "udp").functionCounter().count())
        .isZero();
  }

  private static String address(byte[] response) throws Exception {
    Message m = new Message(response);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    return m.getSection(Section.ANSWER).get(0).rdataToString();
  }

  private static byte[] answer(MessageProcessor processor, byte[] wire, QueryContext context) {
    if (context.transport() == Transport.TCP) {
      List<byte[]> frames = processor.processStream(wire, context).toCompletableFuture().join();
      assertThat(frames).hasSize(1);
      return frames.get(0);
    }
    return processor.process(wire, context).toCompletableFuture().join();
  }

  private static Message query(String qname, int qtype) {
    return query(qname, qtype, DClass.IN);
  }

  private static Message query(String qname, int qtype, int dclass) {
    return Message.newQuery(Record.newRecord(name(qname), qtype, dclass));
  }

  private static Message edns(Message q, int payload, boolean dnssecOk) {
    q.addRecord(new OPTRecord(payload, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    return q;
  }
}
