package io.tierdns.authoritative.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

class TsigKeyringTest {

  static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  final TsigKeyring keyring =
      TsigKeyring.of(
          List.of(new TsigKeyConfig("xfr", SECRET), new TsigKeyConfig("k512", "hmac-sha512", SECRET)),
          CLOCK);

  static byte[] signed(TSIG key) {
    Message q = Message.newQuery(Record.newRecord(Name.fromConstantString("x.test."), Type.SOA, DClass.IN));
    q.setTSIG(key);
    return q.toWire(65535);
  }

  static TSIG key(String alg, String name, String secret, Clock clock) {
    return new TSIG(
        TSIG.algorithmToName(alg), Name.fromConstantString(name),
        new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(secret), "HmacSHA256"),
        clock);
  }

  TsigVerification verify(byte[] wire) throws Exception {
    return keyring.verify(new Message(wire), wire);
  }

  @Test
  void anUnsignedQueryIsUnsigned() throws Exception {
    byte[] wire = Message.newQuery(Record.newRecord(Name.root, Type.SOA, DClass.IN)).toWire();
    assertThat(verify(wire)).isInstanceOf(TsigVerification.Unsigned.class);
  }

  @Test
  void aQuerySignedWithAConfiguredKeyIsVerifiedAndNamesTheKey() throws Exception {
    TsigVerification v = verify(signed(key("hmac-sha256", "xfr.", SECRET, CLOCK)));
    assertThat(v).isInstanceOf(TsigVerification.Verified.class);
    assertThat(v.keyName()).isEqualTo(Name.fromConstantString("xfr."));
  }

  @Test
  void everyConfiguredAlgorithmVerifies() throws Exception {
    for (String alg : List.of("hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512")) {
      TsigKeyring ring = TsigKeyring.of(List.of(new TsigKeyConfig("k", alg, SECRET)), CLOCK);
      TSIG k = new TSIG(TSIG.algorithmToName(alg), Name.fromConstantString("k."),
          new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(SECRET),
              TSIG.nameToAlgorithm(TSIG.algorithmToName(alg))), CLOCK);
      byte[] wire = signed(k);
      assertThat(ring.verify(new Message(wire), wire)).as(alg).isInstanceOf(TsigVerification.Verified.class);
    }
  }

  @Test
  void anUnknownKeyIsBadkeyAndTheErrorAnswerIsNotauthWithAnEmptyMac() throws Exception {
    TsigVerification v = verify(signed(key("hmac-sha256", "other.", SECRET, CLOCK)));
    assertThat(v).isInstanceOfSatisfying(
        TsigVerification.Failed.class, f -> assertThat(f.error()).isEqualTo(Rcode.BADKEY));
    Message q = new Message(signed(key("hmac-sha256", "other.", SECRET, CLOCK)));
    Message response = v.applyTo(io.tierdns.wire.Responses.reply(q));
    Message parsed = new Message(response.toWire(65535));
    assertThat(parsed.getRcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(parsed.getTSIG().getError()).isEqualTo(Rcode.BADKEY);
    assertThat(parsed.getTSIG().getSignature()).isEmpty();
  }

  @Test
  void aWrongSecretIsBadsig() throws Exception {
    TsigVerification v =
        verify(signed(key("hmac-sha256", "xfr.", "b3RoZXItb3RoZXItb3RoZXItb3RoZXItb3RoZXItMTI=", CLOCK)));
    assertThat(v).isInstanceOfSatisfying(
        TsigVerification.Failed.class, f -> assertThat(f.error()).isEqualTo(Rcode.BADSIG));
  }

  @Test
  void theRightKeyWithAnotherAlgorithmIsBadkey() throws Exception {
    TsigVerification v = verify(signed(key("hmac-sha512", "xfr.", SECRET, CLOCK)));
    assertThat(v).isInstanceOfSatisfying(
        TsigVerification.Failed.class, f -> assertThat(f.error()).isEqualTo(Rcode.BADKEY));
  }

  @Test
  void aSignatureOutsideTheFudgeIsBadtimeAndItsAnswerIsSigned() throws Exception {
    Clock late = Clock.offset(CLOCK, Duration.ofMinutes(10));
    byte[] wire = signed(key("hmac-sha256", "xfr.", SECRET, late));
    TsigVerification v = verify(wire);
    assertThat(v).isInstanceOfSatisfying(
        TsigVerification.Failed.class, f -> assertThat(f.error()).isEqualTo(Rcode.BADTIME));
    Message q = new Message(wire);
    byte[] answer = v.applyTo(io.tierdns.wire.Responses.reply(q)).toWire(65535);
    Message parsed = new Message(answer);
    assertThat(parsed.getTSIG().getError()).isEqualTo(Rcode.BADTIME);
    assertThat(parsed.getTSIG().getSignature()).isNotEmpty();
  }

  @Test
  void badConfigurationIsRejectedNamingTheKey() {
    assertThatThrownBy(() -> TsigKeyring.of(List.of(new TsigKeyConfig("a", "hmac-md4", SECRET))))
        .hasMessageContaining("a").hasMessageContaining("algorithm");
    assertThatThrownBy(() -> TsigKeyring.of(List.of(new TsigKeyConfig("b", "not base64!"))))
        .hasMessageContaining("base64");
    assertThatThrownBy(
            () -> TsigKeyring.of(List.of(new TsigKeyConfig("c", SECRET), new TsigKeyConfig("c.", SECRET))))
        .hasMessageContaining("twice");
  }
}
