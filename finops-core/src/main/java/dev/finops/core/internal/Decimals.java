package dev.finops.core.internal;

import dev.finops.core.Money;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Exact quotients as plain decimals, shared by the allocation engine and the FOCUS exporter: a
 * quantity such as GPU-milliseconds ÷ 3,600,000 is written exactly when it terminates and rounded
 * HALF_EVEN to {@value #QUANTITY_SCALE} places when it does not (the scale {@link Money} presents
 * amounts at). Not API.
 */
public final class Decimals {

  /** Decimal places of a quotient that does not terminate. */
  public static final int QUANTITY_SCALE = Money.PRESENTATION_SCALE;

  private Decimals() {}

  /** {@code numerator ÷ denominator}: exact when it terminates, else HALF_EVEN at {@value #QUANTITY_SCALE}. */
  public static BigDecimal quotient(BigDecimal numerator, BigInteger denominator) {
    BigDecimal d = new BigDecimal(denominator);
    // n / d terminates exactly when d, less its factors 2 and 5, divides n's unscaled value.
    if (numerator.unscaledValue().mod(withoutTwosAndFives(denominator)).signum() == 0) {
      return strip(numerator.divide(d));
    }
    return strip(numerator.divide(d, QUANTITY_SCALE, RoundingMode.HALF_EVEN));
  }

  private static BigInteger withoutTwosAndFives(BigInteger n) {
    BigInteger v = n.abs();
    int twos = v.getLowestSetBit();
    if (twos > 0) {
      v = v.shiftRight(twos);
    }
    BigInteger five = BigInteger.valueOf(5);
    while (v.signum() > 0 && v.mod(five).signum() == 0) {
      v = v.divide(five);
    }
    return v;
  }

  /** {@code numerator ÷ denominator}; see {@link #quotient(BigDecimal, BigInteger)}. */
  public static BigDecimal quotient(long numerator, long denominator) {
    return quotient(BigDecimal.valueOf(numerator), BigInteger.valueOf(denominator));
  }

  /** Trailing zeros stripped, never a negative scale (so {@code toPlainString()} has no exponent). */
  public static BigDecimal strip(BigDecimal value) {
    if (value.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal s = value.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  /** Equal as numbers, whatever the scale ({@code 32} and {@code 32.00}); either may be null. */
  public static boolean sameValue(BigDecimal a, BigDecimal b) {
    return a == null ? b == null : b != null && a.compareTo(b) == 0;
  }

  /** A hash code consistent with {@link #sameValue}. */
  public static int valueHash(BigDecimal a) {
    return a == null || a.signum() == 0 ? 0 : a.stripTrailingZeros().hashCode();
  }
}
