package dev.finops.examples.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Money;
import dev.finops.core.journal.RunJournal;
import dev.finops.core.training.TrainingRunReport;
import dev.finops.nvml.FakeNvml;
import dev.finops.nvml.Nvml;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training example, run in-process. The expected money is worked out here from the scenario: 8 GPUs
 * at $3.00 per GPU-hour cost $0.40 a minute, and a step takes half a minute.
 *
 * <ul>
 *   <li>Attempt 1: steps 1 to 26, 13 minutes: $5.20. Its last checkpoint is at step 20, so steps 21 to 26
 *       (3 minutes, $1.20) are lost work.
 *   <li>Attempt 2 (a new process; its budget starts from the journal's $5.20): the experiment budget
 *       ($20, TERMINATE at 60% = $12) takes the lease's 10-minute slices ($4.00 each) as spend when each
 *       one ends: $9.20 after 10 minutes, $13.20 after 20, which reaches $12, so the run stops at that
 *       step boundary. 20 minutes = 2 minutes of reload + 36 steps, the redone steps 21 to 56: $8.00, of
 *       which the reload and the first step, 2.5 minutes ($1.00), are restart overhead.
 *   <li>The run: 26 + 36 = 62 steps, 33 minutes, $13.20, $6.80 of the budget left.
 * </ul>
 */
class TrainingLoopExampleTest {

  private static final BigDecimal PER_MINUTE = new BigDecimal("3.00").multiply(BigDecimal.valueOf(8))
      .divide(BigDecimal.valueOf(60));

  @TempDir
  Path dir;

  private static Money minutes(String m) {
    return Money.of(PER_MINUTE.multiply(new BigDecimal(m)), Money.USD);
  }

  private record Run(TrainingLoopExample.Result result, String out) {}

  /** Runs the example with {@code -Dfinops.nvml.library=library}, restoring the property after. */
  private Run runWithNvmlLibrary(Path library) {
    String saved = System.getProperty(Nvml.LIBRARY_PROPERTY);
    System.setProperty(Nvml.LIBRARY_PROPERTY, library.toString());
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      TrainingLoopExample.Result r = TrainingLoopExample.run(dir.resolve("journal"),
          new PrintStream(bytes, true, StandardCharsets.UTF_8));
      return new Run(r, bytes.toString(StandardCharsets.UTF_8));
    } finally {
      if (saved != null) {
        System.setProperty(Nvml.LIBRARY_PROPERTY, saved);
      } else {
        System.clearProperty(Nvml.LIBRARY_PROPERTY);
      }
    }
  }

  @Test
  void theBudgetStopsTheResumedRunAndEveryAccountSaysTheSameExactCost() {
    Run run = runWithNvmlLibrary(dir.resolve("no-such-libnvidia-ml.so.1"));
    TrainingLoopExample.Result r = run.result();
    TrainingRunReport report = r.report();
    Money total = minutes("33");

    assertThat(PER_MINUTE).isEqualByComparingTo("0.40");
    assertThat(r.simulatedGpus()).isTrue();
    assertThat(run.out()).startsWith("GPU readings: SIMULATED: 8 GPUs");

    assertThat(r.lastStep()).isEqualTo(56);
    assertThat(r.stopReason()).contains("experiment=llama-ft-v4", "60%");
    assertThat(report.steps()).isEqualTo(26 + 36);
    assertThat(report.attempts()).isEqualTo(2);
    assertThat(report.interruptions()).isEqualTo(1);
    assertThat(report.gpuMillis()).isEqualTo(33L * 60_000 * 8);
    assertThat(report.cost()).isEqualTo(total);
    assertThat(report.lostWorkCost()).isEqualTo(minutes("3"));
    assertThat(report.restartCost()).isEqualTo(minutes("2.5"));
    // Counted once: the new process's ledger (attempt 1 caught up once, then attempt 2), the journal read
    // cold, and the budget all say the same.
    assertThat(r.ledgerCost()).isEqualTo(total);
    assertThat(r.journalState().cost()).isEqualTo(total);
    assertThat(r.journalState().isClosed()).isTrue();
    assertThat(r.budget().spent()).isEqualTo(total);
    assertThat(r.budget().reserved().isZero()).isTrue();
    assertThat(r.budget().remaining()).isEqualTo(Money.usd("20").minus(total)).matches(m -> m.signum() > 0);
    assertThat(r.budgetEvents()).anyMatch(e -> e.contains("TERMINATE experiment=llama-ft-v4 at 60%"));
    assertThat(RunJournal.read(dir.resolve("journal"), TrainingLoopExample.RUN_ID).state().totals().steps())
        .isEqualTo(62);

    assertThat(run.out())
        .contains("the worker dies after step 26 (last model checkpoint: step 20); the run so far cost "
            + minutes("13").exactAmount().setScale(2) + " USD")
        .contains("stopped after step 56: ")
        .containsPattern("(?m)^  cost +" + total.exactAmount().setScale(2) + " USD$")
        .containsPattern("(?m)^  ledger \\(process 2\\) +" + total.exactAmount().setScale(2) + " USD$")
        .containsPattern("(?m)^  journal, read cold +" + total.exactAmount().setScale(2) + " USD, 62 steps$");
  }

  @Test
  void withNvmlTheRunIsFedMeasuredUtilizationAndCostsTheSame() {
    Assumptions.assumeTrue(FakeNvml.class.getResource(FakeNvml.FULL) != null, "no fake NVML on this platform");
    Path fake = FakeNvml.install(dir.resolve("nvml"), "count = 2", "gpu.*.util = 70");

    Run run = runWithNvmlLibrary(fake);

    assertThat(run.result().simulatedGpus()).isFalse();
    assertThat(run.out()).startsWith("GPU readings: measured by NVIDIA NVML on this machine's 2 GPUs")
        .doesNotContain("SIMULATED");
    TrainingRunReport report = run.result().report();
    assertThat(report.hasMeasuredUtilization()).isTrue();
    assertThat(report.measuredUtilization(4)).isEqualByComparingTo("0.70");
    assertThat(report.cost()).isEqualTo(minutes("33")); // utilization splits the cost, never changes it
    assertThat(run.result().ledgerCost()).isEqualTo(minutes("33"));
  }

  @Test
  void theReportShowsMfuBesideTheMeasuredUtilizationAndSaysWhichEachIs() {
    Assumptions.assumeTrue(FakeNvml.class.getResource(FakeNvml.FULL) != null, "no fake NVML on this platform");
    Path fake = FakeNvml.install(dir.resolve("nvml-mfu"), "count = 2", "gpu.*.util = 70");

    Run run = runWithNvmlLibrary(fake);

    TrainingRunReport report = run.result().report();
    assertThat(report.utilizationBasis()).isEqualTo(dev.finops.core.training.UtilizationBasis.MFU);
    assertThat(report.measuredUtilizationBasis())
        .isEqualTo(dev.finops.core.training.UtilizationBasis.NVML_KERNEL_TIME);
    // MFU = 6 × 8e9 × tokens ÷ (GPU-seconds × 989.4e12), from the run's own totals
    java.math.BigDecimal expected = java.math.BigDecimal.valueOf(6L * 8_000_000_000L)
        .multiply(java.math.BigDecimal.valueOf(report.tokens()))
        .divide(java.math.BigDecimal.valueOf(report.gpuMillis()).movePointLeft(3)
            .multiply(new java.math.BigDecimal("989.4e12")), 8, java.math.RoundingMode.HALF_EVEN);
    assertThat(report.tokens()).isPositive();
    assertThat(report.mfu(8)).isEqualByComparingTo(expected);
    assertThat(report.effectiveCostPerUsefulGpuHourFromMfu()).isNotEqualTo(report.effectiveCostPerUsefulGpuHour());
    assertThat(run.out()).containsPattern("(?m)^  MFU +[0-9.]+% \\([0-9.]+ of h100-sxm BF16 dense 989.4 TFLOPS per GPU\\)$")
        .contains("USD (from mfu)").contains("USD (from nvml_kernel_time)");
  }
}
