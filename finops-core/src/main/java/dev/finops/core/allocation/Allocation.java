package dev.finops.core.allocation;

import dev.finops.core.Money;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Splits an exact amount into parts, by non-negative weights, so that the parts add up exactly.
 * Immutable and thread-safe; {@link #DEFAULT} and {@link #atScale} instances can be shared freely.
 *
 * <p><b>Units.</b> An allocation works in a smallest unit of {@code 10^-scale} of the currency: by
 * default {@value #DEFAULT_SCALE} (one pico-unit, {@link Money#PRESENTATION_SCALE}); scale 2 splits
 * into cents. Every part is a {@link Money} holding a whole number of units.
 *
 * <p><b>Rounding.</b> The total is expressed in the smallest unit once; the parts then add up to it
 * exactly. That is, an amount with more decimals than the scale, or a non-terminating fraction (a
 * third of a cent), is first rounded {@link java.math.RoundingMode#HALF_EVEN HALF_EVEN} to the unit
 * ({@link #roundToUnit}); no other rounding happens. The rounded total is then apportioned by the
 * largest-remainder (Hamilton) method over whole units, in {@link BigInteger} arithmetic with no
 * overflow and no {@code double}: share {@code i} first gets {@code floor(units × w_i / W)} units,
 * where {@code W} is the sum of the weights; the units left over (fewer than the number of shares)
 * go one each to the shares with the largest remainders {@code units × w_i mod W}, ties broken by
 * index, lower index first. So:
 *
 * <ul>
 *   <li>the parts add up to {@link #roundToUnit(Money) roundToUnit(amount)}, to the unit;
 *   <li>each part differs from its exact proportional share of that total by less than one unit;
 *   <li>a share of weight zero gets nothing (while some weight is positive);
 *   <li>the same input always gives the same parts, whatever the platform.
 * </ul>
 *
 * <p>$10 by weights 1, 1, 1 at scale 12 gives 3.333333333334, 3.333333333333, 3.333333333333; at
 * scale 2 it gives 3.34, 3.33, 3.33.
 *
 * <p><b>Zero weights.</b> When every weight is zero the amount is split evenly, as if every weight
 * were one, rather than refused: nothing distinguishes the shares, so none is favoured beyond the
 * index rule.
 *
 * <p><b>Errors.</b> A negative amount, a negative weight (the message names its index), no shares,
 * or a {@code null} throws {@link IllegalArgumentException} or {@link NullPointerException}.
 */
public final class Allocation {

  /** The default smallest unit: 10^-12 of the currency, the scale {@link Money} presents at. */
  public static final int DEFAULT_SCALE = Money.PRESENTATION_SCALE;

  /** Allocation in units of 10^-{@value #DEFAULT_SCALE} of the currency. */
  public static final Allocation DEFAULT = new Allocation(DEFAULT_SCALE);

  private final int scale;

  private Allocation(int scale) {
    this.scale = scale;
  }

  /**
   * Allocation in units of {@code 10^-scale} of the currency (2 for cents).
   *
   * @throws IllegalArgumentException if the scale is negative
   */
  public static Allocation atScale(int scale) {
    if (scale < 0) {
      throw new IllegalArgumentException("scale must not be negative: " + scale);
    }
    return scale == DEFAULT_SCALE ? DEFAULT : new Allocation(scale);
  }

  /** Decimal places of the smallest unit. */
  public int scale() {
    return scale;
  }

  /**
   * The amount in whole smallest units, rounded HALF_EVEN once: the total every split adds up to.
   * For $10 at scale 2, 1000.
   */
  public BigInteger units(Money amount) {
    Objects.requireNonNull(amount, "amount");
    return amount.amount(scale).unscaledValue();
  }

  /** The amount rounded HALF_EVEN to the smallest unit: what the parts of any split add up to. */
  public Money roundToUnit(Money amount) {
    return toMoney(units(amount), amount);
  }

  /**
   * Splits {@code amount} by long weights, one part per weight, in order.
   *
   * @return an unmodifiable list of parts that add up to {@link #roundToUnit(Money)
   *     roundToUnit(amount)}
   * @throws IllegalArgumentException if the amount or a weight is negative, or there are no weights
   */
  public List<Money> split(Money amount, long... weights) {
    Objects.requireNonNull(weights, "weights");
    BigInteger[] w = new BigInteger[weights.length];
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] < 0) {
        throw negativeWeight(i, Long.toString(weights[i]));
      }
      w[i] = BigInteger.valueOf(weights[i]);
    }
    return toMoney(splitUnits(amount, w), amount);
  }

  /**
   * Splits {@code amount} by decimal weights (0.25, 1.5, 3), one part per weight, in order. Only the
   * ratios of the weights matter; they are compared exactly.
   *
   * @return an unmodifiable list of parts that add up to {@link #roundToUnit(Money)
   *     roundToUnit(amount)}
   * @throws IllegalArgumentException if the amount or a weight is negative, or there are no weights
   */
  public List<Money> split(Money amount, List<BigDecimal> weights) {
    return toMoney(splitUnits(amount, integerWeights(weights)), amount);
  }

  /**
   * Splits {@code amount} into {@code shares} equal parts; the units left over go one each to the
   * first shares. $10 in three at scale 2: 3.34, 3.33, 3.33.
   *
   * @throws IllegalArgumentException if the amount is negative or {@code shares} is less than one
   */
  public List<Money> evenly(Money amount, int shares) {
    if (shares < 1) {
      throw new IllegalArgumentException("shares must be at least 1: " + shares);
    }
    BigInteger[] w = new BigInteger[shares];
    Arrays.fill(w, BigInteger.ONE);
    return toMoney(splitUnits(amount, w), amount);
  }

  /**
   * Largest-remainder apportionment of {@code units} whole units by {@code weights}: the integer core
   * of every split, for callers that count in their own units. Parts add up to {@code units}
   * exactly; all-zero weights split evenly.
   *
   * @return an unmodifiable list, one part per weight
   * @throws IllegalArgumentException if {@code units} or a weight is negative, or there are no weights
   */
  public static List<BigInteger> apportion(BigInteger units, List<BigInteger> weights) {
    Objects.requireNonNull(units, "units");
    Objects.requireNonNull(weights, "weights");
    if (units.signum() < 0) {
      throw new IllegalArgumentException("units must not be negative: " + units);
    }
    BigInteger[] w = new BigInteger[weights.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = weights.get(i);
      if (w[i] == null) {
        throw new NullPointerException("weight[" + i + "] is null");
      }
      if (w[i].signum() < 0) {
        throw negativeWeight(i, w[i].toString());
      }
    }
    return Collections.unmodifiableList(Arrays.asList(hamilton(units, w)));
  }

  /** The units of each part of {@code amount} split by validated, non-negative integer weights. */
  BigInteger[] splitUnits(Money amount, BigInteger[] weights) {
    Objects.requireNonNull(amount, "amount");
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("amount must not be negative: " + amount);
    }
    return hamilton(units(amount), weights);
  }

  /**
   * Decimal weights as integers with the same ratios: each weight times {@code 10^s}, where {@code s}
   * is the largest scale among them (trailing zeros stripped).
   */
  static BigInteger[] integerWeights(List<BigDecimal> weights) {
    Objects.requireNonNull(weights, "weights");
    BigDecimal[] stripped = new BigDecimal[weights.size()];
    int maxScale = Integer.MIN_VALUE;
    for (int i = 0; i < stripped.length; i++) {
      BigDecimal w = weights.get(i);
      if (w == null) {
        throw new NullPointerException("weight[" + i + "] is null");
      }
      if (w.signum() < 0) {
        throw negativeWeight(i, w.toPlainString());
      }
      if (w.signum() > 0) {
        stripped[i] = w.stripTrailingZeros();
        maxScale = Math.max(maxScale, stripped[i].scale());
      }
    }
    BigInteger[] out = new BigInteger[stripped.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = stripped[i] == null ? BigInteger.ZERO : stripped[i].movePointRight(maxScale).toBigIntegerExact();
    }
    return out;
  }

  private static BigInteger[] hamilton(BigInteger units, BigInteger[] weights) {
    int n = weights.length;
    if (n == 0) {
      throw new IllegalArgumentException("at least one share is needed to allocate to");
    }
    BigInteger total = BigInteger.ZERO;
    for (BigInteger w : weights) {
      total = total.add(w);
    }
    if (total.signum() == 0) { // all weights zero: split evenly
      weights = new BigInteger[n];
      Arrays.fill(weights, BigInteger.ONE);
      total = BigInteger.valueOf(n);
    }
    BigInteger[] parts = new BigInteger[n];
    BigInteger[] remainders = new BigInteger[n];
    BigInteger assigned = BigInteger.ZERO;
    for (int i = 0; i < n; i++) {
      BigInteger[] qr = units.multiply(weights[i]).divideAndRemainder(total);
      parts[i] = qr[0];
      remainders[i] = qr[1];
      assigned = assigned.add(qr[0]);
    }
    int left = units.subtract(assigned).intValueExact(); // < n, since each remainder is < total
    if (left > 0) {
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      // Largest remainder first; equal remainders by index, lower first (the sort is stable).
      Arrays.sort(order, (a, b) -> remainders[b].compareTo(remainders[a]));
      for (int k = 0; k < left; k++) {
        parts[order[k]] = parts[order[k]].add(BigInteger.ONE);
      }
    }
    return parts;
  }

  private List<Money> toMoney(BigInteger[] units, Money like) {
    List<Money> out = new ArrayList<>(units.length);
    for (BigInteger u : units) {
      out.add(toMoney(u, like));
    }
    return Collections.unmodifiableList(out);
  }

  private Money toMoney(BigInteger units, Money like) {
    return Money.of(new BigDecimal(units, scale), like.currency());
  }

  private static IllegalArgumentException negativeWeight(int index, String value) {
    return new IllegalArgumentException("weight[" + index + "] must not be negative: " + value);
  }

  @Override
  public String toString() {
    return "Allocation{scale=" + scale + "}";
  }
}
