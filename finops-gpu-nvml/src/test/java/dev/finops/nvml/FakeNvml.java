package dev.finops.nvml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The fake {@code libnvidia-ml.so.1} built from {@code src/test/c/fake_nvml.c}: copies it, with a
 * script, into a directory, and returns the library's path for {@link Nvml#open(Path)}. Each copy
 * is a separate library with its own state, so tests do not share counters. The script language is
 * described at the top of {@code fake_nvml.c}. In the test-jar, for the CLI's tests.
 */
public final class FakeNvml {

  /** The build with every symbol, versioned and legacy. */
  public static final String FULL = "/dev/finops/nvml/fake/libnvidia-ml.so.1";
  /** The build with the legacy (v1) entry points only, and none of the optional functions. */
  public static final String LEGACY = "/dev/finops/nvml/fake/legacy/libnvidia-ml.so.1";
  /** The script file the fake reads, next to itself. */
  public static final String SCRIPT = "fake-nvml.conf";

  private FakeNvml() {}

  /** The full fake in {@code dir}, scripted with {@code lines} ({@code "count = 2"}, ...). */
  public static Path install(Path dir, String... lines) {
    return install(FULL, dir, lines);
  }

  /** The legacy fake in {@code dir}, scripted with {@code lines}. */
  public static Path installLegacy(Path dir, String... lines) {
    return install(LEGACY, dir, lines);
  }

  private static Path install(String resource, Path dir, String... lines) {
    try (InputStream in = FakeNvml.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no " + resource + " on the class path: build finops-gpu-nvml's tests "
            + "(mvn -pl finops-gpu-nvml test-compile) first");
      }
      Files.createDirectories(dir);
      Path lib = dir.resolve("libnvidia-ml.so.1");
      Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(dir.resolve(SCRIPT), String.join("\n", lines) + "\n");
      return lib;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
