package dev.finops.core.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A GPU reading: present and absent metrics, energy deltas, and how a shared GPU is split. */
class GpuSampleTest {

  private static GpuSample.Builder sample() {
    return GpuSample.builder(0, "GPU-0", 1_000L);
  }

  @Test
  void metricsNotSetAreAbsent() {
    GpuSample s = sample().gpuUtilization(40).powerMilliwatts(250_000).build();

    assertThat(s.has(GpuMetric.GPU_UTILIZATION)).isTrue();
    assertThat(s.gpuUtilizationPercent()).isEqualTo(40);
    assertThat(s.powerMilliwatts()).isEqualTo(250_000);
    assertThat(s.has(GpuMetric.ENERGY)).isFalse();
    assertThat(s.energyMillijoules()).isEqualTo(GpuSample.ABSENT);
    assertThat(s.processes()).isEmpty();
  }

  @Test
  void aLostSampleCarriesNoMetrics() {
    GpuSample s = sample().gpuUtilization(40).lost().build();

    assertThat(s.isLost()).isTrue();
    assertThat(s.has(GpuMetric.GPU_UTILIZATION)).isFalse();
    assertThat(s.toString()).isEqualTo("GpuSample{0 GPU-0 @1000, lost}");
  }

  @Test
  void outOfRangeValuesAreRejected() {
    assertThatThrownBy(() -> sample().gpuUtilization(101))
        .hasMessage("GPU utilization must be 0..100 percent, got 101");
    assertThatThrownBy(() -> sample().energyMillijoules(-5)).hasMessage("energy must not be negative: -5");
    assertThatThrownBy(() -> new GpuProcessUsage(1, 120, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void energyDeltasCountFromARestartedCounter() {
    GpuSample a = sample().energyMillijoules(5_000).build();
    GpuSample b = sample().energyMillijoules(7_500).build();
    GpuSample reset = sample().energyMillijoules(300).build();

    assertThat(GpuSample.energyDeltaMillijoules(a, b)).isEqualTo(2_500);
    assertThat(GpuSample.energyDeltaMillijoules(b, reset)).isEqualTo(300);
    assertThat(GpuSample.energyDeltaMillijoules(null, b)).isZero();
    assertThat(GpuSample.energyDeltaMillijoules(sample().build(), b)).isZero();
  }

  @Test
  void aSharedGpuIsSplitBySmUtilization() {
    GpuSample s = sample().processes(List.of(new GpuProcessUsage(1, 30, 5, 100), new GpuProcessUsage(2, 10, 5, 900),
        new GpuProcessUsage(3, 0, 0, 0))).build();

    assertThat(s.processShareBasisPoints(1)).isEqualTo(7_500);
    assertThat(s.processShareBasisPoints(2)).isEqualTo(2_500);
    assertThat(s.processShareBasisPoints(3)).isZero();
    assertThat(s.processShareBasisPoints(4)).isZero();
  }

  @Test
  void withoutSmUtilizationByMemoryThenEqually() {
    GpuSample byMemory = sample().processes(List.of(new GpuProcessUsage(1, -1, -1, 1L << 40),
        new GpuProcessUsage(2, -1, -1, 3L << 40))).build();
    GpuSample equally = sample().processes(List.of(new GpuProcessUsage(1, -1, -1, -1),
        new GpuProcessUsage(2, -1, -1, -1), new GpuProcessUsage(3, -1, -1, -1))).build();

    assertThat(byMemory.processShareBasisPoints(1)).isEqualTo(2_500);
    assertThat(equally.processShareBasisPoints(1)).isEqualTo(3_333);
    assertThat(sample().build().processShareBasisPoints(1)).isEqualTo(GpuSample.ABSENT);
  }
}
