package dev.finops.nvml.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * Loads {@code libfinops_nvml.so} once per class loader, Netty style: the outcome is kept in a static
 * {@link Throwable} and class initialization never throws. The library is copied from the jar into
 * a fresh directory that only the owner can read ({@link Files#createTempDirectory} with {@code
 * rwx------}, under {@code -Dfinops.nvml.workdir} or {@code java.io.tmpdir}), loaded with {@link
 * System#load}, and deleted at once (Linux keeps a loaded library mapped); where deleting fails it is
 * deleted on exit. {@code -Dfinops.nvml.disable=true} turns the binding off. Not API.
 */
public final class NativeLibrary {

  /** Where the build puts the library in the jar. */
  public static final String RESOURCE = "/META-INF/native/linux-x86_64/libfinops_nvml.so";
  public static final String DISABLE_PROPERTY = "finops.nvml.disable";
  public static final String WORKDIR_PROPERTY = "finops.nvml.workdir";

  private static final Throwable UNAVAILABILITY_CAUSE = load();

  private NativeLibrary() {}

  /** Why the JNI library could not be loaded, or {@code null} if it is loaded. */
  public static Throwable unavailabilityCause() {
    return UNAVAILABILITY_CAUSE;
  }

  private static Throwable load() {
    try {
      if (Boolean.getBoolean(DISABLE_PROPERTY)) {
        return new UnsupportedOperationException("disabled with -D" + DISABLE_PROPERTY + "=true");
      }
      String problem = platformProblem(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
      if (problem != null) {
        return new UnsupportedOperationException(problem);
      }
      try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          return new UnsatisfiedLinkError("this finops-gpu-nvml jar has no " + RESOURCE
              + " (built with -Dnative.skip=true?)");
        }
        Path file = extract(in, workdir());
        try {
          System.load(file.toString());
        } catch (UnsatisfiedLinkError e) {
          UnsatisfiedLinkError wrapped = new UnsatisfiedLinkError("could not load " + file + ": " + e.getMessage()
              + " (if " + file.getParent().getParent() + " is mounted noexec, set -D" + WORKDIR_PROPERTY + "=DIR)");
          wrapped.initCause(e);
          return wrapped;
        } finally {
          delete(file);
        }
      }
      return null;
    } catch (Throwable t) { // never let class initialization fail
      return t;
    }
  }

  /**
   * Why this platform has no native library, or {@code null} for linux-x86_64 (the only one built).
   */
  public static String platformProblem(String osName, String osArch) {
    boolean linux = osName.toLowerCase(Locale.ROOT).startsWith("linux");
    boolean x86_64 = osArch.equals("amd64") || osArch.equals("x86_64");
    if (linux && x86_64) {
      return null;
    }
    return "finops-gpu-nvml has a native library for linux-x86_64 only; this is " + osName + " " + osArch;
  }

  private static Path workdir() {
    String dir = System.getProperty(WORKDIR_PROPERTY);
    return Path.of(dir != null ? dir : System.getProperty("java.io.tmpdir"));
  }

  /**
   * Copies {@code library} into a new owner-only directory under {@code base}, with a name no other
   * user can predict or pre-create, and returns the file.
   */
  public static Path extract(InputStream library, Path base) throws IOException {
    Path dir = Files.createTempDirectory(base, "finops-nvml-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path file = dir.resolve("libfinops_nvml.so");
    Files.copy(library, file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r-x------"));
    return file;
  }

  /** Deletes the extracted file and its directory, or schedules both for exit. */
  private static void delete(Path file) {
    Path dir = file.getParent();
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    } catch (IOException | RuntimeException e) {
      dir.toFile().deleteOnExit(); // registered first, deleted last
      file.toFile().deleteOnExit();
    }
  }
}
