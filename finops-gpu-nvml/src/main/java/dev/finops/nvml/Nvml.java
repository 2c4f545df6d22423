package dev.finops.nvml;

import dev.finops.nvml.internal.NativeLibrary;
import dev.finops.nvml.internal.NvmlNative;
import java.nio.file.Path;
import java.util.Objects;

/**
 * NVIDIA NVML through JNI: availability, and {@link NvmlSession}s that read the GPUs.
 *
 * <pre>{@code
 * if (Nvml.isAvailable()) {
 *   try (NvmlSession nvml = Nvml.open()) {
 *     nvml.devices();                                   // index, UUID, name, memory, MIG mode
 *     nvml.sample(System.currentTimeMillis());          // one reading of every GPU
 *   }
 * } else {
 *   log.info("no GPU metering: {}", Nvml.unavailabilityCause().getMessage());
 * }
 * }</pre>
 *
 * <p>The driver's {@code libnvidia-ml.so.1} is dlopen()ed when a session opens; nothing links
 * against it, so this jar loads anywhere and says why NVML is unavailable (no library, no driver,
 * no permission, an NVML error, a platform other than linux-x86_64). {@code
 * -Dfinops.nvml.library=PATH} (or {@link Builder#library(Path)}) names another library file.
 *
 * <p>All sessions share one loaded library: they may be open at the same time if they name the same
 * library. Every call into NVML is serialized on one lock; at a sample a second that costs nothing.
 */
public final class Nvml {

  /** System property naming the NVML library to dlopen (default {@value #DEFAULT_LIBRARY}). */
  public static final String LIBRARY_PROPERTY = "finops.nvml.library";
  /** The name the NVIDIA driver installs NVML under; the dynamic linker finds it. */
  public static final String DEFAULT_LIBRARY = "libnvidia-ml.so.1";

  /** Guards the native library's global state: every native call holds it. */
  static final Object LOCK = new Object();
  private static String loadedLibrary;
  private static int openSessions;

  private Nvml() {}

  /** True if a session on the default library opened (once, at first use of this method). */
  public static boolean isAvailable() {
    return Availability.CAUSE == null;
  }

  /**
   * Why NVML is unavailable ({@code getMessage()} says it in words), or {@code null} if it is
   * available. Decided once, by opening and closing a session on the default library; never throws.
   */
  public static Throwable unavailabilityCause() {
    return Availability.CAUSE;
  }

  /** Throws the unavailability cause as an {@link NvmlException}, if there is one. */
  public static void ensureAvailability() {
    Throwable cause = Availability.CAUSE;
    if (cause instanceof NvmlException) {
      NvmlException e = (NvmlException) cause;
      throw new NvmlException(e.returnCode(), e.getMessage(), e);
    }
    if (cause != null) {
      throw new NvmlException(NvmlReturn.UNKNOWN, String.valueOf(cause.getMessage()), cause);
    }
  }

  /** Opens a session on the default library, with per-process data. */
  public static NvmlSession open() {
    return builder().open();
  }

  /** Opens a session on the NVML library file {@code library}, with per-process data. */
  public static NvmlSession open(Path library) {
    return builder().library(library).open();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The library a session opens when none is named: {@code -Dfinops.nvml.library}, else the driver's. */
  public static String defaultLibrary() {
    String p = System.getProperty(LIBRARY_PROPERTY);
    return p == null || p.isBlank() ? DEFAULT_LIBRARY : p;
  }

  /** Opens and closes a session on {@code library}: {@code null}, or why that failed. Never throws. */
  static Throwable probe(String library) {
    try {
      builder().library(library).processes(false).open().close();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  private static final class Availability {
    static final Throwable CAUSE = probe(defaultLibrary());
  }

  /** Loads {@code library} for one more session; the caller holds {@link #LOCK}. */
  static void acquire(String library) {
    Throwable jni = NativeLibrary.unavailabilityCause();
    if (jni != null) {
      throw new NvmlException(NvmlReturn.LIBRARY_NOT_FOUND,
          "the finops-gpu-nvml native binding is unavailable: " + jni.getMessage(), jni);
    }
    if (openSessions > 0 && !library.equals(loadedLibrary)) {
      throw new NvmlException(NvmlReturn.IN_USE, "NVML is loaded from " + loadedLibrary
          + " by an open session; close it before opening " + library);
    }
    if (openSessions == 0) {
      NvmlReturn rc = NvmlReturn.of(NvmlNative.load(library));
      if (rc == NvmlReturn.LIBRARY_NOT_FOUND) {
        throw new NvmlException(rc, "no NVML library: " + library + " could not be loaded (is the NVIDIA driver "
            + "installed? -D" + LIBRARY_PROPERTY + "=PATH names another file): " + NvmlNative.loadError());
      }
      if (rc != NvmlReturn.SUCCESS) {
        throw new NvmlException(rc, library + " is not an NVML library: " + NvmlNative.loadError());
      }
      loadedLibrary = library;
    }
    openSessions++;
  }

  /** One session fewer; the last unloads the library. The caller holds {@link #LOCK}. */
  static void release() {
    if (--openSessions == 0) {
      NvmlNative.unload();
      loadedLibrary = null;
    }
  }

  /**
   * The exception for {@code call} answering {@code rc}, in words: what it means and what to check.
   * The caller holds {@link #LOCK} and the library is loaded.
   */
  static NvmlException failure(String call, int code) {
    NvmlReturn rc = NvmlReturn.of(code);
    String what = call + " returned " + rc.nvmlName() + " (" + code + ")";
    String detail = NvmlNative.errorString(code);
    if (detail != null && !detail.equals(rc.nvmlName()) && !detail.equals(rc.name())) {
      what += ": " + detail;
    }
    switch (rc) {
      case DRIVER_NOT_LOADED:
        return new NvmlException(rc, "the NVIDIA driver is not loaded (" + what + "); is there an NVIDIA GPU and "
            + "is its kernel module loaded? 'nvidia-smi' tells");
      case NO_PERMISSION:
        return new NvmlException(rc, "no permission to use the NVIDIA driver (" + what + "); the user needs "
            + "access to /dev/nvidia* (in a container: run it with the GPUs exposed)");
      case LIB_RM_VERSION_MISMATCH:
        return new NvmlException(rc, "the NVML library does not match the loaded driver (" + what + "); "
            + "reload the driver or reboot after an upgrade");
      default:
        return new NvmlException(rc, "NVML error: " + what);
    }
  }

  /** Configures and opens an {@link NvmlSession}. */
  public static final class Builder {
    private String library;
    private boolean processes = true;

    private Builder() {}

    /** The NVML library file to dlopen (default: {@link #defaultLibrary()}). */
    public Builder library(Path library) {
      return library(Objects.requireNonNull(library, "library").toString());
    }

    /** The NVML library to dlopen: a path, or a name the dynamic linker searches for. */
    public Builder library(String library) {
      this.library = Objects.requireNonNull(library, "library");
      return this;
    }

    /**
     * Whether samples carry the processes on each GPU with their utilization and memory (default
     * true; one more native call per device and sample).
     */
    public Builder processes(boolean processes) {
      this.processes = processes;
      return this;
    }

    /**
     * Loads NVML, initializes it and lists the devices, taking one reading of each to learn what
     * it answers.
     *
     * @throws NvmlException saying why NVML cannot be used
     */
    public NvmlSession open() {
      return NvmlSession.open(library != null ? library : defaultLibrary(), processes);
    }
  }
}
