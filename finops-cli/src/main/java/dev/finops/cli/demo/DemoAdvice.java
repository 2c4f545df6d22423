package dev.finops.cli.demo;

import dev.finops.advisor.Accelerators;
import dev.finops.advisor.EndpointAdvice;
import dev.finops.advisor.EndpointAdvisor;
import dev.finops.advisor.Recommendation;
import dev.finops.advisor.RequestLog;
import dev.finops.advisor.SpotRisk;
import dev.finops.advisor.TrainingPlanner;
import dev.finops.advisor.UtilizationAdvice;
import dev.finops.advisor.UtilizationAdvisor;
import dev.finops.core.Money;
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
 *   <li><b>endpoint</b>: {@link EndpointAdvisor} on chat-small's requests, routed calls included, at a
 *       measured L40S throughput and latency, with the L4 ({@code g6.xlarge}) as an alternative at the
 *       L4/L40S memory-bandwidth ratio from the accelerator facts (decoding is bound by memory bandwidth,
 *       so the L4 is also that much slower per token, and is left out when that misses the latency
 *       target); when the advisor changes the fleet, its GPU time becomes the fleet it recommends on the
 *       recommended instance (replicas per 5-minute slice when it recommends autoscaling, else its peak
 *       count all day), else the endpoint gets a note and no line;
 *   <li><b>fine-tune</b>: {@link TrainingPlanner} over the AWS us-east-1 instances with accelerator facts,
 *       its MFU calibrated on the run's own productive GPU time and its spot risk on the run's own
 *       interruptions; the run's recorded GPU time (lost work and restarts included) shrinks by the ratio
 *       of the dense BF16 peaks and is priced as the top plan's instance and purchase option;
 *   <li><b>batch</b>: the Claude calls that judge the fine-tune's samples (tagged with its experiment,
 *       offline: no user waits on them) are priced at the batch tier.
 * </ol>
 *
 * The sweep gets no line: it already runs on spot, its A10G has no accelerator facts to plan with, and its
 * budget already capped it.
 */
public final class DemoAdvice {

  /**
   * Output tokens per second one L40S ({@code g6e.xlarge}) replica of Llama 3.1 8B Instruct serves: 1,005.0,
   * measured with vLLM (chunked prefill, one GPU, 16-bit weights) at 7 requests/s of about 509 input and 150
   * output tokens, the highest load of the published series whose median time per output token (42.2 ms)
   * meets the demo's {@link #TPOT_TARGET_MILLIS}; median time to first token 131.7 ms. Crusoe's cookbook,
   * {@value #THROUGHPUT_SOURCE}, file raw_data/vllm-7.0qps-Meta-Llama-3.1-8B-Instruct-20240829-162504.json
   * (output_throughput 1005.014776773712, median_tpot_ms 42.20574478183806), 2024-08-29.
   */
  public static final BigDecimal L40S_OUTPUT_TOKENS_PER_SECOND = new BigDecimal("1005.0");
  /** The median time per output token at {@link #L40S_OUTPUT_TOKENS_PER_SECOND}, milliseconds. */
  public static final BigDecimal L40S_TPOT_MILLIS = new BigDecimal("42.2");
  /**
   * The endpoint's latency target: at most 50 ms per output token at the median (20 tokens/s to each user,
   * faster than people read). A GPU that decodes slower than that at the same batch is not an alternative.
   */
  public static final BigDecimal TPOT_TARGET_MILLIS = new BigDecimal("50");
  /** Where {@link #L40S_OUTPUT_TOKENS_PER_SECOND} comes from. */
  public static final String THROUGHPUT_SOURCE =
      "https://github.com/crusoecloud/crusoe-cookbook/tree/8e3fc6e7741d0b6334c1b79b322509a79b3b0da6/content/vllm-l40s-fp8";
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
   * @param endpointOutputTokensPerSecond what one replica of the endpoint's instance serves, as derived
   * @param mfu the fine-tune's MFU on its productive GPU time
   * @param plan the planner's top plan for the fine-tune
   * @param gpuTimeFactor the fine-tune's GPU time after over before (the peaks' ratio)
   * @param evalBox the utilization advisor's answer on the evaluation box's GPUs
   * @param notes what got no line, and why
   */
  public record Advice(WhatIf.Result whatIf, List<PlatformDemo.ApiCall> routedCalls, EndpointAdvice endpoint,
      GpuInstance endpointInstance, int[] endpointReplicas, BigDecimal endpointOutputTokensPerSecond, BigDecimal mfu,
      TrainingPlanner.Plan plan, BigDecimal gpuTimeFactor, UtilizationAdvice evalBox, List<String> notes) {}

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
    BigDecimal perReplica = L40S_OUTPUT_TOKENS_PER_SECOND;
    EndpointAdvisor endpointAdvisor = EndpointAdvisor.builder(catalog, current).currentReplicas(1)
        .outputTokensPerSecond(perReplica).targetUtilization(TARGET_UTILIZATION)
        .timePerOutputToken(L40S_TPOT_MILLIS, TPOT_TARGET_MILLIS)
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
            perReplica.toPlainString(), BUSY, peakOutputPerSecond(merged, SLICE_SECONDS)),
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
    String throughput = "one " + current.instanceType() + " replica serves " + perReplica.toPlainString()
        + " output tokens/s at a median " + L40S_TPOT_MILLIS.toPlainString() + " ms per output token (measured, "
        + THROUGHPUT_SOURCE + "), kept at most " + BUSY + " busy for latency; the target is "
        + TPOT_TARGET_MILLIS.toPlainString() + " ms per output token";
    String cheaperFleet = endpoint.excluded().isEmpty() ? ""
        : "; not considered: " + String.join("; ", endpoint.excluded()) + " (a GPU with " + l4Factor.toPlainString()
            + " x the L40S's memory bandwidth decodes that much slower at the same batch)";
    if (chosen == current && !autoscaled && max(plan) == 1) {
      notes.add("endpoint chat-small: the advisor keeps its one " + current.instanceType() + " all day: the"
          + " busiest 5-minute slice, routed calls included, asks " + peakOutputPerSecond(merged, SLICE_SECONDS)
          + " output tokens/s of one replica's " + perReplica.multiply(TARGET_UTILIZATION).stripTrailingZeros()
          .toPlainString() + ", and every slice has requests, so none goes to zero" + cheaperFleet + "; "
          + throughput);
    } else {
      StringBuilder why = new StringBuilder();
      for (Recommendation r : endpoint.recommendations()) {
        why.append(why.length() == 0 ? "" : "; ").append(r.action()).append(": ").append(r.evidence());
      }
      why.append(why.length() == 0 ? "" : "; ").append("busiest slice ")
          .append(peakOutputPerSecond(merged, SLICE_SECONDS))
          .append(" output tokens/s against ").append(perReplica.multiply(factor)
              .multiply(TARGET_UTILIZATION).stripTrailingZeros().toPlainString())
          .append(" per replica of ").append(target.instanceType()).append(" at ").append(BUSY).append(" busy");
      StringBuilder assumed = new StringBuilder(throughput);
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
    }

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
        run.attempts(), run.interruptions(), instanceHours, restartSeconds(run)), PRIOR,
        PRIOR_WEIGHT_HOURS, 0.9);
    TrainingPlanner.Builder planner = TrainingPlanner.builder(FINE_TUNE_PARAMETERS, run.tokens())
        .mfu(mfu.doubleValue()).checkpointSeconds(CHECKPOINT_SECONDS)
        .restartSeconds(restartSeconds(run))
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

    // 4. eval box: idle GPUs released and the busy ones consolidated, from its per-minute samples
    GpuInstance box = find(catalog, PlatformDemo.EVAL_BOX_INSTANCE);
    UtilizationAdvice boxAdvice = UtilizationAdvisor.builder(catalog, box).build().advise(day.evalBoxGpus());
    int freed = 0;
    StringBuilder boxWhy = new StringBuilder();
    StringBuilder boxAssumed = new StringBuilder();
    for (Recommendation r : boxAdvice.recommendations()) {
      switch (r.kind()) {
        case "idle-gpu" -> freed += r.subjects().size();
        case "consolidate" -> freed += r.subjects().size() - 1;
        default -> {
          notes.add("eval box: " + r.kind() + " (" + r.action() + ") is not applied to the day");
          continue;
        }
      }
      boxWhy.append(boxWhy.length() == 0 ? "" : "; ").append(r.action()).append(": ").append(r.evidence());
      if (boxAssumed.indexOf(r.assumption()) < 0) {
        boxAssumed.append(boxAssumed.length() == 0 ? "" : "; ").append(r.assumption());
      }
    }
    int boxGpus = day.evalBoxGpus().size();
    GpuInstance smaller = freed == 0 ? null
        : smallestFor(pricing, catalog, box, boxGpus - freed, boxAdvice.windowEndMillis());
    if (smaller == null) {
      notes.add("eval box: " + (freed == 0 ? "every GPU is needed" : "no " + box.accelerator() + " instance with "
          + (boxGpus - freed) + " GPUs in " + PROVIDER + " " + REGION));
    } else {
      BigDecimal kept = BigDecimal.valueOf(boxGpus - freed).divide(BigDecimal.valueOf(boxGpus), 20,
          RoundingMode.HALF_EVEN);
      whatIf = whatIf.change("eval box on 1 x " + smaller.instanceType() + " (" + smaller.gpuCount() + " x "
              + smaller.accelerator() + ") instead of " + box.instanceType(),
          "UtilizationAdvisor on its " + boxGpus + " GPUs' per-minute samples: " + boxWhy + "; so "
              + (boxGpus - freed) + " of " + boxGpus + " GPUs can carry its work",
          boxAssumed + "; the box's CPU and memory needs fit a " + smaller.instanceType(),
          e -> PlatformDemo.EVAL_BOX_PROJECT.equals(e.tags().get("project")),
          WhatIf.scale(kept, e -> pricing.gpuKey(PROVIDER, REGION, smaller.instanceType(), PurchaseOption.ON_DEMAND,
              e.startMillis())));
    }

    // 5. batch: the judge's calls are offline
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
    boolean sweepOnSpot = snapshot.where("experiment", "lr-sweep").entries().stream()
        .allMatch(e -> e.key().purchaseOption() == PurchaseOption.SPOT);
    notes.add("lr-sweep: " + (sweepOnSpot ? "already on spot" : "on demand") + "; not re-planned on another instance type: its A10G (g5.12xlarge) has no"
        + " accelerator facts to plan with; its budget stopped it at "
        + BudgetScenario.SWEEP_LIMIT.amount(2).toPlainString());
    return new Advice(whatIf.apply(), List.copyOf(routed), endpoint, target, replicas, perReplica, mfu, best,
        gpuTimeFactor, boxAdvice, List.copyOf(notes));
  }

  /**
   * The instance of {@code like}'s accelerator, provider and region with exactly {@code gpus} GPUs that
   * costs least on demand at {@code at}, or {@code null}.
   */
  static GpuInstance smallestFor(Pricing pricing, List<GpuInstance> catalog, GpuInstance like, int gpus, long at) {
    GpuInstance best = null;
    Money bestPrice = null;
    for (GpuInstance g : catalog) {
      if (g.gpuCount() != gpus || !g.accelerator().equals(like.accelerator()) || !g.provider().equals(like.provider())
          || !g.region().equals(like.region())) {
        continue;
      }
      Money price = pricing.gpuRate(g.provider(), g.region(), g.instanceType(), PurchaseOption.ON_DEMAND, at).hourly();
      if (bestPrice == null || price.compareTo(bestPrice) < 0) {
        best = g;
        bestPrice = price;
      }
    }
    return best;
  }

  /** Seconds per restart of the fine-tune: its restart GPU time over its GPUs and restarts. */
  static double restartSeconds(TrainingRunReport run) {
    return run.restartGpuMillis() / 1000.0 / run.gpus() / Math.max(1, run.attempts() - 1);
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
