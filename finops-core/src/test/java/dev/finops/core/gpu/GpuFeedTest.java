package dev.finops.core.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.ledger.Account;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.training.Hardware;
import dev.finops.core.training.TrainingRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The cost feeds over a hand-driven source: how rounds become utilization and energy. */
class GpuFeedTest {

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final FinOps finops = FinOps.builder().clock(clock).build();
  private final Source source = new Source();

  /** A source the test publishes rounds through. */
  private static final class Source implements GpuSampleSource {
    final List<Listener> listeners = new CopyOnWriteArrayList<>();

    void publish(GpuSample... round) {
      listeners.forEach(l -> l.onSamples(List.of(round)));
    }

    @Override
    public List<GpuSample> latest() {
      return List.of();
    }

    @Override
    public void addListener(Listener l) {
      listeners.add(l);
    }

    @Override
    public void removeListener(Listener l) {
      listeners.remove(l);
    }
  }

  private GpuSample.Builder gpu(int index) {
    return GpuSample.builder(index, "GPU-" + index, clock.wallTimeMillis());
  }

  @Test
  void theMeanCountsLostGpusAsIdleAndLeavesOutGpusWithoutAReading() {
    List<GpuSample> round = List.of(gpu(0).gpuUtilization(50).build(), gpu(1).lost().build(),
        gpu(2).memory(1, 2).build(), gpu(3).gpuUtilization(25).build());

    assertThat(TrainingRunGpuFeed.meanBasisPoints(round, GpuSelection.all())).isEqualTo(2_500); // (5000+0+2500)/3
    assertThat(TrainingRunGpuFeed.meanBasisPoints(round, GpuSelection.gpus("GPU-0", "GPU-3"))).isEqualTo(3_750);
    assertThat(TrainingRunGpuFeed.meanBasisPoints(round, GpuSelection.gpus("GPU-2"))).isEqualTo(GpuSample.ABSENT);
    assertThat(TrainingRunGpuFeed.meanBasisPoints(round, GpuSelection.all().process(7))).isEqualTo(0); // lost only
  }

  @Test
  void aRunFedFromTheSourceHasMeasuredCostUntilItCloses() {
    TrainingRun run = finops.trainingRun("r").hardware(Hardware.customRate("x", 1, Money.usd("10"))).start();
    TrainingRunGpuFeed.attach(source, run, GpuSelection.all());

    source.publish(gpu(0).gpuUtilization(80).build());
    clock.advance(Duration.ofHours(1));
    run.close();
    source.publish(gpu(0).gpuUtilization(10).build());

    assertThat(run.report().effectiveCostPerUsefulGpuHour()).isEqualTo(Money.usd("12.5"));
    assertThat(source.listeners).isEmpty(); // detached itself
  }

  @Test
  void energyIsRecordedFromTheSecondRoundWithSharesCarriedExactly() {
    PriceKey key = finops.pricing().onPremKey("onprem-dgx-h100", clock.wallTimeMillis());
    Account account = finops.account(Tags.builder().team("t").build());
    long self = 42;
    GpuEnergyFeed feed = GpuEnergyFeed.attach(source, account, key, GpuSelection.all().process(self));
    List<GpuProcessUsage> quarter = List.of(new GpuProcessUsage(self, 10, 0, 0), new GpuProcessUsage(1, 30, 0, 0));

    source.publish(gpu(0).energyMillijoules(1_000).processes(quarter).build()); // the baseline
    for (long mj = 1_010; mj <= 1_040; mj += 10) { // 10 mJ × 1/4 = 2.5 a round: 2, 3, 2, 3 recorded
      source.publish(gpu(0).energyMillijoules(mj).processes(quarter).build());
    }

    assertThat(feed.recordedMillijoules()).isEqualTo(10); // 40 mJ × 1/4: nothing lost to rounding
    assertThat(finops.snapshot().total().quantity(UsageBucket.ENERGY)).isEqualTo(10);
    feed.close();
    assertThat(source.listeners).isEmpty();
  }

  @Test
  void anEnergyFeedNeedsAKeyThatPricesEnergy() {
    PriceKey gpuOnly = Hardware.customRate("x", 1, Money.usd("1")).priceKey(finops.pricing(), 0);
    Account account = finops.account(Tags.EMPTY);

    assertThatThrownBy(() -> GpuEnergyFeed.attach(source, account, gpuOnly, GpuSelection.all()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no energy price");
    assertThat(source.listeners).isEmpty();
  }

  @Test
  void selectionsNameGpusByUuid() {
    assertThat(GpuSelection.gpus("GPU-1").includes(gpu(1).build())).isTrue();
    assertThat(GpuSelection.gpus("GPU-1").includes(gpu(2).build())).isFalse();
    assertThat(GpuSelection.all().shareBasisPoints(gpu(0).build())).isEqualTo(10_000);
    assertThatThrownBy(() -> GpuSelection.gpus(List.of())).hasMessageContaining("GpuSelection.all()");
  }
}
