package dev.finops.cli.demo;

import dev.finops.advisor.Accelerators;
import dev.finops.advisor.EndpointAdvice;
import dev.finops.advisor.EndpointAdvisor;
import dev.finops.advisor.Recommendation;
import dev.finops.advisor.RequestLog;
import dev.finops.advisor.SpotRisk;
import dev.finops.advisor.TrainingPlanner;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.AcceleratorFacts;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.core.ledger.WhatIf;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.training.ModelFlops;
import dev.finops.core.training.TrainingRunReport;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The demo's advice: the advisors run on the day's own records, and their recommendations applied to
 * the day's ledger through a {@link WhatIf}, so every saving is the recorded usage re-priced, never a
 * claimed percentage. In order, each on what the previous ones left:
 *
 * <ol>
 *   <li><b>route</b>: GPT-4o calls whose input is no longer than inputs the self-hosted chat-small
 *       already answers for the same assistant go to chat-small; their GPT-4o usage is dropped, the load
 *       they add is sized in the next line;
 *   <li><b>endpoint</b>: {@link EndpointAdvisor} on chat-small's requests, routed calls included, with the
 *       L4 ({@code g6.xlarge}) as an alternative at the L4/L40S memory-bandwidth ratio from the accelerator
 *       facts (decoding is bound by memory bandwidth); its GPU time becomes the fleet the advisor
 *       recommends on the recommended instance (replicas per 5-minute slice when it recommends
 *       autoscaling, else its peak count all day);
 *   <li><b>fine-tune</b>: {@link TrainingPlanner} over the AWS us-east-1 instances with accelerator facts,
 *       its MFU calibrated on the run's own productive GPU time and its spot risk on the run's own
 *       interruptions; the run's recorded GPU time (lost work and restarts included) shrinks by the ratio
 *       of the dense BF16 peaks and is priced as the top plan's instance and purchase option;
 *   <li><b>batch</b>: the Claude calls that judge the fine-tune's samples (tagged with its experiment,
 *       offline: no user waits on them) are priced at the batch tier.
 * </ol>
 *
 * The sweep gets no line: its A10G has no accelerator facts to plan with, and its budget already capped it.
 */
public final class DemoAdvice {

  /**
   * Output tokens per second one {@code g6e.xlarge} replica of the 8B model serves: an assumption of the
   * demo (continuous batching of an 8B model on one L40S), not a measurement; the endpoint advisor takes
   * it as given, like {@code advise endpoint --output-tokens-per-second}.
   */
  public static final BigDecimal L40S_OUTPUT_TOKENS_PER_SECOND = new BigDecimal("1000");
  /** The cheaper GPU the endpoint advisor weighs: one L4. */
  public static final String CHEAPER_ENDPOINT = "g6.xlarge";
  /** Parameters of Llama 3.1 8B (Meta's model card: 8.03 B). */
  public static final long FINE_TUNE_PARAMETERS = 8_030_000_000L;
  /** The spot prior the planner's interruption rate starts from (the CLI's default). */
  public static final SpotRisk.Band PRIOR = SpotRisk.Band.FROM_5_TO_10;
  public static final double PRIOR_WEIGHT_HOURS = 730;
  /** A checkpoint of the fine-tune, seconds (the planner's Young/Daly input; the planner's default). */
  public static final double CHECKPOINT_SECONDS = 300;
  /** The most an endpoint replica may be busy (the advisor's default: headroom for latency). */
  public static final BigDecimal TARGET_UTILIZATION = new BigDecimal("0.7");
  private static final String BUSY = "70%";
  /** The endpoint advisor's time slice, seconds. */
  public static final int SLICE_SECONDS = 300;
  private static final String PROVIDER = "aws";
  private static final String REGION = "us-east-1";
  private static final int MFU_SCALE = 6;

  /**
   * What the advisors found and what applying it does to the day.
   *
   * @param whatIf the day before and after, one line per applied recommendation
   * @param routedCalls the GPT-4o calls routed to chat-small
   * @param endpoint the endpoint advisor's answer on the merged load
   * @param endpointInstance the instance the endpoint runs on after the advice
   * @param endpointReplicas replicas per slice on that instance
   * @param mfu the fine-tune's MFU on its productive GPU time
   * @param plan the planner's top plan for the fine-tune
   * @param gpuTimeFactor the fine-tune's GPU time after over before (the peaks' ratio)
   * @param notes what got no line, and why
   */
  public record Advice(WhatIf.Result whatIf, List<PlatformDemo.ApiCall> routedCalls, EndpointAdvice endpoint,
      GpuInstance endpointInstance, int[] endpointReplicas, BigDecimal mfu, TrainingPlanner.Plan plan,
      BigDecimal gpuTimeFactor, List<String> notes) {}

  private DemoAdvice() {}

  /** Advises on {@code day} and applies the advice to its ledger. */
  public static Advice advise(PlatformDemo.Result day) {
    Pricing pricing = day.finops().pricing();
    List<GpuInstance> catalog = pricing.catalogLayers().get(0).catalog().gpuInstances();
    LedgerSnapshot snapshot = day.snapshot();
    Accelerators accelerators = Accelerators.builtIn();
    WhatIf whatIf = WhatIf.on(snapshot);
    List<String> notes = new ArrayList<>();

    // 1. route: GPT-4o calls no longer than what chat-small already answers
    RequestLog served = day.endpointRequests();
    long longestServed = 0;
    for (int i = 0; i < served.size(); i++) {
      longestServed = Math.max(longestServed, served.inputTokens(i));
    }
    List<PlatformDemo.ApiCall> routed = new ArrayList<>();
    for (PlatformDemo.ApiCall c : day.productApiCalls()) {
      if (c.usage().inputTokens() <= longestServed) {
        routed.add(c);
      }
    }
    RequestLog merged = merge(served, routed);
    GpuInstance current = find(catalog, PlatformDemo.ENDPOINT_INSTANCE);
    GpuInstance cheaper = find(catalog, CHEAPER_ENDPOINT);
    BigDecimal l4Factor = accelerators.bandwidthRatio(current.accelerator(), cheaper.accelerator(), 4);
    EndpointAdvisor endpointAdvisor = EndpointAdvisor.builder(catalog, current).currentReplicas(1)
        .outputTokensPerSecond(L40S_OUTPUT_TOKENS_PER_SECOND).targetUtilization(TARGET_UTILIZATION)
        .sliceSeconds(SLICE_SECONDS).whatIf(CHEAPER_ENDPOINT, l4Factor).build();
    int[] onCurrent = endpointAdvisor.replicasPerSlice(merged, BigDecimal.ONE);
    Predicate<LedgerSnapshot.Entry> gpt4o = e -> e.key().kind() == PriceKey.Kind.MODEL
        && "gpt-4o".equals(e.key().resource()) && "product".equals(e.tags().get("team"));
    whatIf = whatIf.change("route " + routed.size() + " GPT-4o calls to the self-hosted chat-small",
        String.format(Locale.ROOT, "chat-small answered %,d of the assistant's requests with inputs up to %,d tokens;"
            + " %,d of the %,d GPT-4o calls (%s) have inputs within that; with them chat-small needs at most %d"
            + " %s replica per %d-minute slice at %s output tokens/s and %s busy (1 runs today); the busiest"
            + " slice asks %s output tokens/s", served.size(),
            longestServed, routed.size(), day.productApiCalls().size(), percent(routed.size(),
                day.productApiCalls().size()), max(onCurrent), current.instanceType(), SLICE_SECONDS / 60,
            L40S_OUTPUT_TOKENS_PER_SECOND.toPlainString(), BUSY, peakOutputPerSecond(merged, SLICE_SECONDS)),
        "the 8B model answers requests of the sizes it already serves for this assistant well enough (to be"
            + " confirmed by an evaluation); their GPU time is the next line's",
        gpt4o, WhatIf.split(e -> part(e, routed), null));

    // 2. endpoint: sized from its requests, routed calls included
    EndpointAdvice endpoint = endpointAdvisor.advise(merged);
    GpuInstance chosen = current;
    BigDecimal factor = BigDecimal.ONE;
    boolean autoscaled = false;
    for (Recommendation r : endpoint.recommendations()) {
      switch (r.kind()) {
        case "autoscale" -> autoscaled = true;
        case "cheaper-gpu" -> {
          chosen = cheaper;
          factor = l4Factor;
        }
        default -> notes.add("endpoint: " + r.kind() + " (" + r.action() + ") is not applied to the day");
      }
    }
    int[] plan = endpointAdvisor.replicasPerSlice(merged, factor);
    if (!autoscaled) { // a fixed fleet of the peak count
      int peak = max(plan);
      java.util.Arrays.fill(plan, peak);
    }
    long sliceMs = endpoint.sliceSeconds() * 1000L;
    long firstSlice = endpoint.windowStartMillis();
    GpuInstance target = chosen;
    int[] replicas = plan;
    StringBuilder why = new StringBuilder();
    for (Recommendation r : endpoint.recommendations()) {
      why.append(why.length() == 0 ? "" : "; ").append(r.action()).append(": ").append(r.evidence());
    }
    why.append(why.length() == 0 ? "" : "; ").append("busiest slice ")
        .append(peakOutputPerSecond(merged, SLICE_SECONDS))
        .append(" output tokens/s against ").append(L40S_OUTPUT_TOKENS_PER_SECOND.multiply(factor)
            .multiply(TARGET_UTILIZATION).stripTrailingZeros().toPlainString())
        .append(" per replica of ").append(target.instanceType()).append(" at ").append(BUSY).append(" busy");
    StringBuilder assumed = new StringBuilder("one ").append(current.instanceType()).append(" replica serves ")
        .append(L40S_OUTPUT_TOKENS_PER_SECOND.toPlainString()).append(" output tokens/s (the demo's figure, not a"
            + " measurement), kept at most ").append(BUSY).append(" busy for latency");
    for (Recommendation r : endpoint.recommendations()) {
      if (r.kind().equals("cheaper-gpu")) {
        assumed.append("; ").append(r.assumption()).append(": L4 / L40S memory bandwidth (")
            .append(accelerators.require(cheaper.accelerator()).memoryBandwidthGbPerSecond()).append(" / ")
            .append(accelerators.require(current.accelerator()).memoryBandwidthGbPerSecond())
            .append(" GB/s), decoding being bound by it");
      }
    }
    whatIf = whatIf.change("endpoint chat-small on " + max(plan) + " x " + target.instanceType(), why.toString(),
        assumed.toString(),
        e -> "chat-small".equals(e.tags().get("endpoint")),
        e -> List.of(e.withUsage(pricing.gpuKey(PROVIDER, REGION, target.instanceType(), PurchaseOption.ON_DEMAND,
            e.startMillis()), gpuTime(endpointGpuMillis(e, current, target, replicas, firstSlice, sliceMs)),
            e.records())));

    // 3. fine-tune: the planner, calibrated on the run itself
    TrainingRunReport run = day.trainingRun();
    List<GpuInstance> aws = new ArrayList<>();
    for (GpuInstance g : catalog) {
      if (g.provider().equals(PROVIDER) && g.region().equals(REGION)) {
        aws.add(g);
      }
    }
    Map<String, BigDecimal> peaks = accelerators.peakTflops(aws, AcceleratorFacts.Precision.BF16);
    GpuInstance runInstance = find(catalog, run.priceKey().resource());
    BigDecimal runPeak = peaks.get(runInstance.accelerator());
    long productive = run.gpuMillis() - run.lostGpuMillis() - run.restartGpuMillis();
    BigDecimal flops = new BigDecimal(ModelFlops.of(FINE_TUNE_PARAMETERS, FINE_TUNE_PARAMETERS, runPeak)
        .flops(run.tokens()));
    // MFU = FLOPs / (GPU-seconds × peak × 10^12) = FLOPs / (GPU-ms × peak × 10^9)
    BigDecimal mfu = flops.divide(BigDecimal.valueOf(productive).multiply(runPeak).multiply(BigDecimal.TEN.pow(9)),
        MFU_SCALE, RoundingMode.HALF_EVEN);
    double instanceHours = run.gpuMillis() / 3_600_000.0 / runInstance.gpuCount();
    SpotRisk.Estimate risk = SpotRisk.estimate(new SpotRisk.Exposure(PROVIDER, REGION, runInstance.instanceType(), 1,
        run.attempts(), run.interruptions(), instanceHours, run.restartGpuMillis() / 1000.0 / run.gpus()
            / Math.max(1, run.attempts() - 1)), PRIOR, PRIOR_WEIGHT_HOURS, 0.9);
    TrainingPlanner.Builder planner = TrainingPlanner.builder(FINE_TUNE_PARAMETERS, run.tokens())
        .mfu(mfu.doubleValue()).checkpointSeconds(CHECKPOINT_SECONDS)
        .restartSeconds(run.restartGpuMillis() / 1000.0 / run.gpus() / Math.max(1, run.attempts() - 1))
        .interruptionsPerInstanceHour(risk.meanPerHour());
    peaks.forEach((accel, tflops) -> planner.peakTflops(accel, tflops.doubleValue()));
    TrainingPlanner.Result ranked = planner.build().plan(aws, snapshot.takenAtMillis());
    TrainingPlanner.Plan best = ranked.ranked().get(0);
    TrainingPlanner.Plan today = null;
    for (TrainingPlanner.Plan p : ranked.ranked()) {
      if (p.instance() == runInstance && p.option() == run.priceKey().purchaseOption()
          && p.gpus() == run.gpus()) {
        today = p;
      }
    }
    BigDecimal gpuTimeFactor = runPeak.divide(peaks.get(best.instance().accelerator()), 20, RoundingMode.HALF_EVEN);
    if (best.instance() == runInstance && best.option() == run.priceKey().purchaseOption()) {
      notes.add("fine-tune: the planner's top plan is the run's own instance and purchase option");
    } else {
      String runId = run.runId();
      whatIf = whatIf.change("fine-tune " + runId + " on " + best.describe(),
          String.format(Locale.ROOT, "6 x %,d parameters x %,d tokens = %.3e FLOPs in %s productive GPU-hours on"
              + " %s: MFU %s; %d interruptions in %.2f instance-hours (rate %.5f per instance-hour with the %s"
              + " prior); the planner ranks %d plans: first %s at %s expected, today's %s at %s, the naive pick %s"
              + " at %s", FINE_TUNE_PARAMETERS, run.tokens(), flops.doubleValue(), hours(productive),
              runInstance.accelerator(), mfu.toPlainString(), run.interruptions(), instanceHours, risk.meanPerHour(),
              PRIOR.label(), ranked.ranked().size(), best.describe(), best.expectedCost().amount(2).toPlainString(),
              today == null ? runInstance.instanceType() : today.describe(),
              today == null ? "-" : today.expectedCost().amount(2).toPlainString(),
              ranked.naive() == null ? "-" : ranked.naive().describe(),
              ranked.naive() == null ? "-" : ranked.naive().expectedCost().amount(2).toPlainString()),
          "the run reaches the same MFU on " + best.instance().accelerator() + " as measured on "
              + runInstance.accelerator() + ", so its recorded GPU time, lost work and restarts included, shrinks by"
              + " the dense BF16 peaks' ratio " + runPeak.toPlainString() + " / "
              + peaks.get(best.instance().accelerator()).toPlainString() + "; interruptions cost it the same share",
          e -> runId.equals(e.tags().get("run")),
          WhatIf.scale(gpuTimeFactor, e -> pricing.gpuKey(PROVIDER, REGION, best.instance().instanceType(),
              best.option(), e.startMillis())));
    }

    // 4. batch: the judge's calls are offline
    Predicate<LedgerSnapshot.Entry> judge = e -> e.key().kind() == PriceKey.Kind.MODEL
        && "llama-ft-v3".equals(e.tags().get("experiment"));
    LedgerSnapshot.Totals judged = snapshot.filter(judge).total();
    whatIf = whatIf.change("batch the " + judged.requests() + " judge calls",
        judged.requests() + " Claude calls tagged experiment llama-ft-v3 judge the fine-tune's samples; no user waits"
            + " on them",
        "verdicts within the provider's batch window (24 h) are soon enough; the catalog's batch tier prices every"
            + " bucket, prompt-cache reads and writes included",
        judge, WhatIf.reprice(e -> pricing.modelKey(e.key().provider(), e.key().resource(), "batch",
            e.key().contextTier(), e.startMillis())));
    notes.add("lr-sweep: its A10G (g5.12xlarge) has no accelerator facts to plan with, and its budget"
        + " already stopped it at " + BudgetScenario.SWEEP_LIMIT.amount(2).toPlainString());
    return new Advice(whatIf.apply(), List.copyOf(routed), endpoint, target, replicas, mfu, best, gpuTimeFactor,
        List.copyOf(notes));
  }

  /** The usage of the routed calls made in the entry's time slot. */
  static WhatIf.Part part(LedgerSnapshot.Entry e, List<PlatformDemo.ApiCall> calls) {
    long[] q = new long[UsageBucket.COUNT];
    long n = 0;
    for (PlatformDemo.ApiCall c : calls) {
      if (c.atMillis() >= e.startMillis() && c.atMillis() < e.endMillis()) {
        for (int b = 0; b < q.length; b++) {
          q[b] += c.usage().get(b);
        }
        n++;
      }
    }
    return new WhatIf.Part(q, n);
  }

  /**
   * The endpoint's GPU-milliseconds in the entry's slot after the advice: the replicas of every slice
   * overlapping it × the overlap × the new instance's GPUs, scaled by the share of the slot the recorded
   * fleet (one replica of {@code from}) ran.
   */
  static long endpointGpuMillis(LedgerSnapshot.Entry e, GpuInstance from, GpuInstance to, int[] replicas,
      long firstSlice, long sliceMs) {
    long start = e.startMillis();
    long end = e.endMillis();
    if (start == Long.MIN_VALUE) {
      throw new IllegalArgumentException("an endpoint entry without a time slot: " + e);
    }
    long replicaMs = 0;
    for (long t = start; t < end; ) {
      int s = (int) Math.floorDiv(t - firstSlice, sliceMs);
      long sliceEnd = firstSlice + (s + 1L) * sliceMs;
      long upTo = Math.min(end, sliceEnd);
      int r = s >= 0 && s < replicas.length ? replicas[s] : replicas[replicas.length - 1];
      replicaMs += r * (upTo - t);
      t = upTo;
    }
    BigDecimal ran = BigDecimal.valueOf(e.quantity(UsageBucket.GPU_TIME))
        .divide(BigDecimal.valueOf((end - start) * from.gpuCount()), 20, RoundingMode.HALF_EVEN);
    return WhatIf.scaled(replicaMs * to.gpuCount(), ran);
  }

  private static long[] gpuTime(long gpuMillis) {
    long[] q = new long[UsageBucket.COUNT];
    q[UsageBucket.GPU_TIME.ordinal()] = gpuMillis;
    return q;
  }

  /** chat-small's requests and the routed calls (input, uncached and cached; output) in one log. */
  static RequestLog merge(RequestLog served, List<PlatformDemo.ApiCall> routed) {
    int n = served.size() + routed.size();
    long[] t = new long[n];
    long[] in = new long[n];
    long[] out = new long[n];
    for (int i = 0; i < served.size(); i++) {
      t[i] = served.time(i);
      in[i] = served.inputTokens(i);
      out[i] = served.outputTokens(i);
    }
    for (int i = 0; i < routed.size(); i++) {
      PlatformDemo.ApiCall c = routed.get(i);
      t[served.size() + i] = c.atMillis();
      in[served.size() + i] = c.usage().inputTokens();
      out[served.size() + i] = c.usage().outputTokens();
    }
    return new RequestLog(t, in, out);
  }

  /** The most output tokens per second any slice of {@code sliceSeconds} asks for, to 1 place. */
  static String peakOutputPerSecond(RequestLog log, int sliceSeconds) {
    long sliceMs = sliceSeconds * 1000L;
    long start = Math.floorDiv(log.time(0), sliceMs) * sliceMs;
    java.util.Map<Long, Long> out = new java.util.HashMap<>();
    for (int i = 0; i < log.size(); i++) {
      out.merge((log.time(i) - start) / sliceMs, log.outputTokens(i), Long::sum);
    }
    long peak = out.values().stream().mapToLong(Long::longValue).max().orElse(0);
    return BigDecimal.valueOf(peak).divide(BigDecimal.valueOf(sliceSeconds), 1, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static GpuInstance find(List<GpuInstance> catalog, String type) {
    for (GpuInstance g : catalog) {
      if (g.instanceType().equals(type)) {
        return g;
      }
    }
    throw new IllegalArgumentException("instance type '" + type + "' is not in the catalog");
  }

  private static int max(int[] a) {
    int m = 0;
    for (int v : a) {
      m = Math.max(m, v);
    }
    return m;
  }

  private static String percent(long part, long whole) {
    return BigDecimal.valueOf(part * 100L).divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_EVEN)
        .toPlainString() + "%";
  }

  private static String hours(long millis) {
    return BigDecimal.valueOf(millis).divide(BigDecimal.valueOf(3_600_000L), 2, RoundingMode.HALF_EVEN)
        .toPlainString();
  }
}
