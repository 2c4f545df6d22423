package dev.finops.core.journal;

/**
 * The journal stopped after an I/O error on a write or a force, and refuses further records rather
 * than lose them silently. Records appended before the error may not be durable; reopen the journal
 * (after fixing the disk) to recover what is on it.
 */
public final class JournalFailedException extends JournalException {
  private static final long serialVersionUID = 1L;

  public JournalFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
