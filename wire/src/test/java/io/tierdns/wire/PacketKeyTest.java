package io.tierdns.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

class PacketKeyTest {

  private static final int OURS = WireOptions.DEFAULT_UDP_PAYLOAD;

  private static PacketKey key(byte[] wire) {
    return PacketKey.parse(wire, Transport.UDP, OURS, 7);
  }

  private static PacketKey key(Message m) {
    return key(m.toWire());
  }

  private static Message query(String name, int type) {
    return MessageProcessorTest.query(name, type);
  }

  // --- what gets a key, and what the key tells apart ---

  @Test
  void plainQueryHasAKeyWithTheNameLength() {
    PacketKey k = key(query("www.Example.com.", Type.A));
    assertThat(k).isNotNull();
    assertThat(k.nameLength()).isEqualTo(17);
    assertThat(k.generation()).isEqualTo(7);
  }

  @Test
  void letterCaseAndIdDoNotChangeTheKey() {
    Message a = query("www.example.com.", Type.A);
    Message b = query("WwW.ExAmPle.COM.", Type.A);
    b.getHeader().setID(a.getHeader().getID() ^ 0x5555);
    assertThat(key(a)).isEqualTo(key(b)).hasSameHashCodeAs(key(b));
  }

  @Test
  void typeClassFlagsTransportEdnsDoPayloadAndGenerationAllChangeTheKey() {
    Message base = query("www.example.com.", Type.A);
    PacketKey k = key(base);
    assertThat(key(query("www.example.com.", Type.AAAA))).isNotEqualTo(k);
    assertThat(key(query("www.example.org.", Type.A))).isNotEqualTo(k);
    Message chaos =
        Message.newQuery(Record.newRecord(Name.fromConstantString("www.example.com."), Type.A, DClass.CH));
    assertThat(key(chaos)).isNotEqualTo(k);
    Message noRd = query("www.example.com.", Type.A);
    noRd.getHeader().unsetFlag(Flags.RD);
    assertThat(key(noRd)).isNotEqualTo(k);
    Message cd = query("www.example.com.", Type.A);
    cd.getHeader().setFlag(Flags.CD);
    assertThat(key(cd)).isNotEqualTo(k);
    assertThat(PacketKey.parse(base.toWire(), Transport.TCP, OURS, 7)).isNotEqualTo(k);
    assertThat(PacketKey.parse(base.toWire(), Transport.UDP, OURS, 8)).isNotEqualTo(k);
    PacketKey edns = key(MessageProcessorTest.ednsQuery("www.example.com.", 1232, false));
    assertThat(edns).isNotNull().isNotEqualTo(k);
    assertThat(key(MessageProcessorTest.ednsQuery("www.example.com.", 1232, true)))
        .isNotNull()
        .isNotEqualTo(edns);
    assertThat(key(MessageProcessorTest.ednsQuery("www.example.com.", 700, false)))
        .isNotEqualTo(edns);
  }

  @Test
  void keysAroundTheInlineLengthTellEveryByteApart() {
    // 7 bytes before the name and 4 after it: names of 36, 37 and 38 octets make keys of 47, 48
    // (held in the key's fields) and 49 bytes (held in an array).
    for (int nameOctets = 30; nameOctets <= 60; nameOctets++) {
      String name = "x".repeat(nameOctets - 7) + ".test.";
      PacketKey k = key(query(name, Type.A));
      assertThat(k.nameLength()).isEqualTo(nameOctets);
      assertThat(key(query(name.toUpperCase(java.util.Locale.ROOT), Type.A)))
          .isEqualTo(k)
          .hasSameHashCodeAs(k)
          .hasToString(k.toString());
      // the last letter of the first label, the type's last byte, and one octet shorter
      String lastLetter = "x".repeat(nameOctets - 8) + "y.test.";
      assertThat(key(query(lastLetter, Type.A))).isNotEqualTo(k);
      assertThat(key(query(name, Type.MX))).isNotEqualTo(k);
      assertThat(key(query("x".repeat(nameOctets - 8) + ".test.", Type.A))).isNotEqualTo(k);
    }
  }

  @Test
  void keyBytesAreTheDocumentedLayoutForEveryNameLength() {
    // transport, flags (2), EDNS, DO, size limit (2), the name lowercased, type and class: packed
    // into the key's fields up to 48 bytes, an array beyond; both must read back the same bytes.
    for (int nameOctets = 8; nameOctets <= 80; nameOctets++) {
      // labels of at most 19 letters: every 20th character is a dot (a label's length octet)
      String name =
          "aBcDeFgHiJkLmNoPqRs.".repeat(5).substring(0, nameOctets - 8) + "x.TeSt.";
      byte[] wire = query(name, Type.MX).toWire();
      PacketKey k = key(wire);
      byte[] expected = new byte[7 + nameOctets + 4];
      expected[0] = (byte) Transport.UDP.ordinal();
      expected[1] = wire[2];
      expected[2] = wire[3];
      int limit = MessageProcessor.sizeLimit(Transport.UDP, false, 0, OURS);
      expected[5] = (byte) (limit >>> 8);
      expected[6] = (byte) limit;
      for (int i = 0; i < nameOctets + 4; i++) {
        byte b = wire[12 + i];
        expected[7 + i] = i < nameOctets ? PacketKey.lower(b) : b;
      }
      assertThat(k.toString()).contains("bytes=" + Arrays.toString(expected) + "]");
    }
  }

  @Test
  void payloadSizesWithTheSameEffectiveLimitShareAKey() {
    // Both are capped at our 1232, and anything under 512 counts as 512 (RFC 6891 §6.2.5).
    assertThat(key(MessageProcessorTest.ednsQuery("a.test.", 4096, false)))
        .isEqualTo(key(MessageProcessorTest.ednsQuery("a.test.", 1232, false)));
    assertThat(key(MessageProcessorTest.ednsQuery("a.test.", 100, false)))
        .isEqualTo(key(MessageProcessorTest.ednsQuery("a.test.", 512, false)));
  }

  @Test
  void rootAndLongestNamesHaveKeys() throws Exception {
    assertThat(key(query(".", Type.NS))).isNotNull();
    String label = "a".repeat(63);
    Name longest = Name.fromString(label + "." + label + "." + label + "." + "b".repeat(61) + ".");
    assertThat(longest.length()).isEqualTo((short) 255);
    assertThat(key(Message.newQuery(Record.newRecord(longest, Type.A, DClass.IN)))).isNotNull();
  }

  // --- bypass: no key ---

  @Test
  void negativeGenerationMeansNoKey() {
    assertThat(PacketKey.parse(query("a.test.", Type.A).toWire(), Transport.UDP, OURS, -1))
        .isNull();
  }

  @Test
  void otherOpcodesResponsesTruncatedQueriesAndRcodesBypass() {
    Message notify = query("a.test.", Type.SOA);
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    assertThat(key(notify)).isNull();
    Message response = query("a.test.", Type.A);
    response.getHeader().setFlag(Flags.QR);
    assertThat(key(response)).isNull();
    Message tc = query("a.test.", Type.A);
    tc.getHeader().setFlag(Flags.TC);
    assertThat(key(tc)).isNull();
    Message rcode = query("a.test.", Type.A);
    rcode.getHeader().setRcode(3);
    assertThat(key(rcode)).isNull();
  }

  @Test
  void transfersAndOtherMetaTypesBypass() {
    for (int type : List.of(Type.AXFR, Type.IXFR, Type.TSIG, Type.TKEY, Type.MAILA, Type.MAILB)) {
      assertThat(key(query("a.test.", type))).as(Type.string(type)).isNull();
    }
    assertThat(key(query("a.test.", Type.ANY))).isNotNull();
  }

  @Test
  void twoQuestionsOrAnyAnswerOrAuthorityRecordBypass() {
    Message two = query("a.test.", Type.A);
    two.addRecord(Record.newRecord(Name.fromConstantString("b.test."), Type.A, DClass.IN), Section.QUESTION);
    assertThat(key(two)).isNull();
    Message answer = query("a.test.", Type.A);
    answer.addRecord(MessageProcessorTest.a(Name.fromConstantString("a.test."), 1), Section.ANSWER);
    assertThat(key(answer)).isNull();
    Message authority = query("a.test.", Type.A);
    authority.addRecord(MessageProcessorTest.a(Name.fromConstantString("a.test."), 1), Section.AUTHORITY);
    assertThat(key(authority)).isNull();
  }

  @Test
  void ednsOptionsSuchAsCookiesAndClientSubnetBypass() throws Exception {
    Message cookie = query("a.test.", Type.A);
    cookie.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(new CookieOption(new byte[8]))), Section.ADDITIONAL);
    assertThat(key(cookie)).isNull();
    Message ecs = query("a.test.", Type.A);
    ecs.addRecord(
        new OPTRecord(
            1232, 0, 0, 0,
            List.of(
                new ClientSubnetOption(
                    24, java.net.InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 0})))),
        Section.ADDITIONAL);
    assertThat(key(ecs)).isNull();
  }

  @Test
  void ednsVersionExtendedRcodeAndUnknownFlagsBypass() {
    Message v1 = query("a.test.", Type.A);
    v1.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
    assertThat(key(v1)).isNull();
    Message ext = query("a.test.", Type.A);
    ext.addRecord(new OPTRecord(1232, 1, 0, 0), Section.ADDITIONAL);
    assertThat(key(ext)).isNull();
    Message z = query("a.test.", Type.A);
    z.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO | 0x0001), Section.ADDITIONAL);
    assertThat(key(z)).isNull();
  }

  @Test
  void twoOptsOrAnAdditionalRecordThatIsNotAnOptBypass() {
    byte[] one = MessageProcessorTest.ednsQuery("a.test.", 1232, false).toWire();
    // Append a second copy of the 11-byte OPT and count it.
    byte[] two = Arrays.copyOf(one, one.length + 11);
    System.arraycopy(one, one.length - 11, two, one.length, 11);
    two[11] = 2;
    assertThat(key(two)).isNull();
    Message glue = query("a.test.", Type.A);
    glue.addRecord(MessageProcessorTest.a(Name.fromConstantString("a.test."), 1), Section.ADDITIONAL);
    assertThat(key(glue)).isNull();
  }

  @Test
  void tsigSignedQueryBypasses() {
    TSIG tsig = new TSIG(TSIG.HMAC_SHA256, "key.test.", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0");
    Message signed = query("a.test.", Type.A);
    signed.setTSIG(tsig);
    assertThat(key(signed.toWire(65535))).isNull();
    Message signedEdns = MessageProcessorTest.ednsQuery("a.test.", 1232, false);
    signedEdns.setTSIG(tsig);
    assertThat(key(signedEdns.toWire(65535))).isNull();
  }

  @Test
  void trailingBytesAndCompressedOrOverlongNamesBypass() {
    byte[] plain = query("a.test.", Type.A).toWire();
    assertThat(key(Arrays.copyOf(plain, plain.length + 1))).isNull();
    byte[] pointer = Arrays.copyOf(plain, plain.length);
    pointer[12] = (byte) 0xC0; // a compression pointer where the name starts
    pointer[13] = 0;
    assertThat(key(pointer)).isNull();
    byte[] longLabel = Arrays.copyOf(plain, plain.length);
    longLabel[12] = 64; // an extended label type
    assertThat(key(longLabel)).isNull();
    // 256 octets: five labels of 50 letters and the root.
    byte[] tooLong = new byte[12 + 5 * 51 + 1 + 4];
    tooLong[5] = 1;
    for (int i = 0; i < 5; i++) {
      tooLong[12 + i * 51] = 50;
      Arrays.fill(tooLong, 13 + i * 51, 12 + (i + 1) * 51, (byte) 'a');
    }
    tooLong[tooLong.length - 3] = 1; // type A
    tooLong[tooLong.length - 1] = 1; // class IN
    assertThat(key(tooLong)).isNull();
  }

  @Test
  void everyTruncationOfAQueryBypasses() {
    byte[] edns = MessageProcessorTest.ednsQuery("www.example.com.", 1232, true).toWire();
    for (int n = 0; n < edns.length; n++) {
      assertThat(key(Arrays.copyOf(edns, n))).as("first %d bytes", n).isNull();
    }
  }

  @Test
  void randomBytesNeverThrowAndOnlyWellFormedQueriesGetAKey() {
    Random random = new Random(1232);
    byte[] template = MessageProcessorTest.ednsQuery("www.example.com.", 1232, false).toWire();
    for (int i = 0; i < 200_000; i++) {
      byte[] wire;
      if (i % 2 == 0) {
        wire = new byte[random.nextInt(64)];
        random.nextBytes(wire);
        if (wire.length > 5) {
          wire[4] = 0; // often one question, to get past the header checks
          wire[5] = 1;
          wire[2] &= 0x01;
        }
      } else {
        wire = template.clone(); // a real query with a few bytes flipped
        for (int f = random.nextInt(3) + 1; f > 0; f--) {
          wire[random.nextInt(wire.length)] = (byte) random.nextInt(256);
        }
      }
      byte[] input = wire;
      PacketKey[] out = new PacketKey[1];
      assertThatCode(() -> out[0] = key(input)).doesNotThrowAnyException();
      if (out[0] != null) {
        assertThat(wellFormedPlainQuery(input)).as("keyed %s", Arrays.toString(input)).isTrue();
      }
    }
  }

  /** The slow check: dnsjava parses it, one question, no answer or authority, at most one OPT. */
  private static boolean wellFormedPlainQuery(byte[] wire) {
    try {
      Message m = new Message(wire);
      if (m.getHeader().getOpcode() != Opcode.QUERY
          || m.getHeader().getFlag(Flags.QR)
          || m.getSection(Section.QUESTION).size() != 1
          || m.getHeader().getCount(Section.ANSWER) != 0
          || m.getHeader().getCount(Section.AUTHORITY) != 0
          || !Arrays.equals(m.toWire(), wire)) { // nothing after the last record
        return false;
      }
      List<Record> additional = m.getSection(Section.ADDITIONAL);
      return additional.isEmpty()
          || additional.size() == 1
              && additional.get(0) instanceof OPTRecord opt
              && opt.getVersion() == 0
              && opt.getOptions().isEmpty();
    } catch (Exception e) {
      return false;
    }
  }
}
