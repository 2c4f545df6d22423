package dev.finops.nvml.internal;

/**
 * The JNI surface of {@code libfinops_nvml.so} ({@code src/main/c/finops_nvml.c}). Not API: use
 * {@link dev.finops.nvml.Nvml}. The library keeps one dlopen()ed NVML and its function table in
 * global state, so callers serialize every call (the public classes hold one lock); handles are raw
 * {@code nvmlDevice_t} pointers and must come from {@link #deviceHandle} of the library loaded now.
 *
 * <p>The {@code static final} constants below are emitted into the generated C header by {@code
 * javac -h}, so Java and C share one definition of every array layout.
 */
public final class NvmlNative {

  // NVML return codes the binding produces or tests itself (nvml.h; see docs/nvml.md).
  public static final int NVML_SUCCESS = 0;
  public static final int NVML_ERROR_UNINITIALIZED = 1;
  public static final int NVML_ERROR_INVALID_ARGUMENT = 2;
  public static final int NVML_ERROR_NOT_SUPPORTED = 3;
  public static final int NVML_ERROR_NOT_FOUND = 6;
  public static final int NVML_ERROR_INSUFFICIENT_SIZE = 7;
  public static final int NVML_ERROR_LIBRARY_NOT_FOUND = 12;
  public static final int NVML_ERROR_FUNCTION_NOT_FOUND = 13;
  public static final int NVML_ERROR_GPU_IS_LOST = 15;
  public static final int NVML_ERROR_MEMORY = 20;
  public static final int NVML_ERROR_ARGUMENT_VERSION_MISMATCH = 25;

  /** {@link #sample}: longs per device, and the slot of each value (a slot {@code *_RC} holds an nvmlReturn_t). */
  public static final int STRIDE = 16;
  /** SUCCESS, or the error that ended this device's readings (GPU_IS_LOST). */
  public static final int S_STATUS = 0;
  public static final int S_UTIL_RC = 1;
  public static final int S_GPU_UTIL = 2;
  public static final int S_MEM_UTIL = 3;
  public static final int S_MEMORY_RC = 4;
  public static final int S_MEMORY_USED = 5;
  public static final int S_MEMORY_TOTAL = 6;
  public static final int S_POWER_RC = 7;
  public static final int S_POWER_MW = 8;
  public static final int S_ENERGY_RC = 9;
  public static final int S_ENERGY_MJ = 10;
  public static final int S_TEMP_RC = 11;
  public static final int S_TEMP_C = 12;
  public static final int S_CLOCK_RC = 13;
  public static final int S_SM_CLOCK_MHZ = 14;

  /** {@link #deviceInfo}: the values array. */
  public static final int I_UUID_RC = 0;
  public static final int I_NAME_RC = 1;
  public static final int I_MEMORY_RC = 2;
  public static final int I_MEMORY_TOTAL = 3;
  public static final int I_MIG_RC = 4;
  public static final int I_MIG_CURRENT = 5;
  public static final int I_MIG_PENDING = 6;
  /** nvmlDeviceGetGpuInstanceId / nvmlDeviceGetComputeInstanceId: answered by MIG device handles. */
  public static final int I_GI_RC = 7;
  public static final int I_GI = 8;
  public static final int I_CI_RC = 9;
  public static final int I_CI = 10;
  public static final int I_LENGTH = 11;

  /**
   * {@link #gpmSample}: longs per GPM target (a GPU, or one GPU instance of a MIG GPU). G_SAMPLE_RC is
   * nvmlGpmSampleGet's (nvmlGpmMigSampleGet's) answer; G_METRICS_RC is nvmlGpmMetricsGet's, or
   * {@link #G_WARMING} when there was no earlier sample to take the difference from. Then a pair
   * (return code, basis points) per metric of {@link #GPM_METRIC_IDS}.
   */
  public static final int G_SAMPLE_RC = 0;
  public static final int G_METRICS_RC = 1;
  public static final int G_FIRST_METRIC = 2;
  public static final int G_METRICS = 6;
  public static final int G_STRIDE = G_FIRST_METRIC + 2 * G_METRICS;
  /** G_METRICS_RC of a target's first sample, or the first after a failed one: no interval yet. */
  public static final int G_WARMING = -1;

  /**
   * The NVML_GPM_METRIC_* ids read, in the order of the pairs: SM_UTIL (2), SM_OCCUPANCY (3),
   * ANY_TENSOR_UTIL (5), FP16_UTIL (13), FP32_UTIL (12), FP64_UTIL (11) (nvml.h; docs/nvml.md).
   */
  public static final int GPM_SM_UTIL = 2;
  public static final int GPM_SM_OCCUPANCY = 3;
  public static final int GPM_ANY_TENSOR_UTIL = 5;
  public static final int GPM_FP64_UTIL = 11;
  public static final int GPM_FP32_UTIL = 12;
  public static final int GPM_FP16_UTIL = 13;

  /**
   * {@link #processes}: a header, then {@code P_ROW} longs per process (pid, SM %, memory %, used
   * bytes, MIG GPU instance id, MIG compute instance id; -1 where unknown or not MIG).
   */
  public static final int P_UTIL_RC = 0;
  public static final int P_LIST_RC = 1;
  public static final int P_LAST_SEEN = 2;
  public static final int P_COUNT = 3;
  public static final int P_HEADER = 4;
  public static final int P_ROW = 6;

  private NvmlNative() {}

  /**
   * dlopen()s {@code path} (a file or a name the dynamic linker searches) and resolves the NVML
   * symbols; SUCCESS, LIBRARY_NOT_FOUND ({@link #loadError} says why) or FUNCTION_NOT_FOUND (no
   * nvmlInit: not NVML).
   */
  public static native int load(String path);

  /** dlerror()'s text for the last failed {@link #load}. */
  public static native String loadError();

  /** dlclose()s the library; every function then answers UNINITIALIZED. */
  public static native void unload();

  /** The names of the NVML symbols resolved, comma-separated. */
  public static native String symbols();

  /** nvmlInit_v2 (nvmlInit where there is no _v2). */
  public static native int init();

  public static native int shutdown();

  /** nvmlErrorString, or {@code null} when the library has none. */
  public static native String errorString(int returnCode);

  /** nvmlSystemGetDriverVersion, or {@code null}. */
  public static native String driverVersion();

  /** nvmlDeviceGetCount_v2 into {@code out[0]}. */
  public static native int deviceCount(int[] out);

  /** nvmlDeviceGetHandleByIndex_v2 into {@code out[0]}. */
  public static native int deviceHandle(int index, long[] out);

  /** UUID and name into {@code strings[0..1]}; return codes, memory total and MIG mode into {@code values}. */
  public static native void deviceInfo(long handle, String[] strings, long[] values);

  /**
   * One reading of {@code count} devices in one crossing: {@code STRIDE} longs per device into {@code
   * out}. A handle of 0 is skipped (every return code INVALID_ARGUMENT). A device that answers
   * GPU_IS_LOST gets that status and no further calls.
   */
  public static native void sample(long[] handles, int count, long[] out);

  /**
   * The device's processes: compute processes (memory) merged with utilization samples newer than
   * {@code lastSeenMicros} (a CPU timestamp in microseconds; 0 for all the driver keeps).
   */
  public static native long[] processes(long handle, long lastSeenMicros);

  /**
   * nvmlGpmQueryDeviceSupport: {@code (returnCode << 32) | isSupportedDevice}. FUNCTION_NOT_FOUND in
   * the high word when the library has no GPM (drivers before R520).
   */
  public static native long gpmSupport(long handle);

  /**
   * Allocates a GPM target for device {@code handle} (a whole GPU when {@code gpuInstanceId} is
   * negative, else that GPU instance of a MIG GPU): two nvmlGpmSample_t buffers and the metrics
   * request. Returns a native pointer for {@link #gpmSample}, or 0 with the failing return code in
   * {@code rc[0]}. Free it with {@link #gpmClose}.
   */
  public static native long gpmOpen(long handle, int gpuInstanceId, int[] rc);

  /** Frees a target of {@link #gpmOpen} (its sample buffers with nvmlGpmSampleFree). 0 is ignored. */
  public static native void gpmClose(long target);

  /**
   * One GPM reading of {@code count} targets in one crossing, {@link #G_STRIDE} longs each: takes a
   * sample of each and, where the target has an earlier one, the metrics over the interval between.
   * A target of 0 is skipped (INVALID_ARGUMENT).
   */
  public static native void gpmSample(long[] targets, int count, long[] out);

  /** nvmlDeviceGetMaxMigDeviceCount into {@code out[0]}. */
  public static native int migDeviceCount(long handle, int[] out);

  /** nvmlDeviceGetMigDeviceHandleByIndex into {@code out[0]}. */
  public static native int migDeviceHandle(long handle, int index, long[] out);

  /** nvmlDeviceGetPowerUsage alone: {@code (returnCode << 32) | milliwatts}. For benchmarks. */
  public static native long powerUsage(long handle);
}
