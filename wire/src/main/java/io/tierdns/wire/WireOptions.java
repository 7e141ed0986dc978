package io.tierdns.wire;

import java.time.Duration;
import java.util.Objects;

/**
 * Transport settings of a {@link DnsServer}. Defaults are safe for a public listener.
 *
 * @param udpPayloadSize the EDNS0 UDP payload size we advertise and the cap on UDP responses
 *     (512..65535, default 1232, the DNS Flag Day 2020 value)
 * @param tcpIdleTimeout how long a TCP connection with no outstanding query stays open (default
 *     10 s)
 * @param tcpMaxConnections open TCP connections across all listeners; further connections are
 *     closed at once (default 1024)
 * @param tcpMaxInFlightPerConnection pipelined queries a connection may have outstanding before
 *     the server stops reading from it (default 100)
 * @param ioThreads Netty event loop threads (default: available processors)
 * @param packetCacheBytes heap the packet cache of encoded answers may take, 0 to turn it off
 *     (default 64 MiB); used only with a handler that opts in ({@link
 *     QueryHandler#cacheGeneration()})
 * @param tcpMaxConnectionsPerClient open TCP connections from one client address (default 64; at
 *     most {@code tcpMaxConnections} in effect)
 * @param rrlResponsesPerSecond response rate limiting on UDP: responses per second (and burst)
 *     per client prefix and response class, 0 to turn it off (default 0, off, as Knot DNS; BIND's
 *     usual values are 5 to 20; see {@link ResponseRateLimiter})
 * @param rrlSlip every how many-th response over the rate is sent as a truncated answer instead of
 *     dropped: 0 never, 1 always (default 2, as BIND and Knot DNS)
 * @param rrlTableSize flows the rate limiter tracks; a fixed table, so memory stays bounded under
 *     a spoofed flood (default 65536, about 1.3 MB when RRL is on)
 * @param cookies whether DNS Cookies are answered (RFC 7873, RFC 9018 server cookies); never
 *     enforced (default true)
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6891#section-6.2.5">RFC 6891 §6.2.5</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7873">RFC 7873</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7766#section-6.2.3">RFC 7766 §6.2.3</a>
 */
public record WireOptions(
    int udpPayloadSize,
    Duration tcpIdleTimeout,
    int tcpMaxConnections,
    int tcpMaxInFlightPerConnection,
    int ioThreads,
    long packetCacheBytes,
    int tcpMaxConnectionsPerClient,
    int rrlResponsesPerSecond,
    int rrlSlip,
    int rrlTableSize,
    boolean cookies) {

  /** The classic RFC 1035 UDP limit, also the floor of any EDNS0 payload size. */
  public static final int MIN_UDP_PAYLOAD = 512;

  /** The largest DNS message (RFC 1035 §4.2.2 two-byte TCP length). */
  public static final int MAX_MESSAGE = 65535;

  public static final int DEFAULT_UDP_PAYLOAD = 1232;
  public static final Duration DEFAULT_TCP_IDLE_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_TCP_MAX_CONNECTIONS = 1024;
  public static final int DEFAULT_TCP_MAX_IN_FLIGHT = 100;
  public static final long DEFAULT_PACKET_CACHE_BYTES = 64L << 20;
  public static final int DEFAULT_TCP_MAX_CONNECTIONS_PER_CLIENT = 64;
  public static final int DEFAULT_RRL_RESPONSES_PER_SECOND = 0;
  public static final int DEFAULT_RRL_SLIP = 2;
  public static final int DEFAULT_RRL_TABLE_SIZE = 65536;
  public static final boolean DEFAULT_COOKIES = true;

  public WireOptions {
    if (udpPayloadSize < MIN_UDP_PAYLOAD || udpPayloadSize > MAX_MESSAGE) {
      throw new IllegalArgumentException(
          "udpPayloadSize must be between 512 and 65535, got " + udpPayloadSize);
    }
    Objects.requireNonNull(tcpIdleTimeout, "tcpIdleTimeout");
    if (tcpIdleTimeout.isNegative() || tcpIdleTimeout.isZero()) {
      throw new IllegalArgumentException("tcpIdleTimeout must be positive, got " + tcpIdleTimeout);
    }
    if (tcpMaxConnections < 1) {
      throw new IllegalArgumentException(
          "tcpMaxConnections must be at least 1, got " + tcpMaxConnections);
    }
    if (tcpMaxInFlightPerConnection < 1) {
      throw new IllegalArgumentException(
          "tcpMaxInFlightPerConnection must be at least 1, got " + tcpMaxInFlightPerConnection);
    }
    if (ioThreads < 1) {
      throw new IllegalArgumentException("ioThreads must be at least 1, got " + ioThreads);
    }
    if (packetCacheBytes < 0) {
      throw new IllegalArgumentException(
          "packetCacheBytes must not be negative, got " + packetCacheBytes);
    }
    if (tcpMaxConnectionsPerClient < 1) {
      throw new IllegalArgumentException(
          "tcpMaxConnectionsPerClient must be at least 1, got " + tcpMaxConnectionsPerClient);
    }
    if (rrlResponsesPerSecond < 0 || rrlResponsesPerSecond > 1_000_000) {
      throw new IllegalArgumentException(
          "rrlResponsesPerSecond must be between 0 (off) and 1000000, got "
              + rrlResponsesPerSecond);
    }
    if (rrlSlip < 0 || rrlSlip > 10) {
      throw new IllegalArgumentException("rrlSlip must be between 0 and 10, got " + rrlSlip);
    }
    if (rrlTableSize < 1 || rrlTableSize > ResponseRateLimiter.MAX_TABLE) {
      throw new IllegalArgumentException(
          "rrlTableSize must be between 1 and " + ResponseRateLimiter.MAX_TABLE + ", got "
              + rrlTableSize);
    }
  }

  /** Options with the default per-client TCP cap, rate limiting off and cookies answered. */
  public WireOptions(
      int udpPayloadSize,
      Duration tcpIdleTimeout,
      int tcpMaxConnections,
      int tcpMaxInFlightPerConnection,
      int ioThreads,
      long packetCacheBytes) {
    this(
        udpPayloadSize,
        tcpIdleTimeout,
        tcpMaxConnections,
        tcpMaxInFlightPerConnection,
        ioThreads,
        packetCacheBytes,
        DEFAULT_TCP_MAX_CONNECTIONS_PER_CLIENT,
        DEFAULT_RRL_RESPONSES_PER_SECOND,
        DEFAULT_RRL_SLIP,
        DEFAULT_RRL_TABLE_SIZE,
        DEFAULT_COOKIES);
  }

  /** Options with the default packet cache size. */
  public WireOptions(
      int udpPayloadSize,
      Duration tcpIdleTimeout,
      int tcpMaxConnections,
      int tcpMaxInFlightPerConnection,
      int ioThreads) {
    this(
        udpPayloadSize,
        tcpIdleTimeout,
        tcpMaxConnections,
        tcpMaxInFlightPerConnection,
        ioThreads,
        DEFAULT_PACKET_CACHE_BYTES);
  }

  /** The documented defaults; {@code ioThreads} is the number of available processors. */
  public static WireOptions defaults() {
    return new WireOptions(
        DEFAULT_UDP_PAYLOAD,
        DEFAULT_TCP_IDLE_TIMEOUT,
        DEFAULT_TCP_MAX_CONNECTIONS,
        DEFAULT_TCP_MAX_IN_FLIGHT,
        Runtime.getRuntime().availableProcessors(),
        DEFAULT_PACKET_CACHE_BYTES);
  }

  /** Whether response rate limiting is on. */
  public boolean rrlEnabled() {
    return rrlResponsesPerSecond > 0;
  }

  public WireOptions withUdpPayloadSize(int value) {
    Copy c = new Copy(this);
    c.udpPayloadSize = value;
    return c.build();
  }

  public WireOptions withTcpIdleTimeout(Duration value) {
    Copy c = new Copy(this);
    c.tcpIdleTimeout = value;
    return c.build();
  }

  public WireOptions withTcpMaxConnections(int value) {
    Copy c = new Copy(this);
    c.tcpMaxConnections = value;
    return c.build();
  }

  public WireOptions withTcpMaxInFlightPerConnection(int value) {
    Copy c = new Copy(this);
    c.tcpMaxInFlightPerConnection = value;
    return c.build();
  }

  public WireOptions withIoThreads(int value) {
    Copy c = new Copy(this);
    c.ioThreads = value;
    return c.build();
  }

  public WireOptions withPacketCacheBytes(long value) {
    Copy c = new Copy(this);
    c.packetCacheBytes = value;
    return c.build();
  }

  public WireOptions withTcpMaxConnectionsPerClient(int value) {
    Copy c = new Copy(this);
    c.tcpMaxConnectionsPerClient = value;
    return c.build();
  }

  public WireOptions withRrlResponsesPerSecond(int value) {
    Copy c = new Copy(this);
    c.rrlResponsesPerSecond = value;
    return c.build();
  }

  public WireOptions withRrlSlip(int value) {
    Copy c = new Copy(this);
    c.rrlSlip = value;
    return c.build();
  }

  public WireOptions withRrlTableSize(int value) {
    Copy c = new Copy(this);
    c.rrlTableSize = value;
    return c.build();
  }

  public WireOptions withCookies(boolean value) {
    Copy c = new Copy(this);
    c.cookies = value;
    return c.build();
  }

  /**
   * A mutable copy of every component: each {@code with...} method changes one and builds a new,
   * validated record, so adding a component touches one place instead of every method.
   */
  private static final class Copy {
    int udpPayloadSize;
    Duration tcpIdleTimeout;
    int tcpMaxConnections;
    int tcpMaxInFlightPerConnection;
    int ioThreads;
    long packetCacheBytes;
    int tcpMaxConnectionsPerClient;
    int rrlResponsesPerSecond;
    int rrlSlip;
    int rrlTableSize;
    boolean cookies;

    Copy(WireOptions o) {
      udpPayloadSize = o.udpPayloadSize;
      tcpIdleTimeout = o.tcpIdleTimeout;
      tcpMaxConnections = o.tcpMaxConnections;
      tcpMaxInFlightPerConnection = o.tcpMaxInFlightPerConnection;
      ioThreads = o.ioThreads;
      packetCacheBytes = o.packetCacheBytes;
      tcpMaxConnectionsPerClient = o.tcpMaxConnectionsPerClient;
      rrlResponsesPerSecond = o.rrlResponsesPerSecond;
      rrlSlip = o.rrlSlip;
      rrlTableSize = o.rrlTableSize;
      cookies = o.cookies;
    }

    WireOptions build() {
      return new WireOptions(
          udpPayloadSize,
          tcpIdleTimeout,
          tcpMaxConnections,
          tcpMaxInFlightPerConnection,
          ioThreads,
          packetCacheBytes,
          tcpMaxConnectionsPerClient,
          rrlResponsesPerSecond,
          rrlSlip,
          rrlTableSize,
          cookies);
    }
  }
}
