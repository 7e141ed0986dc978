package io.tierdns.node;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Parses the {@code ADDR:PORT} form used on the command line and in configuration:
 * {@code 127.0.0.1:5300}, {@code [::1]:5300}. Only literal addresses are accepted, so parsing
 * never asks a resolver.
 */
public final class ListenAddress {

  private ListenAddress() {}

  /**
   * Parses one address.
   *
   * @throws IllegalArgumentException with a message naming the input when it is not {@code
   *     ADDR:PORT} with a literal IP address and a port in 0..65535
   */
  public static InetSocketAddress parse(String text) {
    String s = text == null ? "" : text.trim();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw invalid(text, "expected ADDR:PORT");
    }
    String host = s.substring(0, colon);
    String portText = s.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw invalid(text, "write IPv6 addresses in brackets, e.g. [::1]:5300");
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw invalid(text, "port is not a number");
    }
    if (port < 0 || port > 65535) {
      throw invalid(text, "port must be 0..65535");
    }
    if (!isLiteral(host)) {
      throw invalid(text, "address must be a literal IPv4 or IPv6 address");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw invalid(text, "address must be a literal IPv4 or IPv6 address");
    }
  }

  /** Formats an address the way {@link #parse} reads it. */
  public static String format(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private static boolean isLiteral(String host) {
    // Literal IPv4 (digits and dots) or IPv6 (hex digits, colons, dots for a mapped tail).
    if (host.isEmpty()) {
      return false;
    }
    if (host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
      return true;
    }
    return host.contains(":") && host.matches("[0-9a-fA-F:.]+");
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("invalid listen address '" + text + "': " + why);
  }
}
