package io.tierdns.cache;

/** Base of the resolver-cache module's faults. DNS outcomes (NXDOMAIN, SERVFAIL) are not faults. */
public class CacheException extends RuntimeException {

  public CacheException(String message) {
    super(message);
  }

  public CacheException(String message, Throwable cause) {
    super(message, cause);
  }
}
