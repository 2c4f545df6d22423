package dev.finops.advisor;

import dev.finops.core.Money;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.PurchaseOption;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Sizing of an inference endpoint from its requests ({@link RequestLog}) and the throughput of one replica
 * (given, in tokens per second). The window is cut into slices (default 5 minutes); a slice needs the
 * fewest replicas that serve its output (and, if given, input) tokens with each replica at most at the
 * target utilization (default 0.7: the headroom that keeps queueing, hence latency, bounded), and at
 * least {@code minReplicas} (default 1). Recommendations, each on top of the previous:
 *
 * <ol>
 *   <li><b>autoscale</b>: replicas per slice instead of the fixed count;
 *   <li><b>scale-to-zero</b>: in every gap between requests longer than the idle timeout plus the cold
 *       start, the last replicas go away after the idle timeout; each such gap adds one cold start;
 *   <li>the best <b>alternative</b>: batching (when the arrivals form batches of 2 or more within the
 *       batching window; throughput × the given factor), a quantized model (throughput × the given
 *       factor) or another instance type (at its throughput factor), priced at that instance's rate.
 * </ol>
 *
 * <p>Costs are replica-milliseconds × the catalog's hourly price of the instance, scaled to a month of
 * {@value Advisor#HOURS_PER_MONTH} hours by the window's length: exact {@link Money}.
 */
public final class EndpointAdvisor {

  private static final long HOUR_MS = 3_600_000L;

  private final List<GpuInstance> catalog;
  private final GpuInstance instance;
  private final PurchaseOption option;
  private final int currentReplicas;
  private final BigDecimal outputTps;
  private final BigDecimal inputTps;
  private final BigDecimal targetUtilization;
  private final int sliceSeconds;
  private final int minReplicas;
  private final long coldStartMillis;
  private final long idleTimeoutMillis;
  private final BigDecimal batchingFactor;
  private final long batchWindowMillis;
  private final int maxBatch;
  private final BigDecimal quantizedFactor;
  private final Map<String, BigDecimal> whatIf;
  private final BigDecimal tpotMillis;
  private final BigDecimal tpotTargetMillis;

  private EndpointAdvisor(Builder b) {
    this.catalog = b.catalog;
    this.instance = b.instance;
    this.option = b.option;
    if (b.currentReplicas < 1) {
      throw new IllegalArgumentException("the current replica count is required (at least 1)");
    }
    this.currentReplicas = b.currentReplicas;
    this.outputTps = Objects.requireNonNull(b.outputTps, "the output tokens per second of one replica are required");
    this.inputTps = b.inputTps;
    this.targetUtilization = b.targetUtilization;
    this.sliceSeconds = b.sliceSeconds;
    this.minReplicas = b.minReplicas;
    this.coldStartMillis = b.coldStartMillis;
    this.idleTimeoutMillis = b.idleTimeoutMillis;
    this.batchingFactor = b.batchingFactor;
    this.batchWindowMillis = b.batchWindowMillis;
    this.maxBatch = b.maxBatch;
    this.quantizedFactor = b.quantizedFactor;
    this.whatIf = new LinkedHashMap<>(b.whatIf);
    this.tpotMillis = b.tpotMillis;
    this.tpotTargetMillis = b.tpotTargetMillis;
  }

  public static Builder builder(List<GpuInstance> candidates, GpuInstance instance) {
    return new Builder(candidates, instance);
  }

  /**
   * The replicas each slice needs at {@code factor} × the given throughput: the smallest count whose
   * capacity at the target utilization covers the slice's tokens, at least {@code minReplicas}, at least
   * one when the slice has requests.
   */
  public int[] replicasPerSlice(RequestLog log, BigDecimal factor) {
    long sliceMs = sliceSeconds * 1000L;
    long start = Math.floorDiv(log.time(0), sliceMs) * sliceMs;
    int slices = (int) ((log.time(log.size() - 1) - start) / sliceMs + 1);
    long[] in = new long[slices];
    long[] out = new long[slices];
    int[] count = new int[slices];
    for (int i = 0; i < log.size(); i++) {
      int s = (int) ((log.time(i) - start) / sliceMs);
      in[s] += log.inputTokens(i);
      out[s] += log.outputTokens(i);
      count[s]++;
    }
    BigDecimal perReplica = targetUtilization.multiply(factor).multiply(BigDecimal.valueOf(sliceSeconds));
    BigDecimal outCapacity = outputTps.multiply(perReplica);
    BigDecimal inCapacity = inputTps == null ? null : inputTps.multiply(perReplica);
    int[] replicas = new int[slices];
    for (int s = 0; s < slices; s++) {
      long need = ceilDiv(out[s], outCapacity);
      if (inCapacity != null) {
        need = Math.max(need, ceilDiv(in[s], inCapacity));
      }
      if (count[s] > 0) {
        need = Math.max(need, 1);
      }
      replicas[s] = (int) Math.max(need, minReplicas);
    }
    return replicas;
  }

  private static long ceilDiv(long tokens, BigDecimal capacity) {
    return BigDecimal.valueOf(tokens).divide(capacity, 0, RoundingMode.CEILING).longValueExact();
  }

  /** The scale-to-zero windows: {@code [zero milliseconds, cold starts]} over the gaps between requests. */
  public long[] scaleToZero(RequestLog log) {
    long zero = 0;
    long starts = 0;
    for (int i = 1; i < log.size(); i++) {
      long off = log.time(i) - log.time(i - 1) - idleTimeoutMillis;
      if (off >= coldStartMillis && off > 0) {
        zero += off;
        starts++;
      }
    }
    return new long[] {zero, starts};
  }

  /** The mean size of the batches the arrivals form: a batch opens with a request and closes after the window or at the maximum. */
  public double meanBatchSize(RequestLog log) {
    int batches = 0;
    int i = 0;
    while (i < log.size()) {
      int j = i;
      while (j < log.size() && log.time(j) - log.time(i) <= batchWindowMillis && j - i < maxBatch) {
        j++;
      }
      batches++;
      i = j;
    }
    return (double) log.size() / batches;
  }

  public EndpointAdvice advise(RequestLog log) {
    long sliceMs = sliceSeconds * 1000L;
    long start = Math.floorDiv(log.time(0), sliceMs) * sliceMs;
    long end = log.time(log.size() - 1);
    Money replicaHour = hourly(instance, end);
    int[] plan = replicasPerSlice(log, BigDecimal.ONE);
    int slices = plan.length;
    long windowMs = slices * sliceMs;
    int[] requests = new int[slices];
    for (int i = 0; i < log.size(); i++) {
      requests[(int) ((log.time(i) - start) / sliceMs)]++;
    }
    long planReplicaMs = sum(plan) * sliceMs;
    long fixedReplicaMs = currentReplicas * windowMs;
    Money current = monthly(replicaHour, fixedReplicaMs, windowMs);
    List<Recommendation> recs = new ArrayList<>();
    String window = String.format(Locale.ROOT, "%d requests over %d slices of %d s (%.1f h)", log.size(), slices,
        sliceSeconds, windowMs / 3_600_000.0);
    int peak = 0;
    int over = 0;
    for (int r : plan) {
      peak = Math.max(peak, r);
      over += r > currentReplicas ? 1 : 0;
    }
    Money advised = current;
    if (planReplicaMs < fixedReplicaMs) {
      Money afterAutoscale = monthly(replicaHour, planReplicaMs, windowMs);
      recs.add(new Recommendation("autoscale", List.of(instance.instanceType()),
          "scale the endpoint per " + sliceSeconds + " s slice between " + minOf(plan) + " and " + peak
              + " replicas instead of a fixed " + currentReplicas,
          String.format(Locale.ROOT, "%s; mean %.2f replicas needed, peak %d%s", window,
              (double) sum(plan) / slices, peak, over == 0 ? "" : "; " + over + " slices need more than "
                  + currentReplicas + " (the fixed fleet misses the target there)"),
          assumptionOfThroughput() + "; replicas start within a slice", current.minus(afterAutoscale)));
      advised = afterAutoscale;
    } else {
      planReplicaMs = fixedReplicaMs;
    }

    long[] zero = minReplicas > 0 ? scaleToZero(log) : new long[] {0, 0};
    // a fixed fleet goes to zero whole; an autoscaled one holds minReplicas in every slice, at least, in a gap
    long zeroReplicaMs = zero[0] * (planReplicaMs == fixedReplicaMs ? currentReplicas : minReplicas);
    double coldStartsPerMonth = zero[1] * (Advisor.HOURS_PER_MONTH * (double) HOUR_MS) / windowMs;
    if (zero[1] > 0 && zeroReplicaMs > 0) {
      Money afterZero = monthly(replicaHour, planReplicaMs - zeroReplicaMs, windowMs);
      recs.add(new Recommendation("scale-to-zero", List.of(instance.instanceType()),
          "scale to zero after " + idleTimeoutMillis / 1000 + " s without a request",
          String.format(Locale.ROOT, "%d idle gaps longer than the idle timeout %d s plus the cold start %d s, %.1f h"
              + " without a replica in all; adds %d cold starts (%.0f a month), each delaying its first request"
              + " by up to %d s", zero[1], idleTimeoutMillis / 1000, coldStartMillis / 1000, zero[0] / 3_600_000.0,
              zero[1], coldStartsPerMonth, coldStartMillis / 1000),
          "the first request after a gap may wait for the cold start", advised.minus(afterZero)));
      advised = afterZero;
    } else {
      zeroReplicaMs = 0;
    }

    double batch = batchingFactor == null ? 1.0 : meanBatchSize(log);
    Map<String, Money> alternatives = new LinkedHashMap<>();
    Map<String, String> evidence = new LinkedHashMap<>();
    Map<String, String> assumption = new LinkedHashMap<>();
    Map<String, String> action = new LinkedHashMap<>();
    boolean autoscaled = planReplicaMs != fixedReplicaMs;
    List<String> excluded = new ArrayList<>();
    if (batchingFactor != null && batch >= 2) {
      alternatives.put("batching", alternativeCost(log, batchingFactor, replicaHour, autoscaled, zeroReplicaMs,
          windowMs));
      action.put("batching", "batch requests dynamically (window " + batchWindowMillis + " ms, at most " + maxBatch + ")");
      evidence.put("batching", String.format(Locale.ROOT, "arrivals form batches of %.2f on average within %d ms",
          batch, batchWindowMillis));
      assumption.put("batching", "batched throughput is " + batchingFactor.toPlainString() + " × the given one");
    }
    String quantizedTooSlow = quantizedFactor == null ? null : tooSlow(quantizedFactor);
    if (quantizedTooSlow != null) {
      excluded.add("a quantized model at " + quantizedFactor.toPlainString() + " × the throughput: "
          + quantizedTooSlow);
    } else if (quantizedFactor != null) {
      alternatives.put("quantize", alternativeCost(log, quantizedFactor, replicaHour, autoscaled, zeroReplicaMs,
          windowMs));
      action.put("quantize", "serve a quantized model on the same " + instance.instanceType());
      evidence.put("quantize", "at " + quantizedFactor.toPlainString() + " × the throughput the peak needs "
          + replicas(max(replicasPerSlice(log, quantizedFactor))) + " instead of " + peak);
      assumption.put("quantize", "the quantized model meets the quality bar at " + quantizedFactor.toPlainString()
          + " × the throughput");
    }
    for (Map.Entry<String, BigDecimal> w : whatIf.entrySet()) {
      GpuInstance other = find(w.getKey());
      Money otherHour = hourly(other, end);
      String key = "cheaper-gpu:" + other.instanceType();
      String tooSlow = tooSlow(w.getValue());
      if (tooSlow != null) {
        excluded.add(other.instanceType() + " (" + other.gpuCount() + " × " + other.accelerator() + ") at "
            + w.getValue().toPlainString() + " × the throughput: " + tooSlow);
        continue;
      }
      alternatives.put(key, alternativeCost(log, w.getValue(), otherHour, autoscaled, zeroReplicaMs, windowMs));
      action.put(key, "move the endpoint to " + other.instanceType() + " (" + other.gpuCount() + " × "
          + other.accelerator() + ")");
      evidence.put(key, "at " + w.getValue().toPlainString() + " × the throughput the peak needs "
          + replicas(max(replicasPerSlice(log, w.getValue()))) + " instead of " + peak + "; replica-hour "
          + otherHour.amount(6).toPlainString() + " against " + replicaHour.amount(6).toPlainString());
      assumption.put(key, "a replica on " + other.instanceType() + " gives " + w.getValue().toPlainString()
          + " × the given throughput");
    }
    String best = null;
    for (Map.Entry<String, Money> a : alternatives.entrySet()) {
      if (a.getValue().compareTo(advised) < 0 && (best == null || a.getValue().compareTo(alternatives.get(best)) < 0)) {
        best = a.getKey();
      }
    }
    if (best != null) {
      StringBuilder others = new StringBuilder();
      for (Map.Entry<String, Money> a : alternatives.entrySet()) {
        if (!a.getKey().equals(best)) {
          others.append("; instead, ").append(a.getKey()).append(" would cost ")
              .append(a.getValue().amount(2).toPlainString()).append(" a month");
        }
      }
      Money after = alternatives.get(best);
      recs.add(new Recommendation(best.startsWith("cheaper-gpu") ? "cheaper-gpu" : best,
          List.of(instance.instanceType()), action.get(best), evidence.get(best) + others, assumption.get(best),
          advised.minus(after)));
      advised = after;
    }
    List<Integer> planList = new ArrayList<>();
    List<Integer> requestList = new ArrayList<>();
    for (int s = 0; s < slices; s++) {
      planList.add(plan[s]);
      requestList.add(requests[s]);
    }
    return new EndpointAdvice(instance, replicaHour, currentReplicas, sliceSeconds, start, planList, requestList,
        current, advised, coldStartsPerMonth, batch, recs, current.minus(advised), excluded);
  }

  private Money alternativeCost(RequestLog log, BigDecimal factor, Money hour, boolean autoscaled, long zeroReplicaMs,
      long windowMs) {
    int[] plan = replicasPerSlice(log, factor);
    long replicaMs = autoscaled ? sum(plan) * (sliceSeconds * 1000L)
        : (long) max(plan) * windowMs;
    return monthly(hour, replicaMs - zeroReplicaMs, windowMs);
  }

  /**
   * Why a replica at {@code factor} × the throughput misses the time-per-output-token target, or
   * {@code null} when it meets it (or no target was given). At the same batch a replica that decodes
   * {@code factor} × as fast takes 1/{@code factor} × as long per token.
   */
  private String tooSlow(BigDecimal factor) {
    if (tpotTargetMillis == null) {
      return null;
    }
    if (tpotMillis.compareTo(tpotTargetMillis.multiply(factor)) <= 0) {
      return null;
    }
    BigDecimal scaled = tpotMillis.divide(factor, 1, RoundingMode.HALF_EVEN);
    return "time per output token " + tpotMillis.toPlainString() + " ms / " + factor.toPlainString() + " = "
        + scaled.toPlainString() + " ms, over the " + tpotTargetMillis.toPlainString() + " ms target";
  }

  private String assumptionOfThroughput() {
    return "one replica serves " + outputTps.toPlainString() + " output tokens/s"
        + (inputTps == null ? "" : " and " + inputTps.toPlainString() + " input tokens/s")
        + ", kept at most " + targetUtilization.movePointRight(2).stripTrailingZeros().toPlainString()
        + "% busy for the latency target";
  }

  private GpuInstance find(String type) {
    for (GpuInstance g : catalog) {
      if (g.instanceType().equalsIgnoreCase(type)) {
        return g;
      }
    }
    throw new IllegalArgumentException("unknown instance type '" + type + "'");
  }

  private Money hourly(GpuInstance g, long at) {
    return Advisor.perGpuHour(g, option, at).times(g.gpuCount());
  }

  /** {@code replicaMs} replica-milliseconds in a window of {@code windowMs}, as a month: exact. */
  static Money monthly(Money replicaHour, long replicaMs, long windowMs) {
    return replicaHour.times(BigDecimal.valueOf(replicaMs).multiply(BigDecimal.valueOf(Advisor.HOURS_PER_MONTH)))
        .dividedBy(windowMs);
  }

  private static long sum(int[] a) {
    long s = 0;
    for (int v : a) {
      s += v;
    }
    return s;
  }

  private static int max(int[] a) {
    int m = 0;
    for (int v : a) {
      m = Math.max(m, v);
    }
    return m;
  }

  private static int minOf(int[] a) {
    int m = Integer.MAX_VALUE;
    for (int v : a) {
      m = Math.min(m, v);
    }
    return m;
  }

  /** Options of an {@link EndpointAdvisor}. */
  public static final class Builder {
    private final List<GpuInstance> catalog;
    private final GpuInstance instance;
    private PurchaseOption option = PurchaseOption.ON_DEMAND;
    private int currentReplicas;
    private BigDecimal outputTps;
    private BigDecimal inputTps;
    private BigDecimal targetUtilization = new BigDecimal("0.7");
    private int sliceSeconds = 300;
    private int minReplicas = 1;
    private long coldStartMillis = 60_000;
    private long idleTimeoutMillis = 300_000;
    private BigDecimal batchingFactor;
    private long batchWindowMillis = 50;
    private int maxBatch = 32;
    private BigDecimal quantizedFactor;
    private final Map<String, BigDecimal> whatIf = new LinkedHashMap<>();
    private BigDecimal tpotMillis;
    private BigDecimal tpotTargetMillis;

    private Builder(List<GpuInstance> catalog, GpuInstance instance) {
      this.catalog = List.copyOf(catalog);
      this.instance = Objects.requireNonNull(instance, "instance");
    }

    public Builder purchaseOption(PurchaseOption o) {
      this.option = Objects.requireNonNull(o, "option");
      return this;
    }

    /** The replicas the endpoint runs today, all the time. */
    public Builder currentReplicas(int n) {
      this.currentReplicas = n;
      return this;
    }

    /** Output tokens per second one replica serves (required). */
    public Builder outputTokensPerSecond(BigDecimal tps) {
      this.outputTps = positive(tps, "output tokens per second");
      return this;
    }

    /** Input (prefill) tokens per second one replica serves; without it input does not limit. */
    public Builder inputTokensPerSecond(BigDecimal tps) {
      this.inputTps = positive(tps, "input tokens per second");
      return this;
    }

    /** The most a replica may be busy, in (0, 1] (default 0.7). */
    public Builder targetUtilization(BigDecimal u) {
      if (u.signum() <= 0 || u.compareTo(BigDecimal.ONE) > 0) {
        throw new IllegalArgumentException("target utilization must be in (0, 1]: " + u);
      }
      this.targetUtilization = u;
      return this;
    }

    public Builder sliceSeconds(int s) {
      if (s < 1) {
        throw new IllegalArgumentException("slice must be at least 1 s: " + s);
      }
      this.sliceSeconds = s;
      return this;
    }

    public Builder minReplicas(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("minimum replicas must not be negative: " + n);
      }
      this.minReplicas = n;
      return this;
    }

    public Builder coldStartSeconds(long s) {
      this.coldStartMillis = nonNegative(s, "cold start") * 1000;
      return this;
    }

    public Builder idleTimeoutSeconds(long s) {
      this.idleTimeoutMillis = nonNegative(s, "idle timeout") * 1000;
      return this;
    }

    /** Consider dynamic batching: throughput × {@code factor} when the arrivals batch (window, maximum size). */
    public Builder batching(BigDecimal factor, long windowMillis, int max) {
      this.batchingFactor = positive(factor, "batching factor");
      this.batchWindowMillis = nonNegative(windowMillis, "batch window");
      if (max < 2) {
        throw new IllegalArgumentException("maximum batch must be at least 2: " + max);
      }
      this.maxBatch = max;
      return this;
    }

    /**
     * The time per output token a replica takes at the given throughput ({@link #outputTokensPerSecond}), and
     * the most the endpoint may take: a GPU or a quantized model at a throughput factor f takes 1/f × as long
     * per token at the same batch, and is not considered when that is over the target.
     */
    public Builder timePerOutputToken(BigDecimal measuredMillis, BigDecimal targetMillis) {
      BigDecimal measured = positive(measuredMillis, "time per output token");
      BigDecimal target = positive(targetMillis, "time-per-output-token target");
      if (measured.compareTo(target) > 0) {
        throw new IllegalArgumentException("time per output token " + measured.toPlainString()
            + " ms is already over the " + target.toPlainString() + " ms target at the given throughput");
      }
      this.tpotMillis = measured;
      this.tpotTargetMillis = target;
      return this;
    }

    /** Consider a quantized model on the same instance at {@code factor} × the throughput. */
    public Builder quantized(BigDecimal factor) {
      this.quantizedFactor = positive(factor, "quantized throughput factor");
      return this;
    }

    /** Consider {@code instanceType} (from the candidates) at {@code factor} × the throughput of one replica. */
    public Builder whatIf(String instanceType, BigDecimal factor) {
      whatIf.put(Objects.requireNonNull(instanceType, "instanceType"), positive(factor, "throughput factor"));
      return this;
    }

    public EndpointAdvisor build() {
      return new EndpointAdvisor(this);
    }

    private static BigDecimal positive(BigDecimal v, String what) {
      if (v.signum() <= 0) {
        throw new IllegalArgumentException(what + " must be positive: " + v.toPlainString());
      }
      return v;
    }

    private static long nonNegative(long v, String what) {
      if (v < 0) {
        throw new IllegalArgumentException(what + " must not be negative: " + v);
      }
      return v;
    }
  }

  /** {@code "1 replica"}, {@code "3 replicas"}. */
  private static String replicas(int n) {
    return n + (n == 1 ? " replica" : " replicas");
  }
}
