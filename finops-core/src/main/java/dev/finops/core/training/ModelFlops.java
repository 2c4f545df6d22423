package dev.finops.core.training;

import dev.finops.core.catalog.AcceleratorFacts;
import dev.finops.core.internal.Decimals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * What a run's model FLOPs utilization (MFU) is computed from: the model's parameters (total, and
 * active per token for a mixture of experts) and the peak dense TFLOPS of one of its GPUs. Training
 * FLOPs per token are taken as 6 × active parameters (forward 2, backward 4; attention's extra
 * FLOPs left out, as MFU is usually quoted). Counts are exact: FLOPs as {@link BigInteger}, ratios as
 * {@link BigDecimal}. Immutable.
 */
public final class ModelFlops {

  private static final BigInteger SIX = BigInteger.valueOf(6);
  private static final BigDecimal NANOS_PER_SECOND_TIMES_TERA = BigDecimal.valueOf(1_000L); // 1e12 / 1e9

  private final long totalParameters;
  private final long activeParameters;
  private final BigDecimal peakTflopsPerGpu;
  private final String peakLabel;

  private ModelFlops(long totalParameters, long activeParameters, BigDecimal peakTflopsPerGpu, String peakLabel) {
    if (totalParameters <= 0) {
      throw new IllegalArgumentException("totalParameters must be positive: " + totalParameters);
    }
    if (activeParameters <= 0) {
      throw new IllegalArgumentException("activeParameters must be positive: " + activeParameters);
    }
    if (activeParameters > totalParameters) {
      throw new IllegalArgumentException("activeParameters (" + activeParameters
          + ") must not exceed totalParameters (" + totalParameters + ")");
    }
    Objects.requireNonNull(peakTflopsPerGpu, "peakTflopsPerGpu");
    if (peakTflopsPerGpu.signum() <= 0) {
      throw new IllegalArgumentException("peakTflopsPerGpu must be positive: " + peakTflopsPerGpu);
    }
    this.totalParameters = totalParameters;
    this.activeParameters = activeParameters;
    this.peakTflopsPerGpu = peakTflopsPerGpu;
    this.peakLabel = Objects.requireNonNull(peakLabel, "peakLabel");
  }

  /** A dense model of {@code parameters} on GPUs of {@code facts} at {@code precision}'s peak. */
  public static ModelFlops dense(long parameters, AcceleratorFacts facts, AcceleratorFacts.Precision precision) {
    return moe(parameters, parameters, facts, precision);
  }

  /** A mixture of experts: {@code activeParameters} of {@code totalParameters} work on each token. */
  public static ModelFlops moe(long totalParameters, long activeParameters, AcceleratorFacts facts,
      AcceleratorFacts.Precision precision) {
    Objects.requireNonNull(facts, "accelerator");
    return new ModelFlops(totalParameters, activeParameters, facts.peakTflops(precision),
        facts.id() + " " + precision + " dense");
  }

  /** Parameters (total and active) against a peak given directly, in dense TFLOPS per GPU. */
  public static ModelFlops of(long totalParameters, long activeParameters, BigDecimal peakTflopsPerGpu) {
    return new ModelFlops(totalParameters, activeParameters, peakTflopsPerGpu,
        dev.finops.core.Money.plain(Objects.requireNonNull(peakTflopsPerGpu, "peakTflopsPerGpu")) + " TFLOPS");
  }

  public long totalParameters() {
    return totalParameters;
  }

  /** Parameters that work on each token: all of them for a dense model. */
  public long activeParameters() {
    return activeParameters;
  }

  /** Peak dense TFLOPS of one GPU. */
  public BigDecimal peakTflopsPerGpu() {
    return peakTflopsPerGpu;
  }

  /** Where the peak came from ({@code h100-sxm BF16 dense}). */
  public String peakLabel() {
    return peakLabel;
  }

  /** Training FLOPs for {@code tokens}: 6 × active parameters × tokens, exact. */
  public BigInteger flops(long tokens) {
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens must not be negative: " + tokens);
    }
    return SIX.multiply(BigInteger.valueOf(activeParameters)).multiply(BigInteger.valueOf(tokens));
  }

  /**
   * Achieved TFLOPS per GPU: {@code flops} done by {@code gpus} GPUs in {@code nanos} of wall time,
   * HALF_EVEN at {@code scale}; {@code null} when no time passed.
   */
  static BigDecimal achievedTflopsPerGpu(BigInteger flops, long gpuNanos, int scale) {
    if (gpuNanos <= 0) {
      return null;
    }
    // flops / (gpuNanos / 1e9) / 1e12 = flops / (gpuNanos × 1000)
    return new BigDecimal(flops).divide(BigDecimal.valueOf(gpuNanos).multiply(NANOS_PER_SECOND_TIMES_TERA), scale,
        RoundingMode.HALF_EVEN);
  }

  /** MFU (0..1, more only if the peak is wrong) of {@code flops} in {@code gpuNanos}; {@code null} when no time passed. */
  BigDecimal mfu(BigInteger flops, long gpuNanos, int scale) {
    if (gpuNanos <= 0) {
      return null;
    }
    return new BigDecimal(flops).divide(
        BigDecimal.valueOf(gpuNanos).multiply(NANOS_PER_SECOND_TIMES_TERA).multiply(peakTflopsPerGpu), scale,
        RoundingMode.HALF_EVEN);
  }

  /** {@code gpuNanos × 1000 × peak}: the denominator of MFU, exact, for exact money arithmetic. */
  BigDecimal peakFlopsTimesNanos(long gpuNanos) {
    return BigDecimal.valueOf(gpuNanos).multiply(NANOS_PER_SECOND_TIMES_TERA).multiply(peakTflopsPerGpu);
  }

  @Override
  public String toString() {
    return "ModelFlops{" + activeParameters + "/" + totalParameters + " params, " + peakLabel + "}";
  }

  /** Equal when the parameter counts, the peak (as a number: 989 equals 989.0) and its label are equal. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof ModelFlops)) {
      return false;
    }
    ModelFlops o = (ModelFlops) other;
    return totalParameters == o.totalParameters
        && activeParameters == o.activeParameters
        && Decimals.sameValue(peakTflopsPerGpu, o.peakTflopsPerGpu)
        && Objects.equals(peakLabel, o.peakLabel);
  }

  @Override
  public int hashCode() {
    return Objects.hash(totalParameters, activeParameters, Decimals.valueHash(peakTflopsPerGpu), peakLabel);
  }
}
