package dev.finops.core.journal;

import dev.finops.core.Money;
import dev.finops.core.internal.Decimals;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.spot.InterruptionNotice;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Objects;

/**
 * One attempt of a training run, as its journal records it: when it ran, on what, at what price,
 * its GPU time, the part of it spent restarting (a resumed attempt's GPU time before its first step)
 * and the part lost to its interruption (GPU time after the point the next attempt resumed from).
 * Immutable.
 */
public final class AttemptSummary {

  /** How an attempt ended, as far as the journal knows. */
  public enum Outcome {
    /** No end record: still running, or killed (a crash, a preemption without a clean stop). */
    OPEN,
    /** Ended on purpose with {@code TrainingRun.suspend()}; the run can resume. */
    SUSPENDED,
    /** The run finished in this attempt. */
    CLOSED
  }

  private static final long MILLIS_PER_HOUR = 3_600_000L;

  private final int number;
  private final long startMillis;
  private final long lastMillis;
  private final String hardware;
  private final int gpus;
  private final PriceKey priceKey;
  private final BigDecimal rate;
  private final Currency currency;
  private final BigDecimal onDemandRate;
  private final long gpuMillis;
  private final long restartGpuMillis;
  private final long lostGpuMillis;
  private final InterruptionNotice notice;
  private final Outcome outcome;

  AttemptSummary(int number, long startMillis, long lastMillis, String hardware, int gpus, PriceKey priceKey,
      BigDecimal rate, Currency currency, BigDecimal onDemandRate, long gpuMillis, long restartGpuMillis,
      long lostGpuMillis, InterruptionNotice notice, Outcome outcome) {
    this.number = number;
    this.startMillis = startMillis;
    this.lastMillis = lastMillis;
    this.hardware = hardware;
    this.gpus = gpus;
    this.priceKey = priceKey;
    this.rate = rate;
    this.currency = currency;
    this.onDemandRate = onDemandRate;
    this.gpuMillis = gpuMillis;
    this.restartGpuMillis = restartGpuMillis;
    this.lostGpuMillis = lostGpuMillis;
    this.notice = notice;
    this.outcome = outcome;
  }

  /** 1 for the first attempt. */
  public int number() {
    return number;
  }

  public Instant start() {
    return Instant.ofEpochMilli(startMillis);
  }

  /** The time of the attempt's last record. */
  public Instant last() {
    return Instant.ofEpochMilli(lastMillis);
  }

  /** The hardware, or {@code null} when the attempt's start record was lost. */
  public String hardware() {
    return hardware;
  }

  /** The attempt's GPUs, 0 when the attempt's start record was lost. */
  public int gpus() {
    return gpus;
  }

  /** The exact price key, or {@code null} when the attempt's start record was lost. */
  public PriceKey priceKey() {
    return priceKey;
  }

  /** Price per GPU-hour. */
  public BigDecimal rate() {
    return rate;
  }

  public Currency currency() {
    return currency;
  }

  /** The on-demand price per GPU-hour of the same hardware, or {@code null} when not known. */
  public BigDecimal onDemandRate() {
    return onDemandRate;
  }

  /** GPU time, GPU-milliseconds. */
  public long gpuMillis() {
    return gpuMillis;
  }

  /** GPU time before the attempt's first step, for resumed attempts (restart overhead). */
  public long restartGpuMillis() {
    return restartGpuMillis;
  }

  /** GPU time lost to the interruption that ended the attempt (redone by the next attempt). */
  public long lostGpuMillis() {
    return lostGpuMillis;
  }

  /** GPU time that moved the run forward: all of it less restart overhead and lost work. */
  public long usefulGpuMillis() {
    return gpuMillis - restartGpuMillis - lostGpuMillis;
  }

  /** The interruption notice the attempt received, or {@code null}. */
  public InterruptionNotice notice() {
    return notice;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** The attempt's cost: GPU time at its rate, exact. */
  public Money cost() {
    return at(rate, gpuMillis);
  }

  /** What the lost work cost, exact. */
  public Money lostWorkCost() {
    return at(rate, lostGpuMillis);
  }

  /** What the restart overhead cost, exact. */
  public Money restartCost() {
    return at(rate, restartGpuMillis);
  }

  /** The useful GPU time at the on-demand rate, or {@code null} when that rate is not known. */
  public Money onDemandCost() {
    return onDemandRate == null ? null : at(onDemandRate, usefulGpuMillis());
  }

  private Money at(BigDecimal perHour, long millis) {
    return Money.ofFraction(perHour.multiply(BigDecimal.valueOf(millis)), MILLIS_PER_HOUR, currency);
  }

  AttemptSummary withLost(long lost) {
    return new AttemptSummary(number, startMillis, lastMillis, hardware, gpus, priceKey, rate, currency, onDemandRate,
        gpuMillis, restartGpuMillis, lost, notice, outcome);
  }

  /** This attempt updated by a later record of it. */
  AttemptSummary with(RunRecord r) {
    boolean start = r.type() == RecordType.ATTEMPT_STARTED;
    Outcome o = r.type() == RecordType.RUN_CLOSED ? Outcome.CLOSED
        : r.type() == RecordType.ATTEMPT_SUSPENDED ? Outcome.SUSPENDED : outcome;
    return new AttemptSummary(number, start ? r.timeMillis() : startMillis, r.timeMillis(),
        start ? r.hardware() : hardware, start ? r.gpus() : gpus, start ? r.priceKey() : priceKey, r.rate(),
        r.currency(), r.onDemandRate(), r.attemptGpuMillis(), r.attemptRestartGpuMillis(), lostGpuMillis,
        r.notice() != null ? r.notice() : notice, o);
  }

  /** The attempt as its first surviving record describes it. */
  static AttemptSummary of(RunRecord r) {
    return new AttemptSummary(r.id().attempt(), r.timeMillis(), r.timeMillis(), null, 0, null, r.rate(), r.currency(),
        r.onDemandRate(), 0, 0, 0, null, Outcome.OPEN).with(r);
  }

  @Override
  public String toString() {
    return "Attempt{" + number + ", " + hardware + ", gpu_ms=" + gpuMillis + ", lost=" + lostGpuMillis + ", restart="
        + restartGpuMillis + ", " + outcome + "}";
  }

  /** Equal when every component is equal (rates as numbers: 32 equals 32.00). */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof AttemptSummary)) {
      return false;
    }
    AttemptSummary o = (AttemptSummary) other;
    return number == o.number
        && startMillis == o.startMillis
        && lastMillis == o.lastMillis
        && Objects.equals(hardware, o.hardware)
        && gpus == o.gpus
        && Objects.equals(priceKey, o.priceKey)
        && Decimals.sameValue(rate, o.rate)
        && Objects.equals(currency, o.currency)
        && Decimals.sameValue(onDemandRate, o.onDemandRate)
        && gpuMillis == o.gpuMillis
        && restartGpuMillis == o.restartGpuMillis
        && lostGpuMillis == o.lostGpuMillis
        && Objects.equals(notice, o.notice)
        && Objects.equals(outcome, o.outcome);
  }

  @Override
  public int hashCode() {
    return Objects.hash(number, startMillis, lastMillis, hardware, gpus, priceKey, Decimals.valueHash(rate),
        currency, Decimals.valueHash(onDemandRate), gpuMillis, restartGpuMillis, lostGpuMillis, notice,
        outcome);
  }
}
