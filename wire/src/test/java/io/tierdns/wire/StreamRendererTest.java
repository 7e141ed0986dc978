package io.tierdns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/** {@link StreamRenderer} gives dnsjava's bytes, byte for byte, in both of its modes. */
class StreamRendererTest {

  private static final Name ORIGIN = Name.fromConstantString("Example.TEST.");

  /** One record or more of every type a zone of ours holds, names in mixed case. */
  private static final String ZONE =
      String.join(
          "\n",
          "$TTL 3600",
          "@ IN SOA ns1.Example.test. Hostmaster.example.TEST. 2024010101 7200 3600 1209600 300",
          "@ NS ns1",
          "@ NS NS2.example.test.",
          "@ MX 10 mail",
          "@ MX 20 Mail2.example.test.",
          "@ TXT \"v=spf1 -all\" \"second string\"",
          "@ SPF \"v=spf1 -all\"",
          "@ CAA 0 issue \"ca.example.net\"",
          "@ NSEC3PARAM 1 0 0 -",
          "@ DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==",
          "@ ZONEMD 2024010101 1 1 0d3b1e9d3da9b4e60d3b1e9d3da9b4e60d3b1e9d3da9b4e60d3b1e9d3da9b4e60d3b1e9d3da9b4e60d3b1e9d3da9b4e6",
          "ns1 A 192.0.2.1",
          "ns1 AAAA 2001:db8::1",
          "NS2 A 192.0.2.2",
          "mail A 192.0.2.25",
          "www CNAME @",
          "Www2 CNAME www.example.test.",
          "_sip._tcp SRV 10 60 5060 sip.example.test.",
          "sip A 192.0.2.53",
          "naptr NAPTR 100 10 \"S\" \"SIP+D2T\" \"\" _sip._tcp.example.test.",
          "1.2.0.192.in-addr PTR host.Example.test.",
          "sub NS ns.sub",
          "ns.sub A 192.0.2.99",
          "sub DS 12345 13 2 2BB183AF5F22588179A53B0A98631FAD1A292118D2E0C0AC4E3C1C3E7B3C6B11",
          "dname DNAME elsewhere.test.",
          "h HINFO \"PC\" \"Linux\"",
          "rp RP admin.example.test. txt.example.test.",
          "loc LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m",
          "ssh SSHFP 1 1 123456789abcdef67890123456789abcdef67890",
          "_443._tcp TLSA 3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6",
          "afs AFSDB 1 afsdb.example.test.",
          "kx KX 10 kx.example.test.",
          "svc SVCB 1 svc-target.example.test. alpn=h2 port=8443",
          "svc HTTPS 1 . alpn=h2,h3",
          "uri URI 10 1 \"https://example.test/\"",
          "nsec NSEC www.example.test. A RRSIG NSEC",
          "sig RRSIG A 13 3 3600 20300101000000 20240101000000 12345 example.test. "
              + "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==",
          "generic TYPE65534 \\# 4 0A0B0C0D",
          "*.wild A 192.0.2.77",
          "deep.a.b.c.d A 192.0.2.5",
          "DEEP.A.B.C.D AAAA 2001:db8::5",
          "");

  private static List<Record> zone() throws Exception {
    List<Record> records = new ArrayList<>();
    try (Master master =
        new Master(new ByteArrayInputStream(ZONE.getBytes(StandardCharsets.US_ASCII)), ORIGIN)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    }
    return records;
  }

  private static Message message(List<Record> answers, List<Record> authority, List<Record> additional) {
    Message m = new Message(4242);
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(Record.newRecord(ORIGIN, Type.AXFR, DClass.IN), Section.QUESTION);
    answers.forEach(r -> m.addRecord(r, Section.ANSWER));
    authority.forEach(r -> m.addRecord(r, Section.AUTHORITY));
    additional.forEach(r -> m.addRecord(r, Section.ADDITIONAL));
    return m;
  }

  private static void assertSameBytes(Message m) {
    StreamRenderer renderer = new StreamRenderer();
    assertThat(renderer.render(m, WireOptions.MAX_MESSAGE)).isEqualTo(m.toWire(WireOptions.MAX_MESSAGE));
    assertThat(renderer.render(m)).isEqualTo(m.toWire());
  }

  @Test
  void everyTypeOfTheZoneInEverySectionRendersAsDnsjavaDoes() throws Exception {
    List<Record> records = zone();
    assertSameBytes(message(records, List.of(), List.of()));
    assertSameBytes(message(List.of(), records, List.of()));
    assertSameBytes(message(records.subList(0, 10), records.subList(10, 20), records.subList(20, records.size())));
  }

  @Test
  void anyOrderAndAnySplitRendersAsDnsjavaDoes() throws Exception {
    List<Record> records = zone();
    Random random = new Random(8);
    StreamRenderer renderer = new StreamRenderer(); // reused, as for the messages of one stream
    for (int round = 0; round < 200; round++) {
      List<Record> shuffled = new ArrayList<>(records);
      Collections.shuffle(shuffled, random);
      int a = random.nextInt(shuffled.size());
      int b = a + random.nextInt(shuffled.size() - a);
      Message m = message(shuffled.subList(0, a), shuffled.subList(a, b), shuffled.subList(b, shuffled.size()));
      assertThat(renderer.render(m, WireOptions.MAX_MESSAGE)).isEqualTo(m.toWire(WireOptions.MAX_MESSAGE));
      assertThat(renderer.render(m)).isEqualTo(m.toWire());
    }
  }

  @Test
  void theOptGoesLastInTheLimitedModeAndInPlaceInTheOther() throws Exception {
    List<Record> records = zone();
    OPTRecord opt =
        new OPTRecord(1232, 0, 0, 0x8000, List.of(new ClientSubnetOption(24, java.net.InetAddress.getByName("192.0.2.0"))));
    List<Record> additional = new ArrayList<>(records.subList(0, 5));
    additional.add(2, opt);
    assertSameBytes(message(records.subList(5, records.size()), List.of(), additional));
  }

  @Test
  void namesOfRandomCaseFromFewLabelsCompressAsDnsjavaDoes() throws Exception {
    // Many suffixes shared in different letter case: every look-up has candidates to reject.
    Random random = new Random(53);
    String[] labels = {"a", "b", "ab", "ba", "xn--bcher-kva", "w\\.x", "\\000z", "www"};
    for (int round = 0; round < 50; round++) {
      List<Record> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        Name owner = randomName(random, labels);
        Record r =
            switch (i % 4) {
              case 0 -> new ARecord(owner, DClass.IN, 60, java.net.InetAddress.getByName("192.0.2.1"));
              case 1 -> new NSRecord(owner, DClass.IN, 60, randomName(random, labels));
              case 2 -> new MXRecord(owner, DClass.IN, 60, i, randomName(random, labels));
              default -> new CNAMERecord(owner, DClass.IN, 60, randomName(random, labels));
            };
        answers.add(r);
      }
      assertSameBytes(message(answers, List.of(), List.of()));
    }
  }

  private static Name randomName(Random random, String[] labels) throws Exception {
    StringBuilder text = new StringBuilder();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      String label = labels[random.nextInt(labels.length)];
      for (char c : label.toCharArray()) {
        text.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
      }
      text.append('.');
    }
    return Name.concatenate(Name.fromString(text.toString()), random.nextBoolean() ? ORIGIN : Name.fromString("example.test."));
  }

  @Test
  void aMessagePastThePointerReachRendersAsDnsjavaDoes() throws Exception {
    // 60 KiB: names first written past offset 0x3FFF cannot be pointed at and are written again.
    List<Record> answers = new ArrayList<>();
    for (int i = 0; i < 900; i++) {
      Name owner = Name.fromString("host-" + i + ".rack" + (i % 37) + ".Example.test.");
      answers.add(new ARecord(owner, DClass.IN, 60, java.net.InetAddress.getByName("192.0.2." + (i % 250))));
      answers.add(new CNAMERecord(Name.fromString("alias-" + i + ".example.test."), DClass.IN, 60, owner));
    }
    Message m = message(answers, List.of(), List.of());
    assertThat(m.toWire(WireOptions.MAX_MESSAGE).length).isGreaterThan(0x3FFF * 2);
    assertSameBytes(m);
  }

  @Test
  void aMessageOverTheLimitIsLeftToDnsjava() throws Exception {
    Message m = message(zone(), List.of(), List.of());
    assertThat(new StreamRenderer().render(m, 512)).isNull();
  }

  @Test
  void aSignedStreamMessageRendersAsDnsjavaDoes() throws Exception {
    TSIG key = new TSIG(TSIG.HMAC_SHA256, "Transfer-Key.example.test.", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0");
    Message query = Message.newQuery(Record.newRecord(ORIGIN, Type.AXFR, DClass.IN));
    query.setTSIG(key);
    Message signedQuery = new Message(query.toWire());
    TSIG.StreamGenerator signer = new TSIG.StreamGenerator(key, signedQuery.getTSIG());
    List<Record> records = zone();
    for (int i = 0; i < 3; i++) {
      Message m = message(records.subList(i * 10, i * 10 + 10), List.of(), List.of());
      signer.generate(m);
      assertThat(m.getTSIG()).isNotNull();
      assertThat(new StreamRenderer().render(m)).isEqualTo(m.toWire());
    }
  }

  @Test
  void signingOurRenderingGivesTheBytesOfDnsjavasStreamGenerator() throws Exception {
    java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-11-22T12:00:00Z"), java.time.ZoneOffset.UTC);
    TSIG key =
        new TSIG(
            TSIG.HMAC_SHA256,
            Name.fromConstantString("Transfer-Key.example.test."),
            new javax.crypto.spec.SecretKeySpec("secretsecretsecretsecret".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"),
            clock);
    Message query = Message.newQuery(Record.newRecord(ORIGIN, Type.AXFR, DClass.IN));
    query.setTSIG(key);
    Message signedQuery = new Message(query.toWire());
    List<Record> records = zone();
    TSIG.StreamGenerator generator = new TSIG.StreamGenerator(key, signedQuery.getTSIG());
    StreamRenderer renderer = new StreamRenderer();
    org.xbill.DNS.TSIGRecord previous = signedQuery.getTSIG();
    for (int i = 0; i < 4; i++) {
      List<Record> part = records.subList(i * 10, i * 10 + 10);
      Message theirs = message(part, List.of(), List.of());
      generator.generate(theirs);
      Message ours = message(part, List.of(), List.of());
      org.xbill.DNS.TSIGRecord tsig =
          key.generate(ours, renderer.render(ours), org.xbill.DNS.Rcode.NOERROR, previous, i == 0);
      previous = tsig;
      assertThat(renderer.append(tsig, Section.ADDITIONAL)).isEqualTo(theirs.toWire());
    }
  }
}
