package dev.finops.core.journal;

import dev.finops.core.pricing.PriceKey;
import dev.finops.core.spot.InterruptionNotice;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * One record of a training run's journal: what happened ({@link #type()}, {@link #event()}), when,
 * the run's cumulative {@link RunTotals} after it, and the current attempt's own figures and prices.
 * Because every record carries the totals, the latest valid record alone restores a run, and a record
 * lost to corruption loses only its own detail. Immutable.
 *
 * <p>Records of type {@link RecordType#ATTEMPT_STARTED} also carry the hardware, the exact price key
 * (to put a resumed run's earlier GPU time back into a new process's ledger), the resume point and
 * the lost work of the previous attempt; {@link RecordType#INTERRUPTION} records carry the notice.
 */
public final class RunRecord {

  private final RecordId id;
  private final RecordType type;
  private final String event;
  private final long timeMillis;
  private final RunTotals totals;
  private final long attemptGpuMillis;
  private final long attemptRestartGpuMillis;
  private final BigDecimal rate;
  private final Currency currency;
  private final BigDecimal onDemandRate;
  private final String hardware;
  private final int gpus;
  private final PriceKey priceKey;
  private final String resumePoint;
  private final long previousLostGpuMillis;
  private final InterruptionNotice notice;

  private RunRecord(Builder b, RecordId id) {
    this.id = id;
    this.type = b.type;
    this.event = b.event;
    this.timeMillis = b.timeMillis;
    this.totals = b.totals;
    this.attemptGpuMillis = b.attemptGpuMillis;
    this.attemptRestartGpuMillis = b.attemptRestartGpuMillis;
    this.rate = b.rate;
    this.currency = b.currency;
    this.onDemandRate = b.onDemandRate;
    this.hardware = b.hardware;
    this.gpus = b.gpus;
    this.priceKey = b.priceKey;
    this.resumePoint = b.resumePoint;
    this.previousLostGpuMillis = b.previousLostGpuMillis;
    this.notice = b.notice;
  }

  /**
   * Starts a record of attempt {@code attempt} (1 for the first).
   *
   * @param rate the attempt's price per GPU-hour
   */
  public static Builder builder(RecordType type, int attempt, BigDecimal rate, Currency currency) {
    return new Builder(type, attempt, rate, currency);
  }

  /** {@code run/attempt/sequence}. */
  public RecordId id() {
    return id;
  }

  public RecordType type() {
    return type;
  }

  /** What triggered the record: {@code step}, {@code epoch}, {@code checkpoint}, {@code utilization}, ... */
  public String event() {
    return event;
  }

  /** Wall time of the record, epoch milliseconds. */
  public long timeMillis() {
    return timeMillis;
  }

  /** The run's cumulative totals after this record. */
  public RunTotals totals() {
    return totals;
  }

  /** GPU time of this attempt so far, GPU-milliseconds. */
  public long attemptGpuMillis() {
    return attemptGpuMillis;
  }

  /** GPU time this (resumed) attempt spent before its first step: the restart overhead. */
  public long attemptRestartGpuMillis() {
    return attemptRestartGpuMillis;
  }

  /** The attempt's price per GPU-hour. */
  public BigDecimal rate() {
    return rate;
  }

  public Currency currency() {
    return currency;
  }

  /** The on-demand price per GPU-hour of the attempt's hardware, or {@code null} when not known. */
  public BigDecimal onDemandRate() {
    return onDemandRate;
  }

  /** The attempt's hardware ({@code "1 x p4d.24xlarge (spot)"}); attempt-start records only. */
  public String hardware() {
    return hardware;
  }

  /** The attempt's GPUs; 0 when not an attempt-start record. */
  public int gpus() {
    return gpus;
  }

  /** The exact price key of the attempt's GPU time; attempt-start records only, otherwise {@code null}. */
  public PriceKey priceKey() {
    return priceKey;
  }

  /** Where the attempt resumed from ({@code last_checkpoint}, {@code last_step}); attempt-start records only. */
  public String resumePoint() {
    return resumePoint;
  }

  /** GPU time the previous attempt lost to its interruption; attempt-start records only. */
  public long previousLostGpuMillis() {
    return previousLostGpuMillis;
  }

  /** The notice, for interruption records; otherwise {@code null}. */
  public InterruptionNotice notice() {
    return notice;
  }

  @Override
  public String toString() {
    return "RunRecord{" + id + " " + type.jsonName() + " " + event + ", " + totals + "}";
  }

  /** Builds a {@link RunRecord}; {@link RunJournal#append} assigns its sequence number. Not thread-safe. */
  public static final class Builder {
    private final RecordType type;
    private final int attempt;
    private final BigDecimal rate;
    private final Currency currency;
    private String event;
    private long timeMillis;
    private RunTotals totals = RunTotals.ZERO;
    private long attemptGpuMillis;
    private long attemptRestartGpuMillis;
    private BigDecimal onDemandRate;
    private String hardware;
    private int gpus;
    private PriceKey priceKey;
    private String resumePoint;
    private long previousLostGpuMillis;
    private InterruptionNotice notice;

    private Builder(RecordType type, int attempt, BigDecimal rate, Currency currency) {
      this.type = Objects.requireNonNull(type, "type");
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
      }
      this.attempt = attempt;
      this.rate = Objects.requireNonNull(rate, "rate");
      this.currency = Objects.requireNonNull(currency, "currency");
      this.event = type.jsonName();
    }

    public Builder event(String event) {
      this.event = Objects.requireNonNull(event, "event");
      return this;
    }

    public Builder time(long epochMillis) {
      this.timeMillis = epochMillis;
      return this;
    }

    public Builder totals(RunTotals totals) {
      this.totals = Objects.requireNonNull(totals, "totals");
      return this;
    }

    /** This attempt's GPU time so far and the part of it that was restart overhead. */
    public Builder attemptGpuMillis(long gpuMillis, long restartGpuMillis) {
      this.attemptGpuMillis = gpuMillis;
      this.attemptRestartGpuMillis = restartGpuMillis;
      return this;
    }

    public Builder onDemandRate(BigDecimal rate) {
      this.onDemandRate = rate;
      return this;
    }

    /** For attempt-start records: the hardware, its GPUs and the exact price key. */
    public Builder hardware(String hardware, int gpus, PriceKey priceKey) {
      this.hardware = hardware;
      this.gpus = gpus;
      this.priceKey = priceKey;
      return this;
    }

    /** For attempt-start records of a resumed run: where it resumed from, and what the last attempt lost. */
    public Builder resumed(String resumePoint, long previousLostGpuMillis) {
      this.resumePoint = resumePoint;
      this.previousLostGpuMillis = previousLostGpuMillis;
      return this;
    }

    public Builder notice(InterruptionNotice notice) {
      this.notice = notice;
      return this;
    }

    int attempt() {
      return attempt;
    }

    RunRecord build(String runId, long seq) {
      return new RunRecord(this, new RecordId(runId, attempt, seq));
    }
  }
}
