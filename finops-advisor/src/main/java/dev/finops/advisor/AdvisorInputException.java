package dev.finops.advisor;

/**
 * Bad input to an advisor: a file that cannot be read, a missing column, a value that does not parse.
 * The message names the file, the line (1-based, the header is line 1) and the column; nothing is
 * analysed when one is thrown.
 */
public final class AdvisorInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long line;
  private final String column;

  public AdvisorInputException(String file, long line, String column, String problem) {
    super(message(file, line, column, problem));
    this.file = file;
    this.line = line;
    this.column = column;
  }

  private static String message(String file, long line, String column, String problem) {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(", line ").append(line);
    }
    if (column != null) {
      sb.append(", column ").append(column);
    }
    return sb.append(": ").append(problem).toString();
  }

  /** The file (as given). */
  public String file() {
    return file;
  }

  /** The 1-based line, or 0 when the problem is the whole file. */
  public long line() {
    return line;
  }

  /** The column's header name, or {@code null}. */
  public String column() {
    return column;
  }
}
