package dev.finops.advisor;

import java.util.Objects;

/**
 * The column names of a GPU utilization CSV (one row per GPU per sample, in the shape of the DCGM
 * exporter's data) and the scale of its utilization column. Defaults: {@code timestamp}, {@code gpu},
 * {@code utilization} (percent, 0 to 100: DCGM_FI_DEV_GPU_UTIL; use {@link #fraction()} for a 0 to 1
 * column such as DCGM_FI_PROF_SM_ACTIVE), {@code memory_used_mib}, {@code memory_total_mib}, and the
 * optional {@code power_w}, {@code job} and {@code team}. Immutable.
 */
public record UtilizationColumns(
    String time, String gpu, String utilization, String memoryUsed, String memoryTotal, String power, String job,
    String team, boolean fraction) {

  public static final UtilizationColumns DEFAULTS = new UtilizationColumns(
      "timestamp", "gpu", "utilization", "memory_used_mib", "memory_total_mib", "power_w", "job", "team", false);

  public UtilizationColumns {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(gpu, "gpu");
    Objects.requireNonNull(utilization, "utilization");
    Objects.requireNonNull(memoryUsed, "memoryUsed");
    Objects.requireNonNull(memoryTotal, "memoryTotal");
    Objects.requireNonNull(power, "power");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(team, "team");
  }

  /**
   * A copy with one column renamed; {@code key} is one of {@code time, gpu, utilization, memory_used,
   * memory_total, power, job, team}.
   */
  public UtilizationColumns with(String key, String name) {
    Objects.requireNonNull(name, "name");
    switch (key) {
      case "time":
        return new UtilizationColumns(name, gpu, utilization, memoryUsed, memoryTotal, power, job, team, fraction);
      case "gpu":
        return new UtilizationColumns(time, name, utilization, memoryUsed, memoryTotal, power, job, team, fraction);
      case "utilization":
        return new UtilizationColumns(time, gpu, name, memoryUsed, memoryTotal, power, job, team, fraction);
      case "memory_used":
        return new UtilizationColumns(time, gpu, utilization, name, memoryTotal, power, job, team, fraction);
      case "memory_total":
        return new UtilizationColumns(time, gpu, utilization, memoryUsed, name, power, job, team, fraction);
      case "power":
        return new UtilizationColumns(time, gpu, utilization, memoryUsed, memoryTotal, name, job, team, fraction);
      case "job":
        return new UtilizationColumns(time, gpu, utilization, memoryUsed, memoryTotal, power, name, team, fraction);
      case "team":
        return new UtilizationColumns(time, gpu, utilization, memoryUsed, memoryTotal, power, job, name, fraction);
      default:
        throw new IllegalArgumentException("unknown column key '" + key
            + "' (keys: time, gpu, utilization, memory_used, memory_total, power, job, team)");
    }
  }

  /** A copy whose utilization column is read as a fraction (0 to 1) or as a percent (0 to 100). */
  public UtilizationColumns withFraction(boolean isFraction) {
    return new UtilizationColumns(time, gpu, utilization, memoryUsed, memoryTotal, power, job, team, isFraction);
  }
}
