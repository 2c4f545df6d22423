package dev.finops.cli;

import static dev.finops.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finops.nvml.FakeNvml;
import dev.finops.nvml.Nvml;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code finops gpus}: without NVML (this machine has no GPU), and with the fake NVML library. */
class GpusCommandTest {

  @TempDir
  Path dir;

  /** The fake NVML with {@code script}; skips the test where the fake is not built (not linux-x86_64). */
  private Path fake(String... script) {
    Assumptions.assumeTrue(FakeNvml.class.getResource(FakeNvml.FULL) != null, "no fake NVML on this platform");
    return FakeNvml.install(dir, script);
  }

  /** Runs with {@code -Dfinops.nvml.library} set to {@code library} (null: unset), then restores it. */
  private static Cli.Result withLibrary(Path library, Supplier<Cli.Result> body) {
    String before = System.getProperty(Nvml.LIBRARY_PROPERTY);
    if (library == null) {
      System.clearProperty(Nvml.LIBRARY_PROPERTY);
    } else {
      System.setProperty(Nvml.LIBRARY_PROPERTY, library.toString());
    }
    try {
      return body.get();
    } finally {
      if (before == null) {
        System.clearProperty(Nvml.LIBRARY_PROPERTY);
      } else {
        System.setProperty(Nvml.LIBRARY_PROPERTY, before);
      }
    }
  }

  @Test
  void withoutNvmlItPrintsTheReasonAndExitsFive() {
    // Where the native binding was not built (no gcc), the reason is that instead; the next test covers it.
    Assumptions.assumeTrue(FakeNvml.class.getResource(FakeNvml.FULL) != null, "no native binding built here");
    Path absent = dir.resolve("libnvidia-ml.so.1");

    Cli.Result r = withLibrary(absent, () -> run("gpus"));

    assertThat(r.code()).isEqualTo(ExitCode.NO_GPU).isEqualTo(5);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("finops: NVML is unavailable: no NVML library: " + absent + " could not be loaded")
        .contains("No such file").doesNotContain("\tat ").hasLineCount(1);
  }

  @Test
  void onThisMachineWithoutAGpuItExitsFive() {
    Cli.Result r = withLibrary(null, () -> run("gpus", "--json"));

    if (r.code() != ExitCode.OK) { // a machine with an NVIDIA driver prints its GPUs instead
      assertThat(r.code()).isEqualTo(ExitCode.NO_GPU);
      assertThat(r.err()).startsWith("finops: NVML is unavailable: ").hasLineCount(1);
    }
  }

  @Test
  void noGpusAlsoExitsFive() {
    Cli.Result r = withLibrary(fake("count = 0"), () -> run("gpus"));

    assertThat(r.code()).isEqualTo(ExitCode.NO_GPU);
    assertThat(r.err()).startsWith("finops: NVML found no GPU on this machine");
  }

  @Test
  void listsDevicesAndAReadingOfEach() {
    Path lib = fake("count = 2", "driver = 550.54.15", "gpu.1.lost_after = 1",
        "gpu.0.processes = 4242:30:5:8589934592");

    Cli.Result r = withLibrary(lib, () -> run("gpus"));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("NVML 550.54.15, 2 GPUs (" + lib + ")\n")
        .contains("NVIDIA H100 80GB HBM3 (fake)", "GPU-fa4e0000-0000-0000-0000-000000000000", "81920", "disabled");
    assertThat(r.lines()).anyMatch(l -> l.matches("0\\s+40\\s+20\\s+32768\\s+300\\s+1300\\s+55\\s+1980\\s+n/a\\s+n/a\\s+"
            + "40% \\(NVML time\\)\\s+ok"))
        .anyMatch(l -> l.matches("1\\s+n/a\\s+.*\\s+lost"))
        .anyMatch(l -> l.matches("0\\s+4242\\s+30\\s+5\\s+8192"));
  }

  @Test
  void json() {
    Path lib = fake("gpu.0.power = NOT_SUPPORTED");

    Cli.Result r = withLibrary(lib, () -> run("gpus", "--json", "--watch", "1", "--count", "1"));

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("driver_version").textValue()).isEqualTo("550.54.15-fake");
    JsonNode device = j.get("devices").get(0);
    assertThat(device.get("uuid").textValue()).isEqualTo("GPU-fa4e0000-0000-0000-0000-000000000000");
    assertThat(device.get("memory_total_bytes").longValue()).isEqualTo(85_899_345_920L);
    assertThat(device.get("mig_mode").textValue()).isEqualTo("disabled");
    assertThat(device.get("supported").toString()).doesNotContain("power").contains("energy");
    JsonNode s = j.get("samples").get(0);
    assertThat(s.get("gpu_utilization_percent").intValue()).isEqualTo(40);
    assertThat(s.get("energy_mj").longValue()).isEqualTo(1_300_000);
    assertThat(s.get("power_mw").isNull()).isTrue();
    assertThat(s.get("lost").booleanValue()).isFalse();
    assertThat(s.get("processes").isArray()).isTrue();
  }

  @Test
  void jsonCarriesGpmActivityAndMigInstancesAndSaysWhichUtilizationItIs() {
    Path lib = fake("count = 2", "gpu.0.gpm = 1", "gpu.0.smact = 62.5", "gpu.0.tensor = 48.25",
        "gpu.1.mig = 1", "gpu.1.util = NOT_SUPPORTED", "gpu.1.gpm = 1",
        "gpu.1.migs = 1:0:10737418240:1073741824:25:10, 2:0:10737418240:0:0:0",
        "gpu.1.processes = 5001:-:-:1073741824:1:0");

    Cli.Result r = withLibrary(lib, () -> run("gpus", "--json"));

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("devices").get(0).get("gpm").textValue()).isEqualTo("supported");
    JsonNode gpu = j.get("samples").get(0);
    assertThat(gpu.get("sm_activity_percent").decimalValue()).isEqualByComparingTo("62.5");
    assertThat(gpu.get("tensor_activity_percent").decimalValue()).isEqualByComparingTo("48.25");
    assertThat(gpu.get("sm_occupancy_percent").decimalValue()).isEqualByComparingTo("20.25");
    assertThat(gpu.get("compute_utilization_percent").decimalValue()).isEqualByComparingTo("62.5");
    assertThat(gpu.get("compute_utilization_source").textValue()).isEqualTo("gpm_sm_activity");
    assertThat(gpu.get("gpu_utilization_percent").intValue()).isEqualTo(40);

    JsonNode migGpu = j.get("devices").get(1);
    assertThat(migGpu.get("mig_devices")).hasSize(2);
    assertThat(migGpu.get("mig_devices").get(0).get("uuid").textValue()).startsWith("MIG-");
    JsonNode migSample = j.get("samples").get(1);
    // no time-based figure on a MIG GPU, but GPM reads the whole GPU (the fake's default 35.5%) and each slice
    assertThat(migSample.get("gpu_utilization_percent").isNull()).isTrue();
    assertThat(migSample.get("compute_utilization_source").textValue()).isEqualTo("gpm_sm_activity");
    assertThat(migSample.get("compute_utilization_percent").decimalValue()).isEqualByComparingTo("35.5");
    JsonNode slice = migSample.get("mig_instances").get(0);
    assertThat(slice.get("gpu_instance_id").intValue()).isEqualTo(1);
    assertThat(slice.get("memory_used_bytes").longValue()).isEqualTo(1L << 30);
    assertThat(slice.get("sm_activity_percent").decimalValue()).isEqualByComparingTo("25");
    assertThat(slice.get("processes").get(0).get("pid").longValue()).isEqualTo(5001);
    assertThat(migSample.get("mig_instances").get(1).get("processes")).isEmpty();
  }

  @Test
  void withoutGpmTheTimeBasedFigureIsUsedAndLabelled() {
    Cli.Result r = withLibrary(fake(), () -> run("gpus", "--json"));

    JsonNode s = r.json().get("samples").get(0);
    assertThat(r.json().get("devices").get(0).get("gpm").textValue()).isEqualTo("NVML_ERROR_NOT_SUPPORTED");
    assertThat(s.get("sm_activity_percent").isNull()).isTrue();
    assertThat(s.get("compute_utilization_percent").decimalValue()).isEqualByComparingTo("40");
    assertThat(s.get("compute_utilization_source").textValue()).isEqualTo("nvml_kernel_time");
    assertThat(s.has("mig_instances")).isFalse();
  }

  @Test
  void theGeneralUsageListsTheCommandAndExitCodeFive() {
    assertThat(Cli.run("--help").out()).containsPattern("(?m)^ +gpus +the GPUs NVML sees")
        .containsPattern("(?m)^ +5 +no GPU \\(NVML unavailable\\)");
  }

  @Test
  void countNeedsWatch() {
    Cli.Result r = run("gpus", "--count", "2");

    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).startsWith("finops: --count: only goes with --watch");
  }
}
