package dev.finops.cli;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.journal.DurabilityMode;
import dev.finops.core.journal.JournalException;
import dev.finops.core.journal.RunJournal;
import dev.finops.core.journal.RunState;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.training.Hardware;
import dev.finops.core.training.ResumePoint;
import dev.finops.core.training.TrainingRun;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code finops run-sim}: a simulated training run, journaled step by step (every record forced to
 * disk), that resumes where it stopped when started again with the same journal and run id, after a
 * {@code kill -9} at any moment. Each step takes {@code --step-seconds} of simulated time on a manual
 * clock, so the run's GPU time is exactly steps × seconds × GPUs however often it is killed: the
 * journal counts steps, not wall time. The simulated job's state is its journal, so it resumes from
 * its last journaled step and loses no work ({@link ResumePoint#LAST_STEP}); a step in flight when the
 * process dies was neither journaled nor billed.
 */
@Command(name = "run-sim", description = {"simulate a journaled training run that resumes after being killed", "",
    "Runs a simulated training run of N steps, each taking S simulated seconds on G GPUs, and journals every step "
        + "durably (forced to disk) in DIR/ID. Started again with the same DIR and ID after being killed at any moment "
        + "(kill -9 included), it resumes from the last journaled step and finishes: the run ends with exactly N "
        + "steps, N x S x G GPU-seconds, and the cost of an uninterrupted run. Prints the run's totals as run-report "
        + "does."})
final class RunSimCommand extends CliCommand {
  /** The most steps a simulated run takes: a million journaled steps is about 100 MB and minutes of fsyncs. */
  static final long MAX_STEPS = 1_000_000;
  /** The longest simulated step: a day. */
  static final long MAX_STEP_SECONDS = 86_400;

  private static final String RUN_ID = RunReportCommand.RUN_ID;
  private static final String STEPS = "--steps";
  private static final String STEP_SECONDS = "--step-seconds";
  private static final String INSTANCE = InstanceOptions.INSTANCE;
  private static final String GPUS = "--gpus";

  @Mixin
  RunReportCommand.Run journal;

  @Option(names = STEPS, paramLabel = "N", required = true, converter = Converters.Count.class,
      description = "steps the run takes in all, 1 to " + MAX_STEPS + " (each is journaled and forced to disk)")
  long steps;

  @Option(names = STEP_SECONDS, paramLabel = "S", required = true, converter = Converters.Decimal.class,
      description = "simulated seconds per step (up to 3 decimals), at most " + MAX_STEP_SECONDS)
  BigDecimal stepSeconds;

  @ArgGroup(exclusive = true)
  InstanceOptions.RateSource source;

  @Mixin
  InstanceOptions where;

  @Option(names = GPUS, paramLabel = "G", converter = Converters.Positive.class, description = {
      "GPUs: default 1 with --hourly-rate, the instance's GPUs with " + INSTANCE + " (then a multiple of them)"})
  Integer gpus;

  /** For tests: real milliseconds to wait before each step, so a run can be killed mid-way. */
  @Option(names = "--step-delay-ms", hidden = true, converter = Converters.Count.class)
  long delayMillis;

  @Mixin
  CommonOptions common;

  @Override
  int run() {
    Path dir = journal.dir;
    String runId = journal.id;
    checkSteps();
    Duration stepTime = stepTime();
    Pricing pricing;
    Hardware hardware;
    if (source != null && source.instance != null) {
      pricing = common.pricing(err);
      hardware = instances(pricing);
    } else {
      pricing = Pricing.builder().bundledCatalog(null).build(); // a custom rate needs no catalog
      hardware = customRate();
    }

    RunJournal journal = open(dir, runId);
    RunState state = journal.state();
    if (state.isClosed()) {
      journal.close();
      err.println("finops: run " + runId + " is already complete; nothing to do");
    } else {
      simulate(journal, state, pricing, hardware, stepTime);
    }
    RunJournal.Contents done = RunReportCommand.read(dir, runId);
    if (common.json()) {
      Formats.printJson(out, RunFigures.json(done));
    } else {
      RunFigures.printText(done, out);
    }
    return ExitCode.OK;
  }

  private void simulate(RunJournal journal, RunState state, Pricing pricing, Hardware hardware, Duration stepTime) {
    long done = state.totals().steps();
    if (done > steps) {
      journal.close();
      throw Converters.invalid(STEPS, "the run already has " + done + " journaled steps", steps);
    }
    // Simulated time: from --at (or now) for a new run, from the last journaled record for a resumed one,
    // so the time the process was down is not billed.
    Instant start = state.isEmpty() ? Instant.ofEpochMilli(common.at()) : state.lastTime();
    ManualClock clock = ManualClock.at(start);
    TrainingRun run;
    try {
      run = TrainingRun.builder(pricing, Ledger.builder().clock(clock).build()).runId(journal.runId())
          .hardware(hardware).journal(journal).resumesFrom(ResumePoint.LAST_STEP).start();
    } catch (RuntimeException e) {
      journal.close();
      throw e;
    }
    try {
      for (; done < steps; done++) {
        if (delayMillis > 0) {
          Thread.sleep(delayMillis);
        }
        clock.advance(stepTime);
        run.step(0, 0);
      }
      run.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      run.suspend();
      throw new CliException(ExitCode.INTERNAL_ERROR, "interrupted; run " + journal.runId() + " can resume");
    } catch (JournalException e) {
      throw RunReportCommand.journalProblem(e);
    }
  }

  private static RunJournal open(Path dir, String runId) {
    try {
      return RunJournal.builder(dir, runId).durability(DurabilityMode.SYNC_EACH).build();
    } catch (IllegalArgumentException e) {
      throw CliException.usage(RUN_ID + ": " + e.getMessage());
    } catch (JournalException e) {
      throw RunReportCommand.journalProblem(e);
    }
  }

  /** {@code --steps}: 1 to {@link #MAX_STEPS}. */
  private void checkSteps() {
    if (steps < 1 || steps > MAX_STEPS) {
      throw Converters.invalid(STEPS, "must be 1 to " + MAX_STEPS, steps);
    }
  }

  /** {@code --step-seconds}: positive, whole milliseconds, at most {@link #MAX_STEP_SECONDS}. */
  private Duration stepTime() {
    BigDecimal s = stepSeconds;
    BigDecimal millis = s.movePointRight(3);
    if (s.signum() <= 0 || millis.stripTrailingZeros().scale() > 0 || s.compareTo(BigDecimal.valueOf(MAX_STEP_SECONDS)) > 0) {
      throw Converters.invalid(STEP_SECONDS, "must be positive, in whole milliseconds, at most " + MAX_STEP_SECONDS
          + " (a day)", s.toPlainString());
    }
    return Duration.ofMillis(millis.longValueExact());
  }

  private Hardware customRate() {
    InstanceOptions.requireSource(source);
    where.requireInstance();
    return Hardware.customRate("run-sim", gpus == null ? 1 : gpus, Money.of(source.hourlyRate, Money.USD));
  }

  private Hardware instances(Pricing pricing) {
    String type = source.instance;
    int perInstance = pricing.gpuRate(where.provider, where.region, type, PurchaseOption.ON_DEMAND, common.at())
        .instance().gpuCount();
    int n = gpus == null ? perInstance : gpus;
    if (n % perInstance != 0) {
      throw Converters.invalid(GPUS, "must be a multiple of the " + perInstance + " GPUs of " + type, n);
    }
    return Hardware.instances(where.provider, where.region, type, n / perInstance, where.option());
  }
}
