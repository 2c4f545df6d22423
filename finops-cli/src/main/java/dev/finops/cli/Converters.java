package dev.finops.cli;

import dev.finops.core.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The typed option values of the command line. A converter's error is the problem and the value quoted
 * ({@code not a whole number: 'abc'}); {@link FinOpsCli} puts the option's name in front. Decimals (amounts,
 * hours, rates) are read by {@link Money#parseDecimal}, the one decimal syntax of finops: plain, no exponent.
 */
final class Converters {

  private static final Pattern WHOLE = Pattern.compile("-?\\d+");

  private Converters() {}

  /** The error for a malformed value: {@code PROBLEM: 'VALUE'}. */
  static TypeConversionException invalid(String problem, String value) {
    return new TypeConversionException(problem + ": '" + value + "'");
  }

  /** The error for a value a command rejects after conversion, naming the option as converters do. */
  static CliException invalid(String option, String problem, Object value) {
    return CliException.usage(option + ": " + problem + ": '" + value + "'");
  }

  /** {@code read}, after refusing an empty value. */
  static <T> ITypeConverter<T> nonBlank(Function<String, T> read) {
    return v -> {
      if (v.isBlank()) {
        throw new TypeConversionException("empty value");
      }
      return read.apply(v);
    };
  }

  /** A non-negative whole number (token counts, seconds). */
  static final class Count implements ITypeConverter<Long> {
    @Override
    public Long convert(String v) {
      String s = v.trim();
      if (!WHOLE.matcher(s).matches()) {
        throw invalid("not a whole number", v);
      }
      if (s.startsWith("-")) {
        throw invalid("must not be negative", v);
      }
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw invalid("too large", v);
      }
    }
  }

  /** A whole number of at least 1 that fits an {@code int} (GPUs, replicas, hours ahead). */
  static final class Positive implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String v) {
      long n = new Count().convert(v);
      if (n < 1 || n > Integer.MAX_VALUE) {
        throw invalid(n < 1 ? "must be at least 1" : "too large", v);
      }
      return (int) n;
    }
  }

  /** A non-negative plain decimal ({@code 32}, {@code 0.4}, {@code .5}), exact, through {@link Money#parseDecimal}. */
  static final class Decimal implements ITypeConverter<BigDecimal> {
    @Override
    public BigDecimal convert(String v) {
      return decimal(v);
    }
  }

  /** As {@link Decimal}, for a value that is part of an option's argument ({@code ACCEL=312}). */
  static BigDecimal decimal(String v) {
    BigDecimal d;
    try {
      d = Money.parseDecimal(v, false);
    } catch (NumberFormatException e) {
      throw v.length() > Money.MAX_DECIMAL_LENGTH ? new TypeConversionException(e.getMessage())
          : invalid("not a decimal number", v);
    }
    if (d.signum() < 0 || v.strip().startsWith("-")) {
      throw invalid("must not be negative", v);
    }
    return d;
  }

  /** A probability strictly between 0 and 1 ({@code --confidence 0.9}). */
  static final class Probability implements ITypeConverter<BigDecimal> {
    @Override
    public BigDecimal convert(String v) {
      BigDecimal p = decimal(v);
      if (p.signum() <= 0 || p.compareTo(BigDecimal.ONE) >= 0) {
        throw invalid("must be between 0 and 1", v);
      }
      return p;
    }
  }

  /** A day, {@code YYYY-MM-DD}. */
  static final class Day implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String v) {
      try {
        return LocalDate.parse(v.trim());
      } catch (DateTimeParseException e) {
        throw invalid("not a date (YYYY-MM-DD)", v);
      }
    }
  }

  /** An ISO 8601 instant ({@code 2026-11-02T00:00:00Z}), or a date at 00:00 UTC. */
  static final class Time implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String v) {
      try {
        return v.contains("T") ? Instant.parse(v.trim())
            : LocalDate.parse(v.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e) {
        throw invalid("not an ISO 8601 UTC time (2026-11-02T00:00:00Z) or date", v);
      }
    }
  }

  /**
   * An enum constant by its command-line name: the constant's name in lower case, {@code _} as {@code -}
   * ({@code FOCUS_CSV} is {@code focus-csv}); a subclass names the enum, as picocli builds converters itself.
   */
  abstract static class Named<E extends Enum<E>> implements ITypeConverter<E> {
    private final Class<E> type;

    Named(Class<E> type) {
      this.type = type;
    }

    static String name(Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public E convert(String v) {
      List<String> names = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        if (name(e).equals(v.trim())) {
          return e;
        }
        names.add(name(e));
      }
      throw invalid("not one of " + String.join(", ", names), v);
    }
  }

  /** As {@link #decimal(String)}, for part of an option's value read by a command: a bad value names {@code option}. */
  static BigDecimal decimal(String option, String v) {
    try {
      return decimal(v);
    } catch (TypeConversionException e) {
      throw CliException.usage(option + ": " + e.getMessage());
    }
  }
}
