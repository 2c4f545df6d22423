package dev.finops.advisor;

import dev.finops.core.Money;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.catalog.PurchaseOption;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Right-sizing and consolidation of GPUs from their measured utilization ({@link GpuSeries}). Every GPU
 * is sized by a utilization quantile (default p95) and its peak memory, each plus a headroom (default
 * 10 %). Then, in this order and never counting a GPU twice:
 *
 * <ol>
 *   <li><b>idle</b>: a GPU whose quantile utilization is at or below the idle threshold (default 5 %) is
 *       released: saving one GPU-month.
 *   <li><b>consolidate</b>: the busy GPUs (grouped by memory size) are packed onto as few GPUs as fit by
 *       memory and compute ({@link Packing}); each GPU that holds two or more of them frees all but one.
 *   <li><b>right-size</b>: a GPU left alone is moved to the cheapest that fits: a MIG slice of its own
 *       accelerator ({@link MigProfiles}, priced at slices/7 of the GPU) or a GPU of another
 *       accelerator of the same provider and region for which a relative throughput was given (its
 *       memory read from the catalog's accelerator name, {@code L4-24GB}: 24 × 10^9 bytes).
 * </ol>
 *
 * <p>Money is exact: a GPU-hour is the catalog's hourly price (at the last sample) over the instance's GPU
 * count, a month is {@value Advisor#HOURS_PER_MONTH} hours.
 */
public final class UtilizationAdvisor {

  private static final Pattern NOMINAL_GB = Pattern.compile("-(\\d+)GB$");
  private static final BigDecimal MIB_PER_GB = new BigDecimal("1000000000").divide(new BigDecimal("1048576"));

  private final List<GpuInstance> catalog;
  private final GpuInstance instance;
  private final PurchaseOption option;
  private final BigDecimal idleBelowPercent;
  private final double quantile;
  private final BigDecimal headroom;
  private final Map<String, BigDecimal> relativeThroughput;

  private UtilizationAdvisor(Builder b) {
    this.catalog = b.catalog;
    this.instance = b.instance;
    this.option = b.option;
    this.idleBelowPercent = b.idleBelowPercent;
    this.quantile = b.quantile;
    this.headroom = b.headroom;
    this.relativeThroughput = new TreeMap<>(b.relativeThroughput);
  }

  /** An advisor for GPUs of {@code instance}, priced from {@code catalog}. */
  public static Builder builder(PriceCatalog catalog, GpuInstance instance) {
    return new Builder(catalog.gpuInstances(), instance);
  }

  /**
   * An advisor for GPUs of {@code instance}; {@code candidates} are the instance types a workload may move to
   * (those of several catalog layers, say).
   */
  public static Builder builder(List<GpuInstance> candidates, GpuInstance instance) {
    return new Builder(candidates, instance);
  }

  /**
   * The usable memory of a catalog accelerator in MiB, from its name ({@code A100-40GB}: 40 × 10^9 bytes
   * = 38,146 MiB, rounded down), or -1 when the name carries none.
   */
  public static long nominalMemoryMib(String accelerator) {
    Matcher m = NOMINAL_GB.matcher(accelerator);
    if (!m.find()) {
      return -1;
    }
    return new BigDecimal(m.group(1)).multiply(MIB_PER_GB).setScale(0, RoundingMode.FLOOR).longValueExact();
  }

  public UtilizationAdvice advise(List<GpuSeries> series) {
    if (series.isEmpty()) {
      throw new IllegalArgumentException("no GPUs to advise on");
    }
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (GpuSeries s : series) {
      start = Math.min(start, s.firstMillis());
      end = Math.max(end, s.lastMillis());
    }
    Money perGpu = Advisor.perGpuHour(instance, option, end);
    Money gpuMonth = Advisor.monthly(perGpu);
    int idlePm = idleBelowPercent.movePointRight(1).setScale(0, RoundingMode.FLOOR).intValueExact();
    BigDecimal factor = BigDecimal.ONE.add(headroom);
    long nominal = nominalMemoryMib(instance.accelerator());

    int n = series.size();
    int[] q = new int[n];
    int[] compute = new int[n];
    long[] memory = new long[n];
    long[] capacity = new long[n];
    String[] verdict = new String[n];
    for (int i = 0; i < n; i++) {
      GpuSeries s = series.get(i);
      capacity[i] = s.memoryTotalMib() > 0 ? (long) Math.floor(s.memoryTotalMib()) : nominal;
      if (capacity[i] <= 0) {
        throw new IllegalArgumentException("GPU " + s.gpu() + ": no memory total in the file and none in the name "
            + instance.accelerator());
      }
      q[i] = s.utilizationQuantilePerMille(quantile);
      compute[i] = (int) Math.min(GpuSeries.PER_MILLE, ceil(BigDecimal.valueOf(q[i]).multiply(factor)));
      memory[i] = Math.min(capacity[i], ceil(BigDecimal.valueOf(s.peakMemoryMib()).multiply(factor)));
      verdict[i] = q[i] <= idlePm ? "idle" : "keep";
    }

    List<Recommendation> idle = new ArrayList<>();
    List<Recommendation> consolidate = new ArrayList<>();
    List<Recommendation> rightSize = new ArrayList<>();
    Money total = Money.zero(perGpu.currency());
    String pct = percentName();
    for (int i = 0; i < n; i++) {
      if (verdict[i].equals("idle")) {
        GpuSeries s = series.get(i);
        idle.add(new Recommendation("idle-gpu", List.of(s.gpu()), "release GPU " + s.gpu() + who(s),
            String.format(Locale.ROOT, "%d samples; %s utilization %s%% <= %s%% idle threshold; mean %.1f%%",
                s.samples(), pct, perMilleText(q[i]), idleBelowPercent.toPlainString(), s.meanUtilizationPercent()),
            "the window is representative of a month; nothing else needs the GPU reserved", gpuMonth));
        total = total.plus(gpuMonth);
      }
    }

    boolean optimal = true;
    Map<Long, List<Integer>> groups = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      if (!verdict[i].equals("idle")) {
        groups.computeIfAbsent(capacity[i], k -> new ArrayList<>()).add(i);
      }
    }
    List<Integer> alone = new ArrayList<>();
    for (Map.Entry<Long, List<Integer>> g : groups.entrySet()) {
      List<Integer> members = g.getValue();
      long[] mem = new long[members.size()];
      int[] cpu = new int[members.size()];
      for (int k = 0; k < members.size(); k++) {
        mem[k] = memory[members.get(k)];
        cpu[k] = compute[members.get(k)];
      }
      Packing.Result packed = Packing.pack(mem, cpu, g.getKey(), GpuSeries.PER_MILLE);
      optimal &= packed.optimal();
      for (List<Integer> bin : packed.bins()) {
        if (bin.size() == 1) {
          alone.add(members.get(bin.get(0)));
          continue;
        }
        List<String> ids = new ArrayList<>();
        long memSum = 0;
        int cpuSum = 0;
        StringBuilder each = new StringBuilder();
        for (int k : bin) {
          int i = members.get(k);
          GpuSeries s = series.get(i);
          verdict[i] = "consolidate";
          ids.add(s.gpu());
          memSum += memory[i];
          cpuSum += compute[i];
          each.append(each.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT,
              "%s%s: %s %s%%, peak memory %.0f MiB", s.gpu(), who(s), pct, perMilleText(q[i]), s.peakMemoryMib()));
        }
        Money saving = gpuMonth.times(bin.size() - 1);
        total = total.plus(saving);
        consolidate.add(new Recommendation("consolidate", ids,
            "run the work of GPUs " + String.join(", ", ids) + " on one GPU (frees " + (bin.size() - 1) + ")",
            each + String.format(Locale.ROOT, "; together with %s headroom: compute %s%% <= 100%%, memory %d MiB <= %d MiB",
                headroomText(), perMilleText(cpuSum), memSum, g.getKey()),
            "the workloads can share a GPU (MPS, time-slicing or co-scheduling) and their peaks add up at worst",
            saving));
      }
    }

    for (int i : alone) {
      GpuSeries s = series.get(i);
      Recommendation best = null;
      for (MigProfiles.Profile p : MigProfiles.of(instance.accelerator())) {
        long sliceMem = nominalMemoryMib("-" + p.memoryGb() + "GB");
        int sliceCompute = p.slices() * GpuSeries.PER_MILLE / 7;
        if (memory[i] <= sliceMem && compute[i] <= sliceCompute) {
          Money saving = gpuMonth.times(7 - p.slices()).dividedBy(7);
          best = new Recommendation("mig-slice", List.of(s.gpu()),
              "move GPU " + s.gpu() + who(s) + " to a MIG " + p.name() + " slice of its " + instance.accelerator(),
              String.format(Locale.ROOT, "%s utilization %s%%, peak memory %.0f MiB; with %s headroom %s%% of a GPU"
                  + " and %d MiB fit %d/7 of the compute and %d MiB", pct, perMilleText(q[i]), s.peakMemoryMib(),
                  headroomText(), perMilleText(compute[i]), memory[i], p.slices(), sliceMem),
              "the other " + (7 - p.slices()) + "/7 of the GPU is used by other work (a slice is priced at its share"
                  + " of the GPU)", saving);
          break;
        }
      }
      for (Map.Entry<String, BigDecimal> e : relativeThroughput.entrySet()) {
        String accel = e.getKey();
        long mib = nominalMemoryMib(accel);
        int capacityPm = e.getValue().movePointRight(3).setScale(0, RoundingMode.FLOOR).intValue();
        if (accel.equals(instance.accelerator()) || mib < 0 || memory[i] > mib || compute[i] > capacityPm) {
          continue;
        }
        GpuInstance cheapest = null;
        Money cheapestPrice = null;
        for (GpuInstance other : catalog) {
          if (!other.accelerator().equals(accel) || !other.provider().equals(instance.provider())
              || !other.region().equals(instance.region())) {
            continue;
          }
          Money price;
          try {
            price = Advisor.perGpuHour(other, option, end);
          } catch (IllegalArgumentException noPrice) {
            continue;
          }
          if (cheapestPrice == null || price.compareTo(cheapestPrice) < 0) {
            cheapest = other;
            cheapestPrice = price;
          }
        }
        if (cheapest == null) {
          continue;
        }
        Money saving = Advisor.monthly(perGpu.minus(cheapestPrice));
        if (saving.signum() > 0 && (best == null || saving.compareTo(best.monthlySaving()) > 0)) {
          best = new Recommendation("cheaper-gpu", List.of(s.gpu()),
              "move GPU " + s.gpu() + who(s) + " to a " + accel + " (" + cheapest.instanceType() + ")",
              String.format(Locale.ROOT, "%s utilization %s%%, peak memory %.0f MiB; with %s headroom %s%% of a %s"
                  + " and %d MiB fit a %s at relative throughput %s (%d MiB); GPU-hour %s against %s",
                  pct, perMilleText(q[i]), s.peakMemoryMib(), headroomText(), perMilleText(compute[i]),
                  instance.accelerator(), memory[i], accel, e.getValue().toPlainString(), mib,
                  cheapestPrice.amount(6).toPlainString(), perGpu.amount(6).toPlainString()),
              "the given relative throughput of " + accel + " holds for this workload", saving);
        }
      }
      if (best != null) {
        verdict[i] = best.kind();
        rightSize.add(best);
        total = total.plus(best.monthlySaving());
      }
    }

    List<UtilizationAdvice.GpuFinding> findings = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      GpuSeries s = series.get(i);
      findings.add(new UtilizationAdvice.GpuFinding(s.gpu(), s.samples(), s.meanUtilizationPercent(), q[i],
          s.peakMemoryMib(), capacity[i], compute[i], memory[i], new ArrayList<>(s.jobs()),
          new ArrayList<>(s.teams()), verdict[i]));
    }
    List<Recommendation> all = new ArrayList<>(idle);
    all.addAll(consolidate);
    all.addAll(rightSize);
    return new UtilizationAdvice(instance, option, perGpu, gpuMonth.times(n), start, end, findings, all, total,
        optimal);
  }

  private String percentName() {
    double pct = quantile * 100;
    return pct == Math.rint(pct) ? "p" + (long) pct : "p" + pct;
  }

  private String headroomText() {
    return headroom.movePointRight(2).stripTrailingZeros().toPlainString() + "%";
  }

  private static String perMilleText(long pm) {
    return BigDecimal.valueOf(pm, 1).toPlainString();
  }

  private static String who(GpuSeries s) {
    if (s.jobs().isEmpty() && s.teams().isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    if (!s.jobs().isEmpty()) {
      parts.add("job " + String.join("+", s.jobs()));
    }
    if (!s.teams().isEmpty()) {
      parts.add("team " + String.join("+", s.teams()));
    }
    return " (" + String.join(", ", parts) + ")";
  }

  private static long ceil(BigDecimal d) {
    return d.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** Options of a {@link UtilizationAdvisor}. */
  public static final class Builder {
    private final List<GpuInstance> catalog;
    private final GpuInstance instance;
    private PurchaseOption option = PurchaseOption.ON_DEMAND;
    private BigDecimal idleBelowPercent = new BigDecimal("5");
    private double quantile = 0.95;
    private BigDecimal headroom = new BigDecimal("0.10");
    private final Map<String, BigDecimal> relativeThroughput = new LinkedHashMap<>();

    private Builder(List<GpuInstance> catalog, GpuInstance instance) {
      this.catalog = List.copyOf(catalog);
      this.instance = Objects.requireNonNull(instance, "instance");
    }

    public Builder purchaseOption(PurchaseOption option) {
      this.option = Objects.requireNonNull(option, "option");
      return this;
    }

    /** A GPU whose quantile utilization is at or below this (percent, default 5) is idle. */
    public Builder idleBelowPercent(BigDecimal percent) {
      if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
        throw new IllegalArgumentException("idle threshold must be within 0 and 100 %: " + percent);
      }
      this.idleBelowPercent = percent;
      return this;
    }

    /** The utilization quantile a GPU is sized by (default 0.95; 1 is the peak). */
    public Builder quantile(double q) {
      if (!(q > 0 && q <= 1)) {
        throw new IllegalArgumentException("quantile must be in (0, 1]: " + q);
      }
      this.quantile = q;
      return this;
    }

    /** Added to measured compute and memory before sizing (default 0.10: 10 %). */
    public Builder headroom(BigDecimal fraction) {
      if (fraction.signum() < 0 || fraction.compareTo(BigDecimal.valueOf(10)) > 0) {
        throw new IllegalArgumentException("headroom must be within 0 and 10: " + fraction);
      }
      this.headroom = fraction;
      return this;
    }

    /**
     * How much of the current GPU's throughput one GPU of {@code accelerator} delivers for this work
     * (0.3: 30 %); only accelerators given here are considered as cheaper targets.
     */
    public Builder relativeThroughput(String accelerator, BigDecimal factor) {
      if (factor.signum() <= 0) {
        throw new IllegalArgumentException("relative throughput of " + accelerator + " must be positive: " + factor);
      }
      relativeThroughput.put(Objects.requireNonNull(accelerator, "accelerator"), factor);
      return this;
    }

    public UtilizationAdvisor build() {
      return new UtilizationAdvisor(this);
    }
  }
}
