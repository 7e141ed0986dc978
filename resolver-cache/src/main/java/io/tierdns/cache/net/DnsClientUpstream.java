package io.tierdns.cache.net;

import io.tierdns.cache.Upstream;
import io.tierdns.cache.UpstreamError;
import io.tierdns.cache.UpstreamException;
import io.tierdns.wire.Transport;
import io.tierdns.wire.client.DnsClient;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.Message;

/**
 * An {@link Upstream} reached over the network with the wire module's {@link DnsClient}: the I/O
 * edge of the resolver. Maps the client's failures to {@link UpstreamException}s ({@link
 * UpstreamError#TIMEOUT} for a timeout, {@link UpstreamError#NETWORK} for the rest).
 */
public final class DnsClientUpstream implements Upstream {

  private final DnsClient client;
  private final InetSocketAddress server;
  private final String name;

  public DnsClientUpstream(DnsClient client, InetSocketAddress server) {
    this.client = Objects.requireNonNull(client, "client");
    this.server = Objects.requireNonNull(server, "server");
    if (server.isUnresolved()) {
      throw new IllegalArgumentException("upstream address must be resolved: " + server);
    }
    String host = server.getAddress().getHostAddress();
    this.name =
        (server.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + server.getPort();
  }

  /**
   * An upstream from {@code host:port} ({@code [v6]:port}; port 53 when omitted). The host must be an
   * address literal: a forwarder must not depend on name resolution to reach its resolvers.
   */
  public static DnsClientUpstream parse(DnsClient client, String spec) {
    String s = spec.trim();
    String host;
    int port = 53;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("bad upstream address: " + spec);
      }
      host = s.substring(1, close);
      if (s.length() > close + 1) {
        if (s.charAt(close + 1) != ':') {
          throw new IllegalArgumentException("bad upstream address: " + spec);
        }
        port = parsePort(s.substring(close + 2), spec);
      }
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      host = s.substring(0, s.indexOf(':'));
      port = parsePort(s.substring(s.indexOf(':') + 1), spec);
    } else {
      host = s;
    }
    if (!isAddressLiteral(host)) {
      throw new IllegalArgumentException("upstream must be an IP address, not a name: " + spec);
    }
    return new DnsClientUpstream(client, new InetSocketAddress(host, port));
  }

  private static boolean isAddressLiteral(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  private static int parsePort(String p, String spec) {
    try {
      int port = Integer.parseInt(p);
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in upstream address: " + spec);
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** The server's address. */
  public InetSocketAddress address() {
    return server;
  }

  @Override
  public CompletionStage<Message> query(Message query, Transport transport) {
    return client
        .query(server, query, transport)
        .exceptionally(
            failure -> {
              Throwable t = failure instanceof CompletionException && failure.getCause() != null
                  ? failure.getCause() : failure;
              UpstreamError kind = t instanceof TimeoutException ? UpstreamError.TIMEOUT : UpstreamError.NETWORK;
              throw new UpstreamException(kind, name + ": " + t.getMessage(), t);
            });
  }

  @Override
  public String toString() {
    return name;
  }
}
