package dev.finops.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Money;
import dev.finops.core.catalog.PurchaseOption;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrainingRunReportTest {

  private final TrainingFixtures f = new TrainingFixtures();

  /**
   * 8 GPUs at 2.50 per GPU-hour for exactly 90 minutes: 300 steps of 64 samples and 4,096 tokens,
   * one every 18 s (300 × 18 s = 5,400 s), an epoch every 100 steps, utilization 40% for the first
   * 60 minutes and 70% after.
   */
  private TrainingRunReport handWorkedRun() {
    TrainingRun run = f.start("ft-1", TrainingFixtures.eightGpusAt250());
    run.utilization(f.clock.wallTimeMillis(), 4_000);
    for (int step = 1; step <= 300; step++) {
      f.stepAfter(run, Duration.ofSeconds(18));
      if (step % 100 == 0) {
        run.epoch();
      }
      if (step == 200) { // 200 × 18 s = 60 min
        run.utilization(f.clock.wallTimeMillis(), 7_000);
      }
    }
    run.checkpoint();
    run.close();
    return run.report();
  }

  @Test
  void aNinetyMinuteRunReportsTheFiguresWorkedOutByHand() {
    TrainingRunReport r = handWorkedRun();

    assertThat(r.wallMillis()).isEqualTo(5_400_000); // 90 min
    assertThat(r.gpus()).isEqualTo(8);
    assertThat(r.gpuMillis()).isEqualTo(43_200_000); // 8 × 5,400,000 ms
    assertThat(r.gpuHours(1)).isEqualByComparingTo("12"); // 8 × 1.5 h
    assertThat(r.steps()).isEqualTo(300);
    assertThat(r.epochs()).isEqualTo(3);
    assertThat(r.samples()).isEqualTo(19_200); // 300 × 64
    assertThat(r.tokens()).isEqualTo(1_228_800); // 300 × 4,096
    assertThat(r.checkpoints()).isEqualTo(1);
    assertThat(r.gpuHourlyRate()).isEqualTo(Money.usd("2.50"));
    // cost = 8 GPUs × 1.5 h × 2.50 = 30.00
    assertThat(r.cost()).isEqualTo(Money.usd("30.00"));
    // per step = 30 / 300 = 0.1; per epoch = 30 / 3 = 10
    assertThat(r.costPerStep(6)).isEqualTo(new BigDecimal("0.100000"));
    assertThat(r.costPerEpoch(2)).isEqualTo(new BigDecimal("10.00"));
    // per 1M tokens = 30 / 1.2288 = 24.4140625
    assertThat(r.costPer1mTokens(7)).isEqualTo(new BigDecimal("24.4140625"));
    // samples/s/$ = 19,200 / 5,400 s / 30 = 0.1185185185…, HALF_EVEN at 9 places
    assertThat(r.samplesPerSecondPerCurrencyUnit(9)).isEqualTo(new BigDecimal("0.118518519"));
    // mean utilization = (0.4 × 60 + 0.7 × 30) / 90 = (24 + 21) / 90 = 0.5
    assertThat(r.hasMeasuredUtilization()).isTrue();
    assertThat(r.measuredUtilization(4)).isEqualTo(new BigDecimal("0.5000"));
    // useful = 30 × 0.5 = 15; idle = 30 − 15 = 15
    assertThat(r.usefulCost()).isEqualTo(Money.usd("15"));
    assertThat(r.idleCost()).isEqualTo(Money.usd("15"));
    // effective per useful GPU-hour = 2.50 / 0.5 = 5
    assertThat(r.effectiveCostPerUsefulGpuHour()).isEqualTo(Money.usd("5"));
  }

  @Test
  void theReportAgreesWithTheLedger() {
    TrainingRunReport r = handWorkedRun();

    assertThat(f.inLedger("ft-1").cost()).isEqualTo(r.cost());
    assertThat(f.inLedger("ft-1").gpuMillis()).isEqualTo(r.gpuMillis());
    assertThat(r.tags().run()).isEqualTo("ft-1");
    assertThat(r.tags().team()).isEqualTo("nlp");
  }

  @Test
  void aConstantFortyPercentUtilizationMakesAUsefulGpuHourCostTwoAndAHalfTimesTheBilledRate() {
    // the seed case: a $4.00 GPU-hour (p4d on demand: 32.00 / 8 GPUs) busy 40% of the time
    TrainingRun run = f.start("seed", Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 1,
        PurchaseOption.ON_DEMAND));
    run.utilization(f.clock.wallTimeMillis(), 4_000);
    f.stepAfter(run, Duration.ofMinutes(37));
    run.close();

    TrainingRunReport r = run.report();

    assertThat(r.gpuHourlyRate()).isEqualTo(Money.usd("4.00"));
    // 4.00 / 0.4 = 10.00 = 2.5 × 4.00
    assertThat(r.effectiveCostPerUsefulGpuHour()).isEqualTo(r.gpuHourlyRate().times(new BigDecimal("2.5")))
        .isEqualTo(Money.usd("10.00"));
    // 8 GPUs × 37/60 h × 4.00 = 19.7333…; useful 40% of it, idle 60%
    assertThat(r.usefulCost()).isEqualTo(r.cost().times(new BigDecimal("0.4")));
    assertThat(r.idleCost()).isEqualTo(r.cost().times(new BigDecimal("0.6")));
    assertThat(r.cost()).isEqualTo(Money.usd("4.00").times(8 * 37).dividedBy(60));
  }

  @Test
  void aCustomRateAtFortyPercentCostsTwoAndAHalfTimesItsRatePerUsefulGpuHour() {
    TrainingRun run = f.start("seed-custom", TrainingFixtures.eightGpusAt250());
    run.utilization(f.clock.wallTimeMillis(), 4_000);
    f.stepAfter(run, Duration.ofMinutes(10));

    // 2.50 / 0.4 = 6.25, measured while the run is still open
    assertThat(run.report().effectiveCostPerUsefulGpuHour()).isEqualTo(Money.usd("6.25"));
  }

  @Test
  void figuresThatDoNotExistYetAreNull() {
    TrainingRun run = f.start("fresh", TrainingFixtures.eightGpusAt250());

    TrainingRunReport atStart = run.report();

    assertThat(atStart.cost()).isEqualTo(Money.usd("0"));
    assertThat(atStart.costPerStep(6)).isNull();
    assertThat(atStart.costPerEpoch(6)).isNull();
    assertThat(atStart.costPer1mTokens(6)).isNull();
    assertThat(atStart.samplesPerSecondPerCurrencyUnit(6)).isNull();
    assertThat(atStart.hasMeasuredUtilization()).isFalse();
    assertThat(atStart.measuredUtilization(2)).isNull();
    assertThat(atStart.usefulCost()).isNull();
    assertThat(atStart.idleCost()).isNull();
    assertThat(atStart.effectiveCostPerUsefulGpuHour()).isNull();
  }

  @Test
  void aRunThatWasNeverBusyHasNoEffectiveRateButAllOfItsCostIsIdle() {
    TrainingRun run = f.start("idle", TrainingFixtures.eightGpusAt250());
    run.utilization(f.clock.wallTimeMillis(), 0);
    f.stepAfter(run, Duration.ofMinutes(30));

    TrainingRunReport r = run.report();

    // 8 × 0.5 h × 2.50 = 10.00, all idle
    assertThat(r.cost()).isEqualTo(Money.usd("10.00"));
    assertThat(r.idleCost()).isEqualTo(Money.usd("10.00"));
    assertThat(r.effectiveCostPerUsefulGpuHour()).isNull();
  }
}
