package dev.finops.otel;

import dev.finops.core.Money;
import dev.finops.core.pricing.PricedUsage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** Cost values at the OpenTelemetry boundary: exact strings, doubles rounded once, nano-unit longs. */
final class Costs {
  private static final long PICO_PER_UNIT = 1_000_000_000_000L;
  /** Longs below this convert to double exactly, so pico / 10^12 is the correctly rounded quotient. */
  private static final long EXACT_DOUBLE = 1L << 53;
  /** Scale at which a non-terminating amount is rounded before it becomes a double (beyond its precision). */
  private static final int DOUBLE_SCALE = 24;
  private static final long[] POW10 = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
    10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L
  };

  private Costs() {}

  /** The exact total as a plain decimal ({@code "0.0042"}); see {@link Money#toPlainString()}. */
  static String plain(PricedUsage priced) {
    return priced.hasFixedPointTotal() ? plainPico(priced.totalPico()) : priced.total().toPlainString();
  }

  /**
   * {@code pico × 10^-12} as a plain decimal without trailing zeros, with no BigDecimal on the way. On
   * the span tagging path, so cheap: trailing zeros are stripped six, three, then one at a time, and the
   * fraction is written zero-padded as the digits of {@code 10^digits + fraction} whose leading 1 becomes
   * the point.
   */
  static String plainPico(long pico) {
    if (pico == 0) {
      return "0";
    }
    if (pico == Long.MIN_VALUE) {
      return Money.plain(BigDecimal.valueOf(pico, 12));
    }
    long abs = Math.abs(pico);
    long units = abs / PICO_PER_UNIT;
    long frac = abs % PICO_PER_UNIT;
    StringBuilder sb = new StringBuilder(24);
    if (pico < 0) {
      sb.append('-');
    }
    sb.append(units);
    if (frac != 0) {
      int digits = 12;
      if (frac % 1_000_000 == 0) {
        frac /= 1_000_000;
        digits -= 6;
      }
      if (frac % 1_000 == 0) {
        frac /= 1_000;
        digits -= 3;
      }
      while (frac % 10 == 0) {
        frac /= 10;
        digits--;
      }
      int point = sb.length();
      sb.append(POW10[digits] + frac).setCharAt(point, '.');
    }
    return sb.toString();
  }

  /** The total as the nearest double, rounded once from the exact amount. */
  static double toDouble(PricedUsage priced) {
    if (priced.hasFixedPointTotal()) {
      long pico = priced.totalPico();
      if (Math.abs(pico) < EXACT_DOUBLE) {
        return (double) pico / PICO_PER_UNIT;
      }
    }
    return toDouble(priced.total());
  }

  /** The amount as the nearest double (to within rounding at 24 decimal places when it does not terminate). */
  static double toDouble(Money money) {
    return money.isTerminating() ? money.exactAmount().doubleValue() : money.amount(DOUBLE_SCALE).doubleValue();
  }

  /**
   * The total in whole pico-units: exact for fixed-point totals, otherwise rounded HALF_EVEN to the
   * pico (saturating at {@link Long#MAX_VALUE}).
   */
  static long toPico(PricedUsage priced) {
    if (priced.hasFixedPointTotal()) {
      return priced.totalPico();
    }
    BigInteger p = priced.total().amount(12).movePointRight(12).setScale(0, RoundingMode.HALF_EVEN).toBigInteger();
    return p.bitLength() < 64 ? p.longValue() : (p.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE);
  }
}
