package dev.finops.cli;

/**
 * A user error with the exit code it ends the command line with. The message is printed as one line
 * after {@code "finops: "}, without a stack trace.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** A bad argument ({@link ExitCode#USAGE}); the message should name the argument. */
  public static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
