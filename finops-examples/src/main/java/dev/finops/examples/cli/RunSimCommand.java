package dev.finops.examples.cli;

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
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code finops run-sim}: a simulated training run, journaled step by step (every record forced to
 * disk), that resumes where it stopped when started again with the same journal and run id, after a
 * {@code kill -9} at any moment. Each step takes {@code --step-seconds} of simulated time on a manual
 * clock, so the run's GPU time is exactly steps × seconds × GPUs however often it is killed: the
 * journal counts steps, not wall time. The simulated job's state is its journal, so it resumes from
 * its last journaled step and loses no work ({@link ResumePoint#LAST_STEP}); a step in flight when the
 * process dies was neither journaled nor billed.
 */
final class RunSimCommand implements Command {
  /** The most steps a simulated run takes: a million journaled steps is about 100 MB and minutes of fsyncs. */
  static final long MAX_STEPS = 1_000_000;
  /** The longest simulated step: a day. */
  static final long MAX_STEP_SECONDS = 86_400;

  private static final String JOURNAL = RunReportCommand.JOURNAL;
  private static final String RUN_ID = RunReportCommand.RUN_ID;
  private static final String STEPS = "--steps";
  private static final String STEP_SECONDS = "--step-seconds";
  private static final String INSTANCE = "--instance";
  private static final String PROVIDER = "--provider";
  private static final String REGION = "--region";
  private static final String SPOT = "--spot";
  private static final String HOURLY_RATE = "--hourly-rate";
  private static final String GPUS = "--gpus";
  /** Hidden, for tests: real milliseconds to wait before each step, so a run can be killed mid-way. */
  private static final String STEP_DELAY_MS = "--step-delay-ms";

  private static final ArgSpec SPEC = CommonOptions.spec()
      .value(JOURNAL, RUN_ID, STEPS, STEP_SECONDS, INSTANCE, PROVIDER, REGION, HOURLY_RATE, GPUS, STEP_DELAY_MS)
      .flag(SPOT);

  @Override
  public String name() {
    return "run-sim";
  }

  @Override
  public String summary() {
    return "simulate a journaled training run that resumes after being killed";
  }

  @Override
  public String usage() {
    return "usage: finops run-sim --journal DIR --run-id ID --steps N --step-seconds S\n"
        + "                      (--instance TYPE [--provider P] [--region R] [--spot] | --hourly-rate AMOUNT)\n"
        + "                      [--gpus G] [--at YYYY-MM-DD] [--catalog FILE]... [--no-bundled] [--json]\n"
        + "\n"
        + "Runs a simulated training run of N steps, each taking S simulated seconds on G GPUs, and journals\n"
        + "every step durably (forced to disk) in DIR/ID. Started again with the same DIR and ID after being\n"
        + "killed at any moment (kill -9 included), it resumes from the last journaled step and finishes:\n"
        + "the run ends with exactly N steps, N x S x G GPU-seconds, and the cost of an uninterrupted run.\n"
        + "Prints the run's totals as run-report does.\n"
        + "\n"
        + CommonOptions.optionsHelp(
            JOURNAL + " DIR", "the journal directory (created if needed)",
            RUN_ID + " ID", "the run (letters, digits, '.', '_', '-')",
            STEPS + " N", "steps the run takes in all, 1 to " + MAX_STEPS + " (each is journaled and forced to disk)",
            STEP_SECONDS + " S", "simulated seconds per step (up to 3 decimals), at most " + MAX_STEP_SECONDS,
            INSTANCE + " TYPE", "a catalog instance type (e.g. p4d.24xlarge), on demand unless " + SPOT,
            PROVIDER + " P", "the instance's provider",
            REGION + " R", "the instance's region",
            SPOT, "the instance's spot price; the report compares it with on demand",
            HOURLY_RATE + " AMOUNT", "the price per GPU-hour, in USD, instead of " + INSTANCE,
            GPUS + " G", "GPUs: default 1 with " + HOURLY_RATE + ", the instance's GPUs with " + INSTANCE
                + "\n(then a multiple of them)");
  }

  @Override
  public int run(List<String> argList, PrintStream out, PrintStream err) {
    Args args = SPEC.parse(argList);
    Path dir = Path.of(args.required(JOURNAL));
    String runId = args.required(RUN_ID);
    long steps = steps(args);
    Duration stepTime = stepTime(args);
    long delayMillis = args.count(STEP_DELAY_MS, 0);
    Pricing pricing;
    Hardware hardware;
    if (args.has(INSTANCE)) {
      pricing = CommonOptions.pricing(args, err);
      hardware = instances(args, pricing);
    } else {
      pricing = Pricing.builder().bundledCatalog(null).build(); // a custom rate needs no catalog
      hardware = customRate(args);
    }

    RunJournal journal = open(dir, runId);
    RunState state = journal.state();
    if (state.isClosed()) {
      journal.close();
      err.println("finops: run " + runId + " is already complete; nothing to do");
    } else {
      simulate(args, journal, state, pricing, hardware, steps, stepTime, delayMillis);
    }
    RunJournal.Contents done = RunReportCommand.read(dir, runId);
    if (CommonOptions.json(args)) {
      Formats.printJson(out, RunFigures.json(done));
    } else {
      RunFigures.printText(done, out);
    }
    return ExitCode.OK;
  }

  private static void simulate(Args args, RunJournal journal, RunState state, Pricing pricing, Hardware hardware,
      long steps, Duration stepTime, long delayMillis) {
    long done = state.totals().steps();
    if (done > steps) {
      journal.close();
      throw Args.invalid(STEPS, "the run already has " + done + " journaled steps", String.valueOf(steps));
    }
    // Simulated time: from --at (or now) for a new run, from the last journaled record for a resumed one,
    // so the time the process was down is not billed.
    Instant start = state.isEmpty() ? Instant.ofEpochMilli(CommonOptions.at(args)) : state.lastTime();
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
  private static long steps(Args args) {
    long steps = args.requiredCount(STEPS);
    if (steps < 1 || steps > MAX_STEPS) {
      throw Args.invalid(STEPS, "must be 1 to " + MAX_STEPS, args.value(STEPS));
    }
    return steps;
  }

  /** {@code --step-seconds}: positive, whole milliseconds, at most {@link #MAX_STEP_SECONDS}. */
  private static Duration stepTime(Args args) {
    BigDecimal s = args.requiredDecimal(STEP_SECONDS);
    BigDecimal millis = s.movePointRight(3);
    if (s.signum() <= 0 || millis.stripTrailingZeros().scale() > 0 || s.compareTo(BigDecimal.valueOf(MAX_STEP_SECONDS)) > 0) {
      throw Args.invalid(STEP_SECONDS, "must be positive, in whole milliseconds, at most " + MAX_STEP_SECONDS
          + " (a day)", args.value(STEP_SECONDS));
    }
    return Duration.ofMillis(millis.longValueExact());
  }

  private static Hardware customRate(Args args) {
    if (!args.has(HOURLY_RATE)) {
      throw CliException.usage("missing " + INSTANCE + " TYPE or " + HOURLY_RATE + " AMOUNT");
    }
    for (String instanceOnly : List.of(PROVIDER, REGION, SPOT)) {
      if (args.has(instanceOnly)) {
        throw CliException.usage(instanceOnly + ": only goes with " + INSTANCE);
      }
    }
    return Hardware.customRate("run-sim", args.positiveInt(GPUS, 1), Money.of(args.requiredDecimal(HOURLY_RATE),
        Money.USD));
  }

  private static Hardware instances(Args args, Pricing pricing) {
    if (args.has(HOURLY_RATE)) {
      throw CliException.usage(INSTANCE + " and " + HOURLY_RATE + ": give one, not both");
    }
    String type = args.required(INSTANCE);
    int perInstance = pricing.gpuRate(args.value(PROVIDER), args.value(REGION), type, PurchaseOption.ON_DEMAND,
        CommonOptions.at(args)).instance().gpuCount();
    int gpus = args.positiveInt(GPUS, perInstance);
    if (gpus % perInstance != 0) {
      throw Args.invalid(GPUS, "must be a multiple of the " + perInstance + " GPUs of " + type, args.value(GPUS));
    }
    PurchaseOption option = args.flag(SPOT) ? PurchaseOption.SPOT : PurchaseOption.ON_DEMAND;
    return Hardware.instances(args.value(PROVIDER), args.value(REGION), type, gpus / perInstance, option);
  }
}
