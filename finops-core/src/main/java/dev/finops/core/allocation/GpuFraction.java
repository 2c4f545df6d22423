package dev.finops.core.allocation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The share of one physical GPU a workload holds, as an exact fraction in (0, 1]: a whole GPU, a MIG
 * slice, or one replica of a time-sliced (or MPS-shared) GPU. A usage record's GPU time is multiplied
 * by its fraction, so a slice is charged its share of the GPU and no more. Immutable.
 *
 * <p><b>MIG convention.</b> A100 and H100 (and H200) GPUs split into {@value #MIG_COMPUTE_SLICES}
 * compute slices; a MIG profile {@code Ng.<memory>gb} holds {@code N} of them, so its fraction is
 * {@code N / 7}: {@code 1g.10gb} of an A100-80GB is 1/7 of the GPU, {@code 3g.40gb} is 3/7, {@code
 * 7g.80gb} the whole GPU. Memory is not part of the fraction (a {@code 1g.20gb} slice is also 1/7).
 * GPUs with another slice count (an A30 has 4) use {@link #mig(String, int)}; anything else a caller
 * knows better is {@link #of(long, long)}.
 *
 * <p><b>Time-slicing.</b> One of {@code R} replicas of a GPU is {@code 1/R} of it ({@link
 * #timeSlice(int)}), OpenCost's replica fraction.
 */
public final class GpuFraction {

  /** Compute slices of an A100 or H100 under MIG: the denominator of {@link #mig(String)}. */
  public static final int MIG_COMPUTE_SLICES = 7;

  /** The whole GPU. */
  public static final GpuFraction WHOLE = new GpuFraction(1, 1);

  private static final Pattern MIG = Pattern.compile("(?:mig[-_ ]?)?(\\d{1,2})g\\.\\d+gb(?:\\+me)?");
  private static final Pattern RATIO = Pattern.compile("(\\d{1,18})\\s*/\\s*(\\d{1,18})");

  private final long numerator;
  private final long denominator;

  private GpuFraction(long numerator, long denominator) {
    this.numerator = numerator;
    this.denominator = denominator;
  }

  /**
   * {@code numerator / denominator} of a GPU, reduced.
   *
   * @throws IllegalArgumentException unless {@code 0 < numerator <= denominator}
   */
  public static GpuFraction of(long numerator, long denominator) {
    if (numerator <= 0 || denominator <= 0 || numerator > denominator) {
      throw new IllegalArgumentException(
          "a GPU fraction must be more than 0 and at most 1, got " + numerator + "/" + denominator);
    }
    long g = BigInteger.valueOf(numerator).gcd(BigInteger.valueOf(denominator)).longValueExact();
    return numerator == denominator ? WHOLE : new GpuFraction(numerator / g, denominator / g);
  }

  /**
   * A decimal fraction of a GPU ({@code 0.5}, {@code 0.25}), read exactly.
   *
   * @throws IllegalArgumentException unless it is more than 0 and at most 1
   */
  public static GpuFraction of(BigDecimal fraction) {
    Objects.requireNonNull(fraction, "fraction");
    if (fraction.signum() <= 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException(
          "a GPU fraction must be more than 0 and at most 1, got " + fraction.toPlainString());
    }
    BigDecimal f = fraction.stripTrailingZeros();
    if (f.scale() > 18) {
      throw new IllegalArgumentException("a GPU fraction has at most 18 decimals, got " + fraction.toPlainString());
    }
    int scale = Math.max(0, f.scale());
    return of(f.movePointRight(scale).longValueExact(), BigInteger.TEN.pow(scale).longValueExact());
  }

  /**
   * The fraction of a MIG profile on an A100 or H100: compute slices ÷ {@value #MIG_COMPUTE_SLICES}
   * ({@code "1g.10gb"} is 1/7). A {@code mig-} prefix and a {@code +me} suffix are accepted.
   *
   * @throws IllegalArgumentException if the profile is not {@code <N>g.<M>gb} with N from 1 to 7
   */
  public static GpuFraction mig(String profile) {
    return mig(profile, MIG_COMPUTE_SLICES);
  }

  /**
   * The fraction of a MIG profile on a GPU with {@code computeSlices} compute slices ({@code 4} for an
   * A30): the profile's slices ÷ {@code computeSlices}.
   *
   * @throws IllegalArgumentException if the profile is malformed or holds more slices than the GPU
   */
  public static GpuFraction mig(String profile, int computeSlices) {
    Objects.requireNonNull(profile, "profile");
    Matcher m = MIG.matcher(profile.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a MIG profile (like 1g.10gb): '" + profile + "'");
    }
    int slices = Integer.parseInt(m.group(1));
    if (computeSlices < 1 || slices < 1 || slices > computeSlices) {
      throw new IllegalArgumentException("MIG profile '" + profile + "' holds " + slices
          + " compute slices; the GPU has " + computeSlices);
    }
    return of(slices, computeSlices);
  }

  /**
   * One of {@code replicas} time-slicing (or MPS) replicas of a GPU: {@code 1/replicas}.
   *
   * @throws IllegalArgumentException if {@code replicas} is less than 1
   */
  public static GpuFraction timeSlice(int replicas) {
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be at least 1: " + replicas);
    }
    return of(1, replicas);
  }

  /**
   * Reads a fraction as written in a usage file: a decimal ({@code 1}, {@code 0.5}), a ratio ({@code
   * 1/7}) or a MIG profile ({@code 1g.10gb}, A100/H100 convention).
   *
   * @throws IllegalArgumentException saying what is accepted
   */
  public static GpuFraction parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.trim();
    Matcher ratio = RATIO.matcher(s);
    if (ratio.matches()) {
      return of(Long.parseLong(ratio.group(1)), Long.parseLong(ratio.group(2)));
    }
    BigDecimal decimal;
    try {
      decimal = dev.finops.core.Money.parseDecimal(s, false);
    } catch (NumberFormatException notADecimal) {
      decimal = null; // a MIG profile, or nothing accepted
    }
    if (decimal != null) {
      return of(decimal);
    }
    if (MIG.matcher(s.toLowerCase(Locale.ROOT)).matches()) {
      return mig(s);
    }
    throw new IllegalArgumentException(
        "not a GPU fraction (a decimal like 0.5, a ratio like 1/7, or a MIG profile like 1g.10gb): '" + text + "'");
  }

  public long numerator() {
    return numerator;
  }

  public long denominator() {
    return denominator;
  }

  public boolean isWhole() {
    return numerator == denominator;
  }

  /** The fraction rounded HALF_EVEN to {@code scale} places (1/7 at 4 places: 0.1429). */
  public BigDecimal toDecimal(int scale) {
    return BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), scale, RoundingMode.HALF_EVEN);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GpuFraction && ((GpuFraction) o).numerator == numerator
        && ((GpuFraction) o).denominator == denominator;
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(numerator) + Long.hashCode(denominator);
  }

  /** {@code "1"}, {@code "1/7"}. */
  @Override
  public String toString() {
    return isWhole() ? "1" : numerator + "/" + denominator;
  }
}
