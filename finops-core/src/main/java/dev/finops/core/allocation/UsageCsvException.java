package dev.finops.core.allocation;

/**
 * A usage file that cannot be read as usage records, with where: the file, the line (1-based) and
 * the column. The message reads {@code usage.csv:3: column 'gpu_seconds': must not be negative: '-5'}.
 */
public final class UsageCsvException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String column;

  UsageCsvException(String source, int line, String column, String problem) {
    super(source + ":" + line + ": " + (column == null ? "" : "column '" + column + "': ") + problem);
    this.source = source;
    this.line = line;
    this.column = column;
  }

  /** The file (or other source) name. */
  public String source() {
    return source;
  }

  /** The line, 1-based. */
  public int line() {
    return line;
  }

  /** The column's header name (or {@code "#N"} for a field past the header), or {@code null} for the whole line. */
  public String column() {
    return column;
  }
}
