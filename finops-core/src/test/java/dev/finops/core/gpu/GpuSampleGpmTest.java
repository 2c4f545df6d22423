package dev.finops.core.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.training.UtilizationBasis;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuSampleGpmTest {

  private static GpuSample.Builder sample() {
    return GpuSample.builder(0, "GPU-0", 1_000);
  }

  @Test
  void smActivityIsPreferredOverTheTimeBasedFigureAndLabelled() {
    GpuSample both = sample().gpuUtilization(90).activity(GpuMetric.SM_ACTIVITY, 3_725).build();
    assertThat(both.computeUtilizationBasisPoints()).isEqualTo(3_725);
    assertThat(both.computeUtilizationBasis()).isEqualTo(UtilizationBasis.GPM_SM_ACTIVITY);
    GpuSample timeOnly = sample().gpuUtilization(90).build();
    assertThat(timeOnly.computeUtilizationBasisPoints()).isEqualTo(9_000);
    assertThat(timeOnly.computeUtilizationBasis()).isEqualTo(UtilizationBasis.NVML_KERNEL_TIME);
    GpuSample neither = sample().build();
    assertThat(neither.computeUtilizationBasisPoints()).isEqualTo(GpuSample.ABSENT);
    assertThat(neither.computeUtilizationBasis()).isEqualTo(UtilizationBasis.NONE);
    assertThat(sample().lost().activity(GpuMetric.SM_ACTIVITY, 10).build().smActivityBasisPoints())
        .isEqualTo(GpuSample.ABSENT);
  }

  @Test
  void theFeedUsesSmActivityAndWeighsProcessShares() {
    GpuSample a = GpuSample.builder(0, "GPU-a", 1_000).gpuUtilization(100).activity(GpuMetric.SM_ACTIVITY, 2_000)
        .build();
    GpuSample b = GpuSample.builder(1, "GPU-b", 1_000).gpuUtilization(100).activity(GpuMetric.SM_ACTIVITY, 5_000)
        .build();
    assertThat(TrainingRunGpuFeed.meanBasisPoints(List.of(a, b), GpuSelection.all())).isEqualTo(3_500);
    assertThat(TrainingRunGpuFeed.basis(List.of(a, b), GpuSelection.all())).isEqualTo(UtilizationBasis.GPM_SM_ACTIVITY);
  }

  @Test
  void badInputNamesTheField() {
    assertThatThrownBy(() -> sample().activity(GpuMetric.TENSOR_ACTIVITY, 10_001))
        .hasMessageContaining("TENSOR_ACTIVITY");
    assertThatThrownBy(() -> sample().activity(GpuMetric.POWER, 1)).hasMessageContaining("metric");
    assertThatThrownBy(() -> new GpuMigInstance("MIG-1", 1, 0, 0, 0, 20_000, -1, -1, List.of()))
        .hasMessageContaining("smActivityBasisPoints");
    assertThatThrownBy(() -> new GpuMigInstance("MIG-1", -3, 0, 0, 0, -1, -1, -1, List.of()))
        .hasMessageContaining("gpuInstanceId");
    assertThatThrownBy(() -> new GpuProcessUsage(1, 0, 0, 0, -2, 0)).hasMessageContaining("gpuInstanceId");
  }

  @Test
  void migInstancesTravelInTheSampleAndCountInEquality() {
    GpuMigInstance m = new GpuMigInstance("MIG-1", 3, 0, 1L << 30, 10L << 30, 2_500, 1_250, 1_000,
        List.of(new GpuProcessUsage(7, -1, -1, 1L << 30, 3, 0)));
    GpuSample s = sample().migInstances(List.of(m)).build();
    assertThat(s.has(GpuMetric.MIG_INSTANCES)).isTrue();
    assertThat(s.migInstances()).containsExactly(m);
    assertThat(s).isNotEqualTo(sample().migInstances(List.of()).build());
    assertThat(s.toString()).contains("migInstances=1");
  }
}
