package io.tierdns.wire;

import static io.tierdns.wire.MessageProcessorTest.a;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tierdns.wire.testing.RawDnsClient;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * Multi-message responses on TCP (RFC 5936 §2.2) with TSIG streams (RFC 8945 §5.3.1), on an
 * EmbeddedChannel (leak-checked) and on a real socket with dnsjava's own AXFR client.
 */
class ResponseStreamTest extends LeakCheckedTcpHarness {

  static final Name ZONE = Name.fromConstantString("stream.test.");
  static final TSIG KEY =
      new TSIG(TSIG.HMAC_SHA256, "xfr-key.", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=");
  static final TSIG WRONG_KEY =
      new TSIG(TSIG.HMAC_SHA256, "xfr-key.", "b3RoZXItb3RoZXItb3RoZXItb3RoZXItb3RoZXItMTI=");

  static SOARecord soa() {
    return new SOARecord(
        ZONE, DClass.IN, 3600, Name.fromConstantString("ns.stream.test."),
        Name.fromConstantString("h.stream.test."), 42, 3600, 600, 86400, 300);
  }

  /**
   * A handler streaming an AXFR of {@code records} A records in messages of {@code perMessage}
   * records, signed with {@link #KEY} when the query is signed; A queries get one message.
   */
  static final class AxfrHandler implements QueryHandler {
    final int records;
    final int perMessage;

    AxfrHandler(int records, int perMessage) {
      this.records = records;
      this.perMessage = perMessage;
    }

    @Override
    public CompletionStage<Message> handle(Message query, QueryContext context) {
      Message r = Responses.reply(query);
      r.addRecord(a(query.getQuestion().getName(), 1), Section.ANSWER);
      return CompletableFuture.completedFuture(r);
    }

    @Override
    public boolean streams(Message query, QueryContext context) {
      return query.getQuestion().getType() == Type.AXFR;
    }

    @Override
    public CompletionStage<ResponseStream> handleStream(Message query, QueryContext context) {
      List<Record> all = new ArrayList<>();
      all.add(soa());
      for (int i = 0; i < records; i++) {
        all.add(a(Name.fromConstantString("h" + i + ".stream.test."), i));
      }
      all.add(soa());
      List<Message> messages = new ArrayList<>();
      for (int from = 0; from < all.size(); from += perMessage) {
        Message m = Responses.reply(query);
        m.getHeader().setFlag(Flags.AA);
        for (Record r : all.subList(from, Math.min(all.size(), from + perMessage))) {
          m.addRecord(r, Section.ANSWER);
        }
        messages.add(m);
      }
      ResponseStream stream =
          query.getTSIG() == null
              ? ResponseStream.of(messages)
              : new ResponseStream(messages, KEY, query.getTSIG());
      return CompletableFuture.completedFuture(stream);
    }
  }

  private EmbeddedChannel channel(QueryHandler handler) {
    return channel(handler, WireOptions.defaults());
  }

  private void write(byte[] query) {
    ByteBuf buf = Unpooled.wrappedBuffer(RawDnsClient.frame(query));
    inbound.add(buf);
    channel.writeInbound(buf);
  }

  private List<byte[]> readFrames() {
    List<byte[]> frames = new ArrayList<>();
    for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
      try {
        int length = out.readUnsignedShort();
        assertThat(out.readableBytes()).isEqualTo(length);
        byte[] body = new byte[length];
        out.readBytes(body);
        frames.add(body);
      } finally {
        out.release();
      }
    }
    return frames;
  }

  private static Message axfrQuery(boolean edns) {
    Message q = Message.newQuery(Record.newRecord(ZONE, Type.AXFR, DClass.IN));
    if (edns) {
      q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    return q;
  }

  @Test
  void everyMessageOfAStreamIsFramedInOrderWithTheQueryIdAndTheOptOnTheFirstOnly()
      throws Exception {
    channel(new AxfrHandler(25, 10));
    Message query = axfrQuery(true);
    write(query.toWire());
    List<byte[]> frames = readFrames();
    assertThat(frames).hasSize(3);
    List<Record> answers = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      Message m = new Message(frames.get(i));
      assertThat(m.getHeader().getID()).isEqualTo(query.getHeader().getID());
      assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
      assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(m.getQuestion().getName()).isEqualTo(ZONE);
      assertThat(m.getOPT() != null).as("OPT on message %d", i).isEqualTo(i == 0);
      answers.addAll(m.getSection(Section.ANSWER));
    }
    assertThat(answers).hasSize(27);
    assertThat(answers.get(0)).isEqualTo(soa());
    assertThat(answers.get(26)).isEqualTo(soa());
  }

  @Test
  void aSignedStreamCarriesATsigOnEveryMessageThatVerifiesAsAStream() throws Exception {
    channel(new AxfrHandler(25, 10));
    Message query = axfrQuery(true);
    query.setTSIG(KEY);
    byte[] queryWire = query.toWire(65535);
    Message sent = new Message(queryWire);
    write(queryWire);
    List<byte[]> frames = readFrames();
    assertThat(frames).hasSize(3);
    TSIG.StreamVerifier verifier = new TSIG.StreamVerifier(KEY, sent.getTSIG());
    for (byte[] frame : frames) {
      Message m = new Message(frame);
      assertThat(m.getTSIG()).as("TSIG on every message").isNotNull();
      // The TSIG is the last record, after the OPT (RFC 8945 §5.1).
      List<Record> additional = m.getSection(Section.ADDITIONAL);
      assertThat(additional.get(additional.size() - 1).getType()).isEqualTo(Type.TSIG);
      assertThat(verifier.verify(m, frame)).isEqualTo(Rcode.NOERROR);
      assertThat(m.isVerified()).isTrue();
    }
  }

  @Test
  void aStreamVerifiedWithAnotherKeyFails() throws Exception {
    channel(new AxfrHandler(5, 3));
    Message query = axfrQuery(false);
    query.setTSIG(KEY);
    byte[] queryWire = query.toWire(65535);
    write(queryWire);
    List<byte[]> frames = readFrames();
    TSIG.StreamVerifier verifier =
        new TSIG.StreamVerifier(WRONG_KEY, new Message(queryWire).getTSIG());
    assertThat(verifier.verify(new Message(frames.get(0)), frames.get(0)))
        .isEqualTo(Rcode.BADSIG);
  }

  @Test
  void aQueryTheHandlerDoesNotStreamGetsOneFrameAsBefore() throws Exception {
    channel(new AxfrHandler(5, 3));
    Message query = MessageProcessorTest.query("www.stream.test.", Type.A);
    write(query.toWire());
    List<byte[]> frames = readFrames();
    assertThat(frames).hasSize(1);
    assertThat(new Message(frames.get(0)).getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void aSingleResponseWithAKeySetByTheHandlerIsSignedAfterThePatching() throws Exception {
    QueryHandler signing =
        (q, c) -> {
          Message r = Responses.reply(q);
          r.addRecord(a(q.getQuestion().getName(), 1), Section.ANSWER);
          r.setTSIG(KEY, Rcode.NOERROR, q.getTSIG());
          return CompletableFuture.completedFuture(r);
        };
    MessageProcessor processor =
        new MessageProcessor(signing, WireOptions.defaults(), WireObserver.NOOP);
    Message query = MessageProcessorTest.ednsQuery("www.stream.test.", 1232, false);
    query.setTSIG(KEY);
    byte[] queryWire = query.toWire(65535);
    Message sent = new Message(queryWire);
    byte[] bytes =
        processor
            .process(queryWire, new QueryContext(Transport.UDP, null, null))
            .toCompletableFuture()
            .join();
    Message response = new Message(bytes);
    assertThat(response.getHeader().getID()).isEqualTo(sent.getHeader().getID());
    assertThat(response.getOPT()).isNotNull();
    assertThat(KEY.verify(response, bytes, sent.getTSIG())).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void dnsjavaZoneTransferInReceivesASignedMultiMessageAxfrOverARealSocket() throws Exception {
    try (DnsServer server =
        new DnsServer(
            List.of(new InetSocketAddress("127.0.0.1", 0)), new AxfrHandler(3000, 400))) {
      server.start();
      InetSocketAddress at = server.boundAddresses().get(0);
      ZoneTransferIn xfr =
          ZoneTransferIn.newAXFR(ZONE, at.getHostString(), at.getPort(), KEY);
      xfr.setTimeout(java.time.Duration.ofSeconds(10));
      xfr.run();
      assertThat(xfr.isAXFR()).isTrue();
      List<Record> records = xfr.getAXFR();
      // dnsjava keeps both SOAs of an AXFR in its list
      assertThat(records.stream().filter(r -> r.getType() == Type.A)).hasSize(3000);
    }
  }

  @Test
  void dnsjavaZoneTransferInRejectsTheStreamWhenItsKeyDiffers() throws Exception {
    try (DnsServer server =
        new DnsServer(List.of(new InetSocketAddress("127.0.0.1", 0)), new AxfrHandler(50, 20))) {
      server.start();
      InetSocketAddress at = server.boundAddresses().get(0);
      ZoneTransferIn xfr =
          ZoneTransferIn.newAXFR(ZONE, at.getHostString(), at.getPort(), WRONG_KEY);
      xfr.setTimeout(java.time.Duration.ofSeconds(10));
      org.assertj.core.api.Assertions.assertThatThrownBy(xfr::run)
          .hasMessageContaining("TSIG");
    }
  }

  /**
   * A stream whose messages are built as they are asked for, the third failing: a zone
   * transfer's message that cannot be built after the first ones went out.
   */
  static final class FailingStreamHandler extends QueryHandlerAdapter {
    @Override
    public boolean streams(Message query, QueryContext context) {
      return true;
    }

    @Override
    public CompletionStage<ResponseStream> handleStream(Message query, QueryContext context) {
      List<Message> messages =
          new java.util.AbstractList<>() {
            @Override
            public Message get(int i) {
              if (i == 2) {
                throw new IllegalStateException("message 3 cannot be built");
              }
              Message m = Responses.reply(query);
              m.addRecord(a(Name.fromConstantString("h" + i + ".stream.test."), i), Section.ANSWER);
              return m;
            }

            @Override
            public int size() {
              return 5;
            }
          };
      return CompletableFuture.completedFuture(ResponseStream.of(messages));
    }
  }

  /** Only the stream matters here; single queries are never asked. */
  abstract static class QueryHandlerAdapter implements QueryHandler {
    @Override
    public CompletionStage<Message> handle(Message query, QueryContext context) {
      return CompletableFuture.completedFuture(Responses.error(query, Rcode.REFUSED));
    }
  }

  @Test
  void aStreamThatFailsAfterItsFirstMessageClosesTheConnectionAfterTheMessagesSent() {
    channel(new FailingStreamHandler());
    write(axfrQuery(false).toWire());
    List<byte[]> frames = readFrames();
    assertThat(frames).hasSize(2);
    assertThat(channel.isActive()).isFalse();
  }

  @Test
  void processStreamAnswersAStreamThatFailsPartWayWithOneServfail() throws Exception {
    MessageProcessor processor = new MessageProcessor(new FailingStreamHandler(), WireOptions.defaults(), WireObserver.NOOP);
    Message query = axfrQuery(false);
    List<byte[]> frames =
        processor
            .processStream(query.toWire(), new QueryContext(Transport.TCP, new InetSocketAddress("127.0.0.1", 40000), null))
            .toCompletableFuture()
            .join();
    assertThat(frames).hasSize(1);
    assertThat(new Message(frames.get(0)).getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void aStreamLargerThanTheSendBufferToASlowReaderComesWholeAndBeforeThePipelinedAnswers()
      throws Exception {
    // 40,000 records, about 1.6 MB: the stream is written in batches as the socket drains, and
    // the A queries pipelined behind the AXFR wait until its last frame is written. There are
    // more of them than a connection may have outstanding (100): the connection stops reading
    // while their answers wait, and reads the rest once the transfer is written.
    try (DnsServer server =
            new DnsServer(
                List.of(new InetSocketAddress("127.0.0.1", 0)), new AxfrHandler(40_000, 200));
        java.net.Socket socket = new java.net.Socket()) {
      server.start();
      socket.setReceiveBufferSize(8 * 1024);
      socket.connect(server.boundAddresses().get(0), 5000);
      socket.setSoTimeout(10_000);
      Message axfr = axfrQuery(false);
      axfr.getHeader().setID(1);
      Message a = Message.newQuery(Record.newRecord(Name.fromConstantString("x.stream.test."), Type.A, DClass.IN));
      a.getHeader().setID(2);
      java.io.OutputStream out = socket.getOutputStream();
      out.write(RawDnsClient.frame(axfr.toWire()));
      int pipelined = 3 * WireOptions.DEFAULT_TCP_MAX_IN_FLIGHT;
      for (int i = 0; i < pipelined; i++) {
        a.getHeader().setID(2 + i);
        out.write(RawDnsClient.frame(a.toWire()));
      }
      out.flush();
      Thread.sleep(300); // the server fills the socket's buffers and waits for them to drain
      java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
      int records = 0;
      int messages = 0;
      java.util.Set<Integer> answered = new java.util.HashSet<>();
      while (answered.size() < pipelined) {
        byte[] body = new byte[in.readUnsignedShort()];
        in.readFully(body);
        Message m = new Message(body);
        int id = m.getHeader().getID();
        if (id == 1) {
          assertThat(answered).as("an answer came between the transfer's messages").isEmpty();
          messages++;
          records += m.getSection(Section.ANSWER).size();
        } else {
          assertThat(answered.add(id)).isTrue();
        }
      }
      assertThat(records).isEqualTo(40_002);
      assertThat(messages).isEqualTo(201);
    }
  }
}
