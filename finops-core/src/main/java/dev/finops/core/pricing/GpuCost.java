package dev.finops.core.pricing;

import dev.finops.core.Money;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * What GPU capacity really costs at a measured utilization: the billed amount, the part of it that
 * did useful work, the idle part, and the effective rate per useful hour. A $32/h instance used at
 * 40% for one hour is billed 32, of which 12.80 is useful and 19.20 idle, and costs 80 per useful
 * hour. All amounts are exact {@link Money}; the effective rates may not terminate and round only
 * when presented.
 */
public final class GpuCost {
  private final Money hourlyRate;
  private final int gpus;
  private final BigDecimal hours;
  private final BigDecimal utilization;
  private final Money billed;
  private final Money useful;
  private final Money idle;

  private GpuCost(Money hourlyRate, int gpus, BigDecimal hours, BigDecimal utilization) {
    this.hourlyRate = hourlyRate;
    this.gpus = gpus;
    this.hours = hours;
    this.utilization = utilization;
    this.billed = hourlyRate.times(hours);
    this.useful = billed.times(utilization);
    this.idle = billed.minus(useful);
  }

  /**
   * @param hourlyRate price per hour of the capacity (an instance, or a share of one)
   * @param gpus how many GPUs the rate pays for (for the per-GPU rate); at least 1
   * @param hours billed hours, non-negative
   * @param utilization measured useful fraction in [0, 1] (0.4 for 40%)
   */
  public static GpuCost of(Money hourlyRate, int gpus, BigDecimal hours, BigDecimal utilization) {
    Objects.requireNonNull(hourlyRate, "hourlyRate");
    Objects.requireNonNull(hours, "hours");
    Objects.requireNonNull(utilization, "utilization");
    if (hourlyRate.signum() < 0) {
      throw new IllegalArgumentException("hourly rate must not be negative: " + hourlyRate);
    }
    if (gpus < 1) {
      throw new IllegalArgumentException("gpus must be at least 1: " + gpus);
    }
    if (hours.signum() < 0) {
      throw new IllegalArgumentException("hours must not be negative: " + hours.toPlainString());
    }
    if (utilization.signum() < 0 || utilization.compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException("utilization must be between 0 and 1: " + utilization.toPlainString());
    }
    return new GpuCost(hourlyRate, gpus, hours, utilization);
  }

  public Money hourlyRate() {
    return hourlyRate;
  }

  public int gpus() {
    return gpus;
  }

  public BigDecimal hours() {
    return hours;
  }

  public BigDecimal utilization() {
    return utilization;
  }

  /** Rate × hours. */
  public Money billed() {
    return billed;
  }

  /** Billed × utilization: the part that did useful work. */
  public Money usefulCost() {
    return useful;
  }

  /** Billed − useful: paid for while the GPUs idled. */
  public Money idleCost() {
    return idle;
  }

  /** True if some of the time was useful, so the effective rates exist. */
  public boolean hasEffectiveRate() {
    return utilization.signum() > 0;
  }

  /**
   * Billed ÷ useful hours = rate ÷ utilization: what one useful hour of the capacity costs.
   *
   * @throws ArithmeticException at zero utilization (no useful hour to divide by)
   */
  public Money effectiveHourlyRate() {
    return hourlyRate.dividedBy(utilization);
  }

  /** {@link #effectiveHourlyRate()} per GPU: what one useful GPU-hour costs. */
  public Money effectiveGpuHourlyRate() {
    return effectiveHourlyRate().dividedBy(gpus);
  }
}
