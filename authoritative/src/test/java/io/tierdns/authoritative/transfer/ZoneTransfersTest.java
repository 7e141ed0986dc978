package io.tierdns.authoritative.transfer;

import static io.tierdns.authoritative.transfer.TransferTestZones.ZONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyConfig;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.wire.DnsServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/** The authoritative handler serving transfers and TSIG on a real socket. */
class ZoneTransfersTest {

  static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";
  static final TSIG KEY = new TSIG(TSIG.HMAC_SHA256, "xfr-key.", SECRET);
  static final TSIG UNKNOWN = new TSIG(TSIG.HMAC_SHA256, "who.", SECRET);
  static final TSIG WRONG =
      new TSIG(TSIG.HMAC_SHA256, "xfr-key.", "b3RoZXItb3RoZXItb3RoZXItb3RoZXItb3RoZXItMTI=");

  final ZoneSnapshot zone = TransferTestZones.zone(100, 1500);
  DnsServer server;
  InetSocketAddress at;

  @BeforeEach
  void start() {
    ZoneRegistry registry = new ZoneRegistry();
    registry.put(zone);
    TsigKeyring keyring = TsigKeyring.of(List.of(new TsigKeyConfig("xfr-key", SECRET)));
    TransferAcl acl = TransferAcl.parse("key:xfr-key");
    server =
        new DnsServer(
            List.of(new InetSocketAddress("127.0.0.1", 0)),
            new AuthoritativeHandler(
                registry, null, new TransferTestZones.History(),
                z -> z.equals(ZONE) ? acl : TransferAcl.denyAll(), keyring));
    server.start();
    at = server.boundAddresses().get(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  SimpleResolver resolver(TSIG key, boolean tcp) {
    SimpleResolver r = new SimpleResolver(at);
    r.setTSIGKey(key);
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(5));
    return r;
  }

  static Message query(int type) {
    return Message.newQuery(Record.newRecord(ZONE, type, DClass.IN));
  }

  @Test
  void aSignedSoaQueryGetsASignedAnswerThatVerifies() throws Exception {
    Message response = resolver(KEY, false).send(query(Type.SOA));
    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getTSIG()).isNotNull();
    assertThat(response.isVerified()).isTrue();
    assertThat(((SOARecord) response.getSection(Section.ANSWER).get(0)).getSerial()).isEqualTo(100);
  }

  @Test
  void aQuerySignedWithAnUnknownKeyGetsNotauthWithTsigErrorBadkey() throws Exception {
    Message response = resolver(UNKNOWN, false).send(query(Type.SOA));
    assertThat(response.getRcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(response.getTSIG().getError()).isEqualTo(Rcode.BADKEY);
    assertThat(response.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void aQueryWithABadSignatureGetsNotauthWithTsigErrorBadsig() throws Exception {
    Message response = resolver(WRONG, true).send(query(Type.SOA));
    assertThat(response.getRcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(response.getTSIG().getError()).isEqualTo(Rcode.BADSIG);
  }

  @Test
  void aSignedAxfrArrivesInManySignedMessages() throws Exception {
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(ZONE, at.getHostString(), at.getPort(), KEY);
    xfr.setTimeout(Duration.ofSeconds(10));
    xfr.run();
    assertThat(xfr.getAXFR()).hasSize(zone.size() + 1);
  }

  @Test
  void anUnsignedAxfrIsRefusedByTheAcl() {
    // dnsjava's resolver runs an AXFR as a transfer and reports the rcode as an exception
    assertThatThrownBy(() -> resolver(null, true).send(query(Type.AXFR)))
        .hasMessageContaining("REFUSED");
  }

  @Test
  void anAxfrOfAZoneNotServedIsNotauth() throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromConstantString("nothere.test."), Type.AXFR, DClass.IN));
    assertThatThrownBy(() -> resolver(KEY, true).send(q)).hasMessageContaining("NOTAUTH");
  }

  @Test
  void axfrOverUdpIsNotimp() throws Exception {
    try (io.tierdns.wire.client.DnsClient client = new io.tierdns.wire.client.DnsClient()) {
      Message response =
          client.query(at, query(Type.AXFR), io.tierdns.wire.Transport.UDP).get();
      assertThat(response.getRcode()).isEqualTo(Rcode.NOTIMP);
    }
  }

  @Test
  void anIxfrOverUdpForTheCurrentSerialIsTheSoaAloneSigned() throws Exception {
    Message q = query(Type.IXFR);
    q.addRecord(zone.soa(), Section.AUTHORITY);
    Message response = resolver(KEY, false).send(q);
    assertThat(response.getSection(Section.ANSWER)).containsExactly(zone.soa());
    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(response.isVerified()).isTrue();
  }

  @Test
  void anIxfrOverUdpThatWouldNeedTheWholeZoneIsTheSoaAlone() throws Exception {
    Message q = query(Type.IXFR);
    q.addRecord(new SOARecord(ZONE, DClass.IN, 0, ZONE, ZONE, 50, 0, 0, 0, 0), Section.AUTHORITY);
    Message response = resolver(KEY, false).send(q);
    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getSection(Section.ANSWER)).containsExactly(zone.soa());
  }

  @Test
  void anIxfrOverTcpFromAnUnknownSerialFallsBackToTheWholeZone() throws Exception {
    ZoneTransferIn xfr =
        ZoneTransferIn.newIXFR(ZONE, 50, false, at.getHostString(), at.getPort(), KEY);
    xfr.setTimeout(Duration.ofSeconds(10));
    xfr.run();
    assertThat(xfr.isAXFR()).isTrue();
    assertThat(xfr.getAXFR()).hasSize(zone.size() + 1);
  }

  @Test
  void anIxfrWithoutAnSoaInTheAuthoritySectionIsFormerr() throws Exception {
    assertThat(resolver(KEY, true).send(query(Type.IXFR)).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void anAxfrVerifiedWithAnotherKeyFailsInTheClient() {
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(ZONE, at.getHostString(), at.getPort(), WRONG);
    xfr.setTimeout(Duration.ofSeconds(10));
    assertThatThrownBy(xfr::run).isNotNull();
  }
}
