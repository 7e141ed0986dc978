package io.tierdns.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Answers the framed queries of one TCP connection (RFC 7766): queries may be pipelined and are
 * answered as they complete, possibly out of order (§6.2.1.1). With {@code maxInFlight} queries
 * outstanding the connection stops reading until one completes. The connection closes after the
 * idle timeout with nothing outstanding (§6.2.3), and after the client half-closes once all its
 * queries are answered. A multi-message response (a zone transfer, {@link ResponseStream}) is
 * written frame after frame with nothing between them. State is touched only on the channel's
 * event loop.
 */
final class TcpQueryHandler extends ChannelInboundHandlerAdapter {

  private final MessageProcessor processor;
  private final WireObserver observer;
  private final int maxInFlight;
  private final LogOnce failures;
  private int inFlight;
  private boolean inputShutdown;

  TcpQueryHandler(
      MessageProcessor processor, WireObserver observer, int maxInFlight, LogOnce failures) {
    this.processor = processor;
    this.observer = observer;
    this.maxInFlight = maxInFlight;
    this.failures = failures;
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
    if (++inFlight >= maxInFlight) {
      ctx.channel().config().setAutoRead(false);
    }
    QueryContext context =
        new QueryContext(
            Transport.TCP,
            inet(ctx.channel().remoteAddress()),
            inet(ctx.channel().localAddress()));
    EventLoop loop = ctx.channel().eventLoop();
    processor
        .processStream(query, context)
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

  private void complete(ChannelHandlerContext ctx, List<byte[]> frames) {
    inFlight--;
    if (frames != null && !frames.isEmpty()) {
      if (ctx.channel().isActive()) {
        // Every frame of a stream is written in this one task, so no other pipelined response
        // can come between them (RFC 5936 §2.2); one flush at the end.
        ChannelFutureListener onWrite =
            f -> {
              if (!f.isSuccess()) {
                observer.dropped(Transport.TCP, DropReason.WRITE_FAILED);
              }
            };
        int last = frames.size() - 1;
        for (int i = 0; i < last; i++) {
          ctx.write(frames.get(i)).addListener(onWrite);
        }
        ctx.writeAndFlush(frames.get(last)).addListener(onWrite);
      } else {
        observer.dropped(Transport.TCP, DropReason.CONNECTION_CLOSED);
      }
    }
    if (inFlight < maxInFlight && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
    if (inputShutdown && inFlight == 0) {
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
      if (inFlight == 0) {
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
