package io.tierdns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Base for tests that drive the server's TCP pipeline on an {@link EmbeddedChannel}. It turns
 * Netty's leak detector to PARANOID for the test class, and after each test finishes the channel
 * and checks that every buffer the test wrote into it (kept in {@link #inbound}) was released.
 */
abstract class LeakCheckedTcpHarness {

  private static ResourceLeakDetector.Level previousLevel;

  /** Every inbound buffer the test wrote; each must be released by the time the test ends. */
  final List<ByteBuf> inbound = new ArrayList<>();

  /** The channel under test, set by {@link #channel(QueryHandler, WireOptions)}. */
  EmbeddedChannel channel;

  @BeforeAll
  static void paranoidLeakDetection() {
    previousLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterAll
  static void restoreLeakDetection() {
    ResourceLeakDetector.setLevel(previousLevel);
  }

  @AfterEach
  void everyBufferIsReleased() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
    for (ByteBuf buf : inbound) {
      assertThat(buf.refCnt()).as("inbound buffer released").isZero();
    }
  }

  /**
   * Opens {@link #channel} with the server's TCP pipeline around {@code handler}, with its own
   * connection limiter and a failure log named after the test class.
   */
  EmbeddedChannel channel(QueryHandler handler, WireOptions options) {
    MessageProcessor processor = new MessageProcessor(handler, options, WireObserver.NOOP);
    TcpConnectionLimiter limiter =
        new TcpConnectionLimiter(options.tcpMaxConnections(), WireObserver.NOOP);
    LogOnce failures = new LogOnce(LoggerFactory.getLogger(getClass()));
    channel =
        new EmbeddedChannel(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                DnsServer.configureTcpPipeline(
                    ch, processor, WireObserver.NOOP, options, limiter, failures);
              }
            });
    return channel;
  }
}
