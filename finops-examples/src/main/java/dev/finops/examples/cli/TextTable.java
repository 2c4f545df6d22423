package dev.finops.examples.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A plain-text table with aligned columns, two spaces apart, no trailing blanks. Decimal columns line
 * their numbers up on the decimal point; cells in them that are not numbers ({@code n/a}, {@code -})
 * and the header are right-aligned.
 */
final class TextTable {

  enum Align {
    LEFT,
    RIGHT,
    DECIMAL
  }

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final String GAP = "  ";

  private final Align[] aligns;
  private final String[] header;
  private final List<String[]> rows = new ArrayList<>();

  private TextTable(String[] header, Align[] aligns) {
    this.header = header;
    this.aligns = aligns;
  }

  /** A table with a header row; {@code columns} alternates header text and {@link Align}. */
  static TextTable withHeader(Object... columns) {
    int n = columns.length / 2;
    String[] header = new String[n];
    Align[] aligns = new Align[n];
    for (int i = 0; i < n; i++) {
      header[i] = (String) columns[2 * i];
      aligns[i] = (Align) columns[2 * i + 1];
    }
    return new TextTable(header, aligns);
  }

  /** A table without a header row (a block of label and value lines). */
  static TextTable plain(Align... aligns) {
    return new TextTable(null, aligns.clone());
  }

  /** Adds a row; {@code null} cells print as empty. */
  TextTable row(String... cells) {
    if (cells.length != aligns.length) {
      throw new IllegalArgumentException("expected " + aligns.length + " cells, got " + cells.length);
    }
    String[] copy = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      copy[i] = cells[i] == null ? "" : cells[i];
    }
    rows.add(copy);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintStream out) {
    for (String line : render()) {
      out.println(line);
    }
  }

  List<String> render() {
    int n = aligns.length;
    int[] intWidth = new int[n];
    int[] fracWidth = new int[n];
    int[] width = new int[n];
    List<String[]> all = new ArrayList<>();
    if (header != null) {
      all.add(header);
    }
    all.addAll(rows);
    for (int c = 0; c < n; c++) {
      for (String[] r : rows) {
        if (aligns[c] == Align.DECIMAL && NUMBER.matcher(r[c]).matches()) {
          int dot = dot(r[c]);
          intWidth[c] = Math.max(intWidth[c], dot);
          fracWidth[c] = Math.max(fracWidth[c], r[c].length() - dot);
        }
      }
      width[c] = intWidth[c] + fracWidth[c];
      for (String[] r : all) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] r : all) {
      StringBuilder sb = new StringBuilder();
      for (int c = 0; c < n; c++) {
        if (c > 0) {
          sb.append(GAP);
        }
        String cell = r[c];
        boolean isHeader = r == header;
        if (aligns[c] == Align.DECIMAL && !isHeader && NUMBER.matcher(cell).matches()) {
          int dot = dot(cell);
          cell = pad(cell.substring(0, dot), intWidth[c], true) + pad(cell.substring(dot), fracWidth[c], false);
        }
        sb.append(pad(cell, width[c], aligns[c] != Align.LEFT));
      }
      lines.add(stripTrailing(sb));
    }
    return lines;
  }

  private static int dot(String number) {
    int dot = number.indexOf('.');
    return dot < 0 ? number.length() : dot;
  }

  private static String pad(String s, int width, boolean left) {
    if (s.length() >= width) {
      return s;
    }
    String blanks = " ".repeat(width - s.length());
    return left ? blanks + s : s + blanks;
  }

  private static String stripTrailing(StringBuilder sb) {
    int end = sb.length();
    while (end > 0 && sb.charAt(end - 1) == ' ') {
      end--;
    }
    return sb.substring(0, end);
  }
}
