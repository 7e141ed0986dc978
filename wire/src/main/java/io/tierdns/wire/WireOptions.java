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
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6891#section-6.2.5">RFC 6891 §6.2.5</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7766#section-6.2.3">RFC 7766 §6.2.3</a>
 */
public record WireOptions(
    int udpPayloadSize,
    Duration tcpIdleTimeout,
    int tcpMaxConnections,
    int tcpMaxInFlightPerConnection,
    int ioThreads,
    long packetCacheBytes) {

  /** The classic RFC 1035 UDP limit, also the floor of any EDNS0 payload size. */
  public static final int MIN_UDP_PAYLOAD = 512;

  /** The largest DNS message (RFC 1035 §4.2.2 two-byte TCP length). */
  public static final int MAX_MESSAGE = 65535;

  public static final int DEFAULT_UDP_PAYLOAD = 1232;
  public static final Duration DEFAULT_TCP_IDLE_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_TCP_MAX_CONNECTIONS = 1024;
  public static final int DEFAULT_TCP_MAX_IN_FLIGHT = 100;
  public static final long DEFAULT_PACKET_CACHE_BYTES = 64L << 20;

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

  public WireOptions withUdpPayloadSize(int value) {
    return new WireOptions(
        value,
        tcpIdleTimeout,
        tcpMaxConnections,
        tcpMaxInFlightPerConnection,
        ioThreads,
        packetCacheBytes);
  }

  public WireOptions withTcpIdleTimeout(Duration value) {
    return new WireOptions(
        udpPayloadSize,
        value,
        tcpMaxConnections,
        tcpMaxInFlightPerConnection,
        ioThreads,
        packetCacheBytes);
  }

  public WireOptions withTcpMaxConnections(int value) {
    return new WireOptions(
        udpPayloadSize,
        tcpIdleTimeout,
        value,
        tcpMaxInFlightPerConnection,
        ioThreads,
        packetCacheBytes);
  }

  public WireOptions withTcpMaxInFlightPerConnection(int value) {
    return new WireOptions(
        udpPayloadSize, tcpIdleTimeout, tcpMaxConnections, value, ioThreads, packetCacheBytes);
  }

  public WireOptions withIoThreads(int value) {
    return new WireOptions(
        udpPayloadSize,
        tcpIdleTimeout,
        tcpMaxConnections,
        tcpMaxInFlightPerConnection,
        value,
        packetCacheBytes);
  }

  public WireOptions withPacketCacheBytes(long value) {
    return new WireOptions(
        udpPayloadSize,
        tcpIdleTimeout,
        tcpMaxConnections,
        tcpMaxInFlightPerConnection,
        ioThreads,
        value);
  }
}
