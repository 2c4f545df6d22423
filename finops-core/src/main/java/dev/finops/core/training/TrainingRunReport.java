package dev.finops.core.training;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.spot.SpotEconomics;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * A training run's figures at one moment. Amounts are exact {@link Money}; per-unit figures are
 * {@link BigDecimal}s rounded HALF_EVEN to the scale the caller asks for (reports use 6). Figures
 * that do not exist (cost per epoch before the first epoch, measured figures without utilization
 * samples) are {@code null}.
 *
 * <p>Measured figures: the utilization samples give the time-weighted mean utilization over the
 * time they cover; that mean is taken as the run's. Useful cost = cost × mean, idle cost = cost −
 * useful, and the effective cost per useful GPU-hour = the GPU-hour rate ÷ mean (a $32/h GPU at 40%
 * costs $80 per useful hour).
 *
 * <p>MFU: a run given its model ({@link ModelFlops}) also reports achieved TFLOPS per GPU, model FLOPs
 * utilization and the effective cost from MFU; {@link #utilizationBasis()} says which utilization the
 * headline {@link #effectiveCost()} divided by.
 */
public final class TrainingRunReport {
  private final String runId;
  private final Tags tags;
  private final String hardware;
  private final int gpus;
  private final PriceKey key;
  private final long startMillis;
  private final long endMillis;
  private final long gpuMillis;
  private final Money cost;
  private final long steps;
  private final long epochs;
  private final long samples;
  private final long tokens;
  private final long checkpoints;
  private final long utilWeighted; // bp × ms
  private final long utilCovered; // ms
  private final AttemptFigures attempts;
  private final ModelFlops model; // null: no MFU
  private final UtilizationBasis measuredBasis;

  TrainingRunReport(String runId, Tags tags, String hardware, int gpus, PriceKey key, long startMillis, long endMillis,
      long gpuMillis, Money cost, long steps, long epochs, long samples, long tokens, long checkpoints,
      long utilWeighted, long utilCovered) {
    this(runId, tags, hardware, gpus, key, startMillis, endMillis, gpuMillis, cost, steps, epochs, samples, tokens,
        checkpoints, utilWeighted, utilCovered, AttemptFigures.single(Money.zero(cost.currency())));
  }

  TrainingRunReport(String runId, Tags tags, String hardware, int gpus, PriceKey key, long startMillis, long endMillis,
      long gpuMillis, Money cost, long steps, long epochs, long samples, long tokens, long checkpoints,
      long utilWeighted, long utilCovered, AttemptFigures attempts) {
    this(runId, tags, hardware, gpus, key, startMillis, endMillis, gpuMillis, cost, steps, epochs, samples, tokens,
        checkpoints, utilWeighted, utilCovered, attempts, null, UtilizationBasis.NVML_KERNEL_TIME);
  }

  TrainingRunReport(String runId, Tags tags, String hardware, int gpus, PriceKey key, long startMillis, long endMillis,
      long gpuMillis, Money cost, long steps, long epochs, long samples, long tokens, long checkpoints,
      long utilWeighted, long utilCovered, AttemptFigures attempts, ModelFlops model, UtilizationBasis measuredBasis) {
    this.attempts = attempts;
    this.model = model;
    this.measuredBasis = measuredBasis;
    this.runId = runId;
    this.tags = tags;
    this.hardware = hardware;
    this.gpus = gpus;
    this.key = key;
    this.startMillis = startMillis;
    this.endMillis = endMillis;
    this.gpuMillis = gpuMillis;
    this.cost = cost;
    this.steps = steps;
    this.epochs = epochs;
    this.samples = samples;
    this.tokens = tokens;
    this.checkpoints = checkpoints;
    this.utilWeighted = utilWeighted;
    this.utilCovered = utilCovered;
  }

  public String runId() {
    return runId;
  }

  public Tags tags() {
    return tags;
  }

  /** A description of the hardware ("1 x p4d.24xlarge (spot)"). */
  public String hardware() {
    return hardware;
  }

  public int gpus() {
    return gpus;
  }

  public PriceKey priceKey() {
    return key;
  }

  public Instant start() {
    return Instant.ofEpochMilli(startMillis);
  }

  public Instant end() {
    return Instant.ofEpochMilli(endMillis);
  }

  /** Wall-clock milliseconds from start to the report (or close). */
  public long wallMillis() {
    return endMillis - startMillis;
  }

  /** GPU time in GPU-milliseconds (wall time × GPUs). */
  public long gpuMillis() {
    return gpuMillis;
  }

  /** GPU-hours, HALF_EVEN at {@code scale}. */
  public BigDecimal gpuHours(int scale) {
    return BigDecimal.valueOf(gpuMillis).divide(BigDecimal.valueOf(3_600_000L), scale, RoundingMode.HALF_EVEN);
  }

  /** The run's exact cost: GPU time at the hardware's rate. */
  public Money cost() {
    return cost;
  }

  /** The billed rate per GPU-hour. */
  public Money gpuHourlyRate() {
    return key.gpuHourly();
  }

  public long steps() {
    return steps;
  }

  public long epochs() {
    return epochs;
  }

  public long samples() {
    return samples;
  }

  public long tokens() {
    return tokens;
  }

  public long checkpoints() {
    return checkpoints;
  }

  public BigDecimal costPerStep(int scale) {
    return per(steps, 1, scale);
  }

  public BigDecimal costPerEpoch(int scale) {
    return per(epochs, 1, scale);
  }

  /** Cost per 1,000,000 training tokens. */
  public BigDecimal costPer1mTokens(int scale) {
    return per(tokens, 1_000_000, scale);
  }

  /** Samples per second of wall time per unit of currency: throughput per dollar. */
  public BigDecimal samplesPerSecondPerCurrencyUnit(int scale) {
    if (cost.isZero() || wallMillis() <= 0) {
      return null;
    }
    // samples / (wallMillis / 1000) / cost = samples × 1000 / (wallMillis × cost)
    Money denominator = cost.times(wallMillis());
    return Money.of(BigDecimal.valueOf(samples).multiply(BigDecimal.valueOf(1000)), cost.currency())
        .ratio(denominator, scale);
  }

  private BigDecimal per(long count, long unit, int scale) {
    if (count == 0) {
      return null;
    }
    return cost.times(unit).ratio(Money.of(BigDecimal.valueOf(count), cost.currency()), scale);
  }

  /** True if utilization samples were fed to the run. */
  public boolean hasMeasuredUtilization() {
    return utilCovered > 0;
  }

  /** Time-weighted mean utilization (0..1), HALF_EVEN at {@code scale}; {@code null} if unmeasured. */
  public BigDecimal measuredUtilization(int scale) {
    if (utilCovered == 0) {
      return null;
    }
    return BigDecimal.valueOf(utilWeighted).divide(BigDecimal.valueOf(utilCovered).multiply(BigDecimal.valueOf(10_000)),
        scale, RoundingMode.HALF_EVEN);
  }

  /** Cost × measured utilization, exact; {@code null} if unmeasured. */
  public Money usefulCost() {
    if (utilCovered == 0) {
      return null;
    }
    return cost.times(utilWeighted).dividedBy(BigDecimal.valueOf(utilCovered).multiply(BigDecimal.valueOf(10_000)));
  }

  /** Cost paid while the GPUs idled: cost − useful cost, exact; {@code null} if unmeasured. */
  public Money idleCost() {
    Money useful = usefulCost();
    return useful == null ? null : cost.minus(useful);
  }

  /**
   * The effective cost per useful GPU-hour from the measured utilization (NVML's time-based figure, or
   * GPM's SM activity: {@link #measuredUtilizationBasis()}): the GPU-hour rate ÷ measured utilization,
   * exact; {@code null} if unmeasured or never busy. {@link #effectiveCostPerUsefulGpuHourFromMfu()} is
   * the one from MFU.
   */
  public Money effectiveCostPerUsefulGpuHour() {
    if (utilCovered == 0 || utilWeighted == 0) {
      return null;
    }
    return gpuHourlyRate().times(BigDecimal.valueOf(utilCovered).multiply(BigDecimal.valueOf(10_000)))
        .dividedBy(BigDecimal.valueOf(utilWeighted));
  }

  /**
   * What the measured utilization ({@link #measuredUtilization}, {@link #effectiveCostPerUsefulGpuHour()})
   * measured: {@link UtilizationBasis#NVML_KERNEL_TIME} or {@link UtilizationBasis#GPM_SM_ACTIVITY} (the
   * basis of the latest sample); {@link UtilizationBasis#NONE} without samples.
   */
  public UtilizationBasis measuredUtilizationBasis() {
    return utilCovered == 0 ? UtilizationBasis.NONE : measuredBasis;
  }

  /** True if the run was given its model ({@code TrainingRun.Builder#model}), so MFU is known once tokens are. */
  public boolean hasMfu() {
    return model != null && gpuMillis > 0 && tokens > 0;
  }

  /** The model FLOPs basis, or {@code null}. */
  public ModelFlops model() {
    return model;
  }

  /** The model's training FLOPs over the run, 6 × active parameters × tokens; {@code null} without a model. */
  public BigInteger modelFlops() {
    return model == null ? null : model.flops(tokens);
  }

  /** Model TFLOPS achieved per GPU over the run's GPU time, HALF_EVEN at {@code scale}; {@code null} unless {@link #hasMfu()}. */
  public BigDecimal achievedTflopsPerGpu(int scale) {
    return hasMfu() ? ModelFlops.achievedTflopsPerGpu(modelFlops(), Math.multiplyExact(gpuMillis, 1_000_000L), scale)
        : null;
  }

  /**
   * Model FLOPs utilization over the run (0..1): model FLOPs ÷ (GPU time × peak FLOPS per GPU), HALF_EVEN
   * at {@code scale}; {@code null} unless {@link #hasMfu()}. GPU time is all of it, idle time and
   * restarts included: the MFU that was paid for.
   */
  public BigDecimal mfu(int scale) {
    return hasMfu() ? model.mfu(modelFlops(), Math.multiplyExact(gpuMillis, 1_000_000L), scale) : null;
  }

  /**
   * The effective cost per useful GPU-hour from MFU: the GPU-hour rate ÷ MFU, exact; {@code null}
   * unless {@link #hasMfu()}. A GPU-hour at full MFU would do the work; this is what one such hour cost.
   */
  public Money effectiveCostPerUsefulGpuHourFromMfu() {
    if (!hasMfu()) {
      return null;
    }
    // rate / (flops / (gpuNanos × 1000 × peak)) = rate × gpuNanos × 1000 × peak / flops
    return gpuHourlyRate().times(model.peakFlopsTimesNanos(Math.multiplyExact(gpuMillis, 1_000_000L)))
        .dividedBy(new BigDecimal(modelFlops()));
  }

  /**
   * The utilization the headline effective cost uses: {@link UtilizationBasis#MFU} when known, else
   * the measured one ({@link #measuredUtilizationBasis()}), else {@link UtilizationBasis#NONE}.
   */
  public UtilizationBasis utilizationBasis() {
    return hasMfu() ? UtilizationBasis.MFU : measuredUtilizationBasis();
  }

  /** The effective cost per useful GPU-hour by {@link #utilizationBasis()}; {@code null} when it is NONE. */
  public Money effectiveCost() {
    return effectiveCost(utilizationBasis());
  }

  /** The effective cost per useful GPU-hour from {@code basis}; {@code null} when that utilization is unknown. */
  public Money effectiveCost(UtilizationBasis basis) {
    switch (basis) {
      case MFU:
        return effectiveCostPerUsefulGpuHourFromMfu();
      case NONE:
        return null;
      default:
        return basis == measuredUtilizationBasis() ? effectiveCostPerUsefulGpuHour() : null;
    }
  }

  /** The run's attempts: 1, plus one for each resume after an interruption (see {@code RunJournal}). */
  public int attempts() {
    return attempts.attempts;
  }

  /** Interruptions: attempts that ended without finishing the run and were resumed. */
  public int interruptions() {
    return attempts.attempts - 1;
  }

  /** Attempts that received an interruption notice from their cloud. */
  public int notices() {
    return attempts.notices;
  }

  /**
   * GPU time lost to interruptions, GPU-milliseconds: for each interrupted attempt, the GPU time after
   * the point the next attempt resumed from (its last checkpoint, usually). Included in {@link #gpuMillis()}.
   */
  public long lostGpuMillis() {
    return attempts.lostGpuMillis;
  }

  /** GPU time resumed attempts spent before their first step (boot, reload), GPU-milliseconds; included in {@link #gpuMillis()}. */
  public long restartGpuMillis() {
    return attempts.restartGpuMillis;
  }

  /** The part of {@link #cost()} spent on lost work, exact. */
  public Money lostWorkCost() {
    return attempts.lostWorkCost;
  }

  /** The part of {@link #cost()} spent restarting, exact. */
  public Money restartCost() {
    return attempts.restartCost;
  }

  /**
   * What the same work would have cost on demand, uninterrupted: the useful GPU time (less lost work
   * and restarts) at the on-demand rate of the same instance; {@code null} unless the run is on spot
   * capacity from the catalogs.
   */
  public Money onDemandCost() {
    return attempts.onDemandCost;
  }

  /** Spot against on-demand, net of lost work and restarts; {@code null} when {@link #onDemandCost()} is. */
  public SpotEconomics spotEconomics() {
    return attempts.onDemandCost == null ? null
        : SpotEconomics.of(cost, attempts.onDemandCost, attempts.lostWorkCost, attempts.restartCost);
  }

  @Override
  public String toString() {
    return "TrainingRunReport{" + runId + ", " + hardware + ", cost=" + cost + ", steps=" + steps + "}";
  }
}
