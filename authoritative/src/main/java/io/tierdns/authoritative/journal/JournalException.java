package io.tierdns.authoritative.journal;

import io.tierdns.authoritative.AuthoritativeException;

/**
 * The journal cannot be read or written: an I/O failure, a file that is not a journal, or entries
 * that do not chain. A failed append leaves the journal as it was before the append.
 */
public class JournalException extends AuthoritativeException {

  private static final long serialVersionUID = 1L;

  public JournalException(String message) {
    super(message);
  }

  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
