package io.tierdns.wire;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps open TCP connections across all listeners of one server, and from any one client address;
 * a connection over either cap is closed as soon as it is active, before it reaches the query
 * handler. The per-client counts live only while the client has a connection open, so the table
 * never holds more entries than the total cap allows.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7766#section-6.2.2">RFC 7766 §6.2.2</a>
 */
@Sharable
final class TcpConnectionLimiter extends ChannelInboundHandlerAdapter {

  private static final AttributeKey<InetAddress> COUNTED =
      AttributeKey.valueOf(TcpConnectionLimiter.class, "counted");

  /** Stands for a peer without an IP address (an embedded test channel). */
  private static final InetAddress UNKNOWN = InetAddress.getLoopbackAddress();

  private final int max;
  private final int maxPerClient;
  private final WireObserver observer;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient =
      new ConcurrentHashMap<>();

  TcpConnectionLimiter(int max, int maxPerClient, WireObserver observer) {
    this.max = max;
    this.maxPerClient = maxPerClient;
    this.observer = observer;
  }

  /** A limiter with no per-client cap below the total. */
  TcpConnectionLimiter(int max, WireObserver observer) {
    this(max, max, observer);
  }

  int open() {
    return open.get();
  }

  /** Open connections from {@code client}. */
  int open(InetAddress client) {
    AtomicInteger n = perClient.get(client);
    return n == null ? 0 : n.get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      observer.tcpConnectionRefused();
      ctx.close();
      return;
    }
    InetAddress client = address(ctx.channel().remoteAddress());
    if (!admitClient(client)) {
      open.decrementAndGet();
      observer.tcpClientConnectionRefused();
      ctx.close();
      return;
    }
    ctx.channel().attr(COUNTED).set(client);
    observer.tcpConnectionOpened();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    InetAddress client = ctx.channel().attr(COUNTED).getAndSet(null);
    if (client != null) {
      releaseClient(client);
      open.decrementAndGet();
      observer.tcpConnectionClosed();
      ctx.fireChannelInactive();
    }
  }

  /** Counts one more connection from {@code client}, unless it is at its cap. */
  private boolean admitClient(InetAddress client) {
    boolean[] admitted = {false};
    perClient.compute(
        client,
        (k, n) -> {
          AtomicInteger count = n == null ? new AtomicInteger() : n;
          if (count.get() < maxPerClient) {
            count.incrementAndGet();
            admitted[0] = true;
          }
          return count.get() == 0 ? null : count;
        });
    return admitted[0];
  }

  private void releaseClient(InetAddress client) {
    perClient.computeIfPresent(client, (k, n) -> n.decrementAndGet() == 0 ? null : n);
  }

  private static InetAddress address(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet && inet.getAddress() != null
        ? inet.getAddress()
        : UNKNOWN;
  }
}
