package dev.finops.cli;

/** The exit codes of the {@code finops} command line. */
public final class ExitCode {
  /** Success. */
  public static final int OK = 0;
  /** An unexpected failure (a bug); a stack trace is printed. */
  public static final int INTERNAL_ERROR = 1;
  /**
   * Bad arguments or input: unknown option, missing or malformed value, impossible token counts, an
   * input file that is not what it should be, a journal that cannot be created, read or written.
   */
  public static final int USAGE = 2;
  /** No price: unknown model or instance type, or none valid at the time asked for. */
  public static final int NO_PRICE = 3;
  /** A price catalog could not be read or is invalid. */
  public static final int BAD_CATALOG = 4;
  /** No GPU to read: NVML is unavailable (no driver, no permission, another platform) or sees no GPU. */
  public static final int NO_GPU = 5;

  private ExitCode() {}
}
