package io.tierdns.wire.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.tierdns.wire.Transport;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.Message;

/**
 * Sends one DNS query to one server and returns its response, over UDP or TCP, on Netty.
 *
 * <p>Design note. Each exchange has a socket of its own, which makes the spoofing defences of RFC
 * 5452 simple and strong:
 *
 * <ul>
 *   <li>UDP: a fresh socket per query, bound by the kernel to an ephemeral port (Linux picks UDP
 *       ephemeral ports at random across its range, §9.2) and connected to the server, so the
 *       kernel drops datagrams from any other address or port; the query gets a fresh ID from
 *       {@link SecureRandom} (§9.2); a datagram is taken as the response only if it is a response
 *       with our ID and our question (§9.1), anything else is counted and ignored while we keep
 *       waiting.
 *   <li>TCP: a fresh connection per query, two-byte length framing (RFC 1035 §4.2.2), the same
 *       matching. Connection reuse and pipelining (RFC 7766 §6.2) are not done: the client serves a
 *       forwarder, which uses TCP only after a truncated answer.
 * </ul>
 *
 * One timeout covers connect, send and answer; it fails the stage with a {@link TimeoutException}.
 * Other failures are {@link DnsClientException}s. The client neither retries nor interprets rcodes
 * or TC: that is the caller's policy. Threads: the client's own event loop group, or one passed in.
 */
public final class DnsClient implements AutoCloseable {

  private static final int MAX_MESSAGE = 65535;
  private static final ThreadLocal<SecureRandom> IDS = ThreadLocal.withInitial(SecureRandom::new);

  private final DnsClientOptions options;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final boolean epoll;
  private final AtomicLong mismatched = new AtomicLong();

  /** A client with its own event loop group. */
  public DnsClient(DnsClientOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.epoll = Epoll.isAvailable();
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(options.ioThreads(), factory);
    this.ownsGroup = true;
  }

  /**
   * A client on a group owned by the caller (which closes it). The group must be NIO, or epoll
   * when {@code epoll} is true.
   */
  public DnsClient(DnsClientOptions options, EventLoopGroup group, boolean epoll) {
    this.options = Objects.requireNonNull(options, "options");
    this.group = Objects.requireNonNull(group, "group");
    this.epoll = epoll;
    this.ownsGroup = false;
  }

  /** A client with {@link DnsClientOptions#defaults()}. */
  public DnsClient() {
    this(DnsClientOptions.defaults());
  }

  /**
   * Sends {@code query} to {@code server}.
   *
   * @param query the query; not modified (a copy gets a fresh random ID)
   * @return the matching response, or a stage failed with {@link TimeoutException} or {@link
   *     DnsClientException}
   */
  public CompletableFuture<Message> query(
      InetSocketAddress server, Message query, Transport transport) {
    Objects.requireNonNull(server, "server");
    if (query.getQuestion() == null) {
      throw new IllegalArgumentException("query has no question");
    }
    Message sent = query.clone();
    sent.getHeader().setID(IDS.get().nextInt(0x10000));
    byte[] wire = sent.toWire(MAX_MESSAGE);
    CompletableFuture<Message> result = new CompletableFuture<>();
    ChannelFuture connect =
        transport == Transport.UDP ? udp(server, sent, result) : tcp(server, sent, result);
    Channel channel = connect.channel();
    ScheduledFuture<?> timer =
        channel
            .eventLoop()
            .schedule(
                () ->
                    result.completeExceptionally(
                        new TimeoutException(
                            "no " + transport + " answer from " + server + " within "
                                + options.timeout().toMillis() + " ms")),
                options.timeout().toNanos(),
                TimeUnit.NANOSECONDS);
    result.whenComplete(
        (r, e) -> {
          timer.cancel(false);
          channel.close();
        });
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            result.completeExceptionally(
                new DnsClientException(
                    "cannot reach " + server + " over " + transport + ": " + f.cause().getMessage(),
                    f.cause()));
            return;
          }
          ByteBuf out;
          if (transport == Transport.UDP) {
            out = Unpooled.wrappedBuffer(wire);
          } else {
            out = channel.alloc().buffer(2 + wire.length).writeShort(wire.length).writeBytes(wire);
          }
          channel
              .writeAndFlush(out)
              .addListener(
                  w -> {
                    if (!w.isSuccess()) {
                      result.completeExceptionally(
                          new DnsClientException("cannot send to " + server, w.cause()));
                    }
                  });
        });
    return result;
  }

  /** Responses dropped because ID or question did not match (possible spoofing), since start. */
  public long mismatchedResponses() {
    return mismatched.get();
  }

  private ChannelFuture udp(InetSocketAddress server, Message sent, CompletableFuture<Message> result) {
    return new Bootstrap()
        .group(group)
        .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_MESSAGE))
        .handler(new UdpResponseHandler(sent, result))
        .connect(server);
  }

  private ChannelFuture tcp(InetSocketAddress server, Message sent, CompletableFuture<Message> result) {
    return new Bootstrap()
        .group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, options.timeout().toMillis()))
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline()
                    .addLast("framer", new LengthFieldBasedFrameDecoder(2 + MAX_MESSAGE, 0, 2, 0, 2))
                    .addLast("dns", new TcpResponseHandler(sent, result));
              }
            })
        .connect(server);
  }

  /** Closes the client's own event loop group; a group passed in is left to its owner. */
  @Override
  public void close() {
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  private void offer(Message sent, byte[] bytes, CompletableFuture<Message> result) {
    Message response = ResponseMatcher.match(sent, bytes);
    if (response == null) {
      mismatched.incrementAndGet();
    } else {
      result.complete(response);
    }
  }

  private final class UdpResponseHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final Message sent;
    private final CompletableFuture<Message> result;

    UdpResponseHandler(Message sent, CompletableFuture<Message> result) {
      this.sent = sent;
      this.result = result;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      offer(sent, ByteBufUtil.getBytes(packet.content()), result);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // ICMP port unreachable arrives here on a connected socket: the server is not listening
      result.completeExceptionally(new DnsClientException("UDP exchange failed: " + cause, cause));
    }
  }

  private final class TcpResponseHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final Message sent;
    private final CompletableFuture<Message> result;

    TcpResponseHandler(Message sent, CompletableFuture<Message> result) {
      this.sent = sent;
      this.result = result;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      offer(sent, ByteBufUtil.getBytes(frame), result);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      result.completeExceptionally(
          new DnsClientException("connection closed by " + ctx.channel().remoteAddress() + " before the answer"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.completeExceptionally(new DnsClientException("TCP exchange failed: " + cause, cause));
    }
  }
}
