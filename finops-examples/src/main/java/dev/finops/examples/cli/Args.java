package dev.finops.examples.cli;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parsed arguments of one command (see {@link ArgSpec}), with typed accessors whose errors name the
 * option and quote the value: {@code --input-tokens: not a whole number: 'abc'}.
 */
final class Args {

  private static final Pattern WHOLE = Pattern.compile("-?\\d+");

  private final Map<String, List<String>> values;
  private final List<String> positionals;

  Args(Map<String, List<String>> values, List<String> positionals) {
    this.values = values;
    this.positionals = List.copyOf(positionals);
  }

  /** The error for a malformed value: {@code OPTION: PROBLEM: 'VALUE'}. */
  static CliException invalid(String option, String problem, String value) {
    return CliException.usage(option + ": " + problem + ": '" + value + "'");
  }

  boolean has(String option) {
    return values.containsKey(option);
  }

  boolean flag(String option) {
    return has(option);
  }

  /** The option's value, or {@code null} when it was not given. */
  String value(String option) {
    List<String> v = values.get(option);
    return v == null ? null : v.get(0);
  }

  /** Every value of a repeatable option, in the order given. */
  List<String> values(String option) {
    return values.getOrDefault(option, List.of());
  }

  List<String> positionals() {
    return positionals;
  }

  String required(String option) {
    String v = value(option);
    if (v == null) {
      throw CliException.usage("missing required option " + option);
    }
    return v;
  }

  /** A non-negative whole number, or {@code defaultValue} when the option is absent. */
  long count(String option, long defaultValue) {
    String v = value(option);
    return v == null ? defaultValue : parseCount(option, v);
  }

  /** A required non-negative whole number. */
  long requiredCount(String option) {
    return parseCount(option, required(option));
  }

  /** A whole number of at least 1, or {@code defaultValue} when the option is absent. */
  int positiveInt(String option, int defaultValue) {
    String v = value(option);
    if (v == null) {
      return defaultValue;
    }
    long n = parseCount(option, v);
    if (n < 1 || n > Integer.MAX_VALUE) {
      throw invalid(option, n < 1 ? "must be at least 1" : "too large", v);
    }
    return (int) n;
  }

  private static long parseCount(String option, String v) {
    String s = v.trim();
    if (!WHOLE.matcher(s).matches()) {
      throw invalid(option, "not a whole number", v);
    }
    if (s.startsWith("-")) {
      throw invalid(option, "must not be negative", v);
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw invalid(option, "too large", v);
    }
  }

  /** A required non-negative decimal number, read exactly. */
  BigDecimal requiredDecimal(String option) {
    return parseDecimal(option, required(option));
  }

  /** A non-negative decimal number, read exactly; {@code null} when the option is absent. */
  BigDecimal decimal(String option) {
    String v = value(option);
    return v == null ? null : parseDecimal(option, v);
  }

  /** A non-negative plain decimal ({@code 32}, {@code 0.4}, {@code .5}); no exponent. */
  static BigDecimal parseDecimal(String option, String v) {
    BigDecimal d;
    try {
      d = dev.finops.core.Money.parseDecimal(v, false);
    } catch (NumberFormatException e) {
      throw v.length() > dev.finops.core.Money.MAX_DECIMAL_LENGTH ? CliException.usage(option + ": " + e.getMessage())
          : invalid(option, "not a decimal number", v);
    }
    if (d.signum() < 0 || v.strip().startsWith("-")) {
      throw invalid(option, "must not be negative", v);
    }
    return d;
  }

  /** A date {@code YYYY-MM-DD}; {@code null} when the option is absent. */
  LocalDate date(String option) {
    String v = value(option);
    if (v == null) {
      return null;
    }
    try {
      return LocalDate.parse(v.trim());
    } catch (DateTimeParseException e) {
      throw invalid(option, "not a date (YYYY-MM-DD)", v);
    }
  }
}
