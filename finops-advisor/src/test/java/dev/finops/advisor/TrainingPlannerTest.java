package dev.finops.advisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.PurchaseOption;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingPlannerTest {
  private static final long AT = Fixtures.FROM.toEpochMilli() + 86_400_000L;

  private static TrainingPlanner planner(double params, double tokens) {
    return TrainingPlanner.builder(params, tokens).peakTflops("A100-40GB", 312).peakTflops("L4-24GB", 121)
        .peakTflops("A10G-24GB", 125).maxInstances(6).build();
  }

  @Test
  void computeAndMemoryFollowTheFormulas() {
    TrainingPlanner p = planner(8e9, 2e11);
    assertThat(p.flops()).isEqualTo(6 * 8e9 * 2e11);
    assertThat(p.memoryBytes()).isEqualTo(8e9 * 16 * 1.2);
    // 153.6 GB of state: one p4d (8 × 40 GB); L4 24 GB GPUs: 22,888 MiB each → 7 of them: 7 g6.xlarge, 2 g6.12xlarge
    assertThat(p.minInstances(Fixtures.P4D)).isEqualTo(1);
    assertThat(p.minInstances(Fixtures.G6)).isEqualTo(7);
    assertThat(p.minInstances(Fixtures.G6_12)).isEqualTo(2);
    assertThat(planner(70e9, 1e12).minInstances(Fixtures.P4D)).isEqualTo(5);
  }

  /** The exhaustive evaluation, written out again: every instance × option × count, costed and sorted. */
  @Test
  void rankingEqualsAnExhaustiveEvaluation() {
    TrainingPlanner planner = planner(1e9, 2e10);
    TrainingPlanner.Result result = planner.plan(Fixtures.CATALOG.gpuInstances(), AT);
    double flops = 6 * 1e9 * 2e10;
    double lambda = -Math.log(1 - 0.075) / 730;
    record Row(String type, PurchaseOption option, int k, BigDecimal cost, double hours) {}
    List<Row> expected = new ArrayList<>();
    for (GpuInstance g : Fixtures.CATALOG.gpuInstances()) {
      double peak = g.accelerator().equals("A100-40GB") ? 312 : g.accelerator().equals("L4-24GB") ? 121 : 125;
      long gpuMib = (long) Math.floor(Long.parseLong(g.accelerator().replaceAll(".*-(\\d+)GB", "$1")) * 1e9 / 1048576);
      int min = (int) Math.max(1, Math.ceil(1e9 * 16 * 1.2 / (gpuMib * 1048576.0 * g.gpuCount())));
      for (PurchaseOption o : PurchaseOption.values()) {
        BigDecimal rate = g.latest().hourly(o);
        if (rate == null) {
          continue;
        }
        for (int k = min; k <= 6; k++) {
          double hours = flops / (k * g.gpuCount() * peak * 1e12 * 0.4) / 3600;
          double lost = 0;
          if (o == PurchaseOption.SPOT) {
            double m = 3600 / (k * lambda);
            lost = BigDecimal.valueOf(Math.sqrt(2 * 300 / m) + 600 / m).setScale(6, java.math.RoundingMode.HALF_EVEN)
                .doubleValue();
          }
          long seconds = (long) Math.ceil(hours * 3600 * (1 + lost) - 1e-9);
          BigDecimal cost = rate.multiply(BigDecimal.valueOf(k)).multiply(BigDecimal.valueOf(seconds))
              .divide(BigDecimal.valueOf(3600), MathContext.DECIMAL128);
          expected.add(new Row(g.instanceType(), o, k, cost, hours));
        }
      }
    }
    expected.sort(java.util.Comparator.comparing(Row::cost).thenComparingDouble(Row::hours));
    assertThat(result.ranked()).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      TrainingPlanner.Plan p = result.ranked().get(i);
      Row e = expected.get(i);
      assertThat(p.expectedCost().amount(20)).as("rank %d", i)
          .isEqualByComparingTo(e.cost().setScale(20, java.math.RoundingMode.HALF_EVEN));
      assertThat(p.instance().instanceType() + "/" + p.option() + "/" + p.instances())
          .isEqualTo(e.type() + "/" + e.option() + "/" + e.k());
    }
    // the naive pick: the lowest hourly on-demand price that fits, whatever its speed
    assertThat(result.naive().instance().instanceType()).isEqualTo("g6.xlarge");  // 0.8048 an hour
    assertThat(result.naive().option()).isEqualTo(PurchaseOption.ON_DEMAND);
    assertThat(result.ranked().get(0).expectedCost()).isLessThanOrEqualTo(result.naive().expectedCost());
  }

  @Test
  void spotCarriesItsExpectedLostWork() {
    TrainingPlanner p = planner(1e9, 2e10);
    TrainingPlanner.Plan spot = p.evaluate(Fixtures.P4D, PurchaseOption.SPOT, 2, AT);
    TrainingPlanner.Plan od = p.evaluate(Fixtures.P4D, PurchaseOption.ON_DEMAND, 2, AT);
    assertThat(spot.lostWorkShare()).isPositive();
    assertThat(spot.billedSeconds()).isGreaterThan(od.billedSeconds());
    // 2 × 12.50 an hour for the billed seconds, exact
    assertThat(spot.expectedCost().times(3600).exactAmount())
        .isEqualByComparingTo(new BigDecimal("25.00").multiply(BigDecimal.valueOf(spot.billedSeconds())));
    assertThat(p.evaluate(Fixtures.P4D, PurchaseOption.COMMITTED, 1, AT)).isNull();  // no committed price
  }

  @Test
  void withoutAGivenPeakNothingIsPlanned() {
    assertThatThrownBy(() -> TrainingPlanner.builder(1e9, 1e10).build().plan(Fixtures.CATALOG.gpuInstances(), AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("peak");
  }
}
