package dev.finops.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.gpu.GpuMetric;
import dev.finops.core.gpu.GpuProcessUsage;
import dev.finops.core.gpu.GpuSample;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices and samples through the real JNI path, against the fake NVML. Opening a session takes one
 * reading, so the first entry of each scripted list goes to it (see fake_nvml.c).
 */
class NvmlSessionTest {

  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final long SELF = ProcessHandle.current().pid();

  @TempDir
  Path dir;

  private NvmlSession open(String... script) {
    return Nvml.open(FakeNvml.install(dir, script));
  }

  @Test
  void devicesHaveIndexUuidNameMemoryAndMigMode() {
    try (NvmlSession s = open("count = 2", "driver = 550.54.15",
        "gpu.1.uuid = GPU-5f1c2a3b-0000-0000-0000-000000000001",
        "gpu.1.name = NVIDIA A100-SXM4-40GB", "gpu.1.memtotal = 42949672960", "gpu.1.mig = 1")) {
      assertThat(s.driverVersion()).isEqualTo("550.54.15");
      assertThat(s.devices()).hasSize(2);
      NvmlDevice h100 = s.devices().get(0);
      NvmlDevice a100 = s.devices().get(1);

      assertThat(h100.index()).isZero();
      assertThat(h100.uuid()).isEqualTo("GPU-fa4e0000-0000-0000-0000-000000000000");
      assertThat(h100.name()).isEqualTo("NVIDIA H100 80GB HBM3 (fake)");
      assertThat(h100.memoryTotalBytes()).isEqualTo(80L << 30);
      assertThat(h100.migMode()).isEqualTo(NvmlDevice.MigMode.DISABLED);
      assertThat(a100.uuid()).isEqualTo("GPU-5f1c2a3b-0000-0000-0000-000000000001");
      assertThat(a100.name()).isEqualTo("NVIDIA A100-SXM4-40GB");
      assertThat(a100.memoryTotalBytes()).isEqualTo(40L << 30);
      assertThat(a100.migMode()).isEqualTo(NvmlDevice.MigMode.ENABLED);
      // the default fake has no GPM and no MIG instances: every metric but those
      assertThat(h100.supported()).isEqualTo(EnumSet.range(GpuMetric.GPU_UTILIZATION, GpuMetric.PROCESSES));
      assertThat(h100.hasGpm()).isFalse();
      assertThat(h100.answer(GpuMetric.SM_ACTIVITY)).isEqualTo(NvmlReturn.NOT_SUPPORTED);
    }
  }

  @Test
  void theVersionedSymbolsArePreferred() {
    try (NvmlSession s = open()) {
      assertThat(s.resolvedSymbols()).contains("nvmlInit_v2", "nvmlDeviceGetCount_v2", "nvmlDeviceGetHandleByIndex_v2",
          "nvmlDeviceGetMemoryInfo_v2", "nvmlDeviceGetComputeRunningProcesses_v3")
          .doesNotContain("nvmlInit", "nvmlDeviceGetCount", "nvmlDeviceGetComputeRunningProcesses");
    }
  }

  @Test
  void oneSampleReadsEveryMetricOfEveryDevice() {
    try (NvmlSession s = open("count = 2", "gpu.1.util = 0, 90", "gpu.1.power = 0, 412000")) {
      List<GpuSample> round = s.sample(T0);

      assertThat(round).hasSize(2);
      GpuSample g0 = round.get(0);
      assertThat(g0.epochMillis()).isEqualTo(T0);
      assertThat(g0.deviceIndex()).isZero();
      assertThat(g0.uuid()).isEqualTo(s.devices().get(0).uuid());
      assertThat(g0.isLost()).isFalse();
      assertThat(g0.gpuUtilizationPercent()).isEqualTo(40);
      assertThat(g0.memoryUtilizationPercent()).isEqualTo(20);
      assertThat(g0.memoryUsedBytes()).isEqualTo(32L << 30);
      assertThat(g0.memoryTotalBytes()).isEqualTo(80L << 30);
      assertThat(g0.powerMilliwatts()).isEqualTo(300_000);
      assertThat(g0.energyMillijoules()).isEqualTo(1_300_000); // the open's reading was 1,000,000
      assertThat(g0.temperatureCelsius()).isEqualTo(55);
      assertThat(g0.smClockMhz()).isEqualTo(1980);
      assertThat(g0.has(GpuMetric.PROCESSES)).isTrue();
      assertThat(g0.processes()).isEmpty();
      assertThat(round.get(1).gpuUtilizationPercent()).isEqualTo(90);
      assertThat(round.get(1).powerMilliwatts()).isEqualTo(412_000);
    }
  }

  @Test
  void valuesChangeFromCallToCall() {
    try (NvmlSession s = open("gpu.0.util = 0, 10, 55, 100")) {
      assertThat(s.sample(T0).get(0).gpuUtilizationPercent()).isEqualTo(10);
      assertThat(s.sample(T0 + 1000).get(0).gpuUtilizationPercent()).isEqualTo(55);
      assertThat(s.sample(T0 + 2000).get(0).gpuUtilizationPercent()).isEqualTo(100);
      assertThat(s.sample(T0 + 3000).get(0).gpuUtilizationPercent()).isEqualTo(100);
    }
  }

  @Test
  void notSupportedIsANormalAnswerThatLeavesTheMetricOut() {
    try (NvmlSession s =
        open("gpu.0.power = NOT_SUPPORTED", "gpu.0.energy = NOT_SUPPORTED", "gpu.0.util = NOT_SUPPORTED")) {
      NvmlDevice d = s.devices().get(0);
      assertThat(d.answer(GpuMetric.POWER)).isEqualTo(NvmlReturn.NOT_SUPPORTED);
      assertThat(d.answer(GpuMetric.POWER).isUnsupported()).isTrue();
      assertThat(d.supports(GpuMetric.ENERGY)).isFalse();
      assertThat(d.supports(GpuMetric.GPU_UTILIZATION)).isFalse();
      assertThat(d.supports(GpuMetric.MEMORY)).isTrue();

      GpuSample g = s.sample(T0).get(0);

      assertThat(g.has(GpuMetric.POWER)).isFalse();
      assertThat(g.powerMilliwatts()).isEqualTo(GpuSample.ABSENT);
      assertThat(g.has(GpuMetric.ENERGY)).isFalse();
      assertThat(g.has(GpuMetric.GPU_UTILIZATION)).isFalse();
      assertThat(g.memoryUsedBytes()).isEqualTo(32L << 30);
    }
  }

  @Test
  void aGpuLostMidRunIsMarkedLostWhileTheOthersKeepBeingSampled() {
    // device 1 answers GPU_IS_LOST after 2 readings: the open's and the first sample
    try (NvmlSession s = open("count = 3", "gpu.1.lost_after = 2", "gpu.*.util = 0, 30, 31, 32")) {
      List<GpuSample> first = s.sample(T0);
      List<GpuSample> second = s.sample(T0 + 1000);
      List<GpuSample> third = s.sample(T0 + 2000);

      assertThat(first).noneMatch(GpuSample::isLost);
      assertThat(second.get(1).isLost()).isTrue();
      assertThat(second.get(1).has(GpuMetric.MEMORY)).isFalse();
      assertThat(second.get(1).uuid()).isEqualTo(first.get(1).uuid());
      assertThat(third.get(1).isLost()).isTrue();
      assertThat(List.of(second.get(0), second.get(2))).allMatch(g -> g.gpuUtilizationPercent() == 31);
      assertThat(List.of(third.get(0), third.get(2))).allMatch(g -> g.gpuUtilizationPercent() == 32);
    }
  }

  @Test
  void aDeviceLostBeforeTheSessionOpenedIsListedButNotSampled() {
    try (NvmlSession s = open("count = 2", "gpu.0.lost_after = 0")) {
      assertThat(s.devices().get(0).status()).isEqualTo(NvmlReturn.GPU_IS_LOST);
      assertThat(s.sample(T0)).extracting(GpuSample::deviceIndex).containsExactly(1);
    }
  }

  @Test
  void aDeviceWithoutPermissionIsListedWithItsStatusAndNotSampled() {
    try (NvmlSession s = open("count = 3", "gpu.1.handle = NO_PERMISSION")) {
      NvmlDevice denied = s.devices().get(1);

      assertThat(denied.isAccessible()).isFalse();
      assertThat(denied.status()).isEqualTo(NvmlReturn.NO_PERMISSION);
      assertThat(denied.uuid()).isNull();
      assertThat(denied.answer(GpuMetric.POWER)).isEqualTo(NvmlReturn.NO_PERMISSION);
      assertThat(s.sample(T0)).extracting(GpuSample::deviceIndex).containsExactly(0, 2);
    }
  }

  @Test
  void processesCarryUtilizationAndMemoryAndThisProcessShare() {
    try (NvmlSession s = open("gpu.0.processes = self:30:12:8589934592 4242:10:3:4294967296 777:-:-:1073741824")) {
      GpuSample g = s.sample(T0).get(0);

      assertThat(g.processes()).containsExactlyInAnyOrder(
          new GpuProcessUsage(SELF, 30, 12, 8L << 30),
          new GpuProcessUsage(4242, 10, 3, 4L << 30),
          new GpuProcessUsage(777, 0, 0, 1L << 30)); // listed, no utilization sample: ran nothing
      assertThat(g.processShareBasisPoints(SELF)).isEqualTo(7_500); // 30 of 40 SM-percent
      assertThat(g.processShareBasisPoints(4242)).isEqualTo(2_500);
      assertThat(g.processShareBasisPoints(1)).isZero();
    }
  }

  @Test
  void insufficientSizeIsRetriedWithALargerBuffer() {
    // the first 3 calls with a buffer answer INSUFFICIENT_SIZE, as if processes kept starting
    try (NvmlSession s = open("gpu.0.racy = 3", "gpu.0.processes = self:50:5:1024 99:25:5:2048")) {
      assertThat(s.devices().get(0).supports(GpuMetric.PROCESSES)).isTrue();
      assertThat(s.sample(T0).get(0).processes()).extracting(GpuProcessUsage::pid).containsExactlyInAnyOrder(SELF, 99L);
    }
  }

  @Test
  void withoutProcessUtilizationTheShareFollowsMemory() {
    try (NvmlSession s = open("gpu.0.procutil_rc = NOT_SUPPORTED", "gpu.0.processes = self:-:-:3072 5:-:-:1024")) {
      GpuSample g = s.sample(T0).get(0);

      assertThat(g.processes()).containsExactlyInAnyOrder(new GpuProcessUsage(SELF, -1, -1, 3072),
          new GpuProcessUsage(5, -1, -1, 1024));
      assertThat(g.processShareBasisPoints(SELF)).isEqualTo(7_500);
    }
  }

  @Test
  void processListsThatAreNotSupportedLeaveProcessesOut() {
    try (NvmlSession s = open("gpu.0.procutil_rc = NOT_SUPPORTED", "gpu.0.procs_rc = NOT_SUPPORTED")) {
      assertThat(s.devices().get(0).answer(GpuMetric.PROCESSES)).isEqualTo(NvmlReturn.NOT_SUPPORTED);
      GpuSample g = s.sample(T0).get(0);
      assertThat(g.has(GpuMetric.PROCESSES)).isFalse();
      assertThat(g.processShareBasisPoints(SELF)).isEqualTo(GpuSample.ABSENT);
    }
  }

  @Test
  void processesCanBeTurnedOff() {
    try (NvmlSession s = Nvml.builder().library(FakeNvml.install(dir, "gpu.0.processes = self:1:1:1")).processes(false)
        .open()) {
      assertThat(s.sample(T0).get(0).has(GpuMetric.PROCESSES)).isFalse();
    }
  }

  @Test
  void energyDeltasSurviveACounterReset() {
    try (NvmlSession s = open("gpu.0.energy = 0, 1000000, 1450000, 200000")) {
      GpuSample a = s.sample(T0).get(0);
      GpuSample b = s.sample(T0 + 1000).get(0);
      GpuSample c = s.sample(T0 + 2000).get(0); // the driver reloaded: the counter restarted

      assertThat(GpuSample.energyDeltaMillijoules(a, b)).isEqualTo(450_000);
      assertThat(GpuSample.energyDeltaMillijoules(b, c)).isEqualTo(200_000);
    }
  }

  @Test
  void aLibraryWithOnlyLegacySymbolsWorksAndMissingFunctionsAreNotSupported() {
    try (NvmlSession s = Nvml.open(FakeNvml.installLegacy(dir, "count = 2", "gpu.*.util = 0, 70",
        "gpu.0.processes = self:-:-:5368709120 31337:-:-:1073741824"))) {
      assertThat(s.resolvedSymbols()).contains("nvmlInit", "nvmlDeviceGetCount", "nvmlDeviceGetHandleByIndex",
          "nvmlDeviceGetMemoryInfo", "nvmlDeviceGetComputeRunningProcesses").doesNotContain("nvmlInit_v2");
      assertThat(s.driverVersion()).isNull();
      NvmlDevice d = s.devices().get(0);
      assertThat(d.migMode()).isEqualTo(NvmlDevice.MigMode.NOT_SUPPORTED);
      for (GpuMetric m : List.of(GpuMetric.POWER, GpuMetric.ENERGY, GpuMetric.TEMPERATURE, GpuMetric.SM_CLOCK)) {
        assertThat(d.answer(m)).as("%s", m).isEqualTo(NvmlReturn.FUNCTION_NOT_FOUND);
      }

      GpuSample g = s.sample(T0).get(0);

      assertThat(g.gpuUtilizationPercent()).isEqualTo(70);
      assertThat(g.memoryTotalBytes()).isEqualTo(80L << 30); // through the v1 struct
      assertThat(g.has(GpuMetric.POWER)).isFalse();
      // v1 process rows are 16 bytes: the pids and sizes come through intact
      assertThat(g.processes()).containsExactlyInAnyOrder(new GpuProcessUsage(SELF, -1, -1, 5L << 30),
          new GpuProcessUsage(31337, -1, -1, 1L << 30));
    }
  }

  @Test
  void aMachineWithoutGpusOpensWithNoDevices() {
    try (NvmlSession s = open("count = 0")) {
      assertThat(s.devices()).isEmpty();
      assertThat(s.sample(T0)).isEmpty();
    }
  }
}
