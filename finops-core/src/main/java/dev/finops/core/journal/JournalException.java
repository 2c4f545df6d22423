package dev.finops.core.journal;

/**
 * A journal cannot be opened, read or written: it is locked by another process, it is not a finops
 * journal, or an I/O operation failed. The message names the file. Unchecked: a run that asked for
 * a journal must not carry on silently without one.
 */
public class JournalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JournalException(String message) {
    super(message);
  }

  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
