package io.tierdns.node.api;

/** An admin API failure with its HTTP status; answered as {@code {"error": message}}. */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiException unprocessable(String message) {
    return new ApiException(422, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }
}
