package dev.finops.advisor;

import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.journal.AttemptSummary;
import dev.finops.core.journal.RunState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Spot interruption rates per instance type, estimated from the attempts recorded in run journals, and
 * the checkpoint interval that minimizes expected lost work.
 *
 * <p><b>Exposure.</b> Every spot attempt of a run contributes its wall time × its instance count
 * (instance-hours); it counts as interrupted when it got an interruption notice, or when it ended
 * without closing or suspending the run and another attempt followed (a preemption without notice).
 *
 * <p><b>Rate.</b> Interruptions are taken as a Poisson process of rate λ per instance-hour. The prior is
 * a gamma distribution centred on a band of AWS's Spot Instance Advisor, whose "frequency of
 * interruption" is "the rate at which Spot has reclaimed capacity during the trailing month", published
 * in bands of &lt;5 %, 5-10 %, 10-15 %, 15-20 % and &gt;20 % (aws.amazon.com/ec2/spot/instance-advisor/, data
 * file spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json). A band's midpoint p (2.5 %, 7.5 %, 12.5 %,
 * 17.5 %, 25 % for the open top band) is read as the chance an instance is reclaimed within a month of
 * {@value Advisor#HOURS_PER_MONTH} hours: λ₀ = −ln(1 − p) / 730. The prior weighs as much as {@code
 * priorWeightHours} instance-hours of observation (default 730: one instance-month), so it is Gamma(λ₀ ×
 * weight, weight); with k interruptions in T instance-hours the posterior is Gamma(α₀ + k, β₀ + T), whose
 * mean is the estimate and whose central quantiles are the interval.
 *
 * <p><b>Checkpoint interval.</b> With a checkpoint costing C seconds and a mean time between failures M
 * of the whole run (M = 1 / (n λ) for n instances), Young's first-order optimum, the one Daly's analysis
 * starts from, is τ = √(2 C M). The expected share of time lost is C/τ (writing checkpoints) + (τ/2 +
 * R)/M (work since the last checkpoint, redone, and the restart R, per failure).
 */
public final class SpotRisk {

  /** AWS Spot Instance Advisor's interruption-frequency bands, with the midpoint used as the prior. */
  public enum Band {
    UNDER_5("<5%", 0.025),
    FROM_5_TO_10("5-10%", 0.075),
    FROM_10_TO_15("10-15%", 0.125),
    FROM_15_TO_20("15-20%", 0.175),
    OVER_20(">20%", 0.25);

    private final String label;
    private final double monthlyProbability;

    Band(String label, double monthlyProbability) {
      this.label = label;
      this.monthlyProbability = monthlyProbability;
    }

    public String label() {
      return label;
    }

    /** The band's midpoint: the chance an instance is reclaimed within a month. */
    public double monthlyProbability() {
      return monthlyProbability;
    }

    /** λ₀ per instance-hour: −ln(1 − p) / 730. */
    public double ratePerHour() {
      return -Math.log1p(-monthlyProbability) / Advisor.HOURS_PER_MONTH;
    }

    /** The band of a label ({@code "5-10%"}, {@code "5-10"}, {@code "<5"}, {@code ">20"}). */
    public static Band parse(String text) {
      String t = text.strip().replace("%", "").replace(" ", "");
      for (Band b : values()) {
        if (b.label.replace("%", "").equals(t)) {
          return b;
        }
      }
      throw new IllegalArgumentException("not an interruption band (<5%, 5-10%, 10-15%, 15-20%, >20%): " + text);
    }
  }

  /** What the journals recorded for one instance type: spot attempts, interruptions, instance-hours. */
  public record Exposure(String provider, String region, String instanceType, int runs, int attempts,
      int interruptions, double instanceHours, double meanRestartSeconds) {}

  /**
   * The posterior of the interruption rate.
   *
   * @param alpha posterior shape
   * @param beta posterior rate, instance-hours
   * @param meanPerHour the estimate of λ per instance-hour
   * @param lowPerHour the lower end of the central interval
   * @param highPerHour the upper end
   * @param confidence the interval's probability (0.9)
   */
  public record Estimate(Exposure exposure, Band prior, double priorWeightHours, double alpha, double beta,
      double meanPerHour, double lowPerHour, double highPerHour, double confidence) {

    /** The chance an instance is reclaimed within a month at the estimated rate: 1 − e^(−730 λ). */
    public double monthlyProbability() {
      return -Math.expm1(-meanPerHour * Advisor.HOURS_PER_MONTH);
    }

    /** Mean time between interruptions of a run on {@code instances} instances, in hours. */
    public double mtbfHours(int instances) {
      return 1 / (meanPerHour * instances);
    }
  }

  private SpotRisk() {}

  /**
   * Adds up the spot attempts of {@code runs} per instance type. The region is the catalog's for the
   * instance type (journals record provider and instance type); {@code catalog} also gives each type's
   * GPU count, to turn an attempt's GPUs into instances.
   */
  public static List<Exposure> exposures(List<RunState> runs, List<GpuInstance> catalog) {
    Map<String, double[]> sums = new TreeMap<>();  // runs, attempts, interruptions, hours, restartSec, restarts
    Map<String, GpuInstance> types = new TreeMap<>();
    for (RunState run : runs) {
      List<AttemptSummary> attempts = run.attempts();
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (int i = 0; i < attempts.size(); i++) {
        AttemptSummary a = attempts.get(i);
        if (a.priceKey() == null || a.priceKey().purchaseOption() != PurchaseOption.SPOT) {
          continue;
        }
        GpuInstance g = find(catalog, a.priceKey().provider(), a.priceKey().resource());
        if (g == null) {
          continue;
        }
        String key = g.provider() + "/" + g.region() + "/" + g.instanceType();
        types.put(key, g);
        double[] s = sums.computeIfAbsent(key, k -> new double[6]);
        if (seen.add(key)) {
          s[0]++;
        }
        s[1]++;
        boolean last = i == attempts.size() - 1;
        boolean interrupted = a.notice() != null
            || (!last && a.outcome() == AttemptSummary.Outcome.OPEN);
        if (interrupted) {
          s[2]++;
        }
        double instances = Math.max(1.0, (double) a.gpus() / g.gpuCount());
        s[3] += (a.last().toEpochMilli() - a.start().toEpochMilli()) / 3_600_000.0 * instances;
        if (i > 0 && a.restartGpuMillis() > 0 && a.gpus() > 0) {
          s[4] += a.restartGpuMillis() / 1000.0 / a.gpus();
          s[5]++;
        }
      }
    }
    List<Exposure> out = new ArrayList<>();
    for (Map.Entry<String, double[]> e : sums.entrySet()) {
      GpuInstance g = types.get(e.getKey());
      double[] s = e.getValue();
      out.add(new Exposure(g.provider(), g.region(), g.instanceType(), (int) s[0], (int) s[1], (int) s[2], s[3],
          s[5] == 0 ? Double.NaN : s[4] / s[5]));
    }
    return out;
  }

  private static GpuInstance find(List<GpuInstance> catalog, String provider, String type) {
    for (GpuInstance g : catalog) {
      if (g.instanceType().equalsIgnoreCase(type) && (provider == null || g.provider().equalsIgnoreCase(provider))) {
        return g;
      }
    }
    return null;
  }

  /** The posterior of λ for {@code e} under the {@code prior} band. */
  public static Estimate estimate(Exposure e, Band prior, double priorWeightHours, double confidence) {
    Objects.requireNonNull(prior, "prior");
    if (!(priorWeightHours > 0) || !(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("need a positive prior weight and a confidence in (0, 1)");
    }
    double alpha = prior.ratePerHour() * priorWeightHours + e.interruptions();
    double beta = priorWeightHours + e.instanceHours();
    double tail = (1 - confidence) / 2;
    return new Estimate(e, prior, priorWeightHours, alpha, beta, alpha / beta,
        GammaDistribution.quantile(alpha, beta, tail), GammaDistribution.quantile(alpha, beta, 1 - tail), confidence);
  }

  /** Young's optimal checkpoint interval √(2 C M), in the unit of its arguments. */
  public static double youngDalyInterval(double checkpointCost, double mtbf) {
    if (!(checkpointCost > 0 && mtbf > 0)) {
      throw new IllegalArgumentException("checkpoint cost and MTBF must be positive");
    }
    return Math.sqrt(2 * checkpointCost * mtbf);
  }

  /** The expected share of time lost at checkpoint interval τ: C/τ + (τ/2 + R)/M (one unit for all). */
  public static double wasteFraction(double interval, double checkpointCost, double restart, double mtbf) {
    return checkpointCost / interval + (interval / 2 + restart) / mtbf;
  }
}
