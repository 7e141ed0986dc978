package io.tierdns.wire;

import java.net.InetSocketAddress;

/**
 * Where a query came from and how.
 *
 * @param transport UDP or TCP
 * @param remote the client's address
 * @param local the listener's address the query arrived on
 */
public record QueryContext(Transport transport, InetSocketAddress remote, InetSocketAddress local) {}
