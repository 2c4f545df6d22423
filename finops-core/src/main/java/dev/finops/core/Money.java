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
 * <p><b>Pico-units.</b> The fixed-point form of amounts throughout finops (hot-path pricing, ledgers,
 * budgets, metrics) is a {@code long} of pico-units, 10<sup>-{@value #PICO_SCALE}</sup> of the currency.
 * This class is its one home: {@link #ofPico} is the way in, {@link #toPico(RoundingMode)} and {@link
 * #picoUnits(RoundingMode)} the ways out, with the rounding named by the caller (budgets round costs
 * {@link RoundingMode#CEILING up}, metrics {@link RoundingMode#HALF_EVEN to the nearest}). {@link
 * #parseDecimal} is the one reader of decimal text (catalogs, CSV files, command lines).
 *
 * <p>Mixing currencies throws {@link CurrencyMismatchException}: there is no implicit conversion.
 */
public final class Money implements Comparable<Money> {

  /** Decimal places used by {@link #toPlainString()} for amounts that do not terminate. */
  public static final int PRESENTATION_SCALE = 12;

  /** Decimal places of a pico-unit, the fixed-point form of amounts: 10^-12 of the currency. */
  public static final int PICO_SCALE = 12;

  /** Pico-units per unit of the currency. */
  public static final long PICO_PER_UNIT = 1_000_000_000_000L;

  /**
   * The most characters {@link #parseDecimal} reads: far beyond any price or quantity, short enough
   * that a hostile file cannot make every start slow with a number of thousands of digits.
   */
  public static final int MAX_DECIMAL_LENGTH = 64;

  /** The largest exponent magnitude {@link #parseDecimal} accepts ({@code 1e-99} at most). */
  public static final int MAX_DECIMAL_EXPONENT = 99;

  /** The currency used by the bundled catalog. */
  public static final Currency USD = Currency.getInstance("USD");

  private static final long[] POW10 = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
    10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L
  };

  /** Longs below this convert to double exactly. */
  private static final long EXACT_DOUBLE = 1L << 53;
  /** Places at which a non-terminating amount is rounded before it becomes a double. */
  private static final int DOUBLE_SCALE = 24;

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

  /** Exactly {@code pico} pico-units (10^-12) of {@code currency}. */
  public static Money ofPico(long pico, Currency currency) {
    return ofScaled(pico, PICO_SCALE, currency);
  }

  /**
   * {@code amount} in pico-units, exactly ({@code amount × 10^12}; a fraction when the amount is finer
   * than a pico-unit).
   */
  public static BigDecimal toPicoUnits(BigDecimal amount) {
    return amount.movePointRight(PICO_SCALE);
  }

  /**
   * Decimal text read exactly, as a {@link BigDecimal}: an optional sign, digits with an optional
   * point ({@code 32}, {@code 0.4}, {@code .5}, {@code 2.}), and, where {@code exponent} is true, an
   * exponent ({@code 1.5e-6}). Surrounding whitespace is ignored. The one decimal syntax of finops:
   * catalogs, CSV files and command lines all read numbers here. Sign rules (a price must not be
   * negative) are the caller's.
   *
   * @throws NumberFormatException whose message says what is wrong and quotes the text (shortened when
   *     long): {@code not a number: "abc"}, {@code not a plain decimal (no exponent): "1e3"}, {@code too
   *     long: "…" (N characters; at most 64)}, {@code exponent out of range: "1e999" (at most 99)};
   *     callers add the file, line or field
   */
  public static BigDecimal parseDecimal(String text, boolean exponent) {
    if (text == null) {
      throw new NumberFormatException("not a number: null");
    }
    String s = text.strip();
    if (s.length() > MAX_DECIMAL_LENGTH) {
      throw new NumberFormatException("too long: " + quoted(s) + " (" + s.length() + " characters; at most "
          + MAX_DECIMAL_LENGTH + ")");
    }
    int n = s.length();
    int i = 0;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int digits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits > 0 && i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      if (!exponent) {
        throw new NumberFormatException("not a plain decimal (no exponent): " + quoted(s));
      }
      int e = ++i;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        e = ++i;
      }
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == e || i < n) {
        throw new NumberFormatException("not a number: " + quoted(s));
      }
      while (e < n - 1 && s.charAt(e) == '0') {
        e++;
      }
      if (n - e > 2 || Integer.parseInt(s.substring(e)) > MAX_DECIMAL_EXPONENT) {
        throw new NumberFormatException("exponent out of range: " + quoted(s) + " (at most " + MAX_DECIMAL_EXPONENT
            + ")");
      }
    }
    if (digits == 0 || i < n) {
      throw new NumberFormatException("not a number: " + quoted(s));
    }
    return new BigDecimal(s);
  }

  private static String quoted(String s) {
    return "\"" + (s.length() <= 24 ? s : s.substring(0, 20) + "…") + "\"";
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
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
   * This amount in whole pico-units, rounded with {@code mode} from the exact value (also when it does
   * not terminate), saturating at {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} (an amount beyond 64
   * bits saturates whatever the mode).
   *
   * @throws ArithmeticException for {@link RoundingMode#UNNECESSARY} when the amount is not a whole
   *     number of pico-units
   */
  public long toPico(RoundingMode mode) {
    int scale = numerator.scale();
    if (isTerminating() && scale >= 0 && scale <= PICO_SCALE
        && numerator.precision() + PICO_SCALE - scale <= 18) {
      // Below 10^18 whole pico-units: a long multiply, no rounding, no BigInteger.
      return numerator.unscaledValue().longValue() * POW10[PICO_SCALE - scale];
    }
    if (numerator.signum() != 0
        && numerator.precision() - numerator.scale() - 2 - denominator.bitLength() / 3 >= 7) {
      // Above 10^7 units, far past 64 bits of pico-units (1e999999999 included): no giant BigInteger.
      return numerator.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    BigInteger p = picoUnits(mode);
    return p.bitLength() < 64 ? p.longValue() : (p.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE);
  }

  /**
   * This amount in whole pico-units, exactly as a {@link BigInteger}, rounded with {@code mode}. As
   * large as the amount is ({@code 1e999999999} has a billion digits); {@link #toPico} saturates
   * instead.
   *
   * @throws ArithmeticException for {@link RoundingMode#UNNECESSARY} when the amount is not a whole
   *     number of pico-units
   */
  public BigInteger picoUnits(RoundingMode mode) {
    BigDecimal shifted = numerator.movePointRight(PICO_SCALE);
    if (isTerminating()) {
      return shifted.setScale(0, mode).toBigIntegerExact();
    }
    return shifted.divide(new BigDecimal(denominator), 0, mode).toBigIntegerExact();
  }

  /**
   * The exact decimal when the amount terminates, otherwise rounded HALF_EVEN to {@value
   * #PRESENTATION_SCALE} places; never in exponent notation, trailing zeros stripped.
   */
  public String toPlainString() {
    BigDecimal value = isTerminating() ? numerator : amount(PRESENTATION_SCALE);
    return plain(value);
  }

  /**
   * {@code pico × 10^-12} as a plain decimal without trailing zeros, as {@link #toPlainString()} writes
   * it, with no BigDecimal on the way. On the span tagging path, so cheap: trailing zeros are stripped six, three, then one at a time, and the
   * fraction is written zero-padded as the digits of {@code 10^digits + fraction} whose leading 1 becomes
   * the point.
   */
  public static String plainPico(long pico) {
    if (pico == 0) {
      return "0";
    }
    if (pico == Long.MIN_VALUE) {
      return plain(BigDecimal.valueOf(pico, PICO_SCALE));
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

  /**
   * The amount as the nearest {@code double}, rounded once from the exact value (from the value
   * rounded at {@value #DOUBLE_SCALE} places when it does not terminate, far below a double's
   * precision). For metrics back ends that take doubles only; never for arithmetic on money.
   */
  public double doubleValue() {
    return (isTerminating() ? numerator : amount(DOUBLE_SCALE)).doubleValue();
  }

  /** {@code pico × 10^-12} as the nearest {@code double}, rounded once; see {@link #doubleValue()}. */
  public static double picoToDouble(long pico) {
    // Longs below 2^53 convert to double exactly, so the division is the correctly rounded quotient.
    return Math.abs(pico) < EXACT_DOUBLE ? (double) pico / PICO_PER_UNIT
        : BigDecimal.valueOf(pico, PICO_SCALE).doubleValue();
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
