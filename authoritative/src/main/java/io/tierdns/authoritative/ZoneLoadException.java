package io.tierdns.authoritative;

import java.nio.file.Path;

/**
 * A zone file could not be loaded. The message reads {@code file:line: reason}, or {@code file:
 * reason} when the fault is not tied to one line (a zone-wide rule such as a missing SOA).
 */
public class ZoneLoadException extends AuthoritativeException {

  private final transient Path file;
  private final int line;

  private ZoneLoadException(Path file, int line, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
    this.line = line;
  }

  /**
   * A failure at {@code file:line}, or of the whole file when {@code line} is 0.
   *
   * @param reason what is wrong, naming the record
   */
  public static ZoneLoadException of(Path file, int line, String reason, Throwable cause) {
    String where = line > 0 ? file + ":" + line : file.toString();
    return new ZoneLoadException(file, line, where + ": " + reason, cause);
  }

  /** Keeps a message that already reads {@code file:line: reason} (dnsjava's parse errors). */
  static ZoneLoadException preformatted(Path file, int line, String message, Throwable cause) {
    return new ZoneLoadException(file, line, message, cause);
  }

  /** The file that failed. */
  public Path file() {
    return file;
  }

  /** The 1-based line of the fault, or 0 when the fault concerns the whole zone. */
  public int line() {
    return line;
  }

  /** This failure as a value, for {@link ZoneFiles#loadDirectory}. */
  public ZoneLoadError toError() {
    return new ZoneLoadError(file, line, getMessage());
  }
}
