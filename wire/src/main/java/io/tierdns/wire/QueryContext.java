package io.tierdns.wire;

import java.net.InetSocketAddress;

/**
 * Where a query came from and how.
 *
 * @param transport UDP or TCP
 * @param remote the client's address
 * @param local the listener's address the query arrived on
 * @param wire the query exactly as received (without the TCP length prefix), for checks that need
 *     the original bytes, such as TSIG verification (RFC 8945 §5.2); {@code null} when unknown.
 *     Handlers must not modify it.
 */
public record QueryContext(Transport transport, InetSocketAddress remote, InetSocketAddress local, byte[] wire) {

  /** A context without the query bytes. */
  public QueryContext(Transport transport, InetSocketAddress remote, InetSocketAddress local) {
    this(transport, remote, local, null);
  }

  /** The same context carrying the query bytes. */
  public QueryContext withWire(byte[] queryWire) {
    return new QueryContext(transport, remote, local, queryWire);
  }
}
