package dev.finops.advisor;

import dev.finops.core.Money;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.PurchaseOption;
import java.util.List;

/**
 * What {@link UtilizationAdvisor} found: the fleet's price, one finding per GPU, the recommendations and
 * their total monthly saving (exact). Immutable.
 *
 * @param instance the instance type the GPUs run on (priced from the catalog)
 * @param purchaseOption how they are bought
 * @param perGpuHour the price of one GPU-hour, exact
 * @param fleetMonthlyCost the GPUs' cost over a month of {@value Advisor#HOURS_PER_MONTH} hours
 * @param windowStartMillis first sample
 * @param windowEndMillis last sample (the catalog price in force then is used)
 * @param gpus one finding per GPU, by id
 * @param recommendations idle GPUs first, then consolidations, then right-sizing
 * @param totalMonthlySaving the recommendations' savings added up (they never count a GPU twice)
 * @param packingOptimal whether the consolidation is a proven optimum (see {@link Packing})
 */
public record UtilizationAdvice(
    GpuInstance instance, PurchaseOption purchaseOption, Money perGpuHour, Money fleetMonthlyCost,
    long windowStartMillis, long windowEndMillis, List<GpuFinding> gpus, List<Recommendation> recommendations,
    Money totalMonthlySaving, boolean packingOptimal) {

  public UtilizationAdvice {
    gpus = List.copyOf(gpus);
    recommendations = List.copyOf(recommendations);
  }

  /**
   * One GPU's measurements and what its demand was taken to be.
   *
   * @param quantileUtilizationPerMille the utilization quantile the advisor sizes by, in 0.1 %
   * @param computeDemandPerMille that quantile plus headroom, in 0.1 % of this GPU
   * @param memoryDemandMib peak memory plus headroom
   * @param verdict {@code idle}, {@code consolidate}, {@code mig-slice}, {@code cheaper-gpu} or {@code keep}
   */
  public record GpuFinding(
      String gpu, long samples, double meanUtilizationPercent, int quantileUtilizationPerMille, double peakMemoryMib,
      double memoryTotalMib, int computeDemandPerMille, long memoryDemandMib, List<String> jobs, List<String> teams,
      String verdict) {
    public GpuFinding {
      jobs = List.copyOf(jobs);
      teams = List.copyOf(teams);
    }
  }
}
