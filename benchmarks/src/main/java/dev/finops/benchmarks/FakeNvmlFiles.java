package dev.finops.benchmarks;

import dev.finops.nvml.internal.NvmlNative;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fake {@code libnvidia-ml.so.1} of finops-gpu-nvml's test-jar (a runtime dependency, so it is
 * inside {@code benchmarks.jar}), copied with an NVML script ({@code fake-nvml.conf}, described in
 * finops-gpu-nvml's {@code src/test/c/fake_nvml.c}) into a fresh temp directory.
 */
final class FakeNvmlFiles implements AutoCloseable {

  private static final String LIBRARY = "/dev/finops/nvml/fake/libnvidia-ml.so.1";

  final Path library;

  /** The handles of the first {@code count} GPUs of the NVML session open on the fake library. */
  static long[] deviceHandles(int count) {
    long[] handles = new long[count];
    long[] h = new long[1];
    for (int i = 0; i < count; i++) {
      if (NvmlNative.deviceHandle(i, h) != NvmlNative.NVML_SUCCESS) {
        throw new IllegalStateException("no handle for fake GPU " + i);
      }
      handles[i] = h[0];
    }
    return handles;
  }

  FakeNvmlFiles(String script) throws IOException {
    Path dir = Files.createTempDirectory("finops-nvml-bench");
    library = dir.resolve("libnvidia-ml.so.1");
    try (InputStream in = FakeNvmlFiles.class.getResourceAsStream(LIBRARY)) {
      if (in == null) {
        throw new IOException("no " + LIBRARY + " on the class path: build with 'mvn package -pl benchmarks -am'");
      }
      Files.copy(in, library);
    }
    Files.writeString(dir.resolve("fake-nvml.conf"), script);
  }

  /** Deletes the copy (a loaded library stays mapped). */
  @Override
  public void close() throws IOException {
    Path dir = library.getParent();
    Files.deleteIfExists(library);
    Files.deleteIfExists(dir.resolve("fake-nvml.conf"));
    Files.deleteIfExists(dir);
  }
}
