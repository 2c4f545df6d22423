package dev.finops.core.spot;

import dev.finops.core.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;

/**
 * The expected cost of a planned run on spot capacity, against on-demand, from an interruption rate,
 * a checkpoint interval and a restart overhead. A closed-form, first-order model:
 *
 * <ul>
 *   <li>{@code W}: the run's work in hours of uninterrupted running on the capacity the rates price;
 *   <li>{@code λ}: interruptions per hour of running on spot (a Poisson rate);
 *   <li>{@code c}: the checkpoint interval; an interruption lands, on average, half an interval after
 *       the last checkpoint, so it loses {@code c/2} of work;
 *   <li>{@code r}: the restart overhead per interruption (new capacity, boot, reload);
 *   <li>{@code k = c/2 + r}: the expected time an interruption costs.
 * </ul>
 *
 * Redone work and restarts are themselves exposed to interruptions, so the expected running time
 * {@code T} satisfies {@code T = W + λ·T·k}, that is {@code T = W / (1 − λ·k)} (the sum of the series
 * {@code W·(1 + λk + (λk)² + …)}), defined when {@code λ·k < 1}. Then:
 *
 * <pre>
 * expected interruptions   n = λ·T
 * expected spot cost         = s·T = s·W + s·n·c/2 + s·n·r     (useful work + lost work + restarts)
 * on-demand cost             = d·W
 * net savings                = d·W − s·T
 * break-even rate         λ* = (1 − s/d) / k                   (spot saves while λ &lt; λ*)
 * </pre>
 *
 * with {@code s} and {@code d} the spot and on-demand rates per hour. It ignores the time to write a
 * checkpoint, AWS's two-minute notice (an emergency checkpoint would cut the lost work) and spot
 * price changes. Amounts are exact {@link Money} (the division by {@code 1 − λk} is kept as an exact
 * fraction); hours and counts are rounded only when asked for. Immutable.
 *
 * <pre>{@code
 * SpotPlan plan = SpotPlan.builder().spotRate(Money.usd("10")).onDemandRate(Money.usd("30"))
 *     .workHours(new BigDecimal("100")).interruptionsPerHour(new BigDecimal("0.25"))
 *     .checkpointInterval(Duration.ofHours(1)).restartOverhead(Duration.ofMinutes(18)).build();
 * plan.spotCost();     // 1250: 125 expected hours
 * plan.netSavings();   // 1750 against 3000 on demand
 * }</pre>
 */
public final class SpotPlan {

  private static final BigDecimal MILLIS_PER_HOUR = BigDecimal.valueOf(3_600_000L);

  private final Money spotRate;
  private final Money onDemandRate;
  private final BigDecimal workHours;
  private final BigDecimal rate;
  private final BigDecimal halfIntervalMillis;
  private final BigDecimal restartMillis;
  private final BigDecimal denominator; // 3,600,000 − λ·k in ms: T = W · 3,600,000 / denominator

  private SpotPlan(Builder b) {
    this.spotRate = Objects.requireNonNull(b.spotRate, "spot rate");
    this.onDemandRate = Objects.requireNonNull(b.onDemandRate, "on-demand rate");
    this.workHours = Objects.requireNonNull(b.workHours, "work hours");
    this.rate = b.rate;
    this.halfIntervalMillis = BigDecimal.valueOf(b.checkpointInterval.toMillis()).divide(BigDecimal.valueOf(2));
    this.restartMillis = BigDecimal.valueOf(b.restartOverhead.toMillis());
    spotRate.minus(onDemandRate); // same currency, or throws
    this.denominator = MILLIS_PER_HOUR.subtract(rate.multiply(halfIntervalMillis.add(restartMillis)));
    if (denominator.signum() <= 0) {
      throw new IllegalArgumentException("at " + rate.toPlainString() + " interruptions per hour, each costing "
          + hours(halfIntervalMillis.add(restartMillis)) + " h (half a checkpoint interval plus the restart), "
          + "the run would never finish on spot: interruptions per hour × hours per interruption must stay below 1");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Expected running time on spot, {@code W / (1 − λk)} hours, HALF_EVEN at {@code scale}. */
  public BigDecimal expectedHours(int scale) {
    return workHours.multiply(MILLIS_PER_HOUR).divide(denominator, scale, RoundingMode.HALF_EVEN);
  }

  /** Expected interruptions, {@code λ·T}, HALF_EVEN at {@code scale}. */
  public BigDecimal expectedInterruptions(int scale) {
    return rate.multiply(workHours).multiply(MILLIS_PER_HOUR).divide(denominator, scale, RoundingMode.HALF_EVEN);
  }

  /** Expected cost on spot, {@code s·T}, exact. */
  public Money spotCost() {
    return spotRate.times(workHours).times(MILLIS_PER_HOUR).dividedBy(denominator);
  }

  /** The part of {@link #spotCost()} expected to go to lost work, {@code s·n·c/2}, exact. */
  public Money lostWorkCost() {
    return spotRate.times(rate).times(workHours).times(halfIntervalMillis).dividedBy(denominator);
  }

  /** The part of {@link #spotCost()} expected to go to restarts, {@code s·n·r}, exact. */
  public Money restartCost() {
    return spotRate.times(rate).times(workHours).times(restartMillis).dividedBy(denominator);
  }

  /** The same work on demand, uninterrupted, {@code d·W}, exact. */
  public Money onDemandCost() {
    return onDemandRate.times(workHours);
  }

  /** Expected savings of spot against on-demand, net of lost work and restarts (negative: spot costs more). */
  public Money netSavings() {
    return onDemandCost().minus(spotCost());
  }

  /** The expected figures as {@link SpotEconomics}. */
  public SpotEconomics economics() {
    return SpotEconomics.of(spotCost(), onDemandCost(), lostWorkCost(), restartCost());
  }

  /**
   * The interruption rate per hour at which spot stops saving, {@code (1 − s/d) / k}, HALF_EVEN at
   * {@code scale}; zero or less when spot never saves, {@code null} when interruptions cost nothing
   * ({@code k = 0}) or the on-demand rate is zero.
   */
  public BigDecimal breakEvenInterruptionsPerHour(int scale) {
    BigDecimal k = halfIntervalMillis.add(restartMillis);
    if (k.signum() == 0 || onDemandRate.isZero()) {
      return null;
    }
    // λ* = (d − s) · 3,600,000 / (d · k_ms)
    return onDemandRate.minus(spotRate).times(MILLIS_PER_HOUR).ratio(onDemandRate.times(k), scale);
  }

  private static String hours(BigDecimal millis) {
    return Money.plain(millis.divide(MILLIS_PER_HOUR, 4, RoundingMode.HALF_EVEN));
  }

  @Override
  public String toString() {
    return "SpotPlan{" + Money.plain(workHours) + " h, " + rate.toPlainString() + "/h interruptions, spot "
        + spotCost() + " vs on-demand " + onDemandCost() + "}";
  }

  /** Configures a {@link SpotPlan}. */
  public static final class Builder {
    private Money spotRate;
    private Money onDemandRate;
    private BigDecimal workHours;
    private BigDecimal rate = BigDecimal.ZERO;
    private Duration checkpointInterval = Duration.ZERO;
    private Duration restartOverhead = Duration.ZERO;

    private Builder() {}

    /** The spot price per hour of the capacity (an instance, or per GPU with work in GPU-hours). */
    public Builder spotRate(Money perHour) {
      this.spotRate = nonNegative("spot rate", perHour);
      return this;
    }

    /** The on-demand price per hour of the same capacity, e.g. from {@code Pricing.gpuKey(..., ON_DEMAND, ...)}. */
    public Builder onDemandRate(Money perHour) {
      this.onDemandRate = nonNegative("on-demand rate", perHour);
      return this;
    }

    /** The run's work: hours of uninterrupted running. */
    public Builder workHours(BigDecimal hours) {
      this.workHours = nonNegative("work hours", hours);
      return this;
    }

    /** Expected interruptions per hour of running on spot (default 0). */
    public Builder interruptionsPerHour(BigDecimal perHour) {
      this.rate = nonNegative("interruptions per hour", perHour);
      return this;
    }

    /** Time between checkpoints (default 0: nothing is lost but the restart). */
    public Builder checkpointInterval(Duration interval) {
      this.checkpointInterval = nonNegative("checkpoint interval", interval);
      return this;
    }

    /** Time from an interruption's end of work to the next attempt's first step, billed (default 0). */
    public Builder restartOverhead(Duration overhead) {
      this.restartOverhead = nonNegative("restart overhead", overhead);
      return this;
    }

    private static Money nonNegative(String what, Money m) {
      if (Objects.requireNonNull(m, what).signum() < 0) {
        throw new IllegalArgumentException(what + " must not be negative: " + m);
      }
      return m;
    }

    private static BigDecimal nonNegative(String what, BigDecimal v) {
      if (Objects.requireNonNull(v, what).signum() < 0) {
        throw new IllegalArgumentException(what + " must not be negative: " + v.toPlainString());
      }
      return v;
    }

    private static Duration nonNegative(String what, Duration d) {
      if (Objects.requireNonNull(d, what).isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative: " + d);
      }
      return d;
    }

    /**
     * @throws IllegalArgumentException if a rate or the work is missing, the currencies differ, or
     *     {@code λ·k ≥ 1} (the run would never finish)
     */
    public SpotPlan build() {
      return new SpotPlan(this);
    }
  }
}
