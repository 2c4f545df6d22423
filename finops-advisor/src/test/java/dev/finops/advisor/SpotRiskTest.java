package dev.finops.advisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.journal.RunJournal;
import dev.finops.core.journal.RunState;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.training.Hardware;
import dev.finops.core.training.ResumePoint;
import dev.finops.core.training.TrainingRun;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpotRiskTest {

  @TempDir
  Path dir;

  private final Pricing pricing = Pricing.builder().bundledCatalog(null).userCatalog(Fixtures.CATALOG).build();

  private TrainingRun start(ManualClock clock, String id) {
    return TrainingRun.builder(pricing, Ledger.builder().clock(clock).build()).runId(id)
        .tags(Tags.builder().team("nlp").build())
        .hardware(Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 1, PurchaseOption.SPOT))
        .journal(RunJournal.open(dir, id)).resumesFrom(ResumePoint.LAST_CHECKPOINT).start();
  }

  private static void steps(ManualClock clock, TrainingRun run, int n, Duration each) {
    for (int i = 0; i < n; i++) {
      clock.advance(each);
      run.step(1, 1);
    }
  }

  @Test
  void gammaQuantilesMatchClosedForms() {
    // shape 1 is the exponential distribution: q = -ln(1 - p) / b
    for (double p : new double[] {0.05, 0.5, 0.95}) {
      assertThat(GammaDistribution.quantile(1, 3, p)).isCloseTo(-Math.log(1 - p) / 3, within(1e-10));
    }
    // integer shape k: P(k, x) = 1 - e^-x sum_{i<k} x^i / i!
    for (int k = 1; k <= 6; k++) {
      for (double x : new double[] {0.3, 2, 7.5, 20}) {
        double sum = 0;
        double term = 1;
        for (int i = 0; i < k; i++) {
          sum += term;
          term *= x / (i + 1);
        }
        assertThat(GammaDistribution.regularizedLower(k, x)).isCloseTo(1 - Math.exp(-x) * sum, within(1e-12));
      }
    }
    // a small shape, as a weak prior gives: the quantile inverts P
    double q = GammaDistribution.quantile(0.08, 730, 0.95);
    assertThat(GammaDistribution.regularizedLower(0.08, q * 730)).isCloseTo(0.95, within(1e-9));
  }

  @Test
  void youngDalyIntervalIsTheClosedFormAndMinimizesExpectedLoss() {
    double c = 120;
    double m = 10 * 3600;
    double tau = SpotRisk.youngDalyInterval(c, m);
    assertThat(tau).isEqualTo(Math.sqrt(2 * c * m));
    // brute force over a fine grid: no interval loses less
    double best = Double.MAX_VALUE;
    double argBest = 0;
    for (double t = 10; t < 20_000; t += 1) {
      double w = SpotRisk.wasteFraction(t, c, 300, m);
      if (w < best) {
        best = w;
        argBest = t;
      }
    }
    assertThat(argBest).isCloseTo(tau, within(1.0));
  }

  @Test
  void ratesComeFromTheJournalsWithTheBandAsPrior() {
    ManualClock clock = ManualClock.at(Fixtures.FROM.plus(Duration.ofDays(30)));
    TrainingRun a = start(clock, "a");
    steps(clock, a, 4, Duration.ofMinutes(15));  // 1 h, then killed: a preemption without a notice
    a.journal().close();
    clock.advance(Duration.ofMinutes(10));
    TrainingRun a2 = start(clock, "a");
    steps(clock, a2, 8, Duration.ofMinutes(15)); // 2 h, finished
    a2.close();
    TrainingRun b = start(clock, "b");
    steps(clock, b, 12, Duration.ofMinutes(15)); // 3 h, finished
    b.close();

    List<RunState> runs = List.of(RunJournal.read(dir, "a").state(), RunJournal.read(dir, "b").state());
    List<SpotRisk.Exposure> exposures = SpotRisk.exposures(runs, Fixtures.CATALOG.gpuInstances());
    assertThat(exposures).singleElement().satisfies(e -> {
      assertThat(e.instanceType()).isEqualTo("p4d.24xlarge");
      assertThat(e.region()).isEqualTo("us-east-1");
      assertThat(e.runs()).isEqualTo(2);
      assertThat(e.attempts()).isEqualTo(3);
      assertThat(e.interruptions()).isEqualTo(1);
      assertThat(e.instanceHours()).isCloseTo(6.0, within(1e-9));
    });
    SpotRisk.Estimate est = SpotRisk.estimate(exposures.get(0), SpotRisk.Band.FROM_5_TO_10, 730, 0.9);
    double alpha0 = -Math.log(1 - 0.075);
    assertThat(est.meanPerHour()).isCloseTo((alpha0 + 1) / (730 + 6), within(1e-15));
    assertThat(est.lowPerHour()).isLessThan(est.meanPerHour());
    assertThat(est.highPerHour()).isGreaterThan(est.meanPerHour());
    assertThat(GammaDistribution.regularizedLower(est.alpha(), est.highPerHour() * est.beta()))
        .isCloseTo(0.95, within(1e-9));
  }

  @Test
  void checkpointIntervalAdviceIsPricedExactlyFromTheSpotRate() {
    SpotRisk.Exposure e = new SpotRisk.Exposure("aws", "us-east-1", "p4d.24xlarge", 5, 20, 12, 400, 240);
    SpotRisk.Estimate est = SpotRisk.estimate(e, SpotRisk.Band.FROM_10_TO_15, 730, 0.9);
    long at = Fixtures.FROM.toEpochMilli() + 86_400_000L;
    SpotAdvice advice = SpotAdvice.advise(est, Fixtures.P4D, 4, 300, 240, 4 * 3600, at);
    double mtbf = 1 / (est.meanPerHour() * 4) * 3600;
    assertThat(advice.intervalSeconds()).isEqualTo(Math.sqrt(2 * 300 * mtbf));
    Recommendation r = advice.recommendations().get(0);
    assertThat(r.kind()).isEqualTo("checkpoint-interval");
    BigDecimal current = SpotAdvice.share(300.0 / (4 * 3600) + (2 * 3600 + 240) / mtbf);
    BigDecimal optimal = SpotAdvice.share(SpotRisk.wasteFraction(advice.intervalSeconds(), 300, 240, mtbf));
    assertThat(advice.currentWaste()).isEqualTo(current);
    // 4 instances × 12.50 an hour × 730 × (current - optimal), exact
    assertThat(r.monthlySaving().exactAmount()).isEqualByComparingTo(
        new BigDecimal("12.50").multiply(BigDecimal.valueOf(4 * 730)).multiply(current.subtract(optimal)));
    assertThat(r.evidence()).contains("12 interruptions in 400.0 instance-hours", "AWS band 10-15%");
  }

  @Test
  void frequentInterruptionsMakeOnDemandCheaper() {
    // p4d: 12.50 spot against 21.957642 on demand; one interruption every 1.2 instance-hours on 8 instances
    SpotRisk.Exposure e = new SpotRisk.Exposure("aws", "us-east-1", "p4d.24xlarge", 3, 100, 500, 600, 900);
    SpotRisk.Estimate est = SpotRisk.estimate(e, SpotRisk.Band.OVER_20, 730, 0.9);
    SpotAdvice advice = SpotAdvice.advise(est, Fixtures.P4D, 8, 900, 900, 3600,
        Fixtures.FROM.toEpochMilli() + 86_400_000L);
    Recommendation onDemand = advice.recommendations().stream().filter(x -> x.kind().equals("on-demand")).findFirst()
        .orElseThrow();
    Money spot = Money.of(new BigDecimal("12.50"), Money.USD).times(8 * 730).times(BigDecimal.ONE.add(advice.optimalWaste()));
    Money od = Money.of(new BigDecimal("21.957642"), Money.USD).times(8 * 730);
    assertThat(onDemand.monthlySaving()).isEqualTo(spot.minus(od));
  }

  @Test
  void scheduleCheckpointsTheRunOnItsInterval() {
    ManualClock clock = ManualClock.at(Fixtures.FROM.plus(Duration.ofDays(30)));
    TrainingRun run = start(clock, "sched");
    int[] written = {0};
    CheckpointSchedule schedule = new CheckpointSchedule(Duration.ofMinutes(25), clock, () -> written[0]++);
    for (int i = 0; i < 12; i++) {        // 2 h of 10-minute steps: due at 30, 60, 90 and 120 min
      clock.advance(Duration.ofMinutes(10));
      run.step(1, 1);
      schedule.afterStep(run);
    }
    assertThat(written[0]).isEqualTo(4);
    assertThat(schedule.written()).isEqualTo(4);
    assertThat(run.report().checkpoints()).isEqualTo(4);
    run.close();
  }
}
