package dev.finops.advisor;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What was measured on one GPU over the window, kept as running aggregates (not the samples): sample
 * count, time span, mean and a per-mille histogram of utilization (so quantiles are exact at 0.1 %
 * resolution), peak memory, mean power, and the jobs and teams seen on it. Filled by {@link
 * UtilizationReader} or by {@link #add}; not thread-safe.
 */
public final class GpuSeries {
  /** Utilization resolution: one histogram bin per 0.1 percentage point, 0 to 100 %. */
  public static final int PER_MILLE = 1000;

  private final String gpu;
  private final int[] histogram = new int[PER_MILLE + 1];
  private long samples;
  private long firstMillis = Long.MAX_VALUE;
  private long lastMillis = Long.MIN_VALUE;
  private double utilizationSum;
  private double peakMemoryMib;
  private double memoryTotalMib;
  private double powerSum;
  private long powerSamples;
  private final Set<String> jobs = new TreeSet<>();
  private final Set<String> teams = new TreeSet<>();

  public GpuSeries(String gpu) {
    this.gpu = Objects.requireNonNull(gpu, "gpu");
  }

  /**
   * Adds one sample.
   *
   * @param utilizationPercent 0 to 100
   * @param memoryTotalMib the GPU's memory, or NaN when the file does not say
   * @param powerWatts or NaN
   * @param job or {@code null}
   * @param team or {@code null}
   */
  public void add(long epochMillis, double utilizationPercent, double memoryUsedMib, double memoryTotalMib,
      double powerWatts, String job, String team) {
    if (!(utilizationPercent >= 0 && utilizationPercent <= 100)) {
      throw new IllegalArgumentException("utilization must be within 0 and 100 %: " + utilizationPercent);
    }
    samples++;
    firstMillis = Math.min(firstMillis, epochMillis);
    lastMillis = Math.max(lastMillis, epochMillis);
    utilizationSum += utilizationPercent;
    histogram[perMille(utilizationPercent)]++;
    peakMemoryMib = Math.max(peakMemoryMib, memoryUsedMib);
    if (!Double.isNaN(memoryTotalMib)) {
      this.memoryTotalMib = Math.max(this.memoryTotalMib, memoryTotalMib);
    }
    if (!Double.isNaN(powerWatts)) {
      powerSum += powerWatts;
      powerSamples++;
    }
    if (job != null) {
      jobs.add(job);
    }
    if (team != null) {
      teams.add(team);
    }
  }

  /** The histogram bin of a utilization: rounded up to the next 0.1 % (never under the measurement). */
  static int perMille(double utilizationPercent) {
    int pm = (int) Math.ceil(utilizationPercent * 10 - 1e-9);
    return Math.max(0, Math.min(PER_MILLE, pm));
  }

  public String gpu() {
    return gpu;
  }

  public long samples() {
    return samples;
  }

  public long firstMillis() {
    return firstMillis;
  }

  public long lastMillis() {
    return lastMillis;
  }

  public double meanUtilizationPercent() {
    return samples == 0 ? 0 : utilizationSum / samples;
  }

  /**
   * The {@code q} quantile of utilization in per mille (0 to 1000), nearest rank: the smallest bin
   * holding at least {@code ceil(q × samples)} samples at or below it.
   */
  public int utilizationQuantilePerMille(double q) {
    if (samples == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * samples - 1e-9));
    long seen = 0;
    for (int i = 0; i <= PER_MILLE; i++) {
      seen += histogram[i];
      if (seen >= rank) {
        return i;
      }
    }
    return PER_MILLE;
  }

  public double peakMemoryMib() {
    return peakMemoryMib;
  }

  /** The GPU's memory as the file reported it (the largest value seen), or 0 when it did not. */
  public double memoryTotalMib() {
    return memoryTotalMib;
  }

  /** Mean power in watts, or NaN when not measured. */
  public double meanPowerWatts() {
    return powerSamples == 0 ? Double.NaN : powerSum / powerSamples;
  }

  public Set<String> jobs() {
    return Collections.unmodifiableSet(jobs);
  }

  public Set<String> teams() {
    return Collections.unmodifiableSet(teams);
  }
}
