package dev.finops.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.catalog.AcceleratorCatalog;
import dev.finops.core.catalog.AcceleratorFacts;
import dev.finops.core.catalog.AcceleratorFacts.Precision;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingRunMfuTest {

  private final TrainingFixtures f = new TrainingFixtures();

  private TrainingRun start(ModelFlops model) {
    return TrainingRun.builder(f.pricing, f.ledger).runId("pretrain-8b").tags(Tags.EMPTY)
        .hardware(TrainingFixtures.eightGpusAt250()).model(model).start();
  }

  /**
   * 8B parameters at 50,000 tokens/s on 8 GPUs of 989 TFLOPS: 6 × 8e9 × 5e4 = 2.4e15 FLOP/s over
   * 8 × 989e12 = 7.912e15 FLOP/s of peak, MFU 2.4 / 7.912 = 0.30333670…; at 2.50 per GPU-hour the
   * effective cost per useful GPU-hour is 2.50 × 7.912 / 2.4 = 989 / 120 = 8.2416666….
   */
  @Test
  void eightBillionParametersAtFiftyThousandTokensPerSecondOnEightGpus() {
    TrainingRun run = start(ModelFlops.of(8_000_000_000L, 8_000_000_000L, new BigDecimal("989")));
    run.utilization(f.clock.wallTimeMillis(), 9_000); // NVML says 90% busy
    for (int i = 0; i < 10; i++) {
      f.clock.advance(Duration.ofSeconds(1));
      run.step(32, 50_000);
    }
    StepFigures last = run.lastStep();
    assertThat(last.step()).isEqualTo(10);
    assertThat(last.wallNanos()).isEqualTo(1_000_000_000L);
    assertThat(last.modelFlops()).isEqualTo(new BigInteger("2400000000000000"));
    assertThat(last.tokensPerSecond(0)).isEqualByComparingTo("50000");
    assertThat(last.achievedTflopsPerGpu(1)).isEqualByComparingTo("300.0"); // 2.4e15 / 8 / 1e12
    assertThat(last.mfu(8)).isEqualByComparingTo("0.30333670");

    run.close();
    TrainingRunReport r = run.report();
    assertThat(r.gpuMillis()).isEqualTo(80_000);
    assertThat(r.modelFlops()).isEqualTo(new BigInteger("24000000000000000")); // 10 s of 2.4e15
    assertThat(r.achievedTflopsPerGpu(3)).isEqualByComparingTo("300.000");
    assertThat(r.mfu(8)).isEqualByComparingTo("0.30333670");
    assertThat(r.utilizationBasis()).isEqualTo(UtilizationBasis.MFU);
    assertThat(r.effectiveCostPerUsefulGpuHourFromMfu()).isEqualTo(Money.usd("989").dividedBy(120));
    assertThat(r.effectiveCost()).isEqualTo(r.effectiveCostPerUsefulGpuHourFromMfu());
    // beside it, the one from NVML's time-based figure: 2.50 / 0.9
    assertThat(r.measuredUtilizationBasis()).isEqualTo(UtilizationBasis.NVML_KERNEL_TIME);
    assertThat(r.effectiveCost(UtilizationBasis.NVML_KERNEL_TIME)).isEqualTo(Money.usd("25").dividedBy(9));
    assertThat(r.effectiveCost(UtilizationBasis.GPM_SM_ACTIVITY)).isNull();
  }

  @Test
  void aMixtureOfExpertsCountsOnlyItsActiveParameters() {
    AcceleratorFacts h100 = AcceleratorCatalog.builtIn().get("H100-SXM");
    // 47B total, 13B active per token, on H100 SXM at BF16 (989.4 TFLOPS)
    TrainingRun run = start(ModelFlops.moe(47_000_000_000L, 13_000_000_000L, h100, Precision.BF16));
    f.clock.advance(Duration.ofSeconds(2));
    run.step(8, 40_000);
    // 6 × 13e9 × 40,000 = 3.12e15 FLOPs in 2 s on 8 GPUs: 195 TFLOPS per GPU; MFU 195 / 989.4
    assertThat(run.lastStep().achievedTflopsPerGpu(2)).isEqualByComparingTo("195.00");
    assertThat(run.lastStep().mfu(10)).isEqualByComparingTo(
        new BigDecimal("195").divide(new BigDecimal("989.4"), 10, java.math.RoundingMode.HALF_EVEN));
    run.close();
    assertThat(run.report().model().peakLabel()).isEqualTo("h100-sxm BF16 dense");
  }

  @Test
  void perStepMfuFollowsEachStepsOwnWallTimeAndTheRunsIncludesIdleTime() {
    TrainingRun run = start(ModelFlops.of(1_000_000_000L, 1_000_000_000L, new BigDecimal("100")));
    f.clock.advance(Duration.ofSeconds(6)); // loading: paid for, no tokens
    run.step(1, 0);
    f.clock.advance(Duration.ofSeconds(2));
    run.step(1, 400_000); // 6 × 1e9 × 4e5 = 2.4e15 in 2 s on 8 GPUs: 150 TFLOPS per GPU
    assertThat(run.lastStep().achievedTflopsPerGpu(0)).isEqualByComparingTo("150");
    assertThat(run.lastStep().mfu(2)).isEqualByComparingTo("1.50"); // a wrong peak shows, it is not clamped
    run.close();
    // over the run: 2.4e15 in 8 s × 8 GPUs = 37.5 TFLOPS/GPU
    assertThat(run.report().achievedTflopsPerGpu(1)).isEqualByComparingTo("37.5");
    assertThat(run.report().mfu(3)).isEqualByComparingTo("0.375");
  }

  @Test
  void withoutAModelTheReportSaysItUsedTheMeasuredUtilizationAndItsSource() {
    TrainingRun run = f.start("no-model", TrainingFixtures.eightGpusAt250());
    run.utilization(f.clock.wallTimeMillis(), 5_000, UtilizationBasis.GPM_SM_ACTIVITY);
    f.stepAfter(run, Duration.ofMinutes(30));
    run.close();
    TrainingRunReport r = run.report();
    assertThat(run.lastStep()).isNull();
    assertThat(r.hasMfu()).isFalse();
    assertThat(r.mfu(4)).isNull();
    assertThat(r.effectiveCostPerUsefulGpuHourFromMfu()).isNull();
    assertThat(r.utilizationBasis()).isEqualTo(UtilizationBasis.GPM_SM_ACTIVITY);
    assertThat(r.effectiveCost()).isEqualTo(Money.usd("5.00"));
    assertThat(r.effectiveCost(UtilizationBasis.MFU)).isNull();
  }

  @Test
  void badInputNamesTheField() {
    AcceleratorFacts a100 = AcceleratorCatalog.builtIn().get("a100-sxm-80gb");
    assertThatThrownBy(() -> ModelFlops.moe(1_000, 2_000, a100, Precision.BF16))
        .hasMessageContaining("activeParameters");
    assertThatThrownBy(() -> ModelFlops.dense(0, a100, Precision.BF16)).hasMessageContaining("totalParameters");
    assertThatThrownBy(() -> ModelFlops.dense(1_000, a100, Precision.FP8)).hasMessageContaining("precision");
    assertThatThrownBy(() -> ModelFlops.of(1_000, 1_000, BigDecimal.ZERO)).hasMessageContaining("peakTflopsPerGpu");
    assertThatThrownBy(() -> AcceleratorCatalog.builtIn().get("tpu-v9")).hasMessageContaining("accelerator");
    assertThatThrownBy(() -> new AcceleratorFacts("x", "X", BigDecimal.ONE, null, BigDecimal.ONE, 1, 1, 1, List.of(),
        "http://example.com")).hasMessageContaining("source");
    assertThatThrownBy(() -> f.start("r", TrainingFixtures.eightGpusAt250())
        .utilization(0, 100, UtilizationBasis.MFU)).hasMessageContaining("basis");
  }

  @Test
  void theBuiltInTableCarriesDatasheetFiguresWithSources() {
    AcceleratorCatalog c = AcceleratorCatalog.builtIn();
    assertThat(c.get("h100-sxm").peakTflops(Precision.FP8)).isEqualByComparingTo("1978.9");
    assertThat(c.get("h200-sxm").memoryGb()).isEqualTo(141);
    assertThat(c.get("l4").hasMig()).isFalse();
    assertThat(c.get("a100-sxm-80gb").migProfiles()).contains("1g.10gb", "7g.80gb");
    assertThat(c.all()).allSatisfy(a -> assertThat(a.source()).startsWith("https://"));
    AcceleratorFacts capped = new AcceleratorFacts("h100-sxm", "H100 capped", new BigDecimal("800"), null,
        new BigDecimal("60"), 80, 3350, 500, List.of(), "https://example.com/capped");
    assertThat(c.with(capped).get("h100-sxm").peakTflops(Precision.BF16)).isEqualByComparingTo("800");
    assertThat(c.get("h100-sxm").peakTflops(Precision.BF16)).isEqualByComparingTo("989.4");
  }
}
