package dev.finops.nvml;

import static dev.finops.nvml.internal.NvmlNative.STRIDE;

import dev.finops.core.gpu.GpuMetric;
import dev.finops.core.gpu.GpuProcessUsage;
import dev.finops.core.gpu.GpuSample;
import dev.finops.nvml.internal.NvmlNative;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An initialized NVML with its devices, read with {@link #sample(long)}: one JNI crossing fills a
 * {@code long[]} for every device, plus one per device for its processes when those are on. Close it
 * to shut NVML down (try-with-resources). Thread-safe: calls are serialized.
 *
 * <p>A device that answers {@link NvmlReturn#GPU_IS_LOST} is marked lost in that sample and every
 * later one, and is no longer called; the other devices keep being sampled. Answers of {@link
 * NvmlReturn#NOT_SUPPORTED} leave the metric out of the sample; they are not errors.
 */
public final class NvmlSession implements AutoCloseable {

  /** Which return-code slot of a {@link NvmlNative#sample} row answers for each metric. */
  private static final int[] RC_SLOT = new int[GpuMetric.values().length];

  static {
    RC_SLOT[GpuMetric.GPU_UTILIZATION.ordinal()] = NvmlNative.S_UTIL_RC;
    RC_SLOT[GpuMetric.MEMORY_UTILIZATION.ordinal()] = NvmlNative.S_UTIL_RC;
    RC_SLOT[GpuMetric.MEMORY.ordinal()] = NvmlNative.S_MEMORY_RC;
    RC_SLOT[GpuMetric.POWER.ordinal()] = NvmlNative.S_POWER_RC;
    RC_SLOT[GpuMetric.ENERGY.ordinal()] = NvmlNative.S_ENERGY_RC;
    RC_SLOT[GpuMetric.TEMPERATURE.ordinal()] = NvmlNative.S_TEMP_RC;
    RC_SLOT[GpuMetric.SM_CLOCK.ordinal()] = NvmlNative.S_CLOCK_RC;
    RC_SLOT[GpuMetric.PROCESSES.ordinal()] = -1; // from NvmlNative.processes
  }

  private final String library;
  private final boolean processes;
  private final String driverVersion;
  private final Set<String> symbols;
  private final List<NvmlDevice> devices;
  private final NvmlDevice[] sampled; // the accessible devices, in index order
  private final long[] handles; // 0 once lost
  private final long[] lastSeen; // per device: newest process-utilization timestamp, CPU µs
  private final long[] buffer;
  private boolean closed;

  private NvmlSession(String library, boolean processes) {
    this.library = library;
    this.processes = processes;
    this.driverVersion = NvmlNative.driverVersion();
    this.symbols = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(NvmlNative.symbols().split(","))));
    int[] count = new int[1];
    int rc = NvmlNative.deviceCount(count);
    if (rc != NvmlNative.NVML_SUCCESS) {
      throw Nvml.failure("nvmlDeviceGetCount", rc);
    }
    List<NvmlDevice> all = new ArrayList<>(count[0]);
    List<NvmlDevice> open = new ArrayList<>(count[0]);
    List<Long> openHandles = new ArrayList<>(count[0]);
    long[] h = new long[1];
    for (int i = 0; i < count[0]; i++) {
      rc = NvmlNative.deviceHandle(i, h);
      NvmlDevice d = rc == NvmlNative.NVML_SUCCESS ? describe(i, h[0]) : inaccessible(i, rc);
      if (d.isAccessible()) {
        open.add(d);
        openHandles.add(h[0]);
      }
      all.add(d);
    }
    long[] candidates = openHandles.stream().mapToLong(Long::longValue).toArray();
    long[] firstSeen = new long[candidates.length];
    probe(open, candidates, firstSeen, all);
    // devices lost already are listed with that status, and not sampled
    int n = 0;
    for (int i = 0; i < candidates.length; i++) {
      if (open.get(i).isAccessible()) {
        open.set(n, open.get(i));
        candidates[n] = candidates[i];
        firstSeen[n] = firstSeen[i];
        n++;
      }
    }
    this.sampled = open.subList(0, n).toArray(new NvmlDevice[0]);
    this.handles = Arrays.copyOf(candidates, n);
    this.lastSeen = Arrays.copyOf(firstSeen, n);
    this.buffer = new long[Math.max(1, n) * STRIDE];
    this.devices = List.copyOf(all);
  }

  /** Opens a session; {@link Nvml.Builder#open()} is the way in. */
  static NvmlSession open(String library, boolean processes) {
    synchronized (Nvml.LOCK) {
      Nvml.acquire(library);
      boolean opened = false;
      try {
        int rc = NvmlNative.init();
        if (rc != NvmlNative.NVML_SUCCESS) {
          throw Nvml.failure("nvmlInit", rc);
        }
        try {
          NvmlSession s = new NvmlSession(library, processes);
          opened = true;
          return s;
        } finally {
          if (!opened) {
            NvmlNative.shutdown();
          }
        }
      } finally {
        if (!opened) {
          Nvml.release();
        }
      }
    }
  }

  private static NvmlDevice inaccessible(int index, int rc) {
    return new NvmlDevice(index, NvmlReturn.of(rc), null, null, GpuSample.ABSENT, NvmlDevice.MigMode.NOT_SUPPORTED,
        Map.of());
  }

  private static NvmlDevice describe(int index, long handle) {
    String[] strings = new String[2];
    long[] v = new long[NvmlNative.I_LENGTH];
    NvmlNative.deviceInfo(handle, strings, v);
    if (v[NvmlNative.I_UUID_RC] != NvmlNative.NVML_SUCCESS) {
      return inaccessible(index, (int) v[NvmlNative.I_UUID_RC]);
    }
    NvmlDevice.MigMode mig = v[NvmlNative.I_MIG_RC] != NvmlNative.NVML_SUCCESS ? NvmlDevice.MigMode.NOT_SUPPORTED
        : v[NvmlNative.I_MIG_CURRENT] == 1 ? NvmlDevice.MigMode.ENABLED : NvmlDevice.MigMode.DISABLED;
    long memory =
        v[NvmlNative.I_MEMORY_RC] == NvmlNative.NVML_SUCCESS ? v[NvmlNative.I_MEMORY_TOTAL] : GpuSample.ABSENT;
    return new NvmlDevice(index, NvmlReturn.SUCCESS, strings[0], strings[1], memory, mig, Map.of());
  }

  /**
   * One reading of every device, to learn what each answers: replaces each device (in {@code open}
   * and in {@code all}) with one that knows its answers, and notes where process sampling starts.
   */
  private static void probe(List<NvmlDevice> open, long[] handles, long[] lastSeen, List<NvmlDevice> all) {
    if (handles.length == 0) {
      return;
    }
    long[] buffer = new long[handles.length * STRIDE];
    NvmlNative.sample(handles, handles.length, buffer);
    for (int i = 0; i < handles.length; i++) {
      NvmlDevice d = open.get(i);
      int base = i * STRIDE;
      Map<GpuMetric, NvmlReturn> answers = new EnumMap<>(GpuMetric.class);
      for (GpuMetric m : GpuMetric.values()) {
        if (RC_SLOT[m.ordinal()] >= 0) {
          answers.put(m, NvmlReturn.of((int) buffer[base + RC_SLOT[m.ordinal()]]));
        }
      }
      NvmlReturn status = NvmlReturn.of((int) buffer[base + NvmlNative.S_STATUS]);
      if (status == NvmlReturn.SUCCESS) {
        long[] p = NvmlNative.processes(handles[i], 0);
        lastSeen[i] = p[NvmlNative.P_LAST_SEEN];
        answers.put(GpuMetric.PROCESSES, processAnswer(p));
      } else {
        answers.clear();
      }
      NvmlDevice probed = new NvmlDevice(d.index(), status, d.uuid(), d.name(), d.memoryTotalBytes(), d.migMode(),
          answers);
      open.set(i, probed);
      all.set(d.index(), probed);
    }
  }

  /** SUCCESS if either process list answered, else the list's error (utilization's if the list had none). */
  private static NvmlReturn processAnswer(long[] p) {
    int util = (int) p[NvmlNative.P_UTIL_RC];
    int list = (int) p[NvmlNative.P_LIST_RC];
    if (util == NvmlNative.NVML_SUCCESS || list == NvmlNative.NVML_SUCCESS) {
      return NvmlReturn.SUCCESS;
    }
    return NvmlReturn.of(list != NvmlNative.NVML_ERROR_FUNCTION_NOT_FOUND ? list : util);
  }

  /** Every device NVML counts, accessible or not, in index order. */
  public List<NvmlDevice> devices() {
    return devices;
  }

  /** The driver version ({@code 550.54.15}), or {@code null} if the library does not say. */
  public String driverVersion() {
    return driverVersion;
  }

  /** The library this session loaded (a path, or the name the dynamic linker resolved). */
  public String library() {
    return library;
  }

  /**
   * The NVML functions the binding found, by the name it found them under ({@code nvmlInit_v2}, or
   * {@code nvmlInit} on a library without the versioned symbol): for diagnostics.
   */
  public Set<String> resolvedSymbols() {
    return symbols;
  }

  /**
   * One reading of every accessible device, stamped {@code epochMillis}, in device order. Lost devices
   * give {@linkplain GpuSample#isLost() lost} samples.
   *
   * @throws IllegalStateException if the session is closed
   */
  public List<GpuSample> sample(long epochMillis) {
    synchronized (Nvml.LOCK) {
      if (closed) {
        throw new IllegalStateException("the NVML session is closed");
      }
      if (sampled.length == 0) {
        return List.of();
      }
      NvmlNative.sample(handles, handles.length, buffer);
      GpuSample[] round = new GpuSample[sampled.length];
      for (int i = 0; i < sampled.length; i++) {
        round[i] = toSample(i, epochMillis);
      }
      return List.of(round);
    }
  }

  private GpuSample toSample(int i, long epochMillis) {
    NvmlDevice d = sampled[i];
    GpuSample.Builder b = GpuSample.builder(d.index(), d.uuid(), epochMillis);
    int base = i * STRIDE;
    if (handles[i] == 0 || buffer[base + NvmlNative.S_STATUS] == NvmlNative.NVML_ERROR_GPU_IS_LOST) {
      handles[i] = 0; // not called again: a lost GPU needs a reset
      return b.lost().build();
    }
    if (ok(base, NvmlNative.S_UTIL_RC)) {
      b.gpuUtilization(percent(buffer[base + NvmlNative.S_GPU_UTIL]))
          .memoryUtilization(percent(buffer[base + NvmlNative.S_MEM_UTIL]));
    }
    if (ok(base, NvmlNative.S_MEMORY_RC)) {
      b.memory(buffer[base + NvmlNative.S_MEMORY_USED], buffer[base + NvmlNative.S_MEMORY_TOTAL]);
    }
    if (ok(base, NvmlNative.S_POWER_RC)) {
      b.powerMilliwatts(buffer[base + NvmlNative.S_POWER_MW]);
    }
    if (ok(base, NvmlNative.S_ENERGY_RC)) {
      b.energyMillijoules(buffer[base + NvmlNative.S_ENERGY_MJ]);
    }
    if (ok(base, NvmlNative.S_TEMP_RC)) {
      b.temperatureCelsius((int) buffer[base + NvmlNative.S_TEMP_C]);
    }
    if (ok(base, NvmlNative.S_CLOCK_RC)) {
      b.smClockMhz((int) buffer[base + NvmlNative.S_SM_CLOCK_MHZ]);
    }
    if (processes && d.supports(GpuMetric.PROCESSES)) {
      addProcesses(i, b);
    }
    return b.build();
  }

  private boolean ok(int base, int rcSlot) {
    return buffer[base + rcSlot] == NvmlNative.NVML_SUCCESS;
  }

  /** NVML's percentages are 0..100; a driver that says more is clamped rather than dropped. */
  private static int percent(long v) {
    return (int) Math.max(0, Math.min(100, v));
  }

  private void addProcesses(int i, GpuSample.Builder b) {
    long[] p = NvmlNative.processes(handles[i], lastSeen[i]);
    if (p[NvmlNative.P_UTIL_RC] == NvmlNative.NVML_ERROR_GPU_IS_LOST
        || p[NvmlNative.P_LIST_RC] == NvmlNative.NVML_ERROR_GPU_IS_LOST) {
      handles[i] = 0; // lost since the reading: the next sample says so
      return;
    }
    if (processAnswer(p) != NvmlReturn.SUCCESS) {
      return;
    }
    lastSeen[i] = p[NvmlNative.P_LAST_SEEN];
    int n = (int) p[NvmlNative.P_COUNT];
    GpuProcessUsage[] list = new GpuProcessUsage[n];
    for (int k = 0; k < n; k++) {
      int row = NvmlNative.P_HEADER + k * NvmlNative.P_ROW;
      long sm = p[row + 1];
      long mem = p[row + 2];
      list[k] = new GpuProcessUsage(p[row], sm < 0 ? GpuSample.ABSENT : percent(sm),
          mem < 0 ? GpuSample.ABSENT : percent(mem), Math.max(GpuSample.ABSENT, p[row + 3]));
    }
    b.processes(List.of(list));
  }

  public boolean isClosed() {
    synchronized (Nvml.LOCK) {
      return closed;
    }
  }

  /** Shuts NVML down (the last session also unloads the library). Idempotent. */
  @Override
  public void close() {
    synchronized (Nvml.LOCK) {
      if (closed) {
        return;
      }
      closed = true;
      NvmlNative.shutdown();
      Nvml.release();
    }
  }

  @Override
  public String toString() {
    return "NvmlSession{" + library + ", " + devices.size() + " devices" + (closed ? ", closed" : "") + "}";
  }
}
