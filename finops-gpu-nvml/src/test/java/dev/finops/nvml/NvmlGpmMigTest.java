package dev.finops.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.gpu.GpuMetric;
import dev.finops.core.gpu.GpuMigInstance;
import dev.finops.core.gpu.GpuSample;
import dev.finops.core.gpu.GpuSelection;
import dev.finops.core.gpu.TrainingRunGpuFeed;
import dev.finops.core.training.UtilizationBasis;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPM and MIG through the real JNI binding against the fake NVML (run under -Xcheck:jni). */
class NvmlGpmMigTest {

  @TempDir
  Path dir;

  private NvmlSession open(String... script) {
    return Nvml.open(FakeNvml.install(dir, script));
  }

  @Test
  void aGpuWithGpmReportsSmTensorAndPipeActivityPerInterval() {
    try (NvmlSession s = open("count = 2", "gpu.0.gpm = 1", "gpu.0.smact = 62.5, 80.004, 99.996",
        "gpu.0.smocc = 41.25", "gpu.0.tensor = 55, 70", "gpu.0.fp16 = 1.5", "gpu.0.fp32 = 4", "gpu.0.fp64 = 0")) {
      NvmlDevice gpm = s.devices().get(0);
      NvmlDevice plain = s.devices().get(1);
      assertThat(gpm.hasGpm()).isTrue();
      assertThat(gpm.supports(GpuMetric.TENSOR_ACTIVITY)).isTrue();
      assertThat(plain.gpm()).isEqualTo(NvmlReturn.NOT_SUPPORTED);
      assertThat(s.resolvedSymbols()).contains("nvmlGpmMetricsGet", "nvmlGpmSampleGet", "nvmlGpmMigSampleGet",
          "nvmlGpmQueryDeviceSupport", "nvmlDeviceGetMigDeviceHandleByIndex");

      List<GpuSample> first = s.sample(1_000);
      GpuSample a = first.get(0);
      assertThat(a.smActivityBasisPoints()).isEqualTo(6_250);
      assertThat(a.activityBasisPoints(GpuMetric.SM_OCCUPANCY)).isEqualTo(4_125);
      assertThat(a.tensorActivityBasisPoints()).isEqualTo(5_500);
      assertThat(a.activityBasisPoints(GpuMetric.FP16_ACTIVITY)).isEqualTo(150);
      assertThat(a.activityBasisPoints(GpuMetric.FP32_ACTIVITY)).isEqualTo(400);
      assertThat(a.activityBasisPoints(GpuMetric.FP64_ACTIVITY)).isZero();
      assertThat(a.gpuUtilizationPercent()).isEqualTo(40); // the time-based figure is still there
      assertThat(a.computeUtilizationBasis()).isEqualTo(UtilizationBasis.GPM_SM_ACTIVITY);
      assertThat(a.computeUtilizationBasisPoints()).isEqualTo(6_250);

      GpuSample b = first.get(1); // no GPM: falls back to the time-based figure, labelled
      assertThat(b.has(GpuMetric.SM_ACTIVITY)).isFalse();
      assertThat(b.smActivityBasisPoints()).isEqualTo(GpuSample.ABSENT);
      assertThat(b.computeUtilizationBasis()).isEqualTo(UtilizationBasis.NVML_KERNEL_TIME);
      assertThat(b.computeUtilizationBasisPoints()).isEqualTo(4_000);

      // 80.004% rounds to 8000 bp; 99.996% to 10000; the last entry repeats
      assertThat(s.sample(2_000).get(0).smActivityBasisPoints()).isEqualTo(8_000);
      assertThat(s.sample(2_000).get(0).tensorActivityBasisPoints()).isEqualTo(7_000);
      assertThat(s.sample(3_000).get(0).smActivityBasisPoints()).isEqualTo(10_000);

      // the feed prefers SM activity where every GPU has it: mixed rounds are labelled kernel time
      assertThat(TrainingRunGpuFeed.basis(first, GpuSelection.gpus(a.uuid())))
          .isEqualTo(UtilizationBasis.GPM_SM_ACTIVITY);
      assertThat(TrainingRunGpuFeed.basis(first, GpuSelection.all())).isEqualTo(UtilizationBasis.NVML_KERNEL_TIME);
      assertThat(TrainingRunGpuFeed.meanBasisPoints(first, GpuSelection.all())).isEqualTo((6_250 + 4_000) / 2);
    }
  }

  @Test
  void gpmThatFailsMidRunFallsBackForThatSampleAndResumesAfterANewInterval() {
    // SampleGet calls: 1 at open, then 2, 3 (fails), 4 (warms a new interval), 5
    try (NvmlSession s = open("gpu.0.gpm = 1", "gpu.0.gpmsample = 0, 0, UNKNOWN, 0, 0",
        "gpu.0.smact = 10, 20, 30, 40, 50")) {
      GpuSample ok = s.sample(1_000).get(0);
      assertThat(ok.smActivityBasisPoints()).isEqualTo(1_000); // interval 1-2: entry 0
      GpuSample failed = s.sample(2_000).get(0);
      assertThat(failed.isLost()).isFalse();
      assertThat(failed.has(GpuMetric.SM_ACTIVITY)).isFalse();
      assertThat(failed.computeUtilizationBasis()).isEqualTo(UtilizationBasis.NVML_KERNEL_TIME);
      assertThat(failed.computeUtilizationBasisPoints()).isEqualTo(4_000);
      GpuSample warming = s.sample(3_000).get(0);
      assertThat(warming.has(GpuMetric.SM_ACTIVITY)).isFalse();
      GpuSample back = s.sample(4_000).get(0);
      assertThat(back.smActivityBasisPoints()).isEqualTo(4_000); // interval 4-5: entry 3
      assertThat(back.computeUtilizationBasis()).isEqualTo(UtilizationBasis.GPM_SM_ACTIVITY);
      s.close();
      assertThat(s.lastShutdownCode()).as("every GPM sample buffer freed").isZero();
    }
  }

  @Test
  void aGpuLostMidRunIsLostInGpmToo() {
    try (NvmlSession s = open("count = 2", "gpu.*.gpm = 1", "gpu.0.gpmsample = 0, 0, GPU_IS_LOST")) {
      assertThat(s.sample(1_000).get(0).isLost()).isFalse();
      List<GpuSample> round = s.sample(2_000);
      assertThat(round.get(0).isLost()).isTrue();
      assertThat(round.get(1).smActivityBasisPoints()).isEqualTo(3_550); // the fake's default 35.5%
      assertThat(s.sample(3_000).get(0).isLost()).isTrue();
    }
  }

  @Test
  void aDriverWhoseGpmQueryFailsOrALibraryWithoutGpmSaysSo() {
    try (NvmlSession s = open("gpu.0.gpm = 1", "gpu.0.gpm_rc = UNKNOWN")) {
      assertThat(s.devices().get(0).gpm()).isEqualTo(NvmlReturn.UNKNOWN);
      assertThat(s.sample(1_000).get(0).computeUtilizationBasis()).isEqualTo(UtilizationBasis.NVML_KERNEL_TIME);
    }
    try (NvmlSession s = Nvml.open(FakeNvml.installLegacy(dir.resolve("legacy"), "gpu.0.gpm = 1"))) {
      assertThat(s.devices().get(0).gpm()).isEqualTo(NvmlReturn.FUNCTION_NOT_FOUND);
      assertThat(s.devices().get(0).migDevices()).isEmpty();
      assertThat(s.sample(1_000).get(0).has(GpuMetric.SM_ACTIVITY)).isFalse();
    }
  }

  @Test
  void migInstancesAreListedSampledAndCarryTheirProcesses() {
    try (NvmlSession s = open("count = 2", "gpu.0.mig = 1", "gpu.0.util = NOT_SUPPORTED", "gpu.0.gpm = 1",
        "gpu.0.migs = 1:0:10737418240:2147483648:25:12.5, 2:0:21474836480:8589934592:75.5:60, "
            + "5:0:42949672960:0:0:0",
        "gpu.0.processes = 4001:-:-:2147483648:1:0, 4002:-:-:6442450944:2:0, 4003:-:-:2147483648:2:0")) {
      NvmlDevice a100 = s.devices().get(0);
      assertThat(a100.migMode()).isEqualTo(NvmlDevice.MigMode.ENABLED);
      assertThat(a100.migDevices()).extracting(NvmlMigDevice::gpuInstanceId).containsExactly(1, 2, 5);
      NvmlMigDevice first = a100.migDevices().get(0);
      assertThat(first.uuid()).isEqualTo("MIG-fa4e0000-0000-0000-0000-000000000000");
      assertThat(first.computeInstanceId()).isZero();
      assertThat(first.memoryTotalBytes()).isEqualTo(10L << 30);
      assertThat(a100.supports(GpuMetric.MIG_INSTANCES)).isTrue();
      assertThat(s.devices().get(1).migDevices()).isEmpty();
      assertThat(s.devices().get(1).supports(GpuMetric.MIG_INSTANCES)).isFalse();

      GpuSample gpu = s.sample(1_000).get(0);
      assertThat(gpu.has(GpuMetric.GPU_UTILIZATION)).isFalse(); // MIG GPUs have no time-based figure
      List<GpuMigInstance> instances = gpu.migInstances();
      assertThat(instances).hasSize(3);
      GpuMigInstance one = instances.get(0);
      assertThat(one.memoryUsedBytes()).isEqualTo(2L << 30);
      assertThat(one.smActivityBasisPoints()).isEqualTo(2_500);
      assertThat(one.smOccupancyBasisPoints()).isEqualTo(1_250);
      assertThat(one.tensorActivityBasisPoints()).isEqualTo(1_250);
      assertThat(one.processes()).extracting(p -> p.pid()).containsExactly(4001L);
      GpuMigInstance two = instances.get(1);
      assertThat(two.memoryTotalBytes()).isEqualTo(20L << 30);
      assertThat(two.smActivityBasisPoints()).isEqualTo(7_550);
      assertThat(two.processes()).extracting(p -> p.pid()).containsExactly(4002L, 4003L);
      assertThat(two.processes().get(0).usedMemoryBytes()).isEqualTo(6L << 30);
      assertThat(instances.get(2).processes()).isEmpty();
      assertThat(instances.get(2).memoryUsedBytes()).isZero();
      assertThat(gpu.processes()).extracting(p -> p.gpuInstanceId()).containsExactly(1, 2, 2);
    }
  }

  @Test
  void migWithoutGpmStillHasMemoryAndProcessesButNoActivity() {
    try (NvmlSession s = open("gpu.0.mig = 1", "gpu.0.migs = 3:0:21474836480:1073741824:50:50, 4:1:1:0:0:0",
        "gpu.0.processes = 77:-:-:1073741824:3:0")) {
      GpuSample gpu = s.sample(1_000).get(0);
      assertThat(gpu.migInstances()).hasSize(2);
      GpuMigInstance m = gpu.migInstances().get(0);
      assertThat(m.hasActivity()).isFalse();
      assertThat(m.smActivityBasisPoints()).isEqualTo(GpuSample.ABSENT);
      assertThat(m.memoryUsedBytes()).isEqualTo(1L << 30);
      assertThat(m.processes()).hasSize(1);
      assertThat(gpu.migInstances().get(1).computeInstanceId()).isEqualTo(1);
    }
  }
}
