package dev.finops.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An exact amount of money in one currency. Immutable and thread-safe.
 *
 * <p>Money never goes through {@code double} or {@code float}. Amounts that come from prices per
 * token or per request are terminating decimals and are held as a {@link BigDecimal}. Amounts that
 * come from an hourly rate applied to milliseconds (GPU time) or a price per kWh applied to
 * millijoules may not terminate (a third of a cent); those keep their exact value as a fraction
 * {@code numerator / denominator}, where the denominator is an integer coprime to 10. Sums of
 * such amounts are still exact. Rounding happens once, when an amount is presented:
 *
 * <ul>
 *   <li>{@link #toPlainString()} prints the exact decimal when the amount terminates, and otherwise
 *       rounds {@link RoundingMode#HALF_EVEN HALF_EVEN} to {@value #PRESENTATION_SCALE} decimal places
 *       (one pico-unit of the currency);
 *   <li>{@link #amount(int)} rounds HALF_EVEN to any scale the caller chooses (reports use 4 for
 *       amounts and 6 for per-unit figures).
 * </ul>
 *
 * <p>Mixing currencies throws {@link CurrencyMismatchException}: there is no implicit conversion.
 */
public final class Money implements Comparable<Money> {

  /** Decimal places used by {@link #toPlainString()} for amounts that do not terminate. */
  public static final int PRESENTATION_SCALE = 12;

  /** The currency used by the bundled catalog. */
  public static final Currency USD = Currency.getInstance("USD");

  private static final BigInteger TWO = BigInteger.TWO;
  private static final BigInteger FIVE = BigInteger.valueOf(5);

  private final BigDecimal numerator;
  // >= 1, coprime to 10, and gcd(numerator.unscaledValue(), denominator) == 1
  private final BigInteger denominator;
  private final Currency currency;

  private Money(BigDecimal numerator, BigInteger denominator, Currency currency) {
    this.numerator = numerator;
    this.denominator = denominator;
    this.currency = currency;
  }

  /** An exact amount. */
  public static Money of(BigDecimal amount, Currency currency) {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(currency, "currency");
    return new Money(amount, BigInteger.ONE, currency);
  }

  /** An exact amount parsed from a decimal string such as {@code "0.00325"}. */
  public static Money of(String amount, String currencyCode) {
    return of(new BigDecimal(amount), Currency.getInstance(currencyCode));
  }

  /** An amount in US dollars parsed from a decimal string. */
  public static Money usd(String amount) {
    return of(new BigDecimal(amount), USD);
  }

  /** Zero in the given currency. */
  public static Money zero(Currency currency) {
    return new Money(BigDecimal.ZERO, BigInteger.ONE, Objects.requireNonNull(currency, "currency"));
  }

  /** {@code unscaled × 10^-scale} exactly; the allocation-light way in from fixed-point sums. */
  public static Money ofScaled(long unscaled, int scale, Currency currency) {
    return new Money(BigDecimal.valueOf(unscaled, scale), BigInteger.ONE, Objects.requireNonNull(currency));
  }

  /**
   * The exact value of {@code numerator / denominator}, for rates divided by time units (an hourly
   * rate times milliseconds over 3,600,000).
   */
  public static Money ofFraction(BigDecimal numerator, long denominator, Currency currency) {
    if (denominator <= 0) {
      throw new IllegalArgumentException("denominator must be positive: " + denominator);
    }
    return ofFraction(numerator, BigInteger.valueOf(denominator), currency);
  }

  /** The exact value of {@code numerator / denominator}. */
  public static Money ofFraction(BigDecimal numerator, BigInteger denominator, Currency currency) {
    Objects.requireNonNull(numerator, "numerator");
    Objects.requireNonNull(denominator, "denominator");
    Objects.requireNonNull(currency, "currency");
    if (denominator.signum() <= 0) {
      throw new IllegalArgumentException("denominator must be positive: " + denominator);
    }
    return normalize(numerator, denominator, currency);
  }

  private static Money normalize(BigDecimal num, BigInteger den, Currency currency) {
    if (den.equals(BigInteger.ONE)) {
      return new Money(num, den, currency);
    }
    // Move factors of 2 and 5 from the denominator into the decimal (they terminate):
    // num / (2^a 5^b m) == num × 5^a 2^b / 10^(a+b) / m
    int twos = den.getLowestSetBit();
    den = den.shiftRight(twos);
    int fives = 0;
    BigInteger[] qr = den.divideAndRemainder(FIVE);
    while (qr[1].signum() == 0) {
      den = qr[0];
      fives++;
      qr = den.divideAndRemainder(FIVE);
    }
    if (twos > 0 || fives > 0) {
      BigInteger factor = FIVE.pow(twos).multiply(TWO.pow(fives));
      num = new BigDecimal(num.unscaledValue().multiply(factor), num.scale() + twos + fives);
    }
    if (!den.equals(BigInteger.ONE)) {
      BigInteger unscaled = num.unscaledValue();
      BigInteger g = unscaled.gcd(den);
      if (unscaled.signum() == 0) {
        den = BigInteger.ONE;
      } else if (!g.equals(BigInteger.ONE)) {
        num = new BigDecimal(unscaled.divide(g), num.scale());
        den = den.divide(g);
      }
    }
    return new Money(num, den, currency);
  }

  public Currency currency() {
    return currency;
  }

  /** True when the amount is a terminating decimal, so {@link #exactAmount()} succeeds. */
  public boolean isTerminating() {
    return denominator.equals(BigInteger.ONE);
  }

  /**
   * The exact decimal value.
   *
   * @throws ArithmeticException if the amount does not terminate (see {@link #isTerminating()}); use
   *     {@link #amount(int)} to round it for presentation
   */
  public BigDecimal exactAmount() {
    if (!isTerminating()) {
      throw new ArithmeticException(
          "amount " + numerator.toPlainString() + "/" + denominator + " is not a terminating decimal");
    }
    return numerator;
  }

  /** The amount rounded HALF_EVEN to {@code scale} decimal places. */
  public BigDecimal amount(int scale) {
    if (isTerminating()) {
      return numerator.setScale(scale, RoundingMode.HALF_EVEN);
    }
    return numerator.divide(new BigDecimal(denominator), scale, RoundingMode.HALF_EVEN);
  }

  /**
   * The exact decimal when the amount terminates, otherwise rounded HALF_EVEN to {@value
   * #PRESENTATION_SCALE} places; never in exponent notation, trailing zeros stripped.
   */
  public String toPlainString() {
    BigDecimal value = isTerminating() ? numerator : amount(PRESENTATION_SCALE);
    return plain(value);
  }

  /** A decimal string with no exponent and no trailing zeros ("32", "0.00325", "0"). */
  public static String plain(BigDecimal value) {
    if (value.signum() == 0) {
      return "0";
    }
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() < 0) {
      stripped = stripped.setScale(0);
    }
    return stripped.toPlainString();
  }

  public int signum() {
    return numerator.signum();
  }

  public boolean isZero() {
    return numerator.signum() == 0;
  }

  public Money plus(Money other) {
    requireSameCurrency(other);
    if (other.numerator.signum() == 0) {
      return this;
    }
    if (numerator.signum() == 0) {
      return other;
    }
    if (denominator.equals(other.denominator)) {
      return normalize(numerator.add(other.numerator), denominator, currency);
    }
    BigDecimal a = numerator.multiply(new BigDecimal(other.denominator));
    BigDecimal b = other.numerator.multiply(new BigDecimal(denominator));
    return normalize(a.add(b), denominator.multiply(other.denominator), currency);
  }

  public Money minus(Money other) {
    return plus(other.negate());
  }

  public Money negate() {
    return new Money(numerator.negate(), denominator, currency);
  }

  /** {@code this × factor}, exact. */
  public Money times(BigDecimal factor) {
    return normalize(numerator.multiply(factor), denominator, currency);
  }

  /** {@code this × factor}, exact. */
  public Money times(long factor) {
    return normalize(numerator.multiply(BigDecimal.valueOf(factor)), denominator, currency);
  }

  /**
   * {@code this ÷ divisor}, exact (the result may not terminate; it is kept as a fraction).
   *
   * @throws ArithmeticException if the divisor is zero
   */
  public Money dividedBy(BigDecimal divisor) {
    if (divisor.signum() == 0) {
      throw new ArithmeticException("division by zero");
    }
    // a/d ÷ (u × 10^-s) = a × 10^s / (d × u)
    BigDecimal num = numerator.movePointRight(divisor.scale());
    BigInteger u = divisor.unscaledValue();
    if (u.signum() < 0) {
      u = u.negate();
      num = num.negate();
    }
    return normalize(num, denominator.multiply(u), currency);
  }

  /** {@code this ÷ divisor}, exact. */
  public Money dividedBy(long divisor) {
    return dividedBy(BigDecimal.valueOf(divisor));
  }

  /** The exact ratio {@code this ÷ other} rounded HALF_EVEN to {@code scale} places. */
  public BigDecimal ratio(Money other, int scale) {
    requireSameCurrency(other);
    // (a/b) / (c/d) = a d / (b c)
    BigDecimal top = numerator.multiply(new BigDecimal(other.denominator));
    BigDecimal bottom = other.numerator.multiply(new BigDecimal(denominator));
    return top.divide(bottom, scale, RoundingMode.HALF_EVEN);
  }

  private void requireSameCurrency(Money other) {
    if (!currency.equals(other.currency)) {
      throw new CurrencyMismatchException(currency, other.currency);
    }
  }

  @Override
  public int compareTo(Money other) {
    requireSameCurrency(other);
    if (denominator.equals(other.denominator)) {
      return numerator.compareTo(other.numerator);
    }
    return numerator
        .multiply(new BigDecimal(other.denominator))
        .compareTo(other.numerator.multiply(new BigDecimal(denominator)));
  }

  /** Equal when currency and exact value are equal, whatever the decimal scale. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Money)) {
      return false;
    }
    Money other = (Money) o;
    return currency.equals(other.currency)
        && denominator.equals(other.denominator)
        && numerator.compareTo(other.numerator) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * currency.hashCode() + denominator.hashCode())
        + (numerator.signum() == 0 ? 0 : numerator.stripTrailingZeros().hashCode());
  }

  /** For example {@code "0.00325 USD"}; see {@link #toPlainString()} for the rounding rule. */
  @Override
  public String toString() {
    return toPlainString() + " " + currency.getCurrencyCode();
  }
}
