package dev.finops.advisor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small streaming CSV reader (RFC 4180 quoting, no line breaks inside fields) that knows the file
 * name and line of every field, so that a bad value is reported as {@code file, line N, column C}.
 * The first line is the header. Not thread-safe.
 */
public final class CsvReader implements AutoCloseable {
  private final String file;
  private final BufferedReader in;
  private final String[] header;
  private final Map<String, Integer> index = new HashMap<>();
  private final List<String> fields = new ArrayList<>();
  private long line = 1;

  public CsvReader(String file, Reader reader) {
    this.file = file;
    this.in = reader instanceof BufferedReader ? (BufferedReader) reader : new BufferedReader(reader, 1 << 16);
    String first = readLine();
    if (first == null) {
      throw new AdvisorInputException(file, 0, null, "empty file (a header line is required)");
    }
    split(first);
    header = fields.toArray(new String[0]);
    for (int i = 0; i < header.length; i++) {
      header[i] = header[i].strip();
      if (i == 0 && header[i].startsWith("\uFEFF")) {
        header[i] = header[i].substring(1);
      }
      if (index.put(header[i], i) != null) {
        throw new AdvisorInputException(file, 1, header[i], "column given twice");
      }
    }
  }

  public String file() {
    return file;
  }

  /** The line of the current row (1 is the header). */
  public long line() {
    return line;
  }

  /** The column's position, or -1 if the header lacks it. */
  public int column(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  /** The column's position; a missing column is an error naming the header line. */
  public int requiredColumn(String name, String what) {
    int i = column(name);
    if (i < 0) {
      throw new AdvisorInputException(file, 1, null, "no column '" + name + "' (" + what + "); the header has "
          + String.join(", ", header));
    }
    return i;
  }

  /** Reads the next non-blank row; false at the end of the file. */
  public boolean next() {
    while (true) {
      String s = readLine();
      if (s == null) {
        return false;
      }
      line++;
      if (s.isBlank()) {
        continue;
      }
      split(s);
      if (fields.size() != header.length) {
        throw new AdvisorInputException(file, line, null, "has " + fields.size() + " fields, the header has "
            + header.length);
      }
      return true;
    }
  }

  /** The raw (unquoted, not stripped) text of the field at {@code col}. */
  public String raw(int col) {
    return fields.get(col);
  }

  /** The stripped text, or {@code null} when the field is empty. */
  public String text(int col) {
    String s = fields.get(col).strip();
    return s.isEmpty() ? null : s;
  }

  public String requiredText(int col) {
    String s = text(col);
    if (s == null) {
      throw error(col, "empty value");
    }
    return s;
  }

  /** A finite, non-negative number. */
  public double number(int col) {
    String s = requiredText(col);
    double d;
    try {
      d = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw error(col, "not a number: '" + s + "'");
    }
    if (!(d >= 0) || Double.isInfinite(d)) {
      throw error(col, "must be a finite number, at least 0: '" + s + "'");
    }
    return d;
  }

  /** A non-negative whole number. */
  public long count(int col) {
    String s = requiredText(col);
    long v;
    try {
      v = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw error(col, "not a whole number: '" + s + "'");
    }
    if (v < 0) {
      throw error(col, "must not be negative: '" + s + "'");
    }
    return v;
  }

  /**
   * A time: ISO 8601 with an offset ({@code 2026-11-02T10:00:00Z}), a local ISO date-time read as UTC, or
   * epoch seconds (with decimals). Returns epoch milliseconds.
   */
  public long epochMillis(int col) {
    String s = requiredText(col);
    char c0 = s.charAt(0);
    if (s.indexOf('-') < 0 || c0 == '-') {
      try {
        double secs = Double.parseDouble(s);
        if (Double.isFinite(secs) && secs >= 0) {
          return Math.round(secs * 1000.0);
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw error(col, "not a time (ISO 8601 or epoch seconds): '" + s + "'");
    }
    try {
      return Instant.parse(s).toEpochMilli();
    } catch (DateTimeException e) {
      try {
        return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
      } catch (DateTimeException e2) {
        throw error(col, "not a time (ISO 8601 or epoch seconds): '" + s + "'");
      }
    }
  }

  /** An error at the current row and the column at {@code col}. */
  public AdvisorInputException error(int col, String problem) {
    return new AdvisorInputException(file, line, header[col], problem);
  }

  private String readLine() {
    try {
      return in.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  private void split(String s) {
    fields.clear();
    int n = s.length();
    int i = 0;
    while (true) {
      if (i < n && s.charAt(i) == '"') {
        StringBuilder sb = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new AdvisorInputException(file, line, null, "unterminated quoted field");
          }
          char c = s.charAt(i++);
          if (c == '"') {
            if (i < n && s.charAt(i) == '"') {
              sb.append('"');
              i++;
            } else {
              break;
            }
          } else {
            sb.append(c);
          }
        }
        fields.add(sb.toString());
        if (i < n && s.charAt(i) != ',') {
          throw new AdvisorInputException(file, line, null, "text after a closing quote at character " + (i + 1));
        }
      } else {
        int comma = s.indexOf(',', i);
        int end = comma < 0 ? n : comma;
        fields.add(s.substring(i, end));
        i = end;
      }
      if (i >= n) {
        return;
      }
      i++; // the comma
      if (i == n) {
        fields.add("");
        return;
      }
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
