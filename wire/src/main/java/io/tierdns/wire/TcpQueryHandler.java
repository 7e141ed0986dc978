package io.tierdns.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Answers the framed queries of one TCP connection (RFC 7766): queries may be pipelined and are
 * answered as they complete, possibly out of order (§6.2.1.1). With {@code maxInFlight} queries
 * outstanding (those answered but waiting behind a stream being written included) the connection
 * stops reading until one is written. The connection closes after the idle timeout with nothing
 * outstanding (§6.2.3), and after the client half-closes once all its queries are answered. A
 * multi-message response (a zone transfer, {@link ResponseStream}) is written frame after frame
 * with nothing between them, its frames rendered batch by batch as the connection drains
 * (responses completed meanwhile wait their turn); a stream that fails after its first message
 * closes the connection. State is touched only on the channel's event loop.
 */
final class TcpQueryHandler extends ChannelInboundHandlerAdapter {

  /** Bytes of a stream written per batch before the next batch is rendered. */
  private static final int BATCH_BYTES = 256 * 1024;

  private final MessageProcessor processor;
  private final WireObserver observer;
  private final int maxInFlight;
  private final LogOnce failures;
  private final ChannelFutureListener onWrite;

  private int inFlight;
  private boolean inputShutdown;
  private boolean closing;
  /** The response being written (its frames are rendered as they are taken), or null. */
  private Iterator<byte[]> writing;
  /** Responses completed while another was being written, in completion order. */
  private final ArrayDeque<Iterator<byte[]>> waiting = new ArrayDeque<>();

  TcpQueryHandler(
      MessageProcessor processor, WireObserver observer, int maxInFlight, LogOnce failures) {
    this.processor = processor;
    this.observer = observer;
    this.maxInFlight = maxInFlight;
    this.failures = failures;
    this.onWrite =
        f -> {
          if (!f.isSuccess()) {
            observer.dropped(Transport.TCP, DropReason.WRITE_FAILED);
          }
        };
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    byte[] query;
    ByteBuf frame = (ByteBuf) msg;
    try {
      query = ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
    inFlight++;
    updateAutoRead(ctx);
    QueryContext context =
        new QueryContext(
            Transport.TCP,
            inet(ctx.channel().remoteAddress()),
            inet(ctx.channel().localAddress()));
    EventLoop loop = ctx.channel().eventLoop();
    processor
        .processFrames(query, context)
        .whenComplete(
            (response, failure) -> {
              if (loop.inEventLoop()) {
                complete(ctx, response);
              } else {
                loop.execute(() -> complete(ctx, response));
              }
            });
  }

  /** The address, or {@code null} for a non-IP channel (such as Netty's EmbeddedChannel). */
  private static InetSocketAddress inet(SocketAddress address) {
    return address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
  }

  private void complete(ChannelHandlerContext ctx, Iterator<byte[]> frames) {
    inFlight--;
    if (frames != null && frames.hasNext()) {
      if (ctx.channel().isActive()) {
        waiting.add(frames);
        if (writing == null) {
          writeMore(ctx);
        }
      } else {
        observer.dropped(Transport.TCP, DropReason.CONNECTION_CLOSED);
      }
    }
    updateAutoRead(ctx);
    closeIfDone(ctx);
  }

  /**
   * Reads while fewer than {@code maxInFlight} queries are outstanding, counting those answered
   * but waiting behind a stream being written: a client that pipelines queries behind a zone
   * transfer and does not read cannot make answers pile up here.
   */
  private void updateAutoRead(ChannelHandlerContext ctx) {
    boolean read = inFlight + waiting.size() < maxInFlight;
    if (read != ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(read);
    }
  }

  /**
   * Writes the response being written, batch by batch, then the waiting ones in order. A batch
   * ends at {@value #BATCH_BYTES} bytes or when the channel stops being writable; the next batch
   * is rendered once this one is in the kernel's send buffer, while the client reads it. Nothing
   * of another response comes between the frames of a stream (RFC 5936 §2.2).
   */
  private void writeMore(ChannelHandlerContext ctx) {
    while (true) {
      if (writing == null) {
        writing = waiting.poll();
        if (writing == null) {
          closeIfDone(ctx);
          return;
        }
        updateAutoRead(ctx);
      }
      ChannelFuture last = null;
      int bytes = 0;
      try {
        do {
          byte[] frame = writing.next();
          bytes += frame.length;
          last = ctx.write(frame).addListener(onWrite);
        } while (writing.hasNext() && bytes < BATCH_BYTES && ctx.channel().isWritable());
      } catch (RuntimeException e) { // a stream's message after its first could not be rendered
        failures.log("a multi-message response failed part way; closing the connection", e);
        abandon(ctx);
        return;
      }
      ctx.flush();
      if (!writing.hasNext()) {
        writing = null;
        continue;
      }
      if (!last.isDone()) {
        last.addListener(f -> afterBatch(ctx, f.isSuccess()));
        return;
      }
      if (!last.isSuccess()) {
        abandon(ctx);
        return;
      }
    }
  }

  private void afterBatch(ChannelHandlerContext ctx, boolean written) {
    if (written && ctx.channel().isActive()) {
      writeMore(ctx);
    } else {
      abandon(ctx);
    }
  }

  /** Drops the response being written and the waiting ones, and closes the connection. */
  private void abandon(ChannelHandlerContext ctx) {
    writing = null;
    for (int i = waiting.size(); i > 0; i--) {
      observer.dropped(Transport.TCP, DropReason.CONNECTION_CLOSED);
    }
    waiting.clear();
    ctx.flush();
    ctx.close();
  }

  /** Every query answered and every answer written. */
  private boolean allWritten() {
    return inFlight == 0 && writing == null && waiting.isEmpty();
  }

  /** After the client half-closed: close once every query is answered and written. */
  private void closeIfDone(ChannelHandlerContext ctx) {
    if (inputShutdown && !closing && allWritten()) {
      closing = true;
      ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (inFlight == 0) {
        ctx.close();
      }
    } else if (evt instanceof ChannelInputShutdownEvent) {
      inputShutdown = true;
      if (allWritten()) {
        ctx.close();
      }
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failures.log("TCP connection from " + ctx.channel().remoteAddress() + " failed", cause);
    ctx.close();
  }
}
