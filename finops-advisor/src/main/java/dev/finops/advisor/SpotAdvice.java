package dev.finops.advisor;

import dev.finops.core.Money;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.PurchaseOption;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What to do about a spot training run on {@code instances} instances of one type, from the interruption
 * rate the journals give ({@link SpotRisk.Estimate}): checkpoint at the Young/Daly interval, and move to
 * on-demand if spot's expected lost work makes it dearer. The waste shares are statistics, rounded to 6
 * places; every amount is then exact: the catalog's hourly price × instances × 730 × a share.
 *
 * @param intervalSeconds the Young/Daly interval √(2 C M)
 * @param currentWaste expected share of time lost at the current interval
 * @param optimalWaste at the Young/Daly interval
 */
public record SpotAdvice(SpotRisk.Estimate estimate, GpuInstance instance, int instances, double checkpointSeconds,
    double restartSeconds, double currentIntervalSeconds, double intervalSeconds, BigDecimal currentWaste,
    BigDecimal optimalWaste, Money spotMonthly, Money onDemandMonthly, List<Recommendation> recommendations) {

  public SpotAdvice {
    recommendations = List.copyOf(recommendations);
  }

  /** A share as the advice prices it: HALF_EVEN to 6 places. */
  public static BigDecimal share(double value) {
    return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_EVEN);
  }

  public static SpotAdvice advise(SpotRisk.Estimate estimate, GpuInstance instance, int instances,
      double checkpointSeconds, double restartSeconds, double currentIntervalSeconds, long atMillis) {
    if (instances < 1 || !(checkpointSeconds > 0) || !(restartSeconds >= 0) || !(currentIntervalSeconds > 0)) {
      throw new IllegalArgumentException("need instances >= 1, a positive checkpoint cost and current interval,"
          + " a restart time >= 0");
    }
    double mtbf = estimate.mtbfHours(instances) * 3600;
    double tau = SpotRisk.youngDalyInterval(checkpointSeconds, mtbf);
    BigDecimal current = share(SpotRisk.wasteFraction(currentIntervalSeconds, checkpointSeconds, restartSeconds, mtbf));
    BigDecimal optimal = share(SpotRisk.wasteFraction(tau, checkpointSeconds, restartSeconds, mtbf));
    Money spotHour = Advisor.perGpuHour(instance, PurchaseOption.SPOT, atMillis).times(instance.gpuCount());
    Money onDemandHour = Advisor.perGpuHour(instance, PurchaseOption.ON_DEMAND, atMillis).times(instance.gpuCount());
    Money spotMonth = Advisor.monthly(spotHour).times(instances);
    Money onDemandMonth = Advisor.monthly(onDemandHour).times(instances);
    List<Recommendation> recs = new ArrayList<>();
    String rate = String.format(Locale.ROOT, "%d interruptions in %.1f instance-hours over %d attempts of %d runs;"
        + " rate %.5f per instance-hour (%.0f%% interval %.5f to %.5f, prior: AWS band %s weighing %.0f h);"
        + " MTBF of %d instances %.2f h", estimate.exposure().interruptions(), estimate.exposure().instanceHours(),
        estimate.exposure().attempts(), estimate.exposure().runs(), estimate.meanPerHour(),
        estimate.confidence() * 100, estimate.lowPerHour(), estimate.highPerHour(), estimate.prior().label(),
        estimate.priorWeightHours(), instances, mtbf / 3600);
    String model = String.format(Locale.ROOT, "interruptions are a Poisson process at the estimated rate; a checkpoint"
        + " takes %.0f s, a restart %.0f s; expected loss C/t + (t/2 + R)/MTBF", checkpointSeconds, restartSeconds);
    if (current.compareTo(optimal) > 0) {
      recs.add(new Recommendation("checkpoint-interval", List.of(instance.instanceType()),
          String.format(Locale.ROOT, "checkpoint every %.1f min instead of every %.1f min (Young/Daly: sqrt(2 C MTBF))",
              tau / 60, currentIntervalSeconds / 60),
          rate + String.format(Locale.ROOT, "; expected time lost %s%% now, %s%% at the interval",
              current.movePointRight(2).stripTrailingZeros().toPlainString(),
              optimal.movePointRight(2).stripTrailingZeros().toPlainString()),
          model, spotMonth.times(current.subtract(optimal))));
    }
    Money spotEffective = spotMonth.times(BigDecimal.ONE.add(optimal));
    if (spotEffective.compareTo(onDemandMonth) > 0) {
      recs.add(new Recommendation("on-demand", List.of(instance.instanceType()),
          "run on on-demand instead of spot: spot's expected lost work costs more than the discount",
          rate + "; spot with expected loss " + spotEffective.amount(2).toPlainString() + " a month against on-demand "
              + onDemandMonth.amount(2).toPlainString(), model, spotEffective.minus(onDemandMonth)));
    }
    return new SpotAdvice(estimate, instance, instances, checkpointSeconds, restartSeconds, currentIntervalSeconds,
        tau, current, optimal, spotMonth, onDemandMonth, recs);
  }
}
