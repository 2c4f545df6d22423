package dev.finops.core.catalog;

/**
 * A price catalog could not be loaded. The message names the file, the line and column, the JSON
 * path and the field, e.g. {@code my-prices.json:12:23: $.models[3].versions[0].prices.input: price
 * must not be negative, got "-1"}. Whatever catalog was in force before stays in force.
 */
public final class CatalogException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final int column;
  private final String path;
  private final String detail;

  public CatalogException(String file, int line, int column, String path, String detail, Throwable cause) {
    super(format(file, line, column, path, detail), cause);
    this.file = file;
    this.line = line;
    this.column = column;
    this.path = path;
    this.detail = detail;
  }

  public CatalogException(String file, int line, int column, String path, String detail) {
    this(file, line, column, path, detail, null);
  }

  private static String format(String file, int line, int column, String path, String detail) {
    StringBuilder sb = new StringBuilder(file == null ? "<catalog>" : file);
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    sb.append(": ");
    if (path != null && !path.isEmpty()) {
      sb.append(path).append(": ");
    }
    return sb.append(detail).toString();
  }

  /** The file (or resource) name the catalog came from. */
  public String file() {
    return file;
  }

  /** 1-based line of the offending value, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** 1-based column of the offending value, or 0 when unknown. */
  public int column() {
    return column;
  }

  /** The JSON path of the offending value, e.g. {@code $.models[3].versions[0].prices.input}. */
  public String path() {
    return path;
  }

  /** The message without the location prefix. */
  public String detail() {
    return detail;
  }
}
