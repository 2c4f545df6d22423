package dev.finops.core.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A plain-text table with aligned columns: a header, a dashed underline, then the rows (or, made with
 * {@link #headerless}, just the rows: a block of label and value lines). Names go in {@link
 * Align#LEFT left}-aligned columns and numbers in {@link Align#RIGHT right}-aligned ones; {@link
 * Align#DECIMAL decimal} columns line their numbers up on the decimal point whatever their decimal
 * places (cells that are not numbers, such as {@code n/a}, are right-aligned). Columns are separated
 * by two spaces; lines carry no trailing blanks. Not thread-safe.
 *
 * <pre>{@code
 * TextTable t = TextTable.of(TextTable.Column.left("run"), TextTable.Column.right("steps"));
 * t.addRow("run-1", "1,200").addRule().addRow("total", "1,200");
 * System.out.print(t.render());
 * }</pre>
 *
 * <p>{@link CostReportText} builds its sections with it; callers use it for sections of their own.
 */
public final class TextTable {

  /** How a column's cells sit in its width. */
  public enum Align {
    LEFT,
    RIGHT,
    /** Numbers lined up on their decimal point; other cells right-aligned. */
    DECIMAL
  }

  private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?");

  /** A column: its header and alignment. */
  public static final class Column {
    private final String header;
    private final Align align;

    private Column(String header, Align align) {
      this.header = Objects.requireNonNull(header, "header");
      this.align = Objects.requireNonNull(align, "align");
    }

    public static Column of(String header, Align align) {
      return new Column(header, align);
    }

    /** A left-aligned column, for names. */
    public static Column left(String header) {
      return new Column(header, Align.LEFT);
    }

    /** A right-aligned column, for numbers. */
    public static Column right(String header) {
      return new Column(header, Align.RIGHT);
    }

    public String header() {
      return header;
    }

    public Align align() {
      return align;
    }
  }

  /** Between two columns. */
  public static final String GAP = "  ";

  private final List<Column> columns;
  private final boolean header; // print the header
  private boolean underline = true; // and a dashed line under it
  private final List<String[]> rows = new ArrayList<>(); // null: a rule

  private TextTable(List<Column> columns, boolean header) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("a table needs at least one column");
    }
    this.columns = List.copyOf(columns);
    this.header = header;
  }

  public static TextTable of(Column... columns) {
    return new TextTable(Arrays.asList(columns), true);
  }

  public static TextTable of(List<Column> columns) {
    return new TextTable(columns, true);
  }

  /** A table without header and underline: rows of label and value cells. */
  public static TextTable headerless(Align... aligns) {
    List<Column> cs = new ArrayList<>();
    for (Align a : aligns) {
      cs.add(new Column("", a));
    }
    return new TextTable(cs, false);
  }

  public List<Column> columns() {
    return columns;
  }

  /**
   * Adds a row, one cell per column ({@code null} is an empty cell).
   *
   * @throws IllegalArgumentException if the cell count differs from the column count, or a cell
   *     holds a line break
   */
  public TextTable addRow(String... cells) {
    if (cells.length != columns.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells, the table " + columns.size() + " columns");
    }
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i] == null ? "" : cells[i];
      if (c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("cell " + i + " holds a line break: " + c);
      }
      row[i] = c;
    }
    rows.add(row);
    return this;
  }

  /** Adds a row from a list of cells. */
  public TextTable addRow(List<String> cells) {
    return addRow(cells.toArray(new String[0]));
  }

  /** Adds a dashed line across the whole table (above a total row, say). */
  public TextTable addRule() {
    rows.add(null);
    return this;
  }

  /** Rows added so far, rules not counted. */
  public int rowCount() {
    int n = 0;
    for (String[] r : rows) {
      if (r != null) {
        n++;
      }
    }
    return n;
  }

  /** Leaves out the dashed line under the header. */
  public TextTable noUnderline() {
    this.underline = false;
    return this;
  }

  /** True when no row has been added. */
  public boolean isEmpty() {
    return rowCount() == 0;
  }

  /** The rendered lines, header and underline first, without line breaks or trailing blanks. */
  public List<String> lines() {
    int n = columns.size();
    int[] intWidths = new int[n]; // decimal columns: digits before the point
    int[] fracWidths = new int[n]; // decimal columns: the point and the digits after it
    for (String[] r : rows) {
      for (int i = 0; r != null && i < n; i++) {
        if (isDecimalNumber(i, r[i])) {
          int dot = dot(r[i]);
          intWidths[i] = Math.max(intWidths[i], dot);
          fracWidths[i] = Math.max(fracWidths[i], r[i].length() - dot);
        }
      }
    }
    List<String[]> cells = new ArrayList<>(rows.size());
    for (String[] r : rows) {
      if (r == null) {
        cells.add(null);
        continue;
      }
      String[] aligned = r.clone();
      for (int i = 0; i < n; i++) {
        if (isDecimalNumber(i, r[i])) {
          int dot = dot(r[i]);
          aligned[i] = " ".repeat(intWidths[i] - dot) + r[i] + " ".repeat(fracWidths[i] - (r[i].length() - dot));
        }
      }
      cells.add(aligned);
    }
    int[] widths = new int[n];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header ? columns.get(i).header.length() : 0;
    }
    for (String[] r : cells) {
      if (r != null) {
        for (int i = 0; i < widths.length; i++) {
          widths[i] = Math.max(widths[i], r[i].length());
        }
      }
    }
    int total = GAP.length() * (widths.length - 1);
    for (int w : widths) {
      total += w;
    }
    String[] headerCells = new String[widths.length];
    String[] underline = new String[widths.length];
    for (int i = 0; i < widths.length; i++) {
      headerCells[i] = columns.get(i).header;
      underline[i] = "-".repeat(widths[i]);
    }
    List<String> out = new ArrayList<>(rows.size() + 2);
    if (this.header) {
      out.add(line(headerCells, widths));
      if (this.underline) {
        out.add(line(underline, widths));
      }
    }
    for (String[] r : cells) {
      out.add(r == null ? "-".repeat(total) : line(r, widths));
    }
    return Collections.unmodifiableList(out);
  }

  private boolean isDecimalNumber(int column, String cell) {
    return columns.get(column).align == Align.DECIMAL && NUMBER.matcher(cell).matches();
  }

  private static int dot(String number) {
    int dot = number.indexOf('.');
    return dot < 0 ? number.length() : dot;
  }

  /** The table, each line ended by {@code '\n'}. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    for (String l : lines()) {
      sb.append(l).append('\n');
    }
    return sb.toString();
  }

  private String line(String[] cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append(GAP);
      }
      String pad = " ".repeat(widths[i] - cells[i].length());
      if (columns.get(i).align != Align.LEFT) {
        sb.append(pad).append(cells[i]);
      } else {
        sb.append(cells[i]).append(pad);
      }
    }
    int end = sb.length();
    while (end > 0 && sb.charAt(end - 1) == ' ') {
      end--;
    }
    return sb.substring(0, end);
  }

  @Override
  public String toString() {
    return render();
  }
}
