package dev.finops.core.training;

import dev.finops.core.Clock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.ledger.Account;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import java.util.Objects;

/**
 * A training (or fine-tuning) run as a cost object: open it with its hardware, record steps,
 * samples, tokens, epochs and checkpoints as they happen, feed it measured GPU utilization when you
 * have it, and close it (try-with-resources). GPU time is wall time × GPUs, recorded into the ledger
 * under the run's tags as it accrues, so the run's cost is visible in real time; {@link #report()}
 * gives cost per step, per epoch, per 1M tokens, samples per second per dollar, idle cost and the
 * effective cost per useful GPU-hour.
 *
 * <pre>{@code
 * try (TrainingRun run = TrainingRun.builder(pricing, ledger)
 *     .runId("ft-42").tags(Tags.builder().team("nlp").experiment("lr-sweep").build())
 *     .hardware(Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 1, PurchaseOption.SPOT))
 *     .start()) {
 *   for (...) { train(); run.step(batchSize, batchTokens); }
 * }
 * }</pre>
 *
 * <p>Thread-safe: methods synchronize on the run (they are called once per step, not per token).
 */
public final class TrainingRun implements AutoCloseable {

  private final String runId;
  private final Tags tags;
  private final Hardware hardware;
  private final Clock clock;
  private final PriceKey key;
  private final int gpus;
  private final Account account;

  private final long startWall;
  private long lastAccrualNanos;
  private final long startNanos;
  private long gpuMillis;
  private long carryNanos; // sub-millisecond remainder of GPU time, so accrual loses nothing
  private long steps;
  private long samples;
  private long tokens;
  private long epochs;
  private long checkpoints;
  private boolean closed;
  private long endWall;
  private final UtilizationSeries utilization = new UtilizationSeries();

  private TrainingRun(Builder b) {
    this.runId = b.runId;
    this.tags = b.tags.toBuilder().run(b.runId).build();
    this.hardware = b.hardware;
    this.clock = b.ledger.clock();
    this.startWall = clock.wallTimeMillis();
    this.startNanos = clock.monotonicNanos();
    this.lastAccrualNanos = startNanos;
    this.key = b.hardware.priceKey(b.pricing, startWall);
    this.gpus = b.hardware.gpus(b.pricing, startWall);
    this.account = b.ledger.account(tags);
  }

  /** Starts configuring a run that prices GPU time with {@code pricing} and records into {@code ledger}. */
  public static Builder builder(Pricing pricing, Ledger ledger) {
    return new Builder(pricing, ledger);
  }

  public String runId() {
    return runId;
  }

  /** The run's tags, {@code run=<id>} included. */
  public Tags tags() {
    return tags;
  }

  public Hardware hardware() {
    return hardware;
  }

  public int gpus() {
    return gpus;
  }

  /** The price key the run's GPU time is recorded under. */
  public PriceKey priceKey() {
    return key;
  }

  /** Records one optimizer step over {@code stepSamples} samples and {@code stepTokens} tokens. */
  public synchronized void step(long stepSamples, long stepTokens) {
    nonNegative("samples", stepSamples);
    nonNegative("tokens", stepTokens);
    accrue();
    steps++;
    samples += stepSamples;
    tokens += stepTokens;
  }

  /** Marks the end of an epoch. */
  public synchronized void epoch() {
    accrue();
    epochs++;
  }

  /** Marks a checkpoint written. */
  public synchronized void checkpoint() {
    accrue();
    checkpoints++;
  }

  /**
   * A measured utilization of the run's GPUs (their mean) at a time, in hundredths of a percent
   * (4000 = 40%). The value holds until the next sample. Feed it from the NVML sampler or any
   * monitor; without samples the report has no measured figures. Each sample also books the GPU
   * time accrued so far into the ledger, so the run's cost stays current between steps.
   *
   * @throws IllegalStateException if the run is closed
   */
  public synchronized void utilization(long epochMillis, int basisPoints) {
    if (closed) {
      throw new IllegalStateException("training run " + runId + " is closed");
    }
    if (basisPoints < 0 || basisPoints > 10_000) {
      throw new IllegalArgumentException("utilization must be 0..10000 basis points, got " + basisPoints);
    }
    utilization.add(Math.max(epochMillis, startWall), basisPoints);
    accrue(); // a sampler feeding the run keeps its cost current between steps
  }

  /** Books the GPU time since the last accrual into the ledger. */
  private void accrue() {
    if (closed) {
      throw new IllegalStateException("training run " + runId + " is closed");
    }
    long now = clock.monotonicNanos();
    long elapsed = now - lastAccrualNanos + carryNanos;
    if (elapsed <= 0) {
      return;
    }
    lastAccrualNanos = now;
    long ms = elapsed / 1_000_000L;
    carryNanos = elapsed % 1_000_000L;
    if (ms > 0) {
      long gpuMs = Math.multiplyExact(ms, (long) gpus);
      gpuMillis += gpuMs;
      account.record(key, UsageBucket.GPU_TIME, gpuMs, clock.wallTimeMillis());
    }
  }

  /** Books the remaining GPU time and ends the run. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    accrue();
    endWall = clock.wallTimeMillis();
    closed = true;
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  /** The run's figures so far (GPU time accrued up to now). */
  public synchronized TrainingRunReport report() {
    if (!closed) {
      accrue();
    }
    long end = closed ? endWall : clock.wallTimeMillis();
    Money cost = key.cost(gpuQuantities());
    return new TrainingRunReport(runId, tags, hardware.toString(), gpus, key, startWall, end, gpuMillis, cost, steps,
        epochs, samples, tokens, checkpoints, utilization.weightedSum(end), utilization.coveredMillis(end));
  }

  private long[] gpuQuantities() {
    long[] q = new long[UsageBucket.COUNT];
    q[UsageBucket.GPU_TIME.ordinal()] = gpuMillis;
    return q;
  }

  private static void nonNegative(String field, long v) {
    if (v < 0) {
      throw new IllegalArgumentException(field + " must not be negative: " + v);
    }
  }

  @Override
  public String toString() {
    return "TrainingRun{" + runId + ", " + hardware + "}";
  }

  /** Configures a {@link TrainingRun}. */
  public static final class Builder {
    private final Pricing pricing;
    private final Ledger ledger;
    private String runId;
    private Tags tags = Tags.EMPTY;
    private Hardware hardware;

    private Builder(Pricing pricing, Ledger ledger) {
      this.pricing = Objects.requireNonNull(pricing, "pricing");
      this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    public Builder runId(String runId) {
      this.runId = Objects.requireNonNull(runId, "runId");
      return this;
    }

    /** Attribution (team, experiment, model, ...); {@code run} is set from the run id. */
    public Builder tags(Tags tags) {
      this.tags = Objects.requireNonNull(tags, "tags");
      return this;
    }

    public Builder hardware(Hardware hardware) {
      this.hardware = Objects.requireNonNull(hardware, "hardware");
      return this;
    }

    /**
     * Starts the run: GPU time accrues from now.
     *
     * @throws IllegalStateException if the run id or hardware is missing
     * @throws dev.finops.core.pricing.PricingException if the hardware has no price
     */
    public TrainingRun start() {
      if (runId == null || runId.isBlank()) {
        throw new IllegalStateException("a training run needs a runId");
      }
      if (hardware == null) {
        throw new IllegalStateException("training run " + runId + " needs hardware");
      }
      return new TrainingRun(this);
    }
  }
}
