package io.tierdns.wire;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps open TCP connections across all listeners of one server; a connection over the cap is
 * closed as soon as it is active, before it reaches the query handler.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7766#section-6.2.2">RFC 7766 §6.2.2</a>
 */
@Sharable
final class TcpConnectionLimiter extends ChannelInboundHandlerAdapter {

  private static final AttributeKey<Boolean> COUNTED =
      AttributeKey.valueOf(TcpConnectionLimiter.class, "counted");

  private final int max;
  private final WireObserver observer;
  private final AtomicInteger open = new AtomicInteger();

  TcpConnectionLimiter(int max, WireObserver observer) {
    this.max = max;
    this.observer = observer;
  }

  int open() {
    return open.get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      observer.tcpConnectionRefused();
      ctx.close();
      return;
    }
    ctx.channel().attr(COUNTED).set(Boolean.TRUE);
    observer.tcpConnectionOpened();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (ctx.channel().attr(COUNTED).getAndSet(null) != null) {
      open.decrementAndGet();
      observer.tcpConnectionClosed();
      ctx.fireChannelInactive();
    }
  }
}
