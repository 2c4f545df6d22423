package dev.finops.core.export;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One FOCUS row: a value per {@link FocusColumn}, as written (plain decimal strings, ISO 8601 UTC
 * instants, JSON objects as compact JSON text), or {@code null}. Immutable.
 */
public final class FocusRow {

  private final String[] values;

  private FocusRow(String[] values) {
    this.values = values;
  }

  static Builder builder() {
    return new Builder();
  }

  /** The value of a column as written, or {@code null}. */
  public String get(FocusColumn column) {
    return values[column.ordinal()];
  }

  /** The value of a decimal column, exactly, or {@code null}. */
  public BigDecimal decimal(FocusColumn column) {
    if (column.type() != FocusColumn.Type.DECIMAL) {
      throw new IllegalArgumentException(column.columnName() + " is not a decimal column");
    }
    String v = get(column);
    return v == null ? null : new BigDecimal(v);
  }

  /** Column name to value, in file order, nulls included. */
  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (FocusColumn c : FocusColumn.values()) {
      m.put(c.columnName(), values[c.ordinal()]);
    }
    return Collections.unmodifiableMap(m);
  }

  @Override
  public String toString() {
    return "FocusRow" + asMap();
  }

  /** Collects a row's values. Not thread-safe. */
  static final class Builder {
    private final String[] values = new String[FocusColumn.count()];

    private Builder() {}

    Builder set(FocusColumn column, String value) {
      values[column.ordinal()] = value;
      return this;
    }

    FocusRow build() {
      Objects.requireNonNull(values[FocusColumn.BILLED_COST.ordinal()], "BilledCost");
      return new FocusRow(values.clone());
    }
  }
}
