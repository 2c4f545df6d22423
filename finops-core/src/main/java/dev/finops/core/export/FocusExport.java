package dev.finops.core.export;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * FOCUS {@value #FOCUS_VERSION} rows made by a {@link FocusExporter}, to write as CSV or JSON.
 * Immutable and thread-safe.
 *
 * <ul>
 *   <li><b>CSV</b>: RFC 4180, a header of the {@link FocusColumn} names, one line per row ({@code \n});
 *       null is an empty field; fields with a comma, quote or line break are quoted ({@code ""} for
 *       a quote), so JSON columns (Tags, SkuPriceDetails, ...) are quoted JSON text.
 *   <li><b>JSON</b>: an array with one object per row, one row per line; decimals and instants are
 *       strings (plain decimals, never a number that could lose digits), JSON columns are objects,
 *       nulls are {@code null}.
 * </ul>
 *
 * <p>The {@code Path} writers are atomic ({@link AtomicFiles}): a failure leaves no file behind.
 */
public final class FocusExport {

  /** The FOCUS version the rows follow. */
  public static final String FOCUS_VERSION = "1.3";

  /** Numbers stay exact both ways: written plain, read as BigDecimal. */
  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  private final List<FocusRow> rows;
  private final long unpricedRows;

  FocusExport(List<FocusRow> rows, long unpricedRows) {
    this.rows = Collections.unmodifiableList(rows);
    this.unpricedRows = unpricedRows;
  }

  /** The rows, in export order. */
  public List<FocusRow> rows() {
    return rows;
  }

  public int size() {
    return rows.size();
  }

  /**
   * Usage left out because no price covers it: (entry, bucket) pairs of the ledger with a quantity
   * but no unit price. It has no cost to report; the cost report lists it as unpriced usage.
   */
  public long unpricedRows() {
    return unpricedRows;
  }

  /** The sum of a decimal column over the rows billed in {@code currency}, exactly. */
  public BigDecimal total(FocusColumn column, Currency currency) {
    Objects.requireNonNull(currency, "currency");
    BigDecimal sum = BigDecimal.ZERO;
    for (FocusRow r : rows) {
      BigDecimal v = r.decimal(column);
      if (v != null && currency.getCurrencyCode().equals(r.get(FocusColumn.BILLING_CURRENCY))) {
        sum = sum.add(v);
      }
    }
    return sum;
  }

  /** These rows followed by {@code other}'s (a ledger export plus allocation exports). */
  public FocusExport plus(FocusExport other) {
    List<FocusRow> all = new ArrayList<>(rows);
    all.addAll(other.rows);
    return new FocusExport(all, unpricedRows + other.unpricedRows);
  }

  /** Writes the rows as CSV. */
  public void writeCsv(Writer out) throws IOException {
    StringBuilder line = new StringBuilder();
    for (FocusColumn c : FocusColumn.values()) {
      if (c.ordinal() > 0) {
        line.append(',');
      }
      line.append(c.columnName());
    }
    out.write(line.append('\n').toString());
    for (FocusRow r : rows) {
      line.setLength(0);
      for (FocusColumn c : FocusColumn.values()) {
        if (c.ordinal() > 0) {
          line.append(',');
        }
        csvField(line, r.get(c));
      }
      out.write(line.append('\n').toString());
    }
  }

  private static void csvField(StringBuilder sb, String v) {
    if (v == null) {
      return;
    }
    boolean quote = v.isEmpty() || v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0
        || v.indexOf('\r') >= 0 || !v.equals(v.trim());
    if (!quote) {
      sb.append(v);
      return;
    }
    sb.append('"').append(v.replace("\"", "\"\"")).append('"');
  }

  /** Writes the rows as a JSON array, one row per line. */
  public void writeJson(Writer out) throws IOException {
    out.write("[");
    for (int i = 0; i < rows.size(); i++) {
      out.write(i == 0 ? "\n" : ",\n");
      out.write(JSON.writeValueAsString(jsonRow(rows.get(i))));
    }
    out.write(rows.isEmpty() ? "]\n" : "\n]\n");
  }

  private static JsonNode jsonRow(FocusRow r) {
    com.fasterxml.jackson.databind.node.ObjectNode o = JSON.createObjectNode();
    for (FocusColumn c : FocusColumn.values()) {
      String v = r.get(c);
      if (v == null) {
        o.putNull(c.columnName());
      } else if (c.type() == FocusColumn.Type.JSON) {
        o.set(c.columnName(), parse(v));
      } else {
        o.put(c.columnName(), v);
      }
    }
    return o;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the exporter wrote it: cannot happen
    }
  }

  /** Writes the rows as CSV to {@code file}, atomically. */
  public void writeCsv(Path file) throws IOException {
    AtomicFiles.write(file, this::writeCsv);
  }

  /** Writes the rows as JSON to {@code file}, atomically. */
  public void writeJson(Path file) throws IOException {
    AtomicFiles.write(file, this::writeJson);
  }

  @Override
  public String toString() {
    return "FocusExport{" + rows.size() + " rows" + (unpricedRows == 0 ? "" : ", " + unpricedRows + " unpriced") + "}";
  }
}
