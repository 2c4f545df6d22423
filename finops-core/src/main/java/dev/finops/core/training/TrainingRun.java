package dev.finops.core.training;

import dev.finops.core.Clock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.journal.RecordType;
import dev.finops.core.journal.RunJournal;
import dev.finops.core.journal.RunTotals;
import dev.finops.core.ledger.Account;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.PricingException;
import dev.finops.core.spot.InterruptionListener;
import dev.finops.core.spot.InterruptionNotice;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

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
 * <p>Spot capacity and preemptions: give the run a {@link RunJournal} ({@link Builder#journal}) and
 * every step, epoch, checkpoint and utilization sample is journaled durably before the call returns.
 * Started again with the same run id after a crash, a {@code kill -9} or a preemption, the run
 * resumes: it continues the same totals (steps, samples, tokens, epochs, checkpoints, GPU time,
 * cost), counts the attempt and the interruption, and measures the GPU time the interruption lost
 * (after the {@link ResumePoint}) and the restart overhead (a resumed attempt's GPU time before its
 * first step). Cost is each attempt's GPU time at that attempt's rate. The ledger is in memory, per
 * process: a run resumed in a new process records the earlier attempts' GPU time into the new
 * process's ledger as one catch-up record (per price key) with the run's tags, so the ledger shows
 * the whole run's cost; resumed in the same process, nothing is recorded twice. Wire an {@link
 * dev.finops.core.spot.InterruptionWatcher} to {@link #interruptionListener} to make the bill
 * durable when the cloud gives notice. A run with a journal owns it: {@link #close()} and {@link
 * #suspend()} close it.
 *
 * <p>Thread-safe: methods synchronize on the run (they are called once per step, not per token).
 */
public final class TrainingRun implements AutoCloseable {

  private final String runId;
  private final Tags tags;
  private final Hardware hardware;
  private final Clock clock;
  private final Pricing pricing;
  private PriceKey key; // the price in force at the last accrual
  private long keyUntil; // wall time at which the key's price stops being in force (a dated change)
  private long gpuMillisAtKey; // the run's GPU time when the current key took over
  private Money earlierKeysCost; // this attempt's GPU time under keys before the current one, priced
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
  private final Runnable checkpointHook;
  private final AtomicReference<String> stopReason = new AtomicReference<>(); // requestStop, any thread
  private boolean stopped;
  private long endWall;
  private final UtilizationSeries utilization = new UtilizationSeries();
  private final AttemptLog attemptLog; // this attempt, the earlier ones, the journal
  private final ModelFlops model; // null: no MFU
  private long lastStepEndNanos; // the previous step's end, or the attempt's start
  private StepFigures lastStep;
  private UtilizationBasis measuredBasis = UtilizationBasis.NVML_KERNEL_TIME;

  private TrainingRun(Builder b) {
    this.runId = b.runId;
    this.tags = b.tags.toBuilder().run(b.runId).build();
    this.hardware = b.hardware;
    this.clock = b.ledger.clock();
    this.startWall = clock.wallTimeMillis();
    this.startNanos = clock.monotonicNanos();
    this.lastAccrualNanos = startNanos;
    this.pricing = b.pricing;
    this.key = b.hardware.priceKey(b.pricing, startWall);
    this.keyUntil = b.hardware.priceValidUntil(b.pricing, startWall);
    this.earlierKeysCost = Money.zero(key.currency());
    this.gpus = b.hardware.gpus(b.pricing, startWall);
    this.account = b.ledger.account(tags);
    this.attemptLog = AttemptLog.begin(b.journal, b.journalDirectory, b.resumePoint, b.pricing, b.ledger, account,
        runId, b.hardware, key, gpus, startWall);
    RunTotals restored = attemptLog.restored(); // zero unless resuming
    this.gpuMillis = restored.gpuMillis();
    this.gpuMillisAtKey = gpuMillis;
    this.steps = restored.steps();
    this.samples = restored.samples();
    this.tokens = restored.tokens();
    this.epochs = restored.epochs();
    this.checkpoints = restored.checkpoints();
    this.checkpointHook = b.checkpointHook;
    this.model = b.model;
    this.lastStepEndNanos = startNanos;
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

  /** The price key the run's GPU time is recorded under now (a dated price change replaces it). */
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
    long now = clock.monotonicNanos();
    if (model != null) {
      lastStep = new StepFigures(steps, stepTokens, now - lastStepEndNanos, gpus, model);
    }
    lastStepEndNanos = now;
    journal(RecordType.PROGRESS, "step", null);
    stopIfRequested();
  }

  /**
   * The last step's throughput (tokens, wall time, achieved TFLOPS per GPU, MFU), or {@code null}
   * before the first step or when the run has no {@link Builder#model model}.
   */
  public synchronized StepFigures lastStep() {
    return lastStep;
  }

  /** The model FLOPs basis of MFU, or {@code null} when none was given. */
  public ModelFlops model() {
    return model;
  }

  /**
   * Asks the run to stop at its next step boundary: a budget's TERMINATE action, a refused GPU lease, an
   * operator. Safe from any thread, and returns at once. The next {@link #step} records its step, runs
   * the checkpoint hook ({@link Builder#onCheckpoint}, counted as a checkpoint) and throws {@link
   * TrainingStoppedException}; every later {@code step} throws it again. The first reason is kept.
   */
  public void requestStop(String reason) {
    stopReason.compareAndSet(null, Objects.requireNonNull(reason, "reason"));
  }

  /** True once {@link #requestStop} was called; a training loop may poll it instead of waiting for the exception. */
  public boolean isStopRequested() {
    return stopReason.get() != null;
  }

  /** Why the run was asked to stop, or {@code null}. */
  public String stopReason() {
    return stopReason.get();
  }

  private void stopIfRequested() {
    String reason = stopReason.get();
    if (reason == null) {
      return;
    }
    if (!stopped) {
      stopped = true;
      if (checkpointHook != null) {
        checkpointHook.run();
      }
      checkpoints++;
      journal(RecordType.PROGRESS, "checkpoint", null);
    }
    throw new TrainingStoppedException(runId, reason);
  }

  /** Marks the end of an epoch. */
  public synchronized void epoch() {
    accrue();
    epochs++;
    journal(RecordType.PROGRESS, "epoch", null);
  }

  /** Marks a checkpoint written. */
  public synchronized void checkpoint() {
    accrue();
    checkpoints++;
    journal(RecordType.PROGRESS, "checkpoint", null);
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
    utilization(epochMillis, basisPoints, UtilizationBasis.NVML_KERNEL_TIME);
  }

  /**
   * As {@link #utilization(long, int)}, saying what the figure measures: {@link
   * UtilizationBasis#NVML_KERNEL_TIME} (NVML's time-based utilization) or {@link
   * UtilizationBasis#GPM_SM_ACTIVITY} (GPM's SM activity). The report names the basis of the latest
   * sample.
   *
   * @throws IllegalArgumentException if {@code basis} is not a measured one
   */
  public synchronized void utilization(long epochMillis, int basisPoints, UtilizationBasis basis) {
    Objects.requireNonNull(basis, "basis");
    if (basis != UtilizationBasis.NVML_KERNEL_TIME && basis != UtilizationBasis.GPM_SM_ACTIVITY) {
      throw new IllegalArgumentException("basis must be NVML_KERNEL_TIME or GPM_SM_ACTIVITY, got " + basis);
    }
    if (closed) {
      throw new IllegalStateException("training run " + runId + " is closed");
    }
    if (basisPoints < 0 || basisPoints > 10_000) {
      throw new IllegalArgumentException("utilization must be 0..10000 basis points, got " + basisPoints);
    }
    utilization.add(Math.max(epochMillis, startWall), basisPoints);
    measuredBasis = basis;
    accrue(); // a sampler feeding the run keeps its cost current between steps
    journal(RecordType.PROGRESS, "utilization", null);
  }

  /**
   * Books the GPU time since the last accrual into the ledger, each part at the price in force at its
   * time: a slice across a dated price change is split at the change, the part before it booked at the
   * old price (dated just before the change), the rest at the new one.
   */
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
      long wall = clock.wallTimeMillis();
      long sliceStart = wall - ms;
      while (keyUntil <= wall) {
        long before = Math.min(ms, Math.max(0, keyUntil - sliceStart));
        book(before, keyUntil - 1);
        ms -= before;
        sliceStart += before;
        nextPrice(keyUntil);
      }
      book(ms, wall);
    }
  }

  /** Books {@code ms} of wall time on the run's GPUs at the current key, dated {@code atMillis}. */
  private void book(long ms, long atMillis) {
    long gpuMs = Math.multiplyExact(ms, (long) gpus);
    if (gpuMs > 0) {
      gpuMillis += gpuMs;
      account.record(key, UsageBucket.GPU_TIME, gpuMs, atMillis);
    }
  }

  /**
   * Moves to the price in force from {@code changeMillis}. If the catalog has none then (a gap, or the
   * purchase option dropped), the run keeps its last price rather than fail mid-training.
   */
  private void nextPrice(long changeMillis) {
    try {
      PriceKey next = hardware.priceKey(pricing, changeMillis);
      keyUntil = hardware.priceValidUntil(pricing, changeMillis);
      earlierKeysCost = earlierKeysCost.plus(key.cost(UsageBucket.GPU_TIME, gpuMillis - gpuMillisAtKey));
      gpuMillisAtKey = gpuMillis;
      key = next;
    } catch (PricingException e) {
      keyUntil = Long.MAX_VALUE;
    }
  }

  /** Books the remaining GPU time and ends the run. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    accrue();
    journal(RecordType.RUN_CLOSED, "close", null);
    endWall = clock.wallTimeMillis();
    closed = true;
    attemptLog.end();
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
    // earlier attempts at their rates; this one at each price it ran under
    long underKey = attemptLog.restored().gpuMillis() + (gpuMillis - gpuMillisAtKey);
    Money cost = attemptLog.cost(key, underKey).plus(earlierKeysCost);
    RunTotals restored = attemptLog.restored();
    return new TrainingRunReport(runId, tags, hardware.toString(), gpus, key, attemptLog.firstStartMillis(), end,
        gpuMillis, cost, steps, epochs, samples, tokens, checkpoints,
        restored.utilWeighted() + utilization.weightedSum(end),
        restored.utilCoveredMillis() + utilization.coveredMillis(end), attemptLog.figures(gpuMillis), model,
        measuredBasis);
  }

  /** Which attempt of the run this is: 1, or more after resuming from a journal. */
  public int attempt() {
    return attemptLog.attempt();
  }

  /** The run's journal, or {@code null} when it has none. */
  public RunJournal journal() {
    return attemptLog.journal();
  }

  /**
   * An interruption notice arrived (the spot instance is being reclaimed): books the GPU time up to
   * now (the notice's time when called from the watcher), journals an interruption record and forces
   * the journal, so the bill is durable before the machine goes. The run carries on until the
   * process stops; call {@link #suspend()} to end the attempt cleanly.
   *
   * @throws IllegalStateException if the run is closed
   * @throws dev.finops.core.journal.JournalFailedException if the journal has failed
   */
  public synchronized void interrupted(InterruptionNotice notice) {
    Objects.requireNonNull(notice, "notice");
    accrue();
    attemptLog.noticed();
    journal(RecordType.INTERRUPTION, "notice", notice);
    attemptLog.force();
  }

  /**
   * The listener to give an {@link dev.finops.core.spot.InterruptionWatcher}: on a notice it closes
   * the current interval at the notice and forces the journal ({@link #interrupted}) first, so the
   * bill is durable even if the cloud's grace period (30 s on GCP) runs out, then runs {@code
   * checkpointHook} (an emergency checkpoint of the model; {@code null} for none) and, when the hook
   * returns, records the checkpoint ({@link #checkpoint()}, which moves the resume point) and forces
   * the journal again.
   */
  public InterruptionListener interruptionListener(Runnable checkpointHook) {
    return notice -> {
      interrupted(notice);
      if (checkpointHook != null) {
        checkpointHook.run();
        checkpoint();
        attemptLog.force();
      }
    };
  }

  /**
   * Ends this attempt without finishing the run (the process is about to stop): books the GPU time
   * so far, journals the suspension, writes a checkpoint of the totals and closes the journal. The run
   * resumes when it is started again with the same journal. A no-op without a journal other than
   * closing this object, as {@link #close()} does. Idempotent; no effect after {@link #close()}.
   */
  public synchronized void suspend() {
    if (closed) {
      return;
    }
    accrue();
    journal(RecordType.ATTEMPT_SUSPENDED, "suspend", null);
    endWall = clock.wallTimeMillis();
    closed = true;
    attemptLog.end();
  }

  /** Journals the run's totals after an event; a no-op without a journal. */
  private void journal(RecordType type, String event, InterruptionNotice notice) {
    long now = clock.wallTimeMillis();
    RunTotals restored = attemptLog.restored();
    attemptLog.journal(type, event, now, RunTotals.builder().gpuMillis(gpuMillis).steps(steps).samples(samples)
        .tokens(tokens).epochs(epochs).checkpoints(checkpoints)
        .utilization(restored.utilWeighted() + utilization.weightedSum(now),
            restored.utilCoveredMillis() + utilization.coveredMillis(now)), notice);
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
    private Runnable checkpointHook;
    private RunJournal journal;
    private Path journalDirectory;
    private ResumePoint resumePoint = ResumePoint.LAST_CHECKPOINT;
    private ModelFlops model;

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

    /**
     * Code that writes a checkpoint, run (and counted as a checkpoint) when the run stops at a step
     * boundary after {@link TrainingRun#requestStop}, before {@link TrainingStoppedException} is thrown.
     */
    public Builder onCheckpoint(Runnable hook) {
      this.checkpointHook = Objects.requireNonNull(hook, "hook");
      return this;
    }

    /**
     * The model's parameters and its GPUs' peak ({@link ModelFlops#dense}, {@link ModelFlops#moe}):
     * the run then reports achieved TFLOPS and MFU per step ({@link TrainingRun#lastStep()}) and over
     * the run, and the effective cost per useful GPU-hour from MFU.
     */
    public Builder model(ModelFlops model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    public Builder hardware(Hardware hardware) {
      this.hardware = Objects.requireNonNull(hardware, "hardware");
      return this;
    }

    /**
     * Journals the run durably in {@code journal} (which must be this run's) and resumes from it when
     * it already holds the run's records. The run owns the journal from then on and closes it.
     */
    public Builder journal(RunJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * Journals the run in {@code <directory>/<runId>/} (opened at {@link #start()}, forcing every
     * record) and resumes from it when it already holds the run's records.
     */
    public Builder journalDirectory(Path directory) {
      this.journalDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Where this run's work restarts from after an interruption (default {@link
     * ResumePoint#LAST_CHECKPOINT}); decides how much GPU time an interruption lost.
     */
    public Builder resumesFrom(ResumePoint point) {
      this.resumePoint = Objects.requireNonNull(point, "point");
      return this;
    }

    /**
     * Starts the run: GPU time accrues from now. With a journal that holds the run's records, this
     * resumes the run as its next attempt.
     *
     * @throws IllegalStateException if the run id or hardware is missing, or the journal holds
     *     another run or a closed one
     * @throws dev.finops.core.journal.JournalException if the journal cannot be opened or written
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
