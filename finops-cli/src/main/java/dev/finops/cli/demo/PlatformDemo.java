package dev.finops.cli.demo;

import dev.finops.advisor.GpuSeries;
import dev.finops.advisor.RequestLog;
import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.allocation.EndpointAllocation;
import dev.finops.core.allocation.EndpointCostAllocator;
import dev.finops.core.allocation.EndpointRequest;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.journal.DurabilityMode;
import dev.finops.core.journal.RunJournal;
import dev.finops.core.ledger.Account;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.spot.InterruptionNotice;
import dev.finops.core.training.Hardware;
import dev.finops.core.training.TrainingRun;
import dev.finops.core.training.TrainingRunReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small AI platform for one simulated day, on the bundled catalog and a {@link ManualClock}, so it
 * runs in a moment and gives the same figures for the same seed:
 *
 * <ul>
 *   <li>team {@code research} fine-tunes a model for ten hours on one {@code p4d.24xlarge} (8 A100s)
 *       bought on spot, with a realistic utilization profile (data loading, steady training,
 *       checkpoints, evaluations), and judges its outputs with Claude Sonnet 4.5 (prompt cache
 *       writes, then reads). The spot instance is reclaimed twice (after AWS's two-minute notice);
 *       each time the run waits for capacity, restarts on a new instance and resumes from its
 *       journal at its last hourly checkpoint, so its report shows the work lost, the restarts and
 *       what spot saved net of them;
 *   <li>team {@code product} serves a self-hosted model from a {@code g6e.xlarge} endpoint (one
 *       L40S, on demand, all day) whose GPU cost is split over its requests by tokens, and calls
 *       GPT-4o with cached system prompts, with a daytime traffic curve.
 * </ul>
 *
 * Everything is recorded through the public API, exactly as a host application would.
 */
public final class PlatformDemo {

  /** The simulated day starts at this instant (a Monday, UTC). */
  public static final Instant DAY_START = Instant.parse("2026-11-02T00:00:00Z");

  /** Requests per minute by hour of day for the product's traffic (a daytime curve). */
  private static final int[] PRODUCT_RPM = {2, 1, 1, 1, 1, 2, 4, 8, 14, 18, 20, 21, 20, 20, 21, 20, 18, 16, 14, 12,
      10, 8, 5, 3};

  private static final long MINUTE = 60_000L;
  private static final int RUN_START_MINUTE = 60; // 01:00
  private static final int SWEEP_START_MINUTE = 13 * 60; // 13:00
  private static final int RUN_MINUTES = 600; // ten hours
  private static final int STEPS_PER_MINUTE = 2;
  private static final int BATCH_SAMPLES = 256;
  private static final int SEQUENCE_TOKENS = 2_048;
  /** Minutes of training after which the spot instance is reclaimed (the run checkpoints hourly). */
  private static final int[] PREEMPTED_AT = {150, 400};
  private static final int CHECKPOINT_MINUTES = 60;
  private static final int NOTICE_MINUTES = 2; // AWS's notice comes about two minutes ahead
  private static final int DOWNTIME_MINUTES = 15; // waiting for spot capacity: nothing is billed
  private static final int RESTART_MINUTES = 5; // boot and checkpoint reload: billed, no steps

  /** One model call as it was recorded: when, and its usage. */
  public record ApiCall(long atMillis, Usage usage) {}

  /**
   * Research's shared evaluation box: one {@code g6.12xlarge} (4 × L4), on demand, up all day. An evaluation
   * harness uses GPU 0 and notebooks GPU 1 in working hours (their models stay loaded overnight); GPUs 2 and 3
   * only hold a driver context. Its GPUs are sampled every minute, as the NVML sampler would.
   */
  public static final String EVAL_BOX_INSTANCE = "g6.12xlarge";
  /** The evaluation box's project tag. */
  public static final String EVAL_BOX_PROJECT = "eval-box";

  /** The endpoint's instance type: one L40S, on demand. */
  public static final String ENDPOINT_INSTANCE = "g6e.xlarge";

  /** What the day produced. */
  public static final class Result {
    private final long seed;
    private final FinOps finops;
    private final LedgerSnapshot snapshot;
    private final TrainingRunReport run;
    private final EndpointAllocation endpoint;
    private final Money endpointGpuCost;
    private final BudgetScenario budgets;
    private final RequestLog endpointRequests;
    private final List<ApiCall> productApiCalls;
    private final List<GpuSeries> evalBoxGpus;

    Result(long seed, FinOps finops, LedgerSnapshot snapshot, TrainingRunReport run, EndpointAllocation endpoint,
        Money endpointGpuCost, BudgetScenario budgets, RequestLog endpointRequests, List<ApiCall> productApiCalls,
        List<GpuSeries> evalBoxGpus) {
      this.seed = seed;
      this.finops = finops;
      this.snapshot = snapshot;
      this.run = run;
      this.endpoint = endpoint;
      this.endpointGpuCost = endpointGpuCost;
      this.budgets = budgets;
      this.endpointRequests = endpointRequests;
      this.productApiCalls = List.copyOf(productApiCalls);
      this.evalBoxGpus = List.copyOf(evalBoxGpus);
    }

    /** The evaluation box's GPUs as sampled every minute of the day (utilization, memory, job, team). */
    public List<GpuSeries> evalBoxGpus() {
      return evalBoxGpus;
    }

    /** The endpoint's requests with their arrival times (each minute's spread evenly over it), oldest first. */
    public RequestLog endpointRequests() {
      return endpointRequests;
    }

    /** The product's GPT-4o calls that were recorded (not denied by the budget), in the order they were made. */
    public List<ApiCall> productApiCalls() {
      return productApiCalls;
    }

    /** The budgets at 23:59: limit, spent, reserved and burn rate per window. */
    public List<BudgetStatus> budgetStatuses() {
      return budgets.statuses();
    }

    /** Budget events (thresholds, throttling, termination), oldest first. */
    public List<String> budgetEvents() {
      return budgets.events();
    }

    /** How each sweep run that the experiment budget stopped ended. */
    public List<String> stoppedSweepRuns() {
      return budgets.stoppedRuns();
    }

    /** Checkpoints the sweep runs wrote when their budget stopped them. */
    public int sweepStopCheckpoints() {
      return budgets.sweepCheckpoints();
    }

    /** Product API calls made, throttled (answered with a delay) and denied at the limit. */
    public long[] productCalls() {
      return new long[] {budgets.productCalls(), budgets.throttledCalls(), budgets.deniedCalls()};
    }

    public long seed() {
      return seed;
    }

    public FinOps finops() {
      return finops;
    }

    /** The ledger at the end of the day. */
    public LedgerSnapshot snapshot() {
      return snapshot;
    }

    /** The fine-tuning run's report. */
    public TrainingRunReport trainingRun() {
      return run;
    }

    /** The endpoint's GPU cost split over its requests. */
    public EndpointAllocation endpoint() {
      return endpoint;
    }

    /** The endpoint's GPU cost for the day. */
    public Money endpointGpuCost() {
      return endpointGpuCost;
    }
  }

  private PlatformDemo() {}

  /** Simulates the day for {@code seed}. */
  public static Result run(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    ManualClock clock = ManualClock.at(DAY_START);
    FinOps finops = FinOps.builder().clock(clock).pricing(Pricing.bundled()).build();
    Pricing pricing = finops.pricing();

    // Team product: GPT-4o through the API, and a self-hosted endpoint.
    Tags productApi = Tags.builder().team("product").project("assistant").model("gpt-4o").build();
    Account productApiAccount = finops.account(productApi);
    BoundModel gpt4o = finops.bind("openai", "gpt-4o-2024-08-06");

    Tags endpointTags = Tags.builder().team("product").project("assistant").endpoint("chat-small")
        .model("llama-3.1-8b-instruct").build();
    Account endpointAccount = finops.account(endpointTags);
    Hardware endpointHardware = Hardware.instances("aws", "us-east-1", ENDPOINT_INSTANCE, 1, PurchaseOption.ON_DEMAND);
    PriceKey endpointKey = endpointHardware.priceKey(pricing, clock.wallTimeMillis());
    int endpointGpus = endpointHardware.gpus(pricing, clock.wallTimeMillis());
    List<EndpointRequest> endpointRequests = new ArrayList<>();
    List<long[]> endpointArrivals = new ArrayList<>(); // time, input, output
    List<ApiCall> apiCalls = new ArrayList<>();

    // Team research: a fine-tuning run on spot, judged by Claude.
    Tags research = Tags.builder().team("research").project("support-bot").experiment("llama-ft-v3")
        .model("claude-sonnet-4-5").build();
    Account judgeAccount = finops.account(research);
    BoundModel claude = finops.bind("anthropic", "claude-sonnet-4-5-20250929");

    // Team research's evaluation box: four L4s all day, sampled every minute (its own random stream).
    Account evalBox = finops.account(Tags.builder().team("research").project(EVAL_BOX_PROJECT).build());
    Hardware evalBoxHardware = Hardware.instances("aws", "us-east-1", EVAL_BOX_INSTANCE, 1, PurchaseOption.ON_DEMAND);
    PriceKey evalBoxKey = evalBoxHardware.priceKey(pricing, clock.wallTimeMillis());
    int evalBoxGpus = evalBoxHardware.gpus(pricing, clock.wallTimeMillis());
    List<GpuSeries> evalBoxSeries = new ArrayList<>();
    for (int g = 0; g < evalBoxGpus; g++) {
      evalBoxSeries.add(new GpuSeries("eval-box/" + g));
    }
    SplittableRandom boxRandom = new SplittableRandom(seed * 31 + 7);

    // Budgets: product's daily API budget throttles near its limit; a sweep's experiment budget stops it.
    BudgetScenario budgets = new BudgetScenario(finops);

    TrainingRun run = null;
    TrainingRunReport runReport = null;
    int requestSeq = 0;
    Path journalDir = temporaryDirectory();
    int trained = 0; // minutes of training done; back to the last checkpoint after a preemption
    int preemptions = 0;
    int resumeAt = -1; // when spot capacity comes back
    int restarting = 0; // minutes of restart left

    for (int minute = 0; minute < 24 * 60; minute++) {
      long now = clock.wallTimeMillis();
      int hour = minute / 60;

      if (minute == RUN_START_MINUTE || minute == resumeAt) {
        run = startRun(finops, journalDir); // the second and third time, it resumes from its journal
        restarting = minute == RUN_START_MINUTE ? 0 : RESTART_MINUTES;
      }
      if (run != null && !run.isClosed()) {
        run.utilization(now, restarting > 0 ? 1_000 : trainingUtilization(trained, random));
      }

      // GPT-4o calls: a cached system prompt on most calls.
      int calls = poisson(PRODUCT_RPM[hour], random);
      for (int i = 0; i < calls; i++) {
        long input = 1_200 + random.nextInt(4_800);
        long cached = random.nextInt(10) < 7 ? 1_024 * (1 + random.nextInt((int) Math.min(4, input / 1_024))) : 0;
        long output = 80 + random.nextInt(620);
        Usage u = TokenConventions.fromInclusive(input, output, cached, 0, 0);
        long at = now + random.nextInt((int) MINUTE);
        if (budgets.productCall(productApiAccount, gpt4o, u, at)) {
          apiCalls.add(new ApiCall(at, u));
        }
      }

      // The self-hosted endpoint serves about as many requests, and bills its GPU all day.
      int served = poisson(PRODUCT_RPM[hour] + 4, random);
      for (int i = 0; i < served; i++) {
        long in = 50 + random.nextInt(3_000);
        long out = 10 + random.nextInt(600);
        endpointRequests.add(EndpointRequest.of("req-" + (++requestSeq), in, out)
            .withLatencyMillis(60 + out * 11 + random.nextInt(40)));
        endpointArrivals.add(new long[] {now + i * MINUTE / served, in, out});
      }
      endpointAccount.record(endpointKey, UsageBucket.GPU_TIME, MINUTE * endpointGpus, now);

      evalBox.record(evalBoxKey, UsageBucket.GPU_TIME, MINUTE * evalBoxGpus, now);
      sampleEvalBox(evalBoxSeries, now, hour, boxRandom);

      // A hyperparameter sweep from 13:00: eight runs, one step a minute, until its budget stops them.
      if (minute == SWEEP_START_MINUTE) {
        budgets.startSweep();
      }
      if (minute >= SWEEP_START_MINUTE && budgets.sweepRunning()) {
        budgets.stepSweep(64, 64L * 1_024);
      }
      if (minute == 24 * 60 - 1) {
        budgets.captureStatuses(); // 23:59, before the daily window resets
      }

      // While the run trains, Claude judges samples: a cache write each 5 minutes, reads in between.
      if (run != null && !run.isClosed()) {
        for (int j = 0; j < 3; j++) {
          boolean write = minute % 5 == 0 && j == 0;
          long prefix = 3_000;
          long fresh = 400 + random.nextInt(1_600);
          Usage u = write
              ? TokenConventions.fromExclusive(fresh, 150 + random.nextInt(350), 0, prefix, 0)
              : TokenConventions.fromExclusive(fresh, 150 + random.nextInt(350), prefix, 0, 0);
          judgeAccount.record(claude, u, now + j * 15_000L);
        }
      }

      // Two optimizer steps per minute; a checkpoint each hour and an epoch every 200 minutes.
      for (int s = 0; s < STEPS_PER_MINUTE && run != null && !run.isClosed() && restarting == 0; s++) {
        clock.advance(Duration.ofSeconds(30));
        run.step(BATCH_SAMPLES, (long) BATCH_SAMPLES * SEQUENCE_TOKENS);
      }
      if (run == null || run.isClosed() || restarting > 0) {
        clock.advance(Duration.ofMinutes(1));
        restarting = Math.max(0, restarting - 1);
      } else if (++trained == preemptionAt(preemptions)) {
        // Reclaimed: the process dies with the instance, writing nothing more. The run resumes on new
        // capacity from its last checkpoint; the minutes since then were lost.
        run.journal().close();
        run = null;
        trained -= trained % CHECKPOINT_MINUTES;
        preemptions++;
        resumeAt = minute + 1 + DOWNTIME_MINUTES;
      } else {
        if (trained == preemptionAt(preemptions) - NOTICE_MINUTES) {
          // The notice: the run books its GPU time and forces its journal (what an InterruptionWatcher's
          // listener does), so the bill survives the machine.
          run.interrupted(new InterruptionNotice("aws", "terminate", clock.instant(),
              clock.instant().plus(Duration.ofMinutes(NOTICE_MINUTES))));
        }
        if (trained % CHECKPOINT_MINUTES == 0) {
          run.checkpoint();
        }
        if (trained % 200 == 0) {
          run.epoch();
        }
        if (trained == RUN_MINUTES) {
          run.close();
          runReport = run.report();
        }
      }
    }

    budgets.finish();
    deleteRecursively(journalDir);
    LedgerSnapshot snapshot = finops.snapshot();
    Money endpointCost = snapshot.where("endpoint", "chat-small").total().cost();
    EndpointAllocation allocation = EndpointCostAllocator.byTokens().allocate(endpointCost, endpointRequests);
    long[] times = new long[endpointArrivals.size()];
    long[] inputs = new long[times.length];
    long[] outputs = new long[times.length];
    for (int i = 0; i < times.length; i++) {
      long[] a = endpointArrivals.get(i);
      times[i] = a[0];
      inputs[i] = a[1];
      outputs[i] = a[2];
    }
    return new Result(seed, finops, snapshot, runReport, allocation, endpointCost, budgets,
        new RequestLog(times, inputs, outputs), apiCalls, evalBoxSeries);
  }

  /** Starts the fine-tuning run, or resumes it from its journal (buffered by the OS: a demo needs no fsync). */
  private static TrainingRun startRun(FinOps finops, Path journalDir) {
    return finops.trainingRun("ft-llama-8b-0042")
        .tags(Tags.builder().team("research").project("support-bot").experiment("llama-ft-v3")
            .model("llama-3.1-8b-ft").build())
        .hardware(Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 1, PurchaseOption.SPOT))
        .journal(RunJournal.builder(journalDir, "ft-llama-8b-0042").durability(DurabilityMode.OS_BUFFERED).build())
        .start();
  }

  /** The trained minute of the {@code i}-th preemption, or -1 after the last. */
  private static int preemptionAt(int i) {
    return i < PREEMPTED_AT.length ? PREEMPTED_AT[i] : -1;
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("finops-demo-journal");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The run's GPU utilization in basis points at minute {@code m} of training: 20 minutes of data
   * loading, then steady training with noise, a 5-minute dip at each hourly checkpoint, and a
   * 10-minute evaluation every two hours.
   */
  static int trainingUtilization(int m, SplittableRandom random) {
    if (m < 20) {
      return 2_500 + random.nextInt(1_000);
    }
    if (m % 60 < 5 && m >= 60) {
      return 800 + random.nextInt(600);
    }
    if (m % 120 >= 110) {
      return 4_000 + random.nextInt(1_000);
    }
    return 8_300 + random.nextInt(1_000);
  }

  /**
   * One minute of the evaluation box's four GPUs: from 09:00 to 18:00 the harness keeps GPU 0 20-35 % busy
   * with 13,000-14,000 MiB used and notebooks GPU 1 8-20 % with 5,000-6,000 MiB; outside those hours both idle at 0-2 % with
   * their models still loaded; GPUs 2 and 3 idle all day holding a driver context. Utilization, not money.
   */
  static void sampleEvalBox(List<GpuSeries> gpus, long now, int hour, SplittableRandom random) {
    boolean working = hour >= 9 && hour < 18;
    for (int g = 0; g < gpus.size(); g++) {
      double util;
      double memory;
      String job;
      if (g == 0) {
        util = working ? 20 + random.nextInt(150) / 10.0 : random.nextInt(20) / 10.0;
        memory = 13_000 + random.nextInt(1_000);
        job = "eval-harness";
      } else if (g == 1) {
        util = working ? 8 + random.nextInt(120) / 10.0 : random.nextInt(10) / 10.0;
        memory = 5_000 + random.nextInt(1_000);
        job = "notebooks";
      } else {
        util = random.nextInt(10) / 10.0;
        memory = 400 + random.nextInt(100);
        job = null;
      }
      gpus.get(g).add(now, util, memory, Double.NaN, Double.NaN, job, "research");
    }
  }

  /** A Poisson draw (Knuth's method; fine for the small means used here). Traffic, not money. */
  static int poisson(int mean, SplittableRandom random) {
    double limit = Math.exp(-mean);
    double p = 1.0;
    int k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > limit);
    return k - 1;
  }
}
