package io.tierdns.cache;

/**
 * An upstream gave no usable answer: the value a failed {@link Upstream} or {@link
 * UpstreamSelector} stage carries. The {@link UpstreamError kind} is what metrics count.
 */
public final class UpstreamException extends CacheException {

  private final UpstreamError kind;

  public UpstreamException(UpstreamError kind, String message) {
    super(message);
    this.kind = kind;
  }

  public UpstreamException(UpstreamError kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public UpstreamError kind() {
    return kind;
  }

  /**
   * The kind of any failure: an {@code UpstreamException}'s own, {@link UpstreamError#TIMEOUT} for
   * a {@link java.util.concurrent.TimeoutException}, otherwise {@link UpstreamError#NETWORK}.
   */
  public static UpstreamError kindOf(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof UpstreamException u) {
      return u.kind();
    }
    if (t instanceof java.util.concurrent.TimeoutException) {
      return UpstreamError.TIMEOUT;
    }
    return UpstreamError.NETWORK;
  }
}
