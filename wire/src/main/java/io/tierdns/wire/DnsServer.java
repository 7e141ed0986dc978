package io.tierdns.wire;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DNS listener on UDP and TCP for a list of addresses, answering through one {@link
 * QueryHandler}.
 *
 * <p>Design note. Every address is served on UDP and TCP on the same port (RFC 7766 makes TCP a
 * peer of UDP). TCP is bound first: for port 0 the kernel picks a TCP port, then UDP is bound to
 * the same number, and the pair is retried on a fresh port when that UDP port is taken. One event
 * loop group (epoll when available, else NIO) runs everything. On epoll each io thread gets its own
 * UDP socket on the address, joined by SO_REUSEPORT, so the kernel spreads datagrams across all
 * threads; TCP has one listening socket and spreads connections over the loops. The DNS rules live
 * in {@link MessageProcessor}; the Netty handlers only move bytes.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-4.2">RFC 1035 §4.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7766">RFC 7766</a>
 */
public final class DnsServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);

  /** Attempts at finding a port free on both TCP and UDP when port 0 is asked for. */
  private static final int EPHEMERAL_ATTEMPTS = 8;

  /**
   * The receive buffer of one read. With epoll it holds {@link UdpQueryHandler#UDP_QUERY_SLOT}
   * -byte slots, so one recvmmsg(2) takes up to 15 datagrams (as NSD and Knot batch theirs); a
   * longer datagram is cut to its slot and answered with TC (retry over TCP). Without epoll it
   * is one datagram of any size.
   */
  private static final int UDP_RECEIVE_BUFFER = WireOptions.MAX_MESSAGE;

  /** Kernel receive buffer asked for on UDP sockets. */
  private static final int UDP_SOCKET_BUFFER = 1 << 20;

  private final List<InetSocketAddress> listen;
  private final WireOptions options;
  private final WireObserver observer;
  private final MessageProcessor processor;
  private final TcpConnectionLimiter limiter;
  private final LogOnce failures = UdpQueryHandler.newFailureLog();
  private final boolean epoll = Epoll.isAvailable();

  private final List<Channel> channels = new ArrayList<>();
  private final List<InetSocketAddress> bound = new ArrayList<>();
  private EventLoopGroup group;
  private boolean closed;

  public DnsServer(
      List<InetSocketAddress> listen,
      QueryHandler handler,
      WireOptions options,
      WireObserver observer) {
    this.listen = List.copyOf(Objects.requireNonNull(listen, "listen"));
    if (this.listen.isEmpty()) {
      throw new IllegalArgumentException("at least one listen address is required");
    }
    this.options = Objects.requireNonNull(options, "options");
    this.observer = Objects.requireNonNull(observer, "observer");
    this.processor = new MessageProcessor(handler, options, observer);
    this.limiter =
        new TcpConnectionLimiter(
            options.tcpMaxConnections(), options.tcpMaxConnectionsPerClient(), observer);
  }

  /** A server with {@link WireOptions#defaults()} and no observer. */
  public DnsServer(List<InetSocketAddress> listen, QueryHandler handler) {
    this(listen, handler, WireOptions.defaults(), WireObserver.NOOP);
  }

  /**
   * Binds UDP and TCP on every address.
   *
   * @throws WireException naming the address when a bind fails; everything bound so far is
   *     released
   * @throws IllegalStateException when already started or closed
   */
  public synchronized void start() {
    if (group != null || closed) {
      throw new IllegalStateException("DnsServer can be started once");
    }
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    group = new MultiThreadIoEventLoopGroup(options.ioThreads(), factory);
    try {
      for (InetSocketAddress address : listen) {
        bound.add(bindPair(address));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    log.info(
        "DNS listening on {} (udp+tcp, {}, {} io threads)",
        bound,
        epoll ? "epoll" : "nio",
        options.ioThreads());
  }

  /** The addresses actually bound, in the order given (port 0 resolved); UDP and TCP share each. */
  public synchronized List<InetSocketAddress> boundAddresses() {
    return List.copyOf(bound);
  }

  /** Open TCP connections right now. */
  public int openTcpConnections() {
    return limiter.open();
  }

  /** Closes every socket and stops the event loops. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Channel channel : channels) {
      channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    channels.clear();
    if (group != null) {
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
  }

  private InetSocketAddress bindPair(InetSocketAddress address) {
    int attempts = address.getPort() == 0 ? EPHEMERAL_ATTEMPTS : 1;
    WireException last = null;
    for (int i = 0; i < attempts; i++) {
      Channel tcp = bindTcp(address);
      InetSocketAddress actual = (InetSocketAddress) tcp.localAddress();
      try {
        List<Channel> udp = bindUdp(actual);
        channels.add(tcp);
        channels.addAll(udp);
        return actual;
      } catch (WireException e) {
        tcp.close().awaitUninterruptibly();
        last = e;
        log.debug("UDP port {} taken, retrying with another ephemeral port", actual.getPort());
      }
    }
    throw last;
  }

  private Channel bindTcp(InetSocketAddress address) {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childHandler(new TcpInitializer());
    return bind(bootstrap.bind(address), "TCP", address);
  }

  private List<Channel> bindUdp(InetSocketAddress address) {
    int sockets = epoll ? options.ioThreads() : 1;
    List<Channel> udp = new ArrayList<>(sockets);
    try {
      for (int i = 0; i < sockets; i++) {
        Bootstrap bootstrap =
            new Bootstrap()
                .group(group)
                .channelFactory(() -> datagramChannel(address))
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                // Absorb query bursts; the kernel caps this at net.core.rmem_max.
                .option(ChannelOption.SO_RCVBUF, UDP_SOCKET_BUFFER)
                .option(
                    ChannelOption.RCVBUF_ALLOCATOR,
                    new FixedRecvByteBufAllocator(UDP_RECEIVE_BUFFER))
                .handler(new UdpQueryHandler(processor, observer, failures));
        if (epoll) {
          bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
          bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, UdpQueryHandler.UDP_QUERY_SLOT);
        }
        udp.add(bind(bootstrap.bind(address), "UDP", address));
      }
      return udp;
    } catch (WireException e) {
      udp.forEach(c -> c.close().awaitUninterruptibly());
      throw e;
    }
  }

  /**
   * A UDP socket of the address's own family: without one, epoll opens an IPv6 socket for an IPv4
   * address too, and every datagram then pays for the v4-mapped address conversions (the kernel's
   * udpv6_sendmsg detour and Netty's mapped sender addresses).
   */
  private Channel datagramChannel(InetSocketAddress address) {
    if (!epoll) {
      return new NioDatagramChannel();
    }
    return address.getAddress() instanceof java.net.Inet4Address
        ? new EpollDatagramChannel(io.netty.channel.socket.SocketProtocolFamily.INET)
        : new EpollDatagramChannel();
  }

  private static Channel bind(ChannelFuture future, String transport, InetSocketAddress address) {
    future.awaitUninterruptibly();
    if (!future.isSuccess()) {
      throw new WireException(
          "cannot bind DNS " + transport + " listener on " + address + ": "
              + future.cause().getMessage(),
          future.cause());
    }
    return future.channel();
  }

  private final class TcpInitializer extends ChannelInitializer<SocketChannel> {
    @Override
    protected void initChannel(SocketChannel ch) {
      configureTcpPipeline(ch, processor, observer, options, limiter, failures);
    }
  }

  /**
   * The TCP pipeline, shared with the EmbeddedChannel tests: connection cap, idle timer, two-byte
   * length framing (RFC 1035 §4.2.2; a frame can never exceed 65535 bytes, a zero-length frame is
   * dropped by the processor as too short), and the query handler.
   */
  static void configureTcpPipeline(
      Channel ch,
      MessageProcessor processor,
      WireObserver observer,
      WireOptions options,
      TcpConnectionLimiter limiter,
      LogOnce failures) {
    ch.pipeline()
        .addLast("limit", limiter)
        .addLast(
            "idle",
            new IdleStateHandler(
                0, 0, options.tcpIdleTimeout().toMillis(), TimeUnit.MILLISECONDS))
        .addLast("framer", new LengthFieldBasedFrameDecoder(2 + WireOptions.MAX_MESSAGE, 0, 2, 0, 2))
        .addLast("encoder", new TcpFrameEncoder())
        .addLast(
            "dns",
            new TcpQueryHandler(
                processor, observer, options.tcpMaxInFlightPerConnection(), failures));
  }
}
