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

  /** {@code what: } and what went wrong, in words: "no such file or directory: /a/b", not the exception's class. */
  static JournalException of(String what, java.io.IOException e) {
    return new JournalException(what + ": " + describe(e), e);
  }

  static String describe(java.io.IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException f) {
      return "no such file or directory: " + f.getFile();
    }
    if (e instanceof java.nio.file.AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException f) {
      return "already exists: " + f.getFile();
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason().toLowerCase(java.util.Locale.ROOT) + ": " + f.getFile();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
