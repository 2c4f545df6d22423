package dev.finops.advisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.catalog.PurchaseOption;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UtilizationAdvisorTest {
  private static final long T0 = Fixtures.FROM.toEpochMilli() + 86_400_000L;

  private static GpuSeries constant(String id, double util, double memUsed, int samples) {
    GpuSeries s = new GpuSeries(id);
    for (int i = 0; i < samples; i++) {
      s.add(T0 + i * 60_000L, util, memUsed, 40_960, 250, "job-" + id, "nlp");
    }
    return s;
  }

  @Test
  void idleDetectionEqualsBruteForce() {
    Random random = new Random(3);
    for (int round = 0; round < 50; round++) {
      List<GpuSeries> fleet = new ArrayList<>();
      Set<String> expectedIdle = new HashSet<>();
      int gpus = 1 + random.nextInt(6);
      for (int g = 0; g < gpus; g++) {
        GpuSeries s = new GpuSeries("gpu-" + g);
        int n = 1 + random.nextInt(200);
        int[] tenths = new int[n];
        int ceiling = random.nextBoolean() ? 80 : 1000;
        for (int i = 0; i < n; i++) {
          tenths[i] = random.nextInt(ceiling + 1);
          s.add(T0 + i * 60_000L, tenths[i] / 10.0, 1000, 40_960, Double.NaN, null, null);
        }
        Arrays.sort(tenths);
        int p95 = tenths[(int) Math.ceil(0.95 * n) - 1];  // nearest rank
        if (p95 <= 50) {
          expectedIdle.add(s.gpu());
        }
        fleet.add(s);
      }
      UtilizationAdvice advice = UtilizationAdvisor.builder(Fixtures.CATALOG, Fixtures.P4D).build().advise(fleet);
      Set<String> idle = new HashSet<>();
      for (Recommendation r : advice.recommendations()) {
        if (r.kind().equals("idle-gpu")) {
          idle.addAll(r.subjects());
          assertThat(r.monthlySaving().exactAmount())
              .isEqualByComparingTo(Fixtures.gpuMonths("21.957642", 8, 1));
        }
      }
      assertThat(idle).isEqualTo(expectedIdle);
    }
  }

  @Test
  void idleAndConsolidationKnownCaseWithExactSaving() {
    List<GpuSeries> fleet = List.of(
        constant("g0", 2, 500, 60),       // idle
        constant("g1", 20, 5000, 60),     // three light GPUs: 22 % and 5,500 MiB each with headroom
        constant("g2", 20, 5000, 60),
        constant("g3", 20, 5000, 60),
        constant("g4", 90, 30000, 60));   // busy: 99 % with headroom, alone
    UtilizationAdvice advice = UtilizationAdvisor.builder(Fixtures.CATALOG, Fixtures.P4D).build().advise(fleet);

    assertThat(advice.recommendations()).extracting(Recommendation::kind).containsExactly("idle-gpu", "consolidate");
    Recommendation pack = advice.recommendations().get(1);
    assertThat(pack.subjects()).containsExactly("g1", "g2", "g3");
    assertThat(pack.monthlySaving().exactAmount()).isEqualByComparingTo(Fixtures.gpuMonths("21.957642", 8, 2));
    assertThat(pack.evidence()).contains("compute 66.0% <= 100%", "memory 16500 MiB <= 40960 MiB");
    assertThat(advice.totalMonthlySaving().exactAmount())
        .isEqualByComparingTo(Fixtures.gpuMonths("21.957642", 8, 3));
    assertThat(advice.fleetMonthlyCost().exactAmount()).isEqualByComparingTo(Fixtures.gpuMonths("21.957642", 8, 5));
    assertThat(advice.gpus()).extracting(UtilizationAdvice.GpuFinding::verdict)
        .containsExactly("idle", "consolidate", "consolidate", "consolidate", "keep");
    assertThat(advice.packingOptimal()).isTrue();
  }

  @Test
  void loneSmallWorkloadGetsTheCheapestFit_migSliceOrCheaperGpu() {
    List<GpuSeries> fleet = List.of(constant("busy", 90, 30000, 30), constant("small", 10, 17000, 30));
    // 11 % and 18,700 MiB: 1g.5gb and 2g.10gb are too small, 3g.20gb (19,073 MiB, 42.8 %) fits
    UtilizationAdvice mig = UtilizationAdvisor.builder(Fixtures.CATALOG, Fixtures.P4D).build().advise(fleet);
    assertThat(mig.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.kind()).isEqualTo("mig-slice");
      assertThat(r.action()).contains("3g.20gb");
      BigDecimal expected = Fixtures.gpuMonths("21.957642", 8, 4).divide(BigDecimal.valueOf(7), MathContext.DECIMAL128);
      assertThat(r.monthlySaving().amount(20)).isEqualByComparingTo(expected.setScale(20, java.math.RoundingMode.HALF_EVEN));
      assertThat(r.monthlySaving().times(7).exactAmount())
          .isEqualByComparingTo(Fixtures.gpuMonths("21.957642", 8, 4));
    });

    // given that an L4 does 30 % of the A100's work here, the g6.xlarge (cheapest L4 GPU-hour) saves more
    UtilizationAdvice l4 = UtilizationAdvisor.builder(Fixtures.CATALOG, Fixtures.P4D)
        .relativeThroughput("L4-24GB", new BigDecimal("0.3")).build().advise(fleet);
    assertThat(l4.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.kind()).isEqualTo("cheaper-gpu");
      assertThat(r.action()).contains("g6.xlarge");
      assertThat(r.monthlySaving().exactAmount()).isEqualByComparingTo(
          Fixtures.gpuMonths("21.957642", 8, 1).subtract(new BigDecimal("0.8048").multiply(BigDecimal.valueOf(730))));
    });

    // an L4 at 10 % is too slow for 11 %: back to the MIG slice
    UtilizationAdvice slow = UtilizationAdvisor.builder(Fixtures.CATALOG, Fixtures.P4D)
        .relativeThroughput("L4-24GB", new BigDecimal("0.1")).build().advise(fleet);
    assertThat(slow.recommendations()).extracting(Recommendation::kind).containsExactly("mig-slice");
  }

  @Test
  void spotPricesTheSavingAtTheSpotRate() {
    List<GpuSeries> fleet = List.of(constant("g0", 0, 0, 10));
    UtilizationAdvice advice = UtilizationAdvisor.builder(Fixtures.CATALOG, Fixtures.P4D)
        .purchaseOption(PurchaseOption.SPOT).build().advise(fleet);
    assertThat(advice.totalMonthlySaving().exactAmount()).isEqualByComparingTo(Fixtures.gpuMonths("12.50", 8, 1));
  }

  @Test
  void readerReadsDcgmShapedCsvWithRenamedColumnsAndFractions() {
    String csv = "Timestamp,UUID,DCGM_FI_PROF_SM_ACTIVE,DCGM_FI_DEV_FB_USED,fb_total,exported_job\n"
        + "2025-06-02T00:00:00Z,GPU-a,0.02,100,40960,idle-job\n"
        + "2025-06-02T00:01:00Z,GPU-a,0.01,100,40960,idle-job\n"
        + "1748822400,GPU-b,0.75,20000,40960,train\n";
    UtilizationColumns cols = UtilizationColumns.DEFAULTS.with("time", "Timestamp").with("gpu", "UUID")
        .with("utilization", "DCGM_FI_PROF_SM_ACTIVE").with("memory_used", "DCGM_FI_DEV_FB_USED")
        .with("memory_total", "fb_total").with("job", "exported_job").withFraction(true);
    List<GpuSeries> gpus = UtilizationReader.read("dcgm.csv", new StringReader(csv), cols);
    assertThat(gpus).extracting(GpuSeries::gpu).containsExactly("GPU-a", "GPU-b");
    assertThat(gpus.get(0).samples()).isEqualTo(2);
    assertThat(gpus.get(0).utilizationQuantilePerMille(1.0)).isEqualTo(20);
    assertThat(gpus.get(1).utilizationQuantilePerMille(0.95)).isEqualTo(750);
    assertThat(gpus.get(1).jobs()).containsExactly("train");
    assertThat(gpus.get(1).firstMillis()).isEqualTo(1748822400_000L);
  }

  @Test
  void badInputNamesFileLineAndColumn() {
    String header = "timestamp,gpu,utilization,memory_used_mib,memory_total_mib\n";
    String ok = "2025-06-02T00:00:00Z,g0,10,100,40960\n";
    assertThatThrownBy(() -> UtilizationReader.read("u.csv",
        new StringReader(header + ok + "2025-06-02T00:01:00Z,g0,ten,100,40960\n"), UtilizationColumns.DEFAULTS))
        .isInstanceOf(AdvisorInputException.class)
        .hasMessage("u.csv, line 3, column utilization: not a number: 'ten'");
    assertThatThrownBy(() -> UtilizationReader.read("u.csv",
        new StringReader(header + "2025-06-02T00:01:00Z,g0,101,100,40960\n"), UtilizationColumns.DEFAULTS))
        .hasMessage("u.csv, line 2, column utilization: utilization above 100 (percent): '101'");
    assertThatThrownBy(() -> UtilizationReader.read("u.csv",
        new StringReader(header + "yesterday,g0,1,100,40960\n"), UtilizationColumns.DEFAULTS))
        .hasMessageStartingWith("u.csv, line 2, column timestamp: not a time");
    assertThatThrownBy(() -> UtilizationReader.read("u.csv",
        new StringReader(header + ok + "2025-06-02T00:01:00Z,g0,1,50000,40960\n"), UtilizationColumns.DEFAULTS))
        .hasMessage("u.csv, line 3, column memory_used_mib: memory used 50000 is above the total 40960");
    assertThatThrownBy(() -> UtilizationReader.read("u.csv",
        new StringReader("time,gpu\n"), UtilizationColumns.DEFAULTS))
        .hasMessageStartingWith("u.csv, line 1: no column 'timestamp'");
    assertThatThrownBy(() -> UtilizationReader.read("u.csv",
        new StringReader(header + "2025-06-02T00:01:00Z,g0,1,5\n"), UtilizationColumns.DEFAULTS))
        .hasMessage("u.csv, line 2: has 4 fields, the header has 5");
  }

  @Test
  void nominalMemoryIsReadFromTheAcceleratorName() {
    assertThat(UtilizationAdvisor.nominalMemoryMib("A100-40GB")).isEqualTo(38_146);
    assertThat(UtilizationAdvisor.nominalMemoryMib("L4-24GB")).isEqualTo(22_888);
    assertThat(UtilizationAdvisor.nominalMemoryMib("TPU")).isEqualTo(-1);
  }
}
