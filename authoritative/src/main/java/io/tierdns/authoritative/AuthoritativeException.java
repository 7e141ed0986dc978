package io.tierdns.authoritative;

/**
 * Root of the authoritative module's unchecked failures: real faults (a zone that cannot be built,
 * a file that cannot be read), never DNS outcomes, which are values ({@link LookupResult}).
 */
public abstract class AuthoritativeException extends RuntimeException {

  protected AuthoritativeException(String message) {
    super(message);
  }

  protected AuthoritativeException(String message, Throwable cause) {
    super(message, cause);
  }
}
