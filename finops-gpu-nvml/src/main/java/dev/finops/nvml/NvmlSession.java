package dev.finops.nvml;

import static dev.finops.nvml.internal.NvmlNative.STRIDE;

import dev.finops.core.gpu.GpuMetric;
import dev.finops.core.gpu.GpuMigInstance;
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
 *
 * <p>GPM: on devices with NVML GPM (Hopper and later; {@link NvmlDevice#hasGpm()}) each sample also
 * carries SM activity, SM occupancy, tensor activity and FP16/FP32/FP64 pipe activity over the
 * interval since the previous sample (one more JNI crossing for all devices; NVML wants at least
 * 100 ms between samples). The session takes the first GPM sample when it opens, so the first
 * {@link #sample} already has an interval. A GPM sample that fails leaves those metrics out of that
 * sample (the time-based utilization remains, {@link GpuSample#computeUtilizationBasis()} says which
 * a sample has), and the next good one starts a new interval, so GPM returns one sample later.
 *
 * <p>MIG: a MIG-enabled GPU's MIG devices are listed ({@link NvmlDevice#migDevices()}) and read in
 * each sample: memory, GPM activity per GPU instance where the GPU has GPM, and the processes in each
 * instance (the GPU's process list carries each process's GPU and compute instance ids). They are
 * in the GPU's sample as {@link GpuSample#migInstances()}; a MIG GPU has no time-based utilization.
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
  private final long[] handles; // GPUs (0 once lost), then their MIG devices
  private final long[] lastSeen; // per device: newest process-utilization timestamp, CPU µs
  private final long[] buffer;
  private final NvmlMigDevice[] migs; // the MIG devices read, in handles order after the GPUs
  private final int[] migOwner; // per MIG device: the index into sampled of its GPU
  private final long[] gpmTargets; // GPM targets (native pointers), per row of gpmRow; 0 once lost
  private final long[] gpmOwned; // every target opened, freed at close
  private final int[] gpmRow; // per GPM target: its row in handles (GPU i, or sampled.length + MIG j)
  private final int[] gpmOf; // per row of handles: its GPM target, or -1
  private final long[] gpmBuffer;
  private int lastShutdownCode;
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
    // MIG devices of the MIG-enabled GPUs, then GPM targets of every GPU and GPU instance
    List<NvmlMigDevice> migList = new ArrayList<>();
    List<Long> migHandles = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<NvmlMigDevice> mine = open.get(i).migMode() == NvmlDevice.MigMode.ENABLED
          ? migDevices(candidates[i], migHandles) : List.of();
      for (int k = 0; k < mine.size(); k++) {
        owners.add(i);
      }
      migList.addAll(mine);
      open.set(i, open.get(i).withGpmAndMig(NvmlReturn.NOT_SUPPORTED, mine));
    }
    this.migs = migList.toArray(new NvmlMigDevice[0]);
    this.migOwner = owners.stream().mapToInt(Integer::intValue).toArray();
    long[] all2 = Arrays.copyOf(candidates, n + migs.length);
    for (int j = 0; j < migs.length; j++) {
      all2[n + j] = migHandles.get(j);
    }
    this.handles = all2;
    this.gpmOf = new int[n + migs.length];
    Arrays.fill(gpmOf, -1);
    List<Long> targets = new ArrayList<>();
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      NvmlReturn gpm = gpmSupport(candidates[i]);
      if (gpm == NvmlReturn.SUCCESS) {
        gpm = openTarget(candidates[i], -1, i, targets, rows);
        for (int j = 0; j < migs.length && gpm == NvmlReturn.SUCCESS; j++) {
          if (migOwner[j] == i) {
            openTarget(candidates[i], migs[j].gpuInstanceId(), n + j, targets, rows);
          }
        }
      }
      NvmlDevice d = open.get(i).withGpmAndMig(gpm, open.get(i).migDevices());
      Map<GpuMetric, NvmlReturn> answers = new EnumMap<>(GpuMetric.class);
      for (GpuMetric m : GpuMetric.values()) {
        answers.put(m, d.answer(m));
      }
      for (GpuMetric m : GPM_METRICS) {
        answers.put(m, gpm);
      }
      answers.put(GpuMetric.MIG_INSTANCES, d.migDevices().isEmpty() ? NvmlReturn.NOT_SUPPORTED : NvmlReturn.SUCCESS);
      d = d.withAnswers(answers, d.status());
      open.set(i, d);
      all.set(d.index(), d);
    }
    this.gpmTargets = targets.stream().mapToLong(Long::longValue).toArray();
    this.gpmOwned = gpmTargets.clone();
    this.gpmRow = rows.stream().mapToInt(Integer::intValue).toArray();
    for (int t = 0; t < gpmRow.length; t++) {
      gpmOf[gpmRow[t]] = t;
    }
    this.gpmBuffer = new long[Math.max(1, gpmTargets.length) * NvmlNative.G_STRIDE];
    this.sampled = open.subList(0, n).toArray(new NvmlDevice[0]);
    this.lastSeen = Arrays.copyOf(firstSeen, n);
    this.buffer = new long[Math.max(1, handles.length) * STRIDE];
    this.devices = List.copyOf(all);
    if (gpmTargets.length > 0) {
      readGpm(); // the first GPM sample: the first reading then has an interval
    }
  }

  /** The GPM metrics, in the order of NvmlNative's metric pairs. */
  private static final GpuMetric[] GPM_METRICS = {GpuMetric.SM_ACTIVITY, GpuMetric.SM_OCCUPANCY,
      GpuMetric.TENSOR_ACTIVITY, GpuMetric.FP16_ACTIVITY, GpuMetric.FP32_ACTIVITY, GpuMetric.FP64_ACTIVITY};

  private static NvmlReturn gpmSupport(long handle) {
    long v = NvmlNative.gpmSupport(handle);
    NvmlReturn rc = NvmlReturn.of((int) (v >> 32));
    if (rc != NvmlReturn.SUCCESS) {
      return rc;
    }
    return (v & 0xFFFF_FFFFL) != 0 ? NvmlReturn.SUCCESS : NvmlReturn.NOT_SUPPORTED;
  }

  /** Opens a GPM target for row {@code row}; its answer. Targets beyond 64 are not read (one crossing holds 64). */
  private static NvmlReturn openTarget(long handle, int gpuInstanceId, int row, List<Long> targets,
      List<Integer> rows) {
    if (targets.size() >= MAX_GPM_TARGETS) {
      return NvmlReturn.INSUFFICIENT_SIZE;
    }
    int[] rc = new int[1];
    long t = NvmlNative.gpmOpen(handle, gpuInstanceId, rc);
    if (t == 0) {
      return NvmlReturn.of(rc[0]);
    }
    targets.add(t);
    rows.add(row);
    return NvmlReturn.SUCCESS;
  }

  private static final int MAX_GPM_TARGETS = 64;

  /** The MIG devices of GPU {@code handle}; their handles are appended to {@code handlesOut}. */
  private static List<NvmlMigDevice> migDevices(long handle, List<Long> handlesOut) {
    int[] count = new int[1];
    if (NvmlNative.migDeviceCount(handle, count) != NvmlNative.NVML_SUCCESS) {
      return List.of();
    }
    List<NvmlMigDevice> list = new ArrayList<>();
    long[] h = new long[1];
    for (int k = 0; k < count[0]; k++) {
      if (NvmlNative.migDeviceHandle(handle, k, h) != NvmlNative.NVML_SUCCESS) {
        continue; // NOT_FOUND: no MIG device at this index
      }
      String[] strings = new String[2];
      long[] v = new long[NvmlNative.I_LENGTH];
      NvmlNative.deviceInfo(h[0], strings, v);
      if (v[NvmlNative.I_UUID_RC] != NvmlNative.NVML_SUCCESS || v[NvmlNative.I_GI_RC] != NvmlNative.NVML_SUCCESS
          || v[NvmlNative.I_CI_RC] != NvmlNative.NVML_SUCCESS) {
        continue;
      }
      long memory =
          v[NvmlNative.I_MEMORY_RC] == NvmlNative.NVML_SUCCESS ? v[NvmlNative.I_MEMORY_TOTAL] : GpuSample.ABSENT;
      list.add(new NvmlMigDevice(k, strings[0], strings[1], (int) v[NvmlNative.I_GI], (int) v[NvmlNative.I_CI],
          memory));
      handlesOut.add(h[0]);
    }
    return list;
  }

  private void readGpm() {
    NvmlNative.gpmSample(gpmTargets, gpmTargets.length, gpmBuffer);
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
      if (gpmTargets.length > 0) {
        readGpm();
      }
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
    if (handles[i] == 0 || buffer[base + NvmlNative.S_STATUS] == NvmlNative.NVML_ERROR_GPU_IS_LOST
        || gpmLost(i)) {
      loseDevice(i);
      return b.lost().build();
    }
    addGpm(i, b);
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
    List<GpuProcessUsage> procs = null;
    if (processes && d.supports(GpuMetric.PROCESSES)) {
      procs = addProcesses(i, b);
    }
    if (!d.migDevices().isEmpty()) {
      addMigInstances(i, b, procs);
    }
    return b.build();
  }

  /** Not called again: a lost GPU needs a reset. Its MIG devices go with it. */
  private void loseDevice(int i) {
    handles[i] = 0;
    if (gpmOf[i] >= 0) {
      gpmTargets[gpmOf[i]] = 0;
    }
    for (int j = 0; j < migs.length; j++) {
      if (migOwner[j] == i) {
        handles[sampled.length + j] = 0;
        if (gpmOf[sampled.length + j] >= 0) {
          gpmTargets[gpmOf[sampled.length + j]] = 0;
        }
      }
    }
  }

  private boolean gpmLost(int row) {
    int t = gpmOf[row];
    return t >= 0 && gpmBuffer[t * NvmlNative.G_STRIDE + NvmlNative.G_SAMPLE_RC] == NvmlNative.NVML_ERROR_GPU_IS_LOST;
  }

  /** The GPM metrics of row {@code row} into {@code b}, where its interval's metrics came back. */
  private void addGpm(int row, GpuSample.Builder b) {
    int t = gpmOf[row];
    if (t < 0) {
      return;
    }
    int base = t * NvmlNative.G_STRIDE;
    if (gpmBuffer[base + NvmlNative.G_SAMPLE_RC] != NvmlNative.NVML_SUCCESS
        || gpmBuffer[base + NvmlNative.G_METRICS_RC] != NvmlNative.NVML_SUCCESS) {
      return;
    }
    for (int m = 0; m < GPM_METRICS.length; m++) {
      int pair = base + NvmlNative.G_FIRST_METRIC + 2 * m;
      if (gpmBuffer[pair] == NvmlNative.NVML_SUCCESS) {
        b.activity(GPM_METRICS[m], (int) gpmBuffer[pair + 1]);
      }
    }
  }

  /** GPM activity of row {@code row} for one metric, or ABSENT. */
  private int gpmValue(int row, GpuMetric metric) {
    int t = gpmOf[row];
    if (t < 0) {
      return GpuSample.ABSENT;
    }
    int base = t * NvmlNative.G_STRIDE;
    int pair = base + NvmlNative.G_FIRST_METRIC + 2 * Arrays.asList(GPM_METRICS).indexOf(metric);
    return gpmBuffer[base + NvmlNative.G_SAMPLE_RC] == NvmlNative.NVML_SUCCESS
        && gpmBuffer[base + NvmlNative.G_METRICS_RC] == NvmlNative.NVML_SUCCESS
        && gpmBuffer[pair] == NvmlNative.NVML_SUCCESS ? (int) gpmBuffer[pair + 1] : GpuSample.ABSENT;
  }

  /** The MIG instances of GPU {@code i}: memory, GPM activity, and the processes whose instance ids match. */
  private void addMigInstances(int i, GpuSample.Builder b, List<GpuProcessUsage> procs) {
    List<GpuMigInstance> list = new ArrayList<>();
    for (int j = 0; j < migs.length; j++) {
      if (migOwner[j] != i) {
        continue;
      }
      NvmlMigDevice m = migs[j];
      int row = sampled.length + j;
      int base = row * STRIDE;
      boolean memory = handles[row] != 0 && ok(base, NvmlNative.S_MEMORY_RC);
      List<GpuProcessUsage> inside = new ArrayList<>();
      if (procs != null) {
        for (GpuProcessUsage p : procs) {
          if (p.gpuInstanceId() == m.gpuInstanceId() && p.computeInstanceId() == m.computeInstanceId()) {
            inside.add(p);
          }
        }
      }
      list.add(new GpuMigInstance(m.uuid(), m.gpuInstanceId(), m.computeInstanceId(),
          memory ? buffer[base + NvmlNative.S_MEMORY_USED] : GpuSample.ABSENT,
          memory ? buffer[base + NvmlNative.S_MEMORY_TOTAL] : m.memoryTotalBytes(),
          gpmValue(row, GpuMetric.SM_ACTIVITY), gpmValue(row, GpuMetric.SM_OCCUPANCY),
          gpmValue(row, GpuMetric.TENSOR_ACTIVITY), inside));
    }
    b.migInstances(list);
  }

  private boolean ok(int base, int rcSlot) {
    return buffer[base + rcSlot] == NvmlNative.NVML_SUCCESS;
  }

  /** NVML's percentages are 0..100; a driver that says more is clamped rather than dropped. */
  private static int percent(long v) {
    return (int) Math.max(0, Math.min(100, v));
  }

  /** The processes of GPU {@code i} into {@code b}; the list, or {@code null} when there is none. */
  private List<GpuProcessUsage> addProcesses(int i, GpuSample.Builder b) {
    long[] p = NvmlNative.processes(handles[i], lastSeen[i]);
    if (p[NvmlNative.P_UTIL_RC] == NvmlNative.NVML_ERROR_GPU_IS_LOST
        || p[NvmlNative.P_LIST_RC] == NvmlNative.NVML_ERROR_GPU_IS_LOST) {
      loseDevice(i); // lost since the reading: the next sample says so
      return null;
    }
    if (processAnswer(p) != NvmlReturn.SUCCESS) {
      return null;
    }
    lastSeen[i] = p[NvmlNative.P_LAST_SEEN];
    int n = (int) p[NvmlNative.P_COUNT];
    GpuProcessUsage[] list = new GpuProcessUsage[n];
    for (int k = 0; k < n; k++) {
      int row = NvmlNative.P_HEADER + k * NvmlNative.P_ROW;
      long sm = p[row + 1];
      long mem = p[row + 2];
      list[k] = new GpuProcessUsage(p[row], sm < 0 ? GpuSample.ABSENT : percent(sm),
          mem < 0 ? GpuSample.ABSENT : percent(mem), Math.max(GpuSample.ABSENT, p[row + 3]),
          (int) Math.max(GpuSample.ABSENT, p[row + 4]), (int) Math.max(GpuSample.ABSENT, p[row + 5]));
    }
    List<GpuProcessUsage> all = List.of(list);
    b.processes(all);
    return all;
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
      for (long t : gpmOwned) {
        NvmlNative.gpmClose(t);
      }
      lastShutdownCode = NvmlNative.shutdown();
      Nvml.release();
    }
  }

  /** What nvmlShutdown answered at {@link #close()}: for tests (the fake answers IN_USE if GPM samples leaked). */
  int lastShutdownCode() {
    synchronized (Nvml.LOCK) {
      return lastShutdownCode;
    }
  }

  @Override
  public String toString() {
    return "NvmlSession{" + library + ", " + devices.size() + " devices" + (closed ? ", closed" : "") + "}";
  }
}
