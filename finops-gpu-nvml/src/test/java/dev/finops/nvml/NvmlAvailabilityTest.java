package dev.finops.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.nvml.internal.NativeLibrary;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whether NVML can be used, and why not: each failure gives a reason a person can act on. */
class NvmlAvailabilityTest {

  @TempDir
  Path dir;

  @Test
  void theseTestsRunWithJniChecks() {
    assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments()).contains("-Xcheck:jni");
  }

  @Test
  void theJniLibraryLoadsFromTheJarOnLinuxX86_64() {
    assertThat(NativeLibrary.unavailabilityCause()).isNull();
  }

  @Test
  void theDefaultLibraryOfTheseTestsIsTheFakeAndIsAvailable() {
    // surefire sets -Dfinops.nvml.library to the fake (pom.xml)
    assertThat(Nvml.defaultLibrary()).endsWith("fake/libnvidia-ml.so.1");
    assertThat(Nvml.unavailabilityCause()).isNull();
    assertThat(Nvml.isAvailable()).isTrue();
    Nvml.ensureAvailability();
  }

  @Test
  void noLibrary() {
    Path absent = dir.resolve("libnvidia-ml.so.1");

    assertThatThrownBy(() -> Nvml.open(absent)).isInstanceOfSatisfying(NvmlException.class, e -> {
      assertThat(e.returnCode()).isEqualTo(NvmlReturn.LIBRARY_NOT_FOUND);
      assertThat(e.getMessage()).startsWith("no NVML library: " + absent + " could not be loaded (is the NVIDIA "
          + "driver installed?").contains("No such file");
    });
  }

  @Test
  void availabilityIsDecidedWithoutThrowing() {
    Throwable cause = Nvml.probe(dir.resolve("absent.so").toString());

    assertThat(cause).isInstanceOf(NvmlException.class).hasMessageStartingWith("no NVML library");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "DRIVER_NOT_LOADED | the NVIDIA driver is not loaded (nvmlInit returned NVML_ERROR_DRIVER_NOT_LOADED (9))",
      "NO_PERMISSION     | no permission to use the NVIDIA driver (nvmlInit returned NVML_ERROR_NO_PERMISSION (4)); "
          + "the user needs access to /dev/nvidia*",
      "UNKNOWN           | NVML error: nvmlInit returned NVML_ERROR_UNKNOWN (999)",
      "LIB_RM_VERSION_MISMATCH | the NVML library does not match the loaded driver"})
  void initFailuresSayWhy(NvmlReturn rc, String reason) {
    Path lib = FakeNvml.install(dir, "init = " + rc.name());

    Throwable cause = Nvml.probe(lib.toString());

    assertThat(cause).isInstanceOf(NvmlException.class).hasMessageStartingWith(reason);
    assertThat(((NvmlException) cause).returnCode()).isEqualTo(rc);
  }

  @Test
  void aLibraryWithoutNvmlInitIsNotNvml() {
    assertThatThrownBy(() -> Nvml.builder().library("libm.so.6").open())
        .isInstanceOfSatisfying(NvmlException.class,
            e -> assertThat(e.returnCode()).isEqualTo(NvmlReturn.FUNCTION_NOT_FOUND))
        .hasMessage("libm.so.6 is not an NVML library: no nvmlInit_v2 or nvmlInit: not an NVML library");
  }

  @Test
  void aFailedOpenLeavesNothingBehind() {
    Nvml.probe(FakeNvml.install(dir.resolve("denied"), "init = NO_PERMISSION").toString());

    try (NvmlSession s = Nvml.open(FakeNvml.install(dir.resolve("ok"), "count = 2"))) {
      assertThat(s.devices()).hasSize(2);
    }
  }

  @Test
  void sessionsOnOneLibraryMayOverlapButNotOnTwo() {
    Path one = FakeNvml.install(dir.resolve("one"));
    Path two = FakeNvml.install(dir.resolve("two"));
    NvmlSession a = Nvml.open(one);
    try (NvmlSession b = Nvml.open(one)) {
      assertThatThrownBy(() -> Nvml.open(two)).isInstanceOfSatisfying(NvmlException.class,
          e -> assertThat(e.returnCode()).isEqualTo(NvmlReturn.IN_USE)).hasMessageContaining("close it before");
      a.close();
      assertThat(b.sample(1L)).hasSize(1);
    }
    try (NvmlSession c = Nvml.open(two)) {
      assertThat(c.library()).isEqualTo(two.toString());
    }
  }

  @Test
  void aClosedSessionRefusesToSample() {
    NvmlSession s = Nvml.open(FakeNvml.install(dir));
    s.close();
    s.close(); // idempotent

    assertThat(s.isClosed()).isTrue();
    assertThatThrownBy(() -> s.sample(0)).isInstanceOf(IllegalStateException.class)
        .hasMessage("the NVML session is closed");
  }

  @ParameterizedTest
  @CsvSource({"Mac OS X, aarch64", "Windows 11, amd64", "Linux, aarch64"})
  void otherPlatformsAreUnavailableWithAReason(String os, String arch) {
    assertThat(NativeLibrary.platformProblem(os, arch))
        .isEqualTo("finops-gpu-nvml has a native library for linux-x86_64 only; this is " + os + " " + arch);
  }

  @ParameterizedTest
  @CsvSource({"Linux, amd64", "Linux, x86_64"})
  void linuxX86_64IsSupported(String os, String arch) {
    assertThat(NativeLibrary.platformProblem(os, arch)).isNull();
  }

  @Test
  void theJniLibraryIsExtractedIntoAFreshOwnerOnlyDirectory() throws Exception {
    Path a = NativeLibrary.extract(new ByteArrayInputStream(new byte[] {1}), dir);
    Path b = NativeLibrary.extract(new ByteArrayInputStream(new byte[] {1}), dir);

    assertThat(a.getParent()).isNotEqualTo(b.getParent());
    assertThat(a.getParent().getFileName().toString()).startsWith("finops-nvml-");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.getParent()))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a))).isEqualTo("r-x------");
  }
}
