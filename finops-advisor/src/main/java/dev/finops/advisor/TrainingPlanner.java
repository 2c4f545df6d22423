package dev.finops.advisor;

import dev.finops.core.Money;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.GpuPrice;
import dev.finops.core.catalog.PurchaseOption;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plans a training run: compute ≈ 6·N·D FLOPs for N parameters and D tokens; memory ≈ N × bytes per
 * parameter (16 for mixed-precision Adam: weights, gradients, fp32 master and two moments) × (1 +
 * activation overhead), sharded across the GPUs (ZeRO-3 / FSDP); so each instance type has a smallest
 * feasible instance count, and every count up to a maximum is planned. Time = FLOPs / (GPUs × peak ×
 * MFU), perfect scaling assumed; the peak FLOP/s of each accelerator is given by the caller (only
 * accelerators with one are planned). Every catalog instance × purchase option × count is priced:
 * on-demand and committed at their rate for the run's time; spot at its rate for the run's time plus the
 * expected lost work at the Young/Daly interval, √(2 C / M) + R / M of it for an interruption rate λ per
 * instance-hour (M = 1 / (k λ)). The time is a statistic, billed in whole seconds (rounded up); the
 * money is then exact: hourly price × instances × seconds / 3600. Plans are ranked by that cost.
 */
public final class TrainingPlanner {

  /** One way to run it. */
  public record Plan(GpuInstance instance, PurchaseOption option, int instances, int gpus, double hours,
      BigDecimal lostWorkShare, long billedSeconds, Money hourly, Money expectedCost) {

    public String describe() {
      return instances + " × " + instance.instanceType() + " (" + gpus + " × " + instance.accelerator() + ") "
          + option.jsonName();
    }
  }

  /** The ranking and the naive pick beside it. */
  public record Result(double flops, double memoryBytes, List<Plan> ranked, Plan naive) {
    public Result {
      ranked = List.copyOf(ranked);
    }
  }

  private final double parameters;
  private final double tokens;
  private final double mfu;
  private final double bytesPerParameter;
  private final double activationOverhead;
  private final Map<String, Double> peakTflops;
  private final int maxInstances;
  private final double checkpointSeconds;
  private final double restartSeconds;
  private final double interruptionsPerInstanceHour;

  private TrainingPlanner(Builder b) {
    this.parameters = b.parameters;
    this.tokens = b.tokens;
    this.mfu = b.mfu;
    this.bytesPerParameter = b.bytesPerParameter;
    this.activationOverhead = b.activationOverhead;
    this.peakTflops = new LinkedHashMap<>(b.peakTflops);
    this.maxInstances = b.maxInstances;
    this.checkpointSeconds = b.checkpointSeconds;
    this.restartSeconds = b.restartSeconds;
    this.interruptionsPerInstanceHour = b.interruptionsPerInstanceHour;
  }

  public static Builder builder(double parameters, double tokens) {
    return new Builder(parameters, tokens);
  }

  public double flops() {
    return 6 * parameters * tokens;
  }

  public double memoryBytes() {
    return parameters * bytesPerParameter * (1 + activationOverhead);
  }

  /** The smallest instance count whose GPUs hold the training state, or -1 when the GPU size is unknown. */
  public int minInstances(GpuInstance g) {
    long mib = UtilizationAdvisor.nominalMemoryMib(g.accelerator());
    if (mib <= 0) {
      return -1;
    }
    double perInstance = mib * 1048576.0 * g.gpuCount();
    return (int) Math.max(1, Math.ceil(memoryBytes() / perInstance));
  }

  /** Evaluates one plan. */
  public Plan evaluate(GpuInstance g, PurchaseOption option, int instances, long atMillis) {
    GpuPrice price = g.priceAt(atMillis);
    BigDecimal rate = price == null ? null : price.hourly(option);
    Double peak = peakTflops.get(g.accelerator());
    if (rate == null || peak == null) {
      return null;
    }
    int gpus = instances * g.gpuCount();
    double hours = flops() / (gpus * peak * 1e12 * mfu) / 3600;
    BigDecimal lost = BigDecimal.ZERO;
    if (option == PurchaseOption.SPOT && interruptionsPerInstanceHour > 0) {
      double mtbfSeconds = 3600 / (instances * interruptionsPerInstanceHour);
      lost = SpotAdvice.share(Math.sqrt(2 * checkpointSeconds / mtbfSeconds) + restartSeconds / mtbfSeconds);
    }
    double seconds = hours * 3600 * (1 + lost.doubleValue());
    long billed = (long) Math.ceil(seconds - 1e-9);
    Money hourly = Money.of(rate, price.currency()).times(instances);
    Money cost = hourly.times(billed).dividedBy(3600);
    return new Plan(g, option, instances, gpus, hours, lost, billed, hourly, cost);
  }

  /** Every instance type with a known peak × purchase option × count from the smallest feasible to the maximum. */
  public Result plan(List<GpuInstance> catalog, long atMillis) {
    List<Plan> plans = new ArrayList<>();
    for (GpuInstance g : catalog) {
      int min = minInstances(g);
      if (min < 0 || !peakTflops.containsKey(g.accelerator())) {
        continue;
      }
      for (PurchaseOption option : PurchaseOption.values()) {
        for (int k = min; k <= Math.max(min, maxInstances); k++) {
          Plan p = evaluate(g, option, k, atMillis);
          if (p != null) {
            plans.add(p);
          }
        }
      }
    }
    if (plans.isEmpty()) {
      throw new IllegalArgumentException("no catalog instance type has both a price and a given peak FLOP/s ("
          + String.join(", ", peakTflops.keySet()) + ")");
    }
    plans.sort(order());
    Plan naive = null;
    for (Plan p : plans) {
      if (p.option() == PurchaseOption.ON_DEMAND && p.instances() == minInstances(p.instance())
          && (naive == null || p.hourly().compareTo(naive.hourly()) < 0)) {
        naive = p;
      }
    }
    return new Result(flops(), memoryBytes(), plans, naive);
  }

  /** Cheapest first; then fewer hours, then the instance name, option and count. */
  public static Comparator<Plan> order() {
    return Comparator.comparing(Plan::expectedCost).thenComparingDouble(Plan::hours)
        .thenComparing(p -> p.instance().toString()).thenComparing(Plan::option).thenComparingInt(Plan::instances);
  }

  /** Options of a {@link TrainingPlanner}. */
  public static final class Builder {
    private final double parameters;
    private final double tokens;
    private double mfu = 0.4;
    private double bytesPerParameter = 16;
    private double activationOverhead = 0.2;
    private final Map<String, Double> peakTflops = new LinkedHashMap<>();
    private int maxInstances = 8;
    private double checkpointSeconds = 300;
    private double restartSeconds = 600;
    private double interruptionsPerInstanceHour = SpotRisk.Band.FROM_5_TO_10.ratePerHour();

    private Builder(double parameters, double tokens) {
      if (!(parameters > 0 && tokens > 0)) {
        throw new IllegalArgumentException("parameters and tokens must be positive");
      }
      this.parameters = parameters;
      this.tokens = tokens;
    }

    /** Model FLOPs utilization, (0, 1] (default 0.4). */
    public Builder mfu(double v) {
      if (!(v > 0 && v <= 1)) {
        throw new IllegalArgumentException("MFU must be in (0, 1]: " + v);
      }
      this.mfu = v;
      return this;
    }

    public Builder bytesPerParameter(double v) {
      this.bytesPerParameter = positive(v, "bytes per parameter");
      return this;
    }

    public Builder activationOverhead(double v) {
      if (!(v >= 0)) {
        throw new IllegalArgumentException("activation overhead must not be negative: " + v);
      }
      this.activationOverhead = v;
      return this;
    }

    /** The dense peak TFLOP/s of one GPU of {@code accelerator} (as the catalog names it) at the training precision. */
    public Builder peakTflops(String accelerator, double tflops) {
      peakTflops.put(Objects.requireNonNull(accelerator, "accelerator"), positive(tflops, "peak TFLOP/s"));
      return this;
    }

    public Builder maxInstances(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("max instances must be at least 1: " + n);
      }
      this.maxInstances = n;
      return this;
    }

    public Builder checkpointSeconds(double s) {
      this.checkpointSeconds = positive(s, "checkpoint seconds");
      return this;
    }

    public Builder restartSeconds(double s) {
      if (!(s >= 0)) {
        throw new IllegalArgumentException("restart seconds must not be negative: " + s);
      }
      this.restartSeconds = s;
      return this;
    }

    /** λ per instance-hour for spot (default: the 5-10 % band's midpoint, see {@link SpotRisk.Band}). */
    public Builder interruptionsPerInstanceHour(double lambda) {
      if (!(lambda >= 0)) {
        throw new IllegalArgumentException("interruption rate must not be negative: " + lambda);
      }
      this.interruptionsPerInstanceHour = lambda;
      return this;
    }

    public TrainingPlanner build() {
      return new TrainingPlanner(this);
    }

    private static double positive(double v, String what) {
      if (!(v > 0)) {
        throw new IllegalArgumentException(what + " must be positive: " + v);
      }
      return v;
    }
  }
}
