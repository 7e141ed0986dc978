package io.tierdns.wire;

import static io.tierdns.wire.MessageProcessorTest.a;
import static io.tierdns.wire.MessageProcessorTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.tierdns.wire.testing.RawDnsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The TCP pipeline (RFC 7766 framing, pipelining, limits) on an EmbeddedChannel, leak-checked. */
class TcpPipelineTest extends LeakCheckedTcpHarness {

  private final List<CompletableFuture<Message>> pending = new ArrayList<>();

  private static final QueryHandler ECHO =
      (q, c) -> {
        Message r = Responses.reply(q);
        r.addRecord(a(q.getQuestion().getName(), 1), Section.ANSWER);
        return CompletableFuture.completedFuture(r);
      };

  private void write(byte[]... chunks) {
    for (byte[] chunk : chunks) {
      ByteBuf buf = Unpooled.wrappedBuffer(chunk);
      inbound.add(buf);
      channel.writeInbound(buf);
    }
  }

  /** Reads one outbound frame, checks its length prefix and returns the parsed message. */
  private Message readResponse() throws IOException {
    ByteBuf out = channel.readOutbound();
    assertThat(out).as("a response frame").isNotNull();
    try {
      int length = out.readUnsignedShort();
      assertThat(out.readableBytes()).isEqualTo(length);
      byte[] body = new byte[length];
      out.readBytes(body);
      return new Message(body);
    } finally {
      out.release();
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  @Test
  void pipelinedQueriesInOneBufferAreAllAnswered() throws IOException {
    channel(ECHO, WireOptions.defaults());
    Message q1 = query("one.example.", Type.A);
    Message q2 = query("two.example.", Type.A);
    Message q3 = query("three.example.", Type.A);
    write(
        concat(
            RawDnsClient.frame(q1.toWire()),
            RawDnsClient.frame(q2.toWire()),
            RawDnsClient.frame(q3.toWire())));
    assertThat(readResponse().getHeader().getID()).isEqualTo(q1.getHeader().getID());
    assertThat(readResponse().getHeader().getID()).isEqualTo(q2.getHeader().getID());
    assertThat(readResponse().getHeader().getID()).isEqualTo(q3.getHeader().getID());
    assertThat((Object) channel.readOutbound()).isNull();
  }

  @Test
  void frameSplitAcrossReadsIsReassembled() throws IOException {
    channel(ECHO, WireOptions.defaults());
    Message q = query("split.example.", Type.A);
    byte[] framed = RawDnsClient.frame(q.toWire());
    for (byte b : framed) {
      assertThat((Object) channel.readOutbound()).isNull();
      write(new byte[] {b});
    }
    Message r = readResponse();
    assertThat(r.getHeader().getID()).isEqualTo(q.getHeader().getID());
    assertThat(r.getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void zeroLengthFrameIsIgnoredAndTheConnectionStaysUsable() throws IOException {
    channel(ECHO, WireOptions.defaults());
    Message q = query("after.example.", Type.A);
    write(concat(new byte[] {0, 0}, RawDnsClient.frame(new byte[5]), RawDnsClient.frame(q.toWire())));
    assertThat(readResponse().getHeader().getID()).isEqualTo(q.getHeader().getID());
    assertThat(channel.isActive()).isTrue();
  }

  @Test
  void responsesAreSentAsTheyCompleteNotInQueryOrder() throws IOException {
    channel(deferred(), WireOptions.defaults());
    Message q1 = query("slow.example.", Type.A);
    Message q2 = query("fast.example.", Type.A);
    write(concat(RawDnsClient.frame(q1.toWire()), RawDnsClient.frame(q2.toWire())));
    assertThat(pending).hasSize(2);
    pending.get(1).complete(answer(q2));
    channel.runPendingTasks();
    assertThat(readResponse().getHeader().getID()).isEqualTo(q2.getHeader().getID());
    pending.get(0).complete(answer(q1));
    channel.runPendingTasks();
    assertThat(readResponse().getHeader().getID()).isEqualTo(q1.getHeader().getID());
  }

  @Test
  void readingStopsAtTheInFlightCapAndResumesWhenAQueryCompletes() throws IOException {
    channel(deferred(), WireOptions.defaults().withTcpMaxInFlightPerConnection(2));
    Message q1 = query("a.example.", Type.A);
    Message q2 = query("b.example.", Type.A);
    write(RawDnsClient.frame(q1.toWire()));
    assertThat(channel.config().isAutoRead()).isTrue();
    write(RawDnsClient.frame(q2.toWire()));
    assertThat(channel.config().isAutoRead()).isFalse();
    pending.get(0).complete(answer(q1));
    channel.runPendingTasks();
    assertThat(channel.config().isAutoRead()).isTrue();
    readResponse();
    pending.get(1).complete(answer(q2));
    channel.runPendingTasks();
    readResponse();
  }

  @Test
  void idleConnectionIsClosedAfterTheTimeoutButNotWhileAQueryIsOutstanding() throws IOException {
    channel(deferred(), WireOptions.defaults().withTcpIdleTimeout(Duration.ofSeconds(10)));
    Message q = query("a.example.", Type.A);
    write(RawDnsClient.frame(q.toWire()));
    channel.advanceTimeBy(11, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).as("open while a query is outstanding").isTrue();
    pending.get(0).complete(answer(q));
    channel.runPendingTasks();
    readResponse();
    channel.advanceTimeBy(11, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void halfClosedConnectionIsAnsweredThenClosed() throws IOException {
    channel(deferred(), WireOptions.defaults());
    Message q = query("a.example.", Type.A);
    write(RawDnsClient.frame(q.toWire()));
    channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    assertThat(channel.isOpen()).isTrue();
    pending.get(0).complete(answer(q));
    channel.runPendingTasks();
    assertThat(readResponse().getHeader().getID()).isEqualTo(q.getHeader().getID());
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void connectionsOverTheCapAreClosedAtOnce() {
    WireOptions options = WireOptions.defaults().withTcpMaxConnections(1);
    MessageProcessor processor = new MessageProcessor(ECHO, options, WireObserver.NOOP);
    TcpConnectionLimiter limiter = new TcpConnectionLimiter(1, WireObserver.NOOP);
    LogOnce failures = new LogOnce(LoggerFactory.getLogger(TcpPipelineTest.class));
    ChannelInitializer<Channel> init =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            DnsServer.configureTcpPipeline(ch, processor, WireObserver.NOOP, options, limiter, failures);
          }
        };
    EmbeddedChannel first = new EmbeddedChannel(init);
    EmbeddedChannel second = new EmbeddedChannel(init);
    assertThat(first.isOpen()).isTrue();
    assertThat(second.isOpen()).isFalse();
    assertThat(limiter.open()).isEqualTo(1);
    first.close();
    assertThat(limiter.open()).isZero();
    EmbeddedChannel third = new EmbeddedChannel(init);
    assertThat(third.isOpen()).isTrue();
    third.finishAndReleaseAll();
    first.finishAndReleaseAll();
    second.finishAndReleaseAll();
  }

  private QueryHandler deferred() {
    return (q, c) -> {
      CompletableFuture<Message> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    };
  }

  private static Message answer(Message q) {
    Message r = Responses.reply(q);
    r.addRecord(a(q.getQuestion().getName(), 1), Section.ANSWER);
    return r;
  }
}
