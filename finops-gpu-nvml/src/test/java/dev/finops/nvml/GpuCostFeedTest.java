package dev.finops.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.gpu.GpuEnergyFeed;
import dev.finops.core.gpu.GpuSelection;
import dev.finops.core.gpu.TrainingRunGpuFeed;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.training.Hardware;
import dev.finops.core.training.TrainingRun;
import dev.finops.core.training.TrainingRunReport;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampler feeding finops-core: measured effective and idle cost of a training run, and energy cost. */
class GpuCostFeedTest {

  @TempDir
  Path dir;

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final FinOps finops = FinOps.builder().clock(clock).build();

  private static List<String> uuids(NvmlSession s) {
    return s.devices().stream().map(NvmlDevice::uuid).toList();
  }

  @Test
  void aRunOnGpusMeasuredAt40PercentCosts2Point5TimesItsRatePerUsefulHour() {
    try (NvmlSession nvml = Nvml.open(FakeNvml.install(dir, "count = 2", "gpu.*.util = 40"));
        GpuSampler sampler = GpuSampler.builder(nvml).clock(clock).build();
        TrainingRun run = finops.trainingRun("ft-42").tags(Tags.builder().team("nlp").build())
            .hardware(Hardware.customRate("fake-h100", 2, Money.usd("3.20"))).start()) {
      TrainingRunGpuFeed.attach(sampler, run, GpuSelection.gpus(uuids(nvml)));
      for (int minute = 0; minute < 60; minute++) {
        sampler.sampleOnce();
        clock.advance(Duration.ofMinutes(1));
      }

      TrainingRunReport r = run.report();

      assertThat(r.measuredUtilization(4)).isEqualByComparingTo("0.4");
      assertThat(r.effectiveCostPerUsefulGpuHour()).isEqualTo(r.gpuHourlyRate().times(new BigDecimal("2.5")));
      assertThat(r.effectiveCostPerUsefulGpuHour()).isEqualTo(Money.usd("8"));
      assertThat(r.cost()).isEqualTo(Money.usd("6.40")); // 2 GPUs × 1 h × 3.20
      assertThat(r.idleCost()).isEqualTo(r.cost().times(new BigDecimal("0.6")));
    }
  }

  @Test
  void changingUtilizationIsTimeWeightedAndALostGpuCountsAsIdle() {
    // GPU 0: 20% then 60%; GPU 1: 60%, then lost (paid for, doing nothing)
    try (NvmlSession nvml = Nvml.open(FakeNvml.install(dir, "count = 2", "gpu.0.util = 0, 20, 60",
        "gpu.1.util = 0, 60", "gpu.1.lost_after = 2"));
        GpuSampler sampler = GpuSampler.builder(nvml).clock(clock).build();
        TrainingRun run = finops.trainingRun("ft-43").hardware(Hardware.customRate("fake", 2, Money.usd("1")))
            .start()) {
      TrainingRunGpuFeed.attach(sampler, run, GpuSelection.all());

      sampler.sampleOnce(); // mean (20 + 60) / 2 = 40%
      clock.advance(Duration.ofMinutes(30));
      sampler.sampleOnce(); // mean (60 + lost 0) / 2 = 30%
      clock.advance(Duration.ofMinutes(30));

      assertThat(run.report().measuredUtilization(4)).isEqualByComparingTo("0.35");
    }
  }

  @Test
  void thisProcessOnlyCountsItsShareOfASharedGpu() {
    // the GPU is 80% busy; this JVM ran 30 of the 40 SM-percent its processes used: 3/4 of 80% = 60%
    try (NvmlSession nvml = Nvml.open(FakeNvml.install(dir, "gpu.0.util = 80",
        "gpu.0.processes = self:30:5:1073741824 4242:10:5:1073741824"));
        GpuSampler sampler = GpuSampler.builder(nvml).clock(clock).build();
        TrainingRun run = finops.trainingRun("shared").hardware(Hardware.customRate("fake", 1, Money.usd("2")))
            .start()) {
      TrainingRunGpuFeed.attach(sampler, run, GpuSelection.all().thisProcessOnly());

      sampler.sampleOnce();
      clock.advance(Duration.ofHours(1));

      assertThat(run.report().measuredUtilization(4)).isEqualByComparingTo("0.6");
    }
  }

  @Test
  void theFeedStopsWhenTheRunCloses() {
    try (NvmlSession nvml = Nvml.open(FakeNvml.install(dir));
        GpuSampler sampler = GpuSampler.builder(nvml).clock(clock).build()) {
      TrainingRun run = finops.trainingRun("short").hardware(Hardware.customRate("fake", 1, Money.usd("2"))).start();
      TrainingRunGpuFeed.attach(sampler, run, GpuSelection.all());
      sampler.sampleOnce();
      run.close();

      sampler.sampleOnce();
      sampler.sampleOnce();

      assertThat(sampler.listenerFailures()).isZero();
    }
  }

  @Test
  void energyBecomesAnEnergyCostLineOfTheOnPremRow() {
    // per GPU: 1,000,000 mJ at the first round (the baseline), then 3,600,000 mJ more each round
    try (NvmlSession nvml = Nvml.open(FakeNvml.install(dir, "count = 2",
        "gpu.*.energy = 0, 1000000, 4600000, 8200000"));
        GpuSampler sampler = GpuSampler.builder(nvml).clock(clock).build()) {
      PriceKey dgx = finops.pricing().onPremKey("onprem-dgx-h100", clock.wallTimeMillis());
      GpuEnergyFeed feed = GpuEnergyFeed.attach(sampler, finops.account(Tags.builder().team("nlp").build()), dgx,
          GpuSelection.all());

      for (int i = 0; i < 3; i++) {
        sampler.sampleOnce();
        clock.advance(Duration.ofMinutes(1));
      }

      LedgerSnapshot.Totals nlp = finops.snapshot().where("team", "nlp").total();
      assertThat(feed.recordedMillijoules()).isEqualTo(14_400_000); // 2 rounds × 2 GPUs × 3.6 MJ... in mJ
      assertThat(nlp.quantity(UsageBucket.ENERGY)).isEqualTo(14_400_000);
      // 14,400,000 mJ = 0.004 kWh at the bundled 2025- price of 0.130508 per kWh
      assertThat(nlp.cost()).isEqualTo(Money.usd("0.000522032"));
    }
  }
}
