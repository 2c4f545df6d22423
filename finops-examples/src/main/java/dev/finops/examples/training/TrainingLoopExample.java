package dev.finops.examples.training;

import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetEvent;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.budget.RunGuard;
import dev.finops.core.catalog.AcceleratorCatalog;
import dev.finops.core.catalog.AcceleratorFacts;
import dev.finops.core.gpu.GpuSelection;
import dev.finops.core.gpu.TrainingRunGpuFeed;
import dev.finops.core.journal.DurabilityMode;
import dev.finops.core.journal.RunJournal;
import dev.finops.core.journal.RunState;
import dev.finops.core.training.Hardware;
import dev.finops.core.training.ModelFlops;
import dev.finops.core.training.ResumePoint;
import dev.finops.core.training.TrainingRun;
import dev.finops.core.training.TrainingRunReport;
import dev.finops.core.training.TrainingStoppedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A fine-tuning loop whose cost is accounted for as it trains, guarded by a budget, and journaled so
 * that a restart resumes the same run without counting any of it twice.
 *
 * <ol>
 *   <li>The run rents 8 GPUs at $3.00 per GPU-hour ($24 an hour, $0.20 per 30-second step) and
 *       belongs to experiment {@code llama-ft-v4}, whose lifetime budget of $20 TERMINATEs its runs at
 *       60% ($12): the run stops at a step boundary, after its checkpoint hook, with most of the money
 *       still there. A {@link RunGuard} leases the GPU time from the budget in 10-minute slices.
 *   <li>Every step, checkpoint and utilization sample goes to a {@link RunJournal} on disk.
 *   <li>GPU utilization comes from NVIDIA NVML ({@code GpuSampler}) when the machine has a driver, and
 *       from clearly labelled simulated GPUs otherwise ({@link GpuReadings}); it does not change what
 *       the GPUs cost, only how much of that was useful.
 *   <li>The worker process dies after step 26 (simulated: its journal is closed and nothing more is
 *       written; its last model checkpoint was at step 20). Ten minutes later a new worker process
 *       (simulated in this JVM: its own clock, ledger and budget manager, nothing shared with the first
 *       but the journal directory) starts the run again from the same journal: attempt 2 resumes
 *       the totals, puts attempt 1's GPU time into the new ledger once, counts the 6 steps after the
 *       checkpoint as lost work and the checkpoint reload as restart overhead, and trains on until
 *       the budget stops it.
 * </ol>
 *
 * <p>Time is simulated (a {@link ManualClock}), so the example takes a second. Money is exact.
 *
 * <pre>
 * mvn -q -B -DskipTests package
 * java -cp "finops-examples/target/finops-examples-0.1.0-SNAPSHOT.jar:finops-examples/target/lib/*" \
 *     dev.finops.examples.training.TrainingLoopExample
 * </pre>
 */
public final class TrainingLoopExample {

  public static final String RUN_ID = "ft-llama-8b-0007";
  public static final Tags TAGS = Tags.builder().team("research").project("support-bot").experiment("llama-ft-v4")
      .model("llama-3.1-8b-ft").build();
  public static final int GPUS = 8;
  public static final Money GPU_HOURLY_RATE = Money.usd("3.00");
  public static final Duration STEP_TIME = Duration.ofSeconds(30);
  public static final int CHECKPOINT_EVERY_STEPS = 10;
  /** Attempt 1's worker dies right after this step. */
  public static final int CRASH_AFTER_STEP = 26;
  /** Between the crash and the new process: not billed, no GPUs are held. */
  public static final Duration DOWNTIME = Duration.ofMinutes(10);
  /** The new process holds its GPUs this long, reloading the checkpoint, before its first step. */
  public static final Duration RELOAD_TIME = Duration.ofMinutes(2);
  public static final Money EXPERIMENT_LIMIT = Money.usd("20");
  public static final String TERMINATE_AT = "0.6";
  public static final Duration LEASE_SLICE = Duration.ofMinutes(10);
  /** The steps the loop would take if nothing stopped it. */
  public static final int PLANNED_STEPS = 400;
  static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  /** The model being fine-tuned: 8B parameters, on H100 SXM GPUs at their BF16 dense peak (for MFU). */
  public static final ModelFlops MODEL = ModelFlops.dense(8_000_000_000L,
      AcceleratorCatalog.builtIn().get("h100-sxm"), AcceleratorFacts.Precision.BF16);

  private static final int BATCH_SAMPLES = 64;
  private static final long SEQUENCE_TOKENS = 4_096;

  /**
   * What the example did. {@code report} is attempt 2's report of the whole run; {@code ledgerCost}
   * the second process's ledger total for the run; {@code journalState} the journal read cold.
   */
  public record Result(TrainingRunReport report, Money ledgerCost, long ledgerRecords, RunState journalState,
      BudgetStatus budget, String stopReason, int lastStep, boolean simulatedGpus, List<String> budgetEvents) {}

  private TrainingLoopExample() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("finops-training-example"); // the journal and the model's checkpoint
    try {
      run(dir, System.out);
    } finally {
      deleteRecursively(dir);
    }
  }

  /** Runs the example with its journal in {@code journalDir}, printing to {@code out}. */
  public static Result run(Path journalDir, PrintStream out) {
    // Attempt 1: a fresh run, from step 1.
    ManualClock clock1 = ManualClock.at(START);
    Worker first = new Worker(clock1, journalDir, out);
    out.println("GPU readings: " + first.gpus.description());
    out.println();
    out.println("process 1, " + clock1.instant() + ": run " + RUN_ID + " starts on " + GPUS + " GPUs at "
        + usd(GPU_HOURLY_RATE) + " USD per GPU-hour; budget experiment=llama-ft-v4 "
        + usd(EXPERIMENT_LIMIT) + " USD, TERMINATE at " + percent(TERMINATE_AT));
    first.train(0, CRASH_AFTER_STEP);
    out.println("process 1, " + clock1.instant() + ": the worker dies after step " + CRASH_AFTER_STEP
        + " (last model checkpoint: step " + first.checkpointedStep() + "); the run so far cost "
        + usd(first.run.report().cost()) + " USD");
    first.die();

    // Attempt 2: a new process, a new ledger and budget manager, the same journal.
    ManualClock clock2 = ManualClock.at(clock1.instant().plus(DOWNTIME));
    Worker second = new Worker(clock2, journalDir, out);
    TrainingRun run = second.run;
    out.println("process 2, " + clock2.instant() + ": attempt " + run.attempt() + " resumes the run from its journal ("
        + run.report().steps() + " steps, " + usd(run.report().cost()) + " USD so far); the model reloads"
        + " step " + second.checkpointedStep() + "'s checkpoint");
    second.reload();
    int lastStep = second.train(second.checkpointedStep(), PLANNED_STEPS);
    String stopReason = run.stopReason();
    out.println("process 2, " + clock2.instant() + ": stopped after step " + lastStep + ": " + stopReason);
    second.finish();

    TrainingRunReport report = run.report();
    Money ledgerCost = second.finops.snapshot().where("run", RUN_ID).total().cost();
    long ledgerRecords = second.finops.snapshot().where("run", RUN_ID).total().records();
    RunState journal = RunJournal.read(journalDir, RUN_ID).state();
    BudgetStatus budget = second.budgets.statuses(TAGS).get(0);
    out.println();
    printReport(report, ledgerCost, journal, budget, out);
    List<String> events = new ArrayList<>(first.events);
    events.addAll(second.events);
    for (String e : events) {
      out.println("budget event: " + e);
    }
    return new Result(report, ledgerCost, ledgerRecords, journal, budget, stopReason, lastStep,
        second.gpus.isSimulated(), List.copyOf(events));
  }

  /**
   * One process of the training job: its own clock, ledger ({@link FinOps}), budget manager and GPU
   * readings; the run started (or resumed) from the journal in {@code journalDir}.
   */
  private static final class Worker {
    final ManualClock clock;
    final Path journalDir;
    final PrintStream out;
    final FinOps finops;
    final BudgetManager budgets;
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final GpuReadings gpus;
    final TrainingRun run;
    final RunGuard guard;
    final TrainingRunGpuFeed feed;
    int step; // the training loop's step: what the model has been trained through

    Worker(ManualClock clock, Path journalDir, PrintStream out) {
      this.clock = clock;
      this.journalDir = journalDir;
      this.out = out;
      this.finops = FinOps.builder().clock(clock).build();
      this.budgets = BudgetManager.builder(finops).listener(this::onEvent).build();
      budgets.add(Budget.forExperiment("llama-ft-v4").limit(EXPERIMENT_LIMIT).lifetime()
          .notifyAt("0.5").terminateAt(TERMINATE_AT).build());
      this.gpus = GpuReadings.open(clock, GPUS);
      this.run = finops.trainingRun(RUN_ID).tags(TAGS)
          .hardware(Hardware.customRate("8 rented GPUs", GPUS, GPU_HOURLY_RATE))
          .model(MODEL)
          .journal(RunJournal.builder(journalDir, RUN_ID).durability(DurabilityMode.SYNC_EACH).build())
          .resumesFrom(ResumePoint.LAST_CHECKPOINT)
          .onCheckpoint(this::saveModel) // runs when the budget stops the run
          .start();
      // Budgets live in memory, per process (a shared BudgetStore would keep them): the new process carries the
      // run's spend so far, from its journal, into its budget before it leases more GPU time.
      Money spentBefore = run.report().cost();
      if (!spentBefore.isZero()) {
        budgets.scope(TAGS).record(spentBefore);
      }
      this.guard = budgets.guard(run, LEASE_SLICE);
      this.feed = TrainingRunGpuFeed.attach(gpus.source(), run, GpuSelection.all());
    }

    /**
     * Trains from after step {@code from} up to step {@code until}, one step per {@link #STEP_TIME},
     * a checkpoint every {@link #CHECKPOINT_EVERY_STEPS}; returns the last step taken (the budget may
     * stop the run first).
     */
    int train(int from, int until) {
      for (int s = from + 1; s <= until; s++) {
        clock.advance(STEP_TIME); // trainOneStep()
        step = s;
        gpus.sample(utilizationPercent(s));
        try {
          guard.step(BATCH_SAMPLES, BATCH_SAMPLES * SEQUENCE_TOKENS); // renews the GPU lease when due
        } catch (TrainingStoppedException stopped) {
          return s; // the step is recorded, the checkpoint hook has saved the model
        }
        if (s % CHECKPOINT_EVERY_STEPS == 0) {
          saveModel(s);
          run.checkpoint();
        }
      }
      return until;
    }

    /** The new process holds its GPUs while it loads the checkpoint: billed, counted as restart overhead. */
    void reload() {
      clock.advance(RELOAD_TIME);
      gpus.sample(5);
    }

    /** The process is killed: nothing more is written, the journal's file lock goes with it. */
    void die() {
      feed.close();
      gpus.close();
      run.journal().close();
    }

    /** The run ends: the lease settles the GPU time used, the run closes its journal. */
    void finish() {
      feed.close();
      guard.close();
      run.close();
      gpus.close();
    }

    /** The step of the model's last checkpoint, as the training code would read it back. */
    int checkpointedStep() {
      Path f = journalDir.resolve("model-checkpoint.txt");
      try {
        return Files.exists(f) ? Integer.parseInt(Files.readString(f, StandardCharsets.UTF_8).trim()) : 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The checkpoint hook the run calls when it is stopped: saves the model at the step it is at. */
    private void saveModel() {
      saveModel(step);
    }

    /** Stands for writing the model's weights: here, just the step they are at. */
    private void saveModel(int step) {
      try {
        Files.writeString(journalDir.resolve("model-checkpoint.txt"), Integer.toString(step), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void onEvent(BudgetEvent e) {
      BudgetStatus s = e.status();
      events.add(e.at() + " " + e.type() + " " + s.scope()
          + (e.threshold() == null ? "" : " at " + percent(e.threshold().toPlainString()))
          + ": spent " + s.spent().amount(2) + " of " + s.limit().amount(2) + " USD");
    }
  }

  /** A made-up utilization profile for simulated GPUs: data loading first, a dip at each checkpoint. */
  static int utilizationPercent(int step) {
    if (step <= 4) {
      return 35;
    }
    return step % CHECKPOINT_EVERY_STEPS == 0 ? 40 : 88;
  }

  private static void printReport(TrainingRunReport r, Money ledgerCost, RunState journal, BudgetStatus budget,
      PrintStream out) {
    out.println("run " + r.runId() + " (" + r.tags().get("experiment") + "): " + r.attempts() + " attempts, "
        + r.interruptions() + " interruption, " + r.steps() + " steps, " + r.checkpoints() + " checkpoints");
    row(out, "GPU time", r.gpuHours(4).toPlainString() + " GPU-hours on " + r.gpus() + " GPUs at "
        + usd(r.gpuHourlyRate()) + " USD");
    row(out, "cost", usd(r.cost()) + " USD");
    row(out, "  lost work", usd(r.lostWorkCost()) + " USD (" + hours(r.lostGpuMillis())
        + " GPU-hours after the last checkpoint, redone)");
    row(out, "  restart", usd(r.restartCost()) + " USD (" + hours(r.restartGpuMillis())
        + " GPU-hours reloading)");
    if (r.hasMeasuredUtilization()) {
      row(out, "utilization", r.measuredUtilization(4).movePointRight(2).stripTrailingZeros().toPlainString()
          + "% (GPU time-weighted)");
      row(out, "useful / idle", usd(r.usefulCost()) + " / " + usd(r.idleCost())
          + " USD");
      row(out, "per useful GPU-hour", usd(r.effectiveCostPerUsefulGpuHour()) + " USD (from "
          + r.measuredUtilizationBasis().name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
    if (r.hasMfu()) {
      row(out, "MFU", r.mfu(4).movePointRight(2).stripTrailingZeros().toPlainString() + "% ("
          + r.achievedTflopsPerGpu(1).toPlainString() + " of " + r.model().peakLabel() + " "
          + r.model().peakTflopsPerGpu().toPlainString() + " TFLOPS per GPU)");
      row(out, "per useful GPU-hour", usd(r.effectiveCostPerUsefulGpuHourFromMfu()) + " USD (from mfu)");
    }
    row(out, "per step", r.costPerStep(6).stripTrailingZeros().toPlainString() + " USD");
    row(out, "per 1M tokens", r.costPer1mTokens(6).stripTrailingZeros().toPlainString() + " USD");
    row(out, "ledger (process 2)", usd(ledgerCost) + " USD");
    row(out, "journal, read cold", usd(journal.cost()) + " USD, " + journal.totals().steps() + " steps");
    row(out, "budget " + budget.scope(), "spent " + usd(budget.spent()) + " of "
        + usd(budget.limit()) + " USD, " + usd(budget.remaining()) + " left");
  }

  /**
   * The exact amount with at least 2 decimal places ("5.20"); an amount that does not terminate (a rate
   * applied to a share of an hour) rounded to 4 places.
   */
  static String usd(Money m) {
    if (!m.isTerminating()) {
      return m.amount(4).toPlainString();
    }
    BigDecimal exact = m.exactAmount();
    return exact.setScale(Math.max(2, exact.stripTrailingZeros().scale())).toPlainString();
  }

  private static void row(PrintStream out, String label, String value) {
    out.printf("  %-22s %s%n", label, value);
  }

  private static String hours(long gpuMillis) {
    return Money.plain(BigDecimal.valueOf(gpuMillis).divide(BigDecimal.valueOf(3_600_000L), 4,
        RoundingMode.HALF_EVEN));
  }

  private static String percent(String fraction) {
    return new BigDecimal(fraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
  }

  private static void deleteRecursively(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException failed) throws IOException {
          if (failed != null) {
            throw failed;
          }
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
