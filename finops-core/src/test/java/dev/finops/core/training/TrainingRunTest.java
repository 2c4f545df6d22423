package dev.finops.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.core.ledger.Repricing;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.PricingException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrainingRunTest {

  private final TrainingFixtures f = new TrainingFixtures();

  private Hardware p4d(int instances, PurchaseOption option) {
    return Hardware.instances("aws", "us-east-1", "p4d.24xlarge", instances, option);
  }

  @Test
  void gpuTimeAccruesIntoTheLedgerWhileTheRunIsOpen() {
    TrainingRun run = f.start("live", TrainingFixtures.eightGpusAt250());

    f.stepAfter(run, Duration.ofMinutes(45));
    // 8 GPUs × 0.75 h × 2.50 = 15.00 before the run is closed
    assertThat(f.inLedger("live").cost()).isEqualTo(Money.usd("15.00"));
    assertThat(f.inLedger("live").gpuMillis()).isEqualTo(8 * 45 * 60_000L);

    f.stepAfter(run, Duration.ofMinutes(45));
    // 8 × 1.5 h × 2.50 = 30.00
    assertThat(f.inLedger("live").cost()).isEqualTo(Money.usd("30.00"));
    assertThat(run.isClosed()).isFalse();
  }

  @Test
  void closeBooksTheTimeSinceTheLastStep() {
    TrainingRun run = f.start("tail", TrainingFixtures.eightGpusAt250());
    f.stepAfter(run, Duration.ofMinutes(30));
    f.clock.advance(Duration.ofMinutes(15));

    run.close();

    // 8 × 0.75 h × 2.50 = 15.00, the last 15 minutes booked by close()
    assertThat(f.inLedger("tail").cost()).isEqualTo(Money.usd("15.00"));
    assertThat(run.report().cost()).isEqualTo(Money.usd("15.00"));
  }

  @Test
  void closeIsIdempotentAndTheClosedRunStopsCosting() {
    TrainingRun run = f.start("once", TrainingFixtures.eightGpusAt250());
    f.stepAfter(run, Duration.ofHours(1));
    run.close();
    TrainingRunReport first = run.report();

    f.clock.advance(Duration.ofHours(5));
    run.close();

    assertThat(run.isClosed()).isTrue();
    TrainingRunReport second = run.report();
    assertThat(second.cost()).isEqualTo(first.cost()).isEqualTo(Money.usd("20.00"));
    assertThat(second.wallMillis()).isEqualTo(first.wallMillis()).isEqualTo(3_600_000);
    assertThat(second.end()).isEqualTo(first.end());
    assertThat(f.inLedger("once").cost()).isEqualTo(Money.usd("20.00"));
  }

  @Test
  void tryWithResourcesClosesTheRun() {
    TrainingRun run;
    try (TrainingRun r = f.start("twr", TrainingFixtures.eightGpusAt250())) {
      run = r;
      f.clock.advance(Duration.ofMinutes(6));
    }

    assertThat(run.isClosed()).isTrue();
    // 8 × 0.1 h × 2.50 = 2.00
    assertThat(f.inLedger("twr").cost()).isEqualTo(Money.usd("2.00"));
  }

  @Test
  void recordingAfterCloseThrowsIllegalStateException() {
    TrainingRun run = f.start("closed", TrainingFixtures.eightGpusAt250());
    run.close();

    assertThatThrownBy(() -> run.step(1, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(run::epoch).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(run::checkpoint).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> run.utilization(f.clock.wallTimeMillis(), 5_000))
        .isInstanceOf(IllegalStateException.class);
    assertThat(run.report().steps()).isZero();
  }

  @Test
  void aUtilizationSampleSentAfterCloseDoesNotChangeTheClosedRunsFigures() {
    TrainingRun run = f.start("late-sample", TrainingFixtures.eightGpusAt250());
    run.utilization(f.clock.wallTimeMillis(), 4_000);
    f.clock.advance(Duration.ofMinutes(60));
    run.utilization(f.clock.wallTimeMillis(), 7_000);
    f.clock.advance(Duration.ofMinutes(30));
    run.close();
    f.clock.advance(Duration.ofMinutes(60));

    assertThatThrownBy(() -> run.utilization(f.clock.wallTimeMillis(), 0)).isInstanceOf(IllegalStateException.class);
    // (0.4 × 60 + 0.7 × 30) / 90 = 0.5, not stretched over the hour after close
    assertThat(run.report().measuredUtilization(2)).isEqualByComparingTo("0.5");
  }

  @Test
  void subMillisecondSlicesOfGpuTimeAreCarriedNotDropped() {
    TrainingRun run = f.start("fast", TrainingFixtures.eightGpusAt250());

    for (int i = 0; i < 2_500; i++) {
      f.stepAfter(run, Duration.ofNanos(400_000)); // 0.4 ms a step
    }
    run.close();

    // 2,500 × 0.4 ms = 1,000 ms of wall time × 8 GPUs
    assertThat(run.report().gpuMillis()).isEqualTo(8_000);
    assertThat(f.inLedger("fast").gpuMillis()).isEqualTo(8_000);
  }

  @Test
  void aCatalogInstanceHasInstancesTimesGpusPerInstanceAtTheInstanceRateSplitPerGpu() {
    TrainingRun run = f.start("cloud", p4d(2, PurchaseOption.ON_DEMAND));
    f.stepAfter(run, Duration.ofMinutes(30));
    run.close();

    TrainingRunReport r = run.report();
    // 2 instances × 8 GPUs = 16 GPUs; 32.00 per instance-hour / 8 = 4.00 per GPU-hour
    assertThat(run.gpus()).isEqualTo(16);
    assertThat(r.gpus()).isEqualTo(16);
    assertThat(r.gpuHourlyRate()).isEqualTo(Money.usd("4.00"));
    // 16 GPUs × 0.5 h × 4.00 = 32.00 = 2 instances × 0.5 h × 32.00
    assertThat(r.cost()).isEqualTo(Money.usd("32.00"));
    assertThat(r.priceKey().kind()).isEqualTo(PriceKey.Kind.GPU);
    assertThat(r.priceKey().purchaseOption()).isEqualTo(PurchaseOption.ON_DEMAND);
    assertThat(r.hardware()).isEqualTo("2 x p4d.24xlarge (on_demand)");
  }

  @Test
  void aCatalogInstanceOnSpotIsPricedAtTheSpotRate() {
    TrainingRun run = f.start("spot", p4d(1, PurchaseOption.SPOT));
    f.stepAfter(run, Duration.ofHours(1));
    run.close();

    // 8 GPUs × 1 h × (12.00 / 8 = 1.50) = 12.00
    assertThat(run.report().cost()).isEqualTo(Money.usd("12.00"));
  }

  @Test
  void onPremHardwareIsPricedAtTheCatalogsAmortizedRatePerGpuHour() {
    TrainingRun run = f.start("owned", Hardware.onPrem("onprem-dgx", 16));
    f.stepAfter(run, Duration.ofHours(1));
    run.close();

    TrainingRunReport r = run.report();
    assertThat(r.gpus()).isEqualTo(16);
    assertThat(r.priceKey().kind()).isEqualTo(PriceKey.Kind.ON_PREM);
    assertThat(r.gpuHourlyRate()).isEqualTo(Money.usd("1.90"));
    // 16 GPUs × 1 h × 1.90 = 30.40
    assertThat(r.cost()).isEqualTo(Money.usd("30.40"));
    assertThat(f.inLedger("owned").cost()).isEqualTo(Money.usd("30.40"));
  }

  @Test
  void whatIfOnSpotRepricesTheRecordedGpuTimeAtTheSpotRateExactly() {
    TrainingRun run = f.start("what-if", p4d(1, PurchaseOption.ON_DEMAND));
    f.stepAfter(run, Duration.ofHours(1));
    f.stepAfter(run, Duration.ofHours(1));
    run.close();
    TrainingRun custom = f.start("custom", TrainingFixtures.eightGpusAt250());
    f.stepAfter(custom, Duration.ofHours(1));
    custom.close();
    LedgerSnapshot onDemand = f.ledger.snapshot();

    LedgerSnapshot onSpot = onDemand.reprice(Repricing.purchaseOption(f.pricing, PurchaseOption.SPOT));

    // on demand: 8 GPUs × 2 h × 4.00 = 64.00; on spot: 8 × 2 × 1.50 = 24.00
    assertThat(onDemand.where("run", "what-if").total().cost()).isEqualTo(Money.usd("64.00"));
    assertThat(onSpot.where("run", "what-if").total().cost()).isEqualTo(Money.usd("24.00"));
    assertThat(onSpot.where("run", "what-if").entries())
        .allSatisfy(e -> assertThat(e.key().purchaseOption()).isEqualTo(PurchaseOption.SPOT));
    // a custom rate is not a catalog purchase option: 8 × 1 h × 2.50 = 20.00 either way
    assertThat(onSpot.where("run", "custom").total().cost()).isEqualTo(Money.usd("20.00"));
  }

  @Test
  void theRunsTagsCarryTheRunIdBesideTheGivenAttribution() {
    TrainingRun run = f.start("r-7", Tags.builder().team("nlp").experiment("lr-sweep").model("llama-ft").build(),
        TrainingFixtures.eightGpusAt250());

    assertThat(run.tags()).isEqualTo(Tags.of("team", "nlp", "experiment", "lr-sweep", "model", "llama-ft",
        "run", "r-7"));
    assertThat(run.runId()).isEqualTo("r-7");
  }

  @Test
  void startingWithoutARunIdOrHardwareOrWithAnUnknownInstanceFails() {
    assertThatThrownBy(() -> TrainingRun.builder(f.pricing, f.ledger).hardware(TrainingFixtures.eightGpusAt250())
        .start()).isInstanceOf(IllegalStateException.class).hasMessageContaining("runId");
    assertThatThrownBy(() -> TrainingRun.builder(f.pricing, f.ledger).runId("x").start())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("hardware");
    assertThatThrownBy(() -> f.start("x", Hardware.instances("aws", null, "p5.48xlarge", 1, PurchaseOption.ON_DEMAND)))
        .isInstanceOf(PricingException.class).hasMessageContaining("p5.48xlarge");
    assertThatThrownBy(() -> f.start("x", p4d(1, PurchaseOption.COMMITTED)))
        .isInstanceOf(PricingException.class).hasMessageContaining("committed");
  }

  @Test
  void utilizationOutsideZeroToTenThousandBasisPointsIsRejected() {
    TrainingRun run = f.start("bp", TrainingFixtures.eightGpusAt250());

    assertThatThrownBy(() -> run.utilization(f.clock.wallTimeMillis(), 10_001))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10001");
    assertThatThrownBy(() -> run.utilization(f.clock.wallTimeMillis(), -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> run.step(-1, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("samples");
  }

  @Test
  void aRunStartedThroughFinOpsRecordsIntoItsLedger() {
    FinOps finops = FinOps.builder().clock(f.clock).pricing(f.pricing).build();

    try (TrainingRun run = finops.trainingRun("via-finops").hardware(TrainingFixtures.eightGpusAt250()).start()) {
      f.stepAfter(run, Duration.ofMinutes(3));
    }

    // 8 × 0.05 h × 2.50 = 1.00
    assertThat(finops.snapshot().where("run", "via-finops").total().cost()).isEqualTo(Money.usd("1.00"));
  }
}
