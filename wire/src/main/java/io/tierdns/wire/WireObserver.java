package io.tierdns.wire;

/**
 * Receives transport events of a {@link DnsServer}, for metrics and tests. Every method has an
 * empty default so an implementation overrides only what it needs; {@link #NOOP} ignores
 * everything. Methods are called on Netty event loop threads or the thread that completed a
 * handler's stage: implementations must be thread-safe and must not block.
 *
 * <p>Shaped after Netty's {@code DnsQueryLifecycleObserver} / {@code NoopDnsQueryLifecycleObserver}.
 */
public interface WireObserver {

  /** An observer that ignores every event. */
  WireObserver NOOP = new WireObserver() {};

  /** A packet (UDP) or frame (TCP) arrived, before any validation. */
  default void queryReceived(Transport transport) {}

  /**
   * A response was encoded and handed to the transport.
   *
   * @param rcode the full rcode, including the EDNS0 extended bits
   * @param bytes encoded size of the response
   * @param truncated whether the TC bit is set
   */
  default void responseSent(Transport transport, int rcode, int bytes, boolean truncated) {}

  /** Nothing was sent back for a packet or frame. */
  default void dropped(Transport transport, DropReason reason) {}

  /** The wire layer answered FORMERR itself (unparseable query, bad question count, two OPTs). */
  default void formErr(Transport transport) {}

  /** A query was answered from the packet cache, without the handler. */
  default void packetCacheHit(Transport transport) {}

  /** A query the packet cache could have answered was not in it and went to the handler. */
  default void packetCacheMiss(Transport transport) {}

  default void tcpConnectionOpened() {}

  default void tcpConnectionClosed() {}

  /** A TCP connection was closed at once because {@link WireOptions#tcpMaxConnections()} were open. */
  default void tcpConnectionRefused() {}

  /**
   * A TCP connection was closed at once because {@link WireOptions#tcpMaxConnectionsPerClient()}
   * were open from its address.
   */
  default void tcpClientConnectionRefused() {}

  /**
   * Response rate limiting held a UDP response back and sent nothing. The response was counted
   * by {@link #responseSent} when it was rendered, before the limiter saw it.
   */
  default void rrlDropped() {}

  /** Response rate limiting sent a UDP response as a truncated, empty answer (slip) instead. */
  default void rrlSlipped() {}
}
