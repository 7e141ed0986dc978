package io.tierdns.wire.client;

import io.tierdns.wire.WireException;

/**
 * An exchange with a server failed below DNS: the socket could not be opened, the connection was
 * closed before the answer, or the response could not be parsed. A timeout is a {@link
 * java.util.concurrent.TimeoutException} instead.
 */
public final class DnsClientException extends WireException {

  public DnsClientException(String message) {
    super(message);
  }

  public DnsClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
