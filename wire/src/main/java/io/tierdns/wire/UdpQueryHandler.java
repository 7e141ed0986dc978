package io.tierdns.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One datagram in, at most one datagram out. Never closes the socket on a bad packet.
 *
 * <p>The datagrams of one read (with epoll, one or more {@code recvmmsg} calls) are kept until the
 * read ends and then processed together ({@link MessageProcessor#process(byte[][],
 * QueryContext[], int, Object[])}), so that their packet-cache look-ups overlap; at most
 * {@link #BATCH} wait. Answers ready then (packet-cache hits and synchronous handlers) are written
 * without a flush and flushed once, so the epoll transport sends them with one {@code sendmmsg}
 * call instead of one {@code sendto} each. An answer completing later is flushed at once. State
 * is touched only on the channel's event loop.
 */
final class UdpQueryHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(UdpQueryHandler.class);

  private final MessageProcessor processor;
  private final WireObserver observer;
  private final LogOnce failures;
  /** The most datagrams kept before they are processed, whether or not the read has ended. */
  static final int BATCH = 64;

  private final byte[][] wires = new byte[BATCH][];
  private final QueryContext[] contexts = new QueryContext[BATCH];

  /** The answers of the batch: {@code byte[]} or a stage ({@link MessageProcessor#process}). */
  private final Object[] results = new Object[BATCH];

  /**
   * Counts and logs a failed send. One listener for every answer: a lambda capturing the client
   * would be an allocation per answer; the failure's cause names the call that failed.
   */
  private final ChannelFutureListener onWritten;

  private int pending;
  private boolean reading;
  private boolean unflushed;

  UdpQueryHandler(MessageProcessor processor, WireObserver observer, LogOnce failures) {
    this.processor = processor;
    this.observer = observer;
    this.failures = failures;
    this.onWritten =
        f -> {
          if (!f.isSuccess()) {
            observer.dropped(Transport.UDP, DropReason.WRITE_FAILED);
            failures.log("UDP send failed", f.cause());
          }
        };
  }

  /**
   * The longest UDP query read whole when datagrams are batched (epoll, recvmmsg). A datagram
   * that fills its slot may have been cut: it is answered with its header and question and TC
   * set, so the client asks again over TCP (RFC 7766 §5), and it reaches no handler.
   */
  static final int UDP_QUERY_SLOT = 4096;

  static LogOnce newFailureLog() {
    return new LogOnce(log);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket)) {
      io.netty.util.ReferenceCountUtil.release(msg);
      return;
    }
    reading = true;
    DatagramPacket packet = (DatagramPacket) msg;
    byte[] query;
    InetSocketAddress sender = packet.sender();
    QueryContext context;
    try {
      query = ByteBufUtil.getBytes(packet.content());
      context = new QueryContext(Transport.UDP, sender, packet.recipient());
    } finally {
      packet.release();
    }
    if (query.length >= UDP_QUERY_SLOT && batched(ctx)) {
      byte[] retry = Responses.retryOverTcp(query);
      if (retry != null) {
        write(ctx, retry, sender);
      }
      return;
    }
    wires[pending] = query;
    contexts[pending] = context;
    if (++pending == BATCH) {
      processPending(ctx);
    }
  }

  private void processPending(ChannelHandlerContext ctx) {
    int count = pending;
    if (count == 0) {
      return;
    }
    pending = 0;
    try {
      processor.process(wires, contexts, count, results);
      for (int i = 0; i < count; i++) {
        Object result = results[i];
        if (result instanceof byte[] response) {
          write(ctx, response, contexts[i].remote());
        } else {
          @SuppressWarnings("unchecked")
          CompletionStage<byte[]> stage = (CompletionStage<byte[]>) result;
          deliver(ctx, stage, contexts[i].remote());
        }
      }
    } finally {
      Arrays.fill(wires, 0, count, null);
      Arrays.fill(contexts, 0, count, null);
      Arrays.fill(results, 0, count, null);
    }
  }

  private void deliver(
      ChannelHandlerContext ctx, CompletionStage<byte[]> stage, InetSocketAddress sender) {
    // Answered at once (packet-cache hits, synchronous handlers): no callback to allocate. Only
    // a plain CompletableFuture: a minimal stage (a subclass) refuses isDone().
    if (stage.getClass() == CompletableFuture.class) {
      CompletableFuture<byte[]> now = (CompletableFuture<byte[]>) stage;
      if (now.isDone() && !now.isCompletedExceptionally()) {
        byte[] response = now.getNow(null);
        if (response != null) {
          write(ctx, response, sender);
        }
        return;
      }
    }
    EventLoop loop = ctx.channel().eventLoop();
    stage
        .whenComplete(
            (response, failure) -> {
              if (response == null) {
                return;
              }
              if (loop.inEventLoop()) {
                write(ctx, response, sender);
              } else {
                loop.execute(() -> write(ctx, response, sender));
              }
            });
  }

  private static boolean batched(ChannelHandlerContext ctx) {
    return ctx.channel() instanceof io.netty.channel.epoll.EpollDatagramChannel;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    processPending(ctx);
    reading = false;
    if (unflushed) {
      unflushed = false;
      ctx.flush();
    }
    ctx.fireChannelReadComplete();
  }

  private void write(ChannelHandlerContext ctx, byte[] response, InetSocketAddress sender) {
    ByteBuf buf = ctx.alloc().ioBuffer(response.length).writeBytes(response);
    DatagramPacket datagram = new DatagramPacket(buf, sender);
    ChannelFuture written;
    if (reading) {
      unflushed = true;
      written = ctx.write(datagram);
    } else {
      written = ctx.writeAndFlush(datagram);
    }
    written.addListener(onWritten);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A UDP socket serves every client: an error (e.g. ICMP port unreachable) must not close it.
    failures.log("UDP listener error on " + ctx.channel().localAddress(), cause);
  }
}
