package dev.finops.core.gpu;

import dev.finops.core.training.UtilizationBasis;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One reading of one GPU at one time, from any {@link GpuSampleSource}. Metrics the source could not
 * read are left out ({@link #has(GpuMetric)} is false and the accessor returns {@link #ABSENT}); a
 * device that went away ({@link #isLost()}) carries no metrics. Units are in the accessor names.
 * Immutable and thread-safe.
 */
public final class GpuSample {

  /** The value of a metric that is not present. */
  public static final int ABSENT = -1;

  private final long epochMillis;
  private final int deviceIndex;
  private final String uuid;
  private final boolean lost;
  private final int present; // bit i set = GpuMetric.values()[i] present
  private final int gpuUtilization;
  private final int memoryUtilization;
  private final long memoryUsed;
  private final long memoryTotal;
  private final long power;
  private final long energy;
  private final int temperature;
  private final int smClock;
  private final List<GpuProcessUsage> processes;
  private final int[] gpm; // basis points by GpuMetric.SM_ACTIVITY.ordinal() + i
  private final List<GpuMigInstance> migInstances;

  private GpuSample(Builder b) {
    this.epochMillis = b.epochMillis;
    this.deviceIndex = b.deviceIndex;
    this.uuid = b.uuid;
    this.lost = b.lost;
    this.present = b.lost ? 0 : b.present;
    this.gpuUtilization = value(GpuMetric.GPU_UTILIZATION, b.gpuUtilization);
    this.memoryUtilization = value(GpuMetric.MEMORY_UTILIZATION, b.memoryUtilization);
    this.memoryUsed = value(GpuMetric.MEMORY, b.memoryUsed);
    this.memoryTotal = value(GpuMetric.MEMORY, b.memoryTotal);
    this.power = value(GpuMetric.POWER, b.power);
    this.energy = value(GpuMetric.ENERGY, b.energy);
    this.temperature = value(GpuMetric.TEMPERATURE, b.temperature);
    this.smClock = value(GpuMetric.SM_CLOCK, b.smClock);
    this.processes = has(GpuMetric.PROCESSES) ? b.processes : List.of();
    this.gpm = new int[GPM_METRICS];
    for (int i = 0; i < GPM_METRICS; i++) {
      gpm[i] = has(GpuMetric.values()[FIRST_GPM + i]) ? b.gpm[i] : ABSENT;
    }
    this.migInstances = has(GpuMetric.MIG_INSTANCES) ? b.migInstances : List.of();
  }

  private static final int FIRST_GPM = GpuMetric.SM_ACTIVITY.ordinal();
  private static final int GPM_METRICS = GpuMetric.FP64_ACTIVITY.ordinal() - FIRST_GPM + 1;

  /**
   * A GPM activity metric ({@link GpuMetric#SM_ACTIVITY} .. {@link GpuMetric#FP64_ACTIVITY}) in basis
   * points (10000 = 100%), or {@link #ABSENT}.
   *
   * @throws IllegalArgumentException if {@code metric} is not a GPM activity metric
   */
  public int activityBasisPoints(GpuMetric metric) {
    return gpm[gpmIndex(metric)];
  }

  private static int gpmIndex(GpuMetric metric) {
    int i = metric.ordinal() - FIRST_GPM;
    if (i < 0 || i >= GPM_METRICS) {
      throw new IllegalArgumentException("metric: " + metric + " is not a GPM activity metric");
    }
    return i;
  }

  /** GPM's SM activity in basis points, or {@link #ABSENT} (a device without GPM). */
  public int smActivityBasisPoints() {
    return gpm[0];
  }

  /** GPM's tensor activity in basis points, or {@link #ABSENT}. */
  public int tensorActivityBasisPoints() {
    return gpm[GpuMetric.TENSOR_ACTIVITY.ordinal() - FIRST_GPM];
  }

  /**
   * The utilization that best means compute, in basis points: GPM's SM activity where the device has
   * it, else NVML's time-based GPU utilization × 100, else {@link #ABSENT}. {@link
   * #computeUtilizationBasis()} says which.
   */
  public int computeUtilizationBasisPoints() {
    if (has(GpuMetric.SM_ACTIVITY)) {
      return gpm[0];
    }
    return has(GpuMetric.GPU_UTILIZATION) ? gpuUtilization * 100 : ABSENT;
  }

  /** What {@link #computeUtilizationBasisPoints()} measured. */
  public UtilizationBasis computeUtilizationBasis() {
    if (has(GpuMetric.SM_ACTIVITY)) {
      return UtilizationBasis.GPM_SM_ACTIVITY;
    }
    return has(GpuMetric.GPU_UTILIZATION) ? UtilizationBasis.NVML_KERNEL_TIME : UtilizationBasis.NONE;
  }

  /** The device's MIG instances with their readings (empty without {@link GpuMetric#MIG_INSTANCES}). */
  public List<GpuMigInstance> migInstances() {
    return migInstances;
  }

  private int value(GpuMetric m, int v) {
    return has(m) ? v : ABSENT;
  }

  private long value(GpuMetric m, long v) {
    return has(m) ? v : ABSENT;
  }

  /**
   * Starts a sample of device {@code deviceIndex} (the source's index) identified by {@code uuid}
   * (stable across reboots, unlike the index), taken at {@code epochMillis}.
   */
  public static Builder builder(int deviceIndex, String uuid, long epochMillis) {
    return new Builder(deviceIndex, uuid, epochMillis);
  }

  /** When the sample was taken, in epoch milliseconds. */
  public long epochMillis() {
    return epochMillis;
  }

  /** The device's index at its source (not stable across reboots; key by {@link #uuid()}). */
  public int deviceIndex() {
    return deviceIndex;
  }

  /** The device's UUID ({@code GPU-...}, or {@code MIG-...} for a MIG instance). */
  public String uuid() {
    return uuid;
  }

  /** True if the device was lost (fell off the bus, needs a reset); a lost sample has no metrics. */
  public boolean isLost() {
    return lost;
  }

  /** True if the sample carries {@code metric}. */
  public boolean has(GpuMetric metric) {
    return (present & (1 << metric.ordinal())) != 0;
  }

  /** Percent (0..100) of the period during which a kernel ran, or {@link #ABSENT}. */
  public int gpuUtilizationPercent() {
    return gpuUtilization;
  }

  /** Percent (0..100) of the period during which memory was read or written, or {@link #ABSENT}. */
  public int memoryUtilizationPercent() {
    return memoryUtilization;
  }

  /** Device memory in use, in bytes, or {@link #ABSENT}. */
  public long memoryUsedBytes() {
    return memoryUsed;
  }

  /** Device memory in all, in bytes, or {@link #ABSENT}. */
  public long memoryTotalBytes() {
    return memoryTotal;
  }

  /** Power draw in milliwatts, or {@link #ABSENT}. */
  public long powerMilliwatts() {
    return power;
  }

  /**
   * Energy consumed since the driver was loaded, in millijoules, or {@link #ABSENT}. A counter: use
   * {@link #energyDeltaMillijoules(GpuSample, GpuSample)} for what was consumed between two samples.
   */
  public long energyMillijoules() {
    return energy;
  }

  /** Core temperature in degrees Celsius, or {@link #ABSENT}. */
  public int temperatureCelsius() {
    return temperature;
  }

  /** Streaming-multiprocessor clock in MHz, or {@link #ABSENT}. */
  public int smClockMhz() {
    return smClock;
  }

  /** The processes on the device (empty when {@link GpuMetric#PROCESSES} is absent). */
  public List<GpuProcessUsage> processes() {
    return processes;
  }

  /**
   * The share of this GPU used by process {@code pid}, in basis points (10000 = all of it), or
   * {@link #ABSENT} when the sample has no process data. How the GPU is split:
   *
   * <ol>
   *   <li>by SM utilization, when the processes' SM percentages sum to more than zero: the process's
   *       SM percent over the sum (a process that ran no kernel in the period gets 0);
   *   <li>otherwise by device memory held, when known and non-zero: the process's bytes over the sum;
   *   <li>otherwise equally among the processes listed.
   * </ol>
   *
   * A process not on the list gets 0. Rounded to the nearest basis point.
   */
  public int processShareBasisPoints(long pid) {
    if (!has(GpuMetric.PROCESSES)) {
      return ABSENT;
    }
    GpuProcessUsage mine = null;
    long smSum = 0;
    long memorySum = 0;
    for (GpuProcessUsage p : processes) {
      if (p.pid() == pid) {
        mine = p;
      }
      smSum += Math.max(0, p.smPercent());
      memorySum += Math.max(0, p.usedMemoryBytes());
    }
    if (mine == null) {
      return 0;
    }
    if (smSum > 0) {
      return share(Math.max(0, mine.smPercent()), smSum);
    }
    if (memorySum > 0) {
      return share(Math.max(0, mine.usedMemoryBytes()), memorySum);
    }
    return share(1, processes.size());
  }

  /** {@code part / whole} in basis points, rounded half up; exact in longs for any byte counts. */
  private static int share(long part, long whole) {
    // part <= whole; scale both down first if part × 10000 could overflow (memory in bytes).
    while (part > Long.MAX_VALUE / 10_000) {
      part >>= 1;
      whole >>= 1;
    }
    return (int) ((part * 10_000 + whole / 2) / whole);
  }

  /**
   * Energy consumed between two samples of the same device, in millijoules; 0 if either lacks
   * {@link GpuMetric#ENERGY}. A counter that went down restarted (the driver was reloaded), so the
   * consumption since the restart, {@code current}'s value, is returned.
   */
  public static long energyDeltaMillijoules(GpuSample previous, GpuSample current) {
    if (previous == null || !previous.has(GpuMetric.ENERGY) || !current.has(GpuMetric.ENERGY)) {
      return 0;
    }
    long delta = current.energy - previous.energy;
    return delta >= 0 ? delta : current.energy;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof GpuSample)) {
      return false;
    }
    GpuSample s = (GpuSample) o;
    return epochMillis == s.epochMillis && deviceIndex == s.deviceIndex && lost == s.lost && present == s.present
        && gpuUtilization == s.gpuUtilization && memoryUtilization == s.memoryUtilization
        && memoryUsed == s.memoryUsed && memoryTotal == s.memoryTotal && power == s.power && energy == s.energy
        && temperature == s.temperature && smClock == s.smClock && uuid.equals(s.uuid)
        && processes.equals(s.processes) && Arrays.equals(gpm, s.gpm) && migInstances.equals(s.migInstances);
  }

  @Override
  public int hashCode() {
    return Objects.hash(epochMillis, deviceIndex, uuid, present, gpuUtilization, energy);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("GpuSample{").append(deviceIndex).append(' ').append(uuid).append(" @")
        .append(epochMillis);
    if (lost) {
      return sb.append(", lost}").toString();
    }
    append(sb, GpuMetric.GPU_UTILIZATION, "util", gpuUtilization, "%");
    append(sb, GpuMetric.MEMORY_UTILIZATION, "memUtil", memoryUtilization, "%");
    append(sb, GpuMetric.MEMORY, "memUsed", memoryUsed, "B");
    append(sb, GpuMetric.POWER, "power", power, "mW");
    append(sb, GpuMetric.ENERGY, "energy", energy, "mJ");
    append(sb, GpuMetric.TEMPERATURE, "temp", temperature, "C");
    append(sb, GpuMetric.SM_CLOCK, "sm", smClock, "MHz");
    append(sb, GpuMetric.SM_ACTIVITY, "smActivity", gpm[0], "bp");
    append(sb, GpuMetric.TENSOR_ACTIVITY, "tensorActivity", tensorActivityBasisPoints(), "bp");
    if (has(GpuMetric.PROCESSES)) {
      sb.append(", processes=").append(processes.size());
    }
    if (has(GpuMetric.MIG_INSTANCES)) {
      sb.append(", migInstances=").append(migInstances.size());
    }
    return sb.append('}').toString();
  }

  private void append(StringBuilder sb, GpuMetric m, String name, long v, String unit) {
    if (has(m)) {
      sb.append(", ").append(name).append('=').append(v).append(unit);
    }
  }

  /** Assembles a {@link GpuSample}; a setter marks its metric present. Not thread-safe. */
  public static final class Builder {
    private final int deviceIndex;
    private final String uuid;
    private final long epochMillis;
    private boolean lost;
    private int present;
    private int gpuUtilization;
    private int memoryUtilization;
    private long memoryUsed;
    private long memoryTotal;
    private long power;
    private long energy;
    private int temperature;
    private int smClock;
    private List<GpuProcessUsage> processes = List.of();
    private final int[] gpm = new int[GPM_METRICS];
    private List<GpuMigInstance> migInstances = List.of();

    private Builder(int deviceIndex, String uuid, long epochMillis) {
      if (deviceIndex < 0) {
        throw new IllegalArgumentException("device index must not be negative: " + deviceIndex);
      }
      this.deviceIndex = deviceIndex;
      this.uuid = Objects.requireNonNull(uuid, "uuid");
      this.epochMillis = epochMillis;
    }

    private void mark(GpuMetric m) {
      present |= 1 << m.ordinal();
    }

    private static int percent(String what, int v) {
      if (v < 0 || v > 100) {
        throw new IllegalArgumentException(what + " must be 0..100 percent, got " + v);
      }
      return v;
    }

    private static long nonNegative(String what, long v) {
      if (v < 0) {
        throw new IllegalArgumentException(what + " must not be negative: " + v);
      }
      return v;
    }

    /** The device was lost: the sample carries no metrics. */
    public Builder lost() {
      this.lost = true;
      return this;
    }

    public Builder gpuUtilization(int percent) {
      this.gpuUtilization = percent("GPU utilization", percent);
      mark(GpuMetric.GPU_UTILIZATION);
      return this;
    }

    public Builder memoryUtilization(int percent) {
      this.memoryUtilization = percent("memory utilization", percent);
      mark(GpuMetric.MEMORY_UTILIZATION);
      return this;
    }

    public Builder memory(long usedBytes, long totalBytes) {
      this.memoryUsed = nonNegative("memory used", usedBytes);
      this.memoryTotal = nonNegative("memory total", totalBytes);
      mark(GpuMetric.MEMORY);
      return this;
    }

    public Builder powerMilliwatts(long milliwatts) {
      this.power = nonNegative("power", milliwatts);
      mark(GpuMetric.POWER);
      return this;
    }

    public Builder energyMillijoules(long millijoules) {
      this.energy = nonNegative("energy", millijoules);
      mark(GpuMetric.ENERGY);
      return this;
    }

    public Builder temperatureCelsius(int celsius) {
      this.temperature = celsius;
      mark(GpuMetric.TEMPERATURE);
      return this;
    }

    public Builder smClockMhz(int mhz) {
      this.smClock = (int) nonNegative("SM clock", mhz);
      mark(GpuMetric.SM_CLOCK);
      return this;
    }

    public Builder processes(List<GpuProcessUsage> list) {
      this.processes = List.copyOf(list);
      mark(GpuMetric.PROCESSES);
      return this;
    }

    /**
     * A GPM activity metric ({@link GpuMetric#SM_ACTIVITY} .. {@link GpuMetric#FP64_ACTIVITY}) in basis
     * points, 0..10000.
     */
    public Builder activity(GpuMetric metric, int basisPoints) {
      int i = gpmIndex(metric);
      if (basisPoints < 0 || basisPoints > 10_000) {
        throw new IllegalArgumentException(metric + " must be 0..10000 basis points, got " + basisPoints);
      }
      gpm[i] = basisPoints;
      mark(metric);
      return this;
    }

    public Builder migInstances(List<GpuMigInstance> list) {
      this.migInstances = List.copyOf(list);
      mark(GpuMetric.MIG_INSTANCES);
      return this;
    }

    public GpuSample build() {
      return new GpuSample(this);
    }
  }
}
