package io.tierdns.wire;

/**
 * A transport fault of the wire module, such as a listener that cannot bind. DNS outcomes
 * (FORMERR, SERVFAIL ...) are never exceptions; they are responses.
 */
public class WireException extends RuntimeException {

  public WireException(String message) {
    super(message);
  }

  public WireException(String message, Throwable cause) {
    super(message, cause);
  }
}
