package io.tierdns.zonesync;

import static io.tierdns.zonesync.Zones.ZONE;
import static io.tierdns.zonesync.Zones.zone;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyConfig;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.journal.JournalConfig;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

class NotifyIntakeTest {

  static final Name KEY = TsigKeyring.keyName("k");
  static final String SECRET = "Zm9vYmFyLWZvb2Jhci1mb29iYXItZm9vYmFyLTEyMzQ=";

  @TempDir Path dir;
  final FakeScheduler clock = new FakeScheduler();
  final FakePrimaries primaries = new FakePrimaries();
  final TsigKeyring keyring = TsigKeyring.of(List.of(new TsigKeyConfig("k", SECRET)), Clock.systemUTC());
  Secondaries secondaries;
  SecondaryHandler handler;
  FakePrimaries.Fake signed;

  @BeforeEach
  void open() {
    FakePrimaries.Fake plain = primaries.add(5300, zone(100));
    signed = primaries.add(5301, zone(100));
    SecondaryZoneConfig config =
        SecondaryZoneConfig.of(
                ZONE,
                List.of(plain.primary, new SecondaryZoneConfig.Primary(new InetSocketAddress("192.0.2.53", 53), KEY)))
            .withAllowNotify(TransferAcl.parse("198.51.100.0/24"));
    primaries.fakes.put(config.primaries().get(1), signed);
    ZoneRegistry registry = new ZoneRegistry();
    secondaries =
        Secondaries.open(List.of(config), dir, JournalConfig.defaults(), registry, primaries, clock, Runnable::run, List.of(), null, () -> 0.0);
    secondaries.start();
    clock.runDue();
    handler = new SecondaryHandler(new AuthoritativeHandler(registry), secondaries, keyring);
  }

  @AfterEach
  void close() {
    secondaries.close();
  }

  Message notify(Name zone) {
    Message m = new Message();
    m.getHeader().setOpcode(Opcode.NOTIFY);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(Record.newRecord(zone, Type.SOA, DClass.IN), Section.QUESTION);
    return m;
  }

  Message send(Message m, String from) throws Exception {
    byte[] wire = m.toWire(65535); // toWire(int) applies the TSIG
    Message parsed = new Message(wire);
    QueryContext ctx =
        new QueryContext(Transport.UDP, new InetSocketAddress(from, 4000), new InetSocketAddress("127.0.0.1", 53), wire);
    return handler.handle(parsed, ctx).toCompletableFuture().get();
  }

  @Test
  void aNotifyFromAPrimaryIsAnsweredNoerrorAndTriggersAnSoaCheck() throws Exception {
    FakePrimaries.Fake p = primaries.fakes.values().stream().filter(f -> f.primary.address().getPort() == 5300).findFirst().orElseThrow();
    int before = p.log.size();
    Message r = send(notify(ZONE), "127.0.0.1");
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
    clock.runDue();
    assertThat(p.log.subList(before, p.log.size())).contains("SOA");
  }

  @Test
  void aNotifyForAZoneWeDoNotServeIsNotauth() throws Exception {
    assertThat(send(notify(Name.fromConstantString("other.test.")), "127.0.0.1").getRcode()).isEqualTo(Rcode.NOTAUTH);
  }

  @Test
  void aNotifyFromAStrangerIsRefusedButTheAllowNotifyAclLetsOneIn() throws Exception {
    assertThat(send(notify(ZONE), "203.0.113.9").getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(send(notify(ZONE), "198.51.100.7").getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aKeyedPrimaryMustSignItsNotifyAndTheAnswerIsSigned() throws Exception {
    assertThat(send(notify(ZONE), "192.0.2.53").getRcode()).isEqualTo(Rcode.REFUSED);
    Message m = notify(ZONE);
    m.setTSIG(keyring.key(KEY).orElseThrow());
    Message r = send(m, "192.0.2.53");
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    Message rendered = new Message(r.toWire(65535)); // the wire layer signs when it renders
    assertThat(rendered.getTSIG()).isNotNull();
    assertThat(rendered.getTSIG().getName()).isEqualTo(KEY);
  }

  @Test
  void aNotifyWithABadSignatureIsNotauth() throws Exception {
    Message m = notify(ZONE);
    m.setTSIG(new TSIG(TSIG.HMAC_SHA256, "k", "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC0xMjM0NTY="));
    assertThat(send(m, "192.0.2.53").getRcode()).isEqualTo(Rcode.NOTAUTH);
  }
}
