package dev.finops.core.budget;

import dev.finops.core.Money;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * Fixed-point helpers of the budget package over {@link Money}'s pico-unit form (longs of
 * 10<sup>-12</sup> of the currency; the conversions themselves live in {@link Money}). Costs that are
 * not whole pico-units round UP (a reservation or settlement is never smaller than the cost it stands
 * for); limits must be exact.
 */
final class Pico {

  /** Pico-units per currency unit. */
  static final long PER_UNIT = Money.PICO_PER_UNIT;

  /** Milliseconds per hour, the denominator of hourly rates applied to time. */
  static final long MILLIS_PER_HOUR = 3_600_000L;

  private Pico() {}

  /**
   * A budget limit in pico-units: positive, exact to the pico, and at most {@link Long#MAX_VALUE}
   * pico-units (9,223,372.036854775807 currency units).
   *
   * @throws IllegalArgumentException naming {@code field} otherwise
   */
  static long ofLimit(Money limit, String field) {
    if (limit.signum() <= 0) {
      throw new IllegalArgumentException(field + " must be positive, got " + limit);
    }
    if (!limit.isTerminating()) {
      throw new IllegalArgumentException(field + " must be an exact decimal, got " + limit);
    }
    long pico;
    try {
      pico = limit.toPico(RoundingMode.UNNECESSARY);
    } catch (ArithmeticException finerThanPico) {
      throw new IllegalArgumentException(field + " must have at most 12 decimal places, got " + limit);
    }
    if (pico == Long.MAX_VALUE && limit.compareTo(Money.ofPico(pico, limit.currency())) != 0) {
      throw new IllegalArgumentException(field + " must be at most 9223372.036854775807 "
          + limit.currency().getCurrencyCode() + " (a long of pico-units), got " + limit);
    }
    return pico;
  }

  /**
   * A non-negative cost in pico-units, rounded up (saturating at {@link Long#MAX_VALUE}).
   *
   * @throws IllegalArgumentException if the amount is negative
   */
  static long ceil(Money amount) {
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("a cost must not be negative: " + amount);
    }
    return amount.toPico(RoundingMode.CEILING);
  }

  /** {@code amount} in whole pico-units, rounded down (saturating; 0 for a negative amount). */
  static long floor(Money amount) {
    return amount.signum() <= 0 ? 0 : amount.toPico(RoundingMode.FLOOR);
  }

  /** {@code ceil(a × b / d)} for non-negative {@code a}, {@code b} and positive {@code d}, saturating. */
  static long mulDivCeil(long a, long b, long d) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    if (hi == 0 && lo >= 0) {
      return lo / d + (lo % d == 0 ? 0 : 1);
    }
    BigInteger[] qr = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divideAndRemainder(BigInteger.valueOf(d));
    BigInteger q = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    return q.bitLength() < 64 ? q.longValue() : Long.MAX_VALUE;
  }

  /** {@code a + b} for non-negative operands, saturating at {@link Long#MAX_VALUE}. */
  static long addSaturated(long a, long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s;
  }

  /** The exact {@link Money} of {@code pico} pico-units. */
  static Money money(long pico, Currency currency) {
    return Money.ofPico(pico, currency);
  }

  /**
   * A fraction given as a decimal ("0.8") in basis points (8000).
   *
   * @throws IllegalArgumentException naming {@code field} if it is not in (0, 1] or finer than a basis
   *     point
   */
  static int basisPoints(BigDecimal fraction, String field) {
    if (fraction == null) {
      throw new IllegalArgumentException(field + ": a threshold must not be null");
    }
    if (fraction.signum() <= 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException(field + ": threshold " + fraction.toPlainString()
          + " is out of range; give a fraction of the limit in (0, 1], such as 0.8");
    }
    BigDecimal bp = fraction.movePointRight(4);
    if (bp.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(field + ": threshold " + fraction.toPlainString()
          + " has more than 4 decimal places (the finest threshold is one basis point, 0.0001)");
    }
    return bp.intValueExact();
  }

  /**
   * A threshold parsed from a decimal string.
   *
   * @throws IllegalArgumentException naming {@code field} if it is not a decimal number
   */
  static BigDecimal fraction(String text, String field) {
    if (text == null) {
      throw new IllegalArgumentException(field + ": a threshold must not be null");
    }
    try {
      return Money.parseDecimal(text, true);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + ": threshold '" + text + "' is not a decimal number such as 0.8 ("
          + e.getMessage() + ")");
    }
  }

  /** The pico level at which {@code basisPoints} of {@code limitPico} is reached: ceil(limit × bp / 10^4). */
  static long trigger(long limitPico, int basisPoints) {
    return mulDivCeil(limitPico, basisPoints, 10_000L);
  }
}
