package io.tierdns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class MessageProcessorTest {

  /** A UDP and a TCP query from one client; other tests of this package use them too. */
  static final QueryContext UDP =
      new QueryContext(
          Transport.UDP, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress(53));
  static final QueryContext TCP =
      new QueryContext(
          Transport.TCP, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress(53));

  private final WireOptions options = WireOptions.defaults();
  private final AtomicInteger handled = new AtomicInteger();

  /** Answers one A record for the question name. */
  private final QueryHandler oneAddress =
      (q, c) -> {
        handled.incrementAndGet();
        Message r = Responses.reply(q);
        r.addRecord(a(q.getQuestion().getName(), 1), Section.ANSWER);
        return CompletableFuture.completedFuture(r);
      };

  // --- silence ---

  @Test
  void packetShorterThanAHeaderIsIgnored() {
    assertThat(process(oneAddress, new byte[0], UDP)).isNull();
    assertThat(process(oneAddress, new byte[11], UDP)).isNull();
    assertThat(handled).hasValue(0);
  }

  @Test
  void responsesAreNeverAnswered() {
    Message m = query("example.com.", Type.A);
    m.getHeader().setFlag(Flags.QR);
    assertThat(process(oneAddress, m.toWire(), UDP)).isNull();
    assertThat(handled).hasValue(0);
  }

  @Test
  void handlerReturningNullMeansSilence() {
    QueryHandler silent = (q, c) -> CompletableFuture.completedFuture(null);
    assertThat(process(silent, query("example.com.", Type.A).toWire(), UDP)).isNull();
  }

  // --- FORMERR ---

  @Test
  void garbageAfterAHeaderIsFormErrWithSameIdOpcodeAndRd() throws IOException {
    byte[] wire = new byte[20];
    wire[0] = 0x12;
    wire[1] = 0x34;
    wire[2] = (byte) ((Opcode.NOTIFY << 3) | 0x01); // opcode NOTIFY, RD
    wire[5] = 1; // qdcount 1
    Arrays.fill(wire, 12, 20, (byte) 0x3f); // a label running off the end
    Message r = parse(process(oneAddress, wire, UDP));
    assertThat(r.getHeader().getID()).isEqualTo(0x1234);
    assertThat(r.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
    assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(r.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(r.getSection(Section.QUESTION)).isEmpty();
    assertThat(r.getHeader().getCount(Section.QUESTION)).isZero();
    assertThat(r.getOPT()).isNull();
    assertThat(handled).hasValue(0);
  }

  @Test
  void formErrEchoesTheQuestionWhenOnlyTheRestIsMalformed() throws IOException {
    byte[] valid = query("ExAmPle.COM.", Type.MX).toWire();
    byte[] wire = Arrays.copyOf(valid, valid.length);
    wire[7] = 1; // ancount 1, but no record follows
    byte[] response = process(oneAddress, wire, UDP);
    Message r = parse(response);
    assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(r.getQuestion().getName().toString()).isEqualTo("ExAmPle.COM.");
    assertThat(r.getQuestion().getType()).isEqualTo(Type.MX);
    assertThat(Arrays.copyOfRange(response, 12, valid.length))
        .isEqualTo(Arrays.copyOfRange(valid, 12, valid.length));
  }

  @Test
  void queryWithoutQuestionOrWithTwoQuestionsIsFormErr() throws IOException {
    Message none = new Message(7);
    assertThat(parse(process(oneAddress, none.toWire(), UDP)).getRcode())
        .isEqualTo(Rcode.FORMERR);
    Message two = query("a.example.", Type.A);
    two.addRecord(Record.newRecord(Name.fromConstantString("b.example."), Type.A, DClass.IN),
        Section.QUESTION);
    Message r = parse(process(oneAddress, two.toWire(), UDP));
    assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(r.getSection(Section.QUESTION)).isEmpty();
    assertThat(handled).hasValue(0);
  }

  @Test
  void unknownOpcodeIsNotImpWhateverItsQuestionCount() throws IOException {
    for (int opcode : new int[] {Opcode.IQUERY, Opcode.STATUS, Opcode.DSO, 3, 15}) {
      Message none = new Message(7);
      none.getHeader().setOpcode(opcode);
      Message r = parse(process(oneAddress, none.toWire(), UDP));
      assertThat(r.getRcode()).as("opcode %d, QDCOUNT 0", opcode).isEqualTo(Rcode.NOTIMP);
      assertThat(r.getHeader().getOpcode()).isEqualTo(opcode);
      assertThat(r.getHeader().getID()).isEqualTo(7);

      Message one = query("example.com.", Type.A);
      one.getHeader().setOpcode(opcode);
      r = parse(process(oneAddress, one.toWire(), TCP));
      assertThat(r.getRcode()).as("opcode %d, QDCOUNT 1", opcode).isEqualTo(Rcode.NOTIMP);
      assertThat(r.getQuestion()).isEqualTo(one.getQuestion());
    }
    assertThat(handled).hasValue(0);
  }

  @Test
  void notifyOrUpdateWithoutQuestionIsStillFormErr() throws IOException {
    for (int opcode : new int[] {Opcode.NOTIFY, Opcode.UPDATE}) {
      Message none = new Message(7);
      none.getHeader().setOpcode(opcode);
      assertThat(parse(process(oneAddress, none.toWire(), UDP)).getRcode())
          .as("opcode %d", opcode).isEqualTo(Rcode.FORMERR);
    }
  }

  @Test
  void malformedQueryWithTcSetIsFormErrThoughDnsjavaParsesItPartially() throws IOException {
    // dnsjava's Message(byte[]) swallows a parse error when TC is set and returns fewer records.
    byte[] wire = {0, 9, 0x02, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 'a'};
    Message r = parse(process(oneAddress, wire, UDP));
    assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(r.getHeader().getID()).isEqualTo(9);
    assertThat(handled).hasValue(0);
  }

  @Test
  void twoOptRecordsAreFormErr() throws IOException {
    Message m = query("example.com.", Type.A);
    m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    m.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    Message r = parse(process(oneAddress, m.toWire(), UDP));
    assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(r.getSection(Section.ANSWER)).isEmpty();
    assertThat(handled).hasValue(0);
  }

  @Test
  void aMalformedEdnsOptionIsIgnoredNotFormErr() throws IOException {
    // dig +ednsopt=ede: an Extended DNS Error option (code 15) with no data, which dnsjava cannot
    // parse; RFC 6891 §6.1.2 says options the server does not understand are ignored.
    Message m = query("example.com.", Type.A);
    m.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    byte[] plain = m.toWire();
    byte[] wire = Arrays.copyOf(plain, plain.length + 4);
    wire[plain.length - 1] = 4; // OPT RDLENGTH 4: option code 15, length 0
    wire[plain.length + 1] = 15;
    Message r = parse(process(oneAddress, wire, UDP));
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getSection(Section.ANSWER)).hasSize(1);
    assertThat(r.getOPT().getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
    assertThat(OptScrubber.withoutOptions(new byte[] {1, 2, 3})).isNull();
    assertThat(OptScrubber.withoutOptions(plain)).isNull();
  }

  @Test
  void compressionLoopIsFormErr() throws IOException {
    byte[] wire = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 1, 0, 1};
    assertThat(parse(process(oneAddress, wire, UDP)).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  // --- EDNS0 ---

  @Test
  void ednsVersionAboveZeroIsBadversWithOurOptAndNoAnswer() throws IOException {
    Message m = query("example.com.", Type.A);
    m.addRecord(new OPTRecord(4096, 0, 1), Section.ADDITIONAL);
    Message r = parse(process(oneAddress, m.toWire(), UDP));
    assertThat(r.getRcode()).isEqualTo(Rcode.BADVERS);
    assertThat(r.getHeader().getRcode()).isZero();
    assertThat(r.getOPT().getVersion()).isZero();
    assertThat(r.getOPT().getPayloadSize()).isEqualTo(1232);
    assertThat(r.getSection(Section.ANSWER)).isEmpty();
    assertThat(handled).hasValue(0);
  }

  @Test
  void responseOptAdvertisesOurPayloadSizeAndCopiesTheDoBit() throws IOException {
    Message r = parse(process(oneAddress, ednsQuery("example.com.", 4096, true).toWire(), UDP));
    assertThat(r.getOPT().getPayloadSize()).isEqualTo(1232);
    assertThat(r.getOPT().getVersion()).isZero();
    assertThat(r.getOPT().getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
    assertThat(r.getSection(Section.ANSWER)).hasSize(1);

    Message noDo = parse(process(oneAddress, ednsQuery("example.com.", 4096, false).toWire(), UDP));
    assertThat(noDo.getOPT().getFlags() & ExtendedFlags.DO).isZero();
  }

  @Test
  void noOptInTheResponseWhenTheQueryHadNone() throws IOException {
    QueryHandler addsOpt =
        (q, c) -> {
          Message r = Responses.reply(q);
          r.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
          return CompletableFuture.completedFuture(r);
        };
    Message r = parse(process(addsOpt, query("example.com.", Type.A).toWire(), UDP));
    assertThat(r.getOPT()).isNull();
    assertThat(r.getSection(Section.ADDITIONAL)).isEmpty();
  }

  @Test
  void handlerOptIsReplacedButItsExtendedRcodeAndOptionsAreKept() throws IOException {
    QueryHandler withEde =
        (q, c) -> {
          Message r = Responses.error(q, Rcode.BADCOOKIE);
          OPTRecord own = r.getOPT();
          r.removeRecord(own, Section.ADDITIONAL);
          r.addRecord(
              new OPTRecord(
                  9999,
                  own.getExtendedRcode(),
                  0,
                  0,
                  List.of(new ExtendedErrorCodeOption(ExtendedErrorCodeOption.PROHIBITED))),
              Section.ADDITIONAL);
          return CompletableFuture.completedFuture(r);
        };
    Message r = parse(process(withEde, ednsQuery("example.com.", 4096, true).toWire(), UDP));
    assertThat(r.getSection(Section.ADDITIONAL)).hasSize(1);
    assertThat(r.getRcode()).isEqualTo(Rcode.BADCOOKIE);
    assertThat(r.getOPT().getPayloadSize()).isEqualTo(1232);
    assertThat(r.getOPT().getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
    assertThat(r.getOPT().getOptions()).singleElement()
        .isInstanceOfSatisfying(ExtendedErrorCodeOption.class,
            o -> assertThat(o.getErrorCode()).isEqualTo(ExtendedErrorCodeOption.PROHIBITED));
  }

  // --- truncation ---

  @Test
  void oversizedAnswerIsTruncatedAt512WithTcAndCompleteOverTcp() throws IOException {
    QueryHandler big = manyAddresses(60); // one RRset of 60 A records, about 1 KB
    byte[] udp = process(big, query("example.com.", Type.A).toWire(), UDP);
    assertThat(udp.length).isLessThanOrEqualTo(512);
    Message truncated = parse(udp);
    assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(truncated.getSection(Section.ANSWER)).isEmpty(); // whole RRsets only
    assertThat(truncated.getQuestion()).isNotNull();

    Message full = parse(process(big, query("example.com.", Type.A).toWire(), TCP));
    assertThat(full.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(full.getSection(Section.ANSWER)).hasSize(60);
  }

  @Test
  void truncationDropsWholeRrsetsAndKeepsTheOpt() throws IOException {
    QueryHandler twoSets =
        (q, c) -> {
          Message r = Responses.reply(q);
          Name name = q.getQuestion().getName();
          for (int i = 1; i <= 20; i++) {
            r.addRecord(a(name, i), Section.ANSWER);
          }
          Name other = Name.fromConstantString("other.example.");
          for (int i = 1; i <= 60; i++) {
            r.addRecord(a(other, i), Section.ANSWER);
          }
          return CompletableFuture.completedFuture(r);
        };
    byte[] wire = process(twoSets, ednsQuery("example.com.", 1232, false).toWire(), UDP);
    assertThat(wire.length).isLessThanOrEqualTo(1232);
    Message r = parse(wire);
    assertThat(r.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(r.getSection(Section.ANSWER)).hasSize(20);
    assertThat(r.getOPT()).isNotNull();
  }

  @Test
  void udpLimitIsTheSmallerOfClientAndOurPayloadButNeverBelow512() throws IOException {
    MessageProcessor p = new MessageProcessor(oneAddress, options, WireObserver.NOOP);
    assertThat(p.limit(null, Transport.UDP)).isEqualTo(512);
    assertThat(p.limit(new OPTRecord(4096, 0, 0), Transport.UDP)).isEqualTo(1232);
    assertThat(p.limit(new OPTRecord(800, 0, 0), Transport.UDP)).isEqualTo(800);
    assertThat(p.limit(new OPTRecord(100, 0, 0), Transport.UDP)).isEqualTo(512);
    assertThat(p.limit(null, Transport.TCP)).isEqualTo(65535);

    QueryHandler big = manyAddresses(60); // about 1 KB: fits 1232, not 800
    assertThat(parse(process(big, ednsQuery("example.com.", 4096, false).toWire(), UDP))
            .getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(parse(process(big, ednsQuery("example.com.", 800, false).toWire(), UDP))
            .getHeader().getFlag(Flags.TC)).isTrue();
  }

  @Test
  void additionalSectionOverflowDropsRecordsWithoutTc() throws IOException {
    QueryHandler glue =
        (q, c) -> {
          Message r = Responses.reply(q);
          r.addRecord(a(q.getQuestion().getName(), 1), Section.ANSWER);
          for (int i = 0; i < 40; i++) {
            r.addRecord(a(Name.fromConstantString("ns" + i + ".example."), i), Section.ADDITIONAL);
          }
          return CompletableFuture.completedFuture(r);
        };
    Message r = parse(process(glue, ednsQuery("example.com.", 512, false).toWire(), UDP));
    assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(r.getSection(Section.ANSWER)).hasSize(1);
    List<Record> additional = r.getSection(Section.ADDITIONAL);
    assertThat(additional.size()).isBetween(2, 40); // some glue and the OPT
    assertThat(r.getOPT()).isNotNull();
  }

  @Test
  void referralWhoseInDomainGlueDoesNotFitSetsTcAndIsReplayedWithTcFromThePacketCache()
      throws IOException {
    QueryHandler referral = referral("sub.example.", true);
    MessageProcessor p = new MessageProcessor(referral, options, WireObserver.NOOP);
    byte[] query = query("www.sub.example.", Type.A).toWire();
    for (int i = 0; i < 2; i++) { // the second answer is the packet cache's
      byte[] udp = p.process(query, UDP).toCompletableFuture().join();
      assertThat(udp.length).isLessThanOrEqualTo(512);
      Message r = parse(udp);
      assertThat(r.getHeader().getFlag(Flags.TC)).as("answer %d", i).isTrue();
      assertThat(r.getSection(Section.AUTHORITY)).hasSize(6);
      assertThat(r.getSection(Section.ADDITIONAL).size()).isLessThan(6);
    }
    assertThat(handled).hasValue(1);

    Message full = parse(process(referral, query, TCP));
    assertThat(full.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(full.getSection(Section.ADDITIONAL)).hasSize(6);
  }

  @Test
  void referralGlueThatFitsOrIsForSiblingNamesDoesNotSetTc() throws IOException {
    byte[] query = query("www.sub.example.", Type.A).toWire();
    Message sibling = parse(process(referral("sub.example.", false), query, UDP));
    assertThat(sibling.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(sibling.getSection(Section.AUTHORITY)).hasSize(6);
    assertThat(sibling.getSection(Section.ADDITIONAL).size()).isLessThan(6);

    Message roomy =
        parse(process(referral("sub.example.", true), ednsQuery("www.sub.example.", 1232, false)
            .toWire(), UDP));
    assertThat(roomy.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(roomy.getSection(Section.ADDITIONAL)).hasSize(7); // six glue and the OPT
  }

  /**
   * A referral to {@code cut} with six NS names of 62-octet labels, each with A glue (about 900
   * octets): under the cut (in-domain) or, with {@code inDomain} false, under a sibling.
   */
  private QueryHandler referral(String cut, boolean inDomain) {
    return new QueryHandler() {
      @Override
      public java.util.concurrent.CompletionStage<Message> handle(Message q, QueryContext c) {
        handled.incrementAndGet();
        Message r = Responses.reply(q);
        Name zone = Name.fromConstantString(cut);
        Name parent = Name.fromConstantString("other.example.");
        for (int i = 0; i < 6; i++) {
          String label = String.valueOf((char) ('a' + i)).repeat(62);
          Name target = Name.fromConstantString(label + "." + (inDomain ? zone : parent));
          r.addRecord(new org.xbill.DNS.NSRecord(zone, DClass.IN, 300, target), Section.AUTHORITY);
          r.addRecord(a(target, i), Section.ADDITIONAL);
        }
        return CompletableFuture.completedFuture(r);
      }

      @Override
      public long cacheGeneration() {
        return 1;
      }
    };
  }

  // --- question, IDs, handler faults ---

  @Test
  void questionCaseIsPreservedEvenWhenTheHandlerLowercasesIt() throws IOException {
    QueryHandler lowercasing =
        (q, c) -> {
          Message r = new Message(q.getHeader().getID());
          r.getHeader().setFlag(Flags.QR);
          Name lower = Name.fromConstantString(q.getQuestion().getName().toString().toLowerCase());
          r.addRecord(Record.newRecord(lower, Type.A, DClass.IN), Section.QUESTION);
          r.addRecord(a(lower, 1), Section.ANSWER);
          return CompletableFuture.completedFuture(r);
        };
    byte[] wire = query("wWw.ExAmPlE.cOm.", Type.A).toWire();
    byte[] response = process(lowercasing, wire, UDP);
    int questionEnd = wire.length;
    assertThat(Arrays.copyOfRange(response, 12, questionEnd))
        .isEqualTo(Arrays.copyOfRange(wire, 12, questionEnd));
  }

  @Test
  void sharedResponseMessageGetsEachQuerysIdAndIsNotModified() throws IOException {
    Message shared = Responses.reply(query("example.com.", Type.A));
    shared.addRecord(a(Name.fromConstantString("example.com."), 1), Section.ANSWER);
    String before = shared.toString();
    QueryHandler cached = (q, c) -> CompletableFuture.completedFuture(shared);
    Message q1 = ednsQuery("example.com.", 4096, true);
    Message r1 = parse(process(cached, q1.toWire(), UDP));
    assertThat(r1.getHeader().getID()).isEqualTo(q1.getHeader().getID());
    assertThat(r1.getOPT()).isNotNull();
    assertThat(shared.toString()).isEqualTo(before);
  }

  @Test
  void handlerExceptionFailedStageOrNullStageAreServfail() throws IOException {
    QueryHandler throwing = (q, c) -> { throw new IllegalStateException("boom"); };
    QueryHandler failing =
        (q, c) -> CompletableFuture.failedFuture(new IllegalStateException("async boom"));
    QueryHandler nullStage = (q, c) -> null;
    for (QueryHandler h : List.of(throwing, failing, nullStage)) {
      Message query = ednsQuery("example.com.", 4096, false);
      Message r = parse(process(h, query.toWire(), UDP));
      assertThat(r.getRcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(r.getHeader().getID()).isEqualTo(query.getHeader().getID());
      assertThat(r.getQuestion()).isEqualTo(query.getQuestion());
      assertThat(r.getOPT()).isNotNull();
    }
  }

  @Test
  void errorResponsesCopyIdOpcodeRdAndQuestion() {
    Message q = query("example.com.", Type.A);
    q.getHeader().setOpcode(Opcode.STATUS);
    Message r = Responses.error(q, Rcode.NOTIMP);
    assertThat(r.getHeader().getID()).isEqualTo(q.getHeader().getID());
    assertThat(r.getHeader().getOpcode()).isEqualTo(Opcode.STATUS);
    assertThat(r.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(r.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(r.getQuestion()).isEqualTo(q.getQuestion());
    assertThat(r.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void observerSeesFormErrDropsAndTruncation() {
    AtomicInteger formErr = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    AtomicInteger truncated = new AtomicInteger();
    WireObserver observer =
        new WireObserver() {
          @Override
          public void formErr(Transport t) {
            formErr.incrementAndGet();
          }

          @Override
          public void dropped(Transport t, DropReason reason) {
            dropped.incrementAndGet();
          }

          @Override
          public void responseSent(Transport t, int rcode, int bytes, boolean tc) {
            if (tc) {
              truncated.incrementAndGet();
            }
          }
        };
    MessageProcessor p = new MessageProcessor(manyAddresses(60), options, observer);
    p.process(new byte[5], UDP).toCompletableFuture().join();
    p.process(new byte[] {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 9}, UDP).toCompletableFuture().join();
    p.process(query("example.com.", Type.A).toWire(), UDP).toCompletableFuture().join();
    assertThat(dropped).hasValue(1);
    assertThat(formErr).hasValue(1);
    assertThat(truncated).hasValue(1);
  }

  // --- helpers ---

  private byte[] process(QueryHandler handler, byte[] wire, QueryContext context) {
    return new MessageProcessor(handler, options, WireObserver.NOOP)
        .process(wire, context)
        .toCompletableFuture()
        .join();
  }

  private static QueryHandler manyAddresses(int count) {
    return (q, c) -> {
      Message r = Responses.reply(q);
      for (int i = 1; i <= count; i++) {
        r.addRecord(a(q.getQuestion().getName(), i), Section.ANSWER);
      }
      return CompletableFuture.completedFuture(r);
    };
  }

  static Message query(String name, int type) {
    return Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN));
  }

  static Message ednsQuery(String name, int payload, boolean dnssecOk) {
    Message m = query(name, Type.A);
    m.addRecord(new OPTRecord(payload, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    return m;
  }

  static ARecord a(Name name, int i) {
    try {
      return new ARecord(
          name, DClass.IN, 300, InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Message parse(byte[] wire) throws IOException {
    assertThat(wire).as("a response").isNotNull();
    return new Message(wire);
  }
}
