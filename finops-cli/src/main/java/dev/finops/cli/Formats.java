package dev.finops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.Money;
import dev.finops.core.report.CostReport;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * How the command line writes values, the same in text and JSON: amounts and decimals as exact plain
 * strings (never a double, never an exponent), instants at midnight UTC as {@code YYYY-MM-DD}.
 */
final class Formats {

  /** What text output shows where a value does not exist (an effective rate at zero utilization). */
  static final String NONE = "n/a";

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Formats() {}

  /** {@code "2024-10-01"} for midnight UTC, the ISO instant otherwise; {@code null} stays null. */
  static String date(Instant instant) {
    if (instant == null) {
      return null;
    }
    ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
    return utc.toLocalTime().equals(LocalTime.MIDNIGHT) ? utc.toLocalDate().toString() : instant.toString();
  }

  /** The exact amount ({@link Money#toPlainString()}); {@code null} stays null. */
  static String money(Money m) {
    return m == null ? null : m.toPlainString();
  }

  /** An amount for a text table: {@value CostReport#TOTAL_SCALE} places, HALF_EVEN, as the cost reports show them. */
  static String tableAmount(Money m) {
    return m == null ? null : m.amount(CostReport.TOTAL_SCALE).toPlainString();
  }

  /** A per-unit figure (a rate) for a text table: {@value CostReport#PER_UNIT_SCALE} places, HALF_EVEN. */
  static String tableRate(Money m) {
    return m == null ? null : m.amount(CostReport.PER_UNIT_SCALE).toPlainString();
  }

  /** A plain decimal without exponent or trailing zeros; {@code null} stays null. */
  static String decimal(BigDecimal d) {
    return d == null ? null : Money.plain(d);
  }

  /** A unit price as the catalog wrote it ({@code "2.50"}), plain; {@code null} stays null. */
  static String price(BigDecimal d) {
    return d == null ? null : d.toPlainString();
  }

  /** {@code value}, or {@link #NONE} when it is null: for text cells. */
  static String orNone(String value) {
    return value == null ? NONE : value;
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Puts a string, or JSON null. */
  static void put(ObjectNode node, String field, String value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  /** Prints one JSON document, indented, followed by a newline. */
  static void printJson(PrintStream out, ObjectNode node) {
    try {
      out.println(MAPPER.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
