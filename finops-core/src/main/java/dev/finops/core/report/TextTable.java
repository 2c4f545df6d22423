package dev.finops.core.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A plain-text table with aligned columns: a header, a dashed underline, then the rows. Names go in
 * {@link Align#LEFT left}-aligned columns and numbers in {@link Align#RIGHT right}-aligned ones, so
 * digits line up when every number in a column has the same decimal places. Columns are separated
 * by two spaces and every line of a rendered table has the same width (cells are padded, the last
 * one too). Not thread-safe.
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
    RIGHT
  }

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
  private final List<String[]> rows = new ArrayList<>(); // null: a rule

  private TextTable(List<Column> columns) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("a table needs at least one column");
    }
    this.columns = List.copyOf(columns);
  }

  public static TextTable of(Column... columns) {
    return new TextTable(Arrays.asList(columns));
  }

  public static TextTable of(List<Column> columns) {
    return new TextTable(columns);
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

  /** The rendered lines, header and underline first, all of the same width, without line breaks. */
  public List<String> lines() {
    int[] widths = new int[columns.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = columns.get(i).header.length();
    }
    for (String[] r : rows) {
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
    String[] header = new String[widths.length];
    String[] underline = new String[widths.length];
    for (int i = 0; i < widths.length; i++) {
      header[i] = columns.get(i).header;
      underline[i] = "-".repeat(widths[i]);
    }
    List<String> out = new ArrayList<>(rows.size() + 2);
    out.add(line(header, widths));
    out.add(line(underline, widths));
    for (String[] r : rows) {
      out.add(r == null ? "-".repeat(total) : line(r, widths));
    }
    return Collections.unmodifiableList(out);
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
      if (columns.get(i).align == Align.RIGHT) {
        sb.append(pad).append(cells[i]);
      } else {
        sb.append(cells[i]).append(pad);
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return render();
  }
}
