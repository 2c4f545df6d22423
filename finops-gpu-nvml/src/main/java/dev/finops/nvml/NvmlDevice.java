package dev.finops.nvml;

import dev.finops.core.gpu.GpuMetric;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One GPU as an open {@link NvmlSession} found it: identity, memory, MIG mode, and which metrics it
 * answers. Immutable; whether it was lost later shows in its samples ({@link
 * dev.finops.core.gpu.GpuSample#isLost()}).
 */
public final class NvmlDevice {

  /** Multi-Instance GPU mode. */
  public enum MigMode {
    DISABLED,
    ENABLED,
    /** The device (pre-Ampere) or the library has no MIG, or would not say. */
    NOT_SUPPORTED
  }

  private final int index;
  private final NvmlReturn status;
  private final String uuid;
  private final String name;
  private final long memoryTotalBytes;
  private final MigMode migMode;
  private final Map<GpuMetric, NvmlReturn> answers;
  private final NvmlReturn gpm;
  private final List<NvmlMigDevice> migDevices;

  NvmlDevice(int index, NvmlReturn status, String uuid, String name, long memoryTotalBytes, MigMode migMode,
      Map<GpuMetric, NvmlReturn> answers) {
    this(index, status, uuid, name, memoryTotalBytes, migMode, answers, NvmlReturn.NOT_SUPPORTED, List.of());
  }

  NvmlDevice(int index, NvmlReturn status, String uuid, String name, long memoryTotalBytes, MigMode migMode,
      Map<GpuMetric, NvmlReturn> answers, NvmlReturn gpm, List<NvmlMigDevice> migDevices) {
    this.gpm = gpm;
    this.migDevices = List.copyOf(migDevices);
    this.index = index;
    this.status = status;
    this.uuid = uuid;
    this.name = name;
    this.memoryTotalBytes = memoryTotalBytes;
    this.migMode = migMode;
    this.answers = answers.isEmpty() ? Map.of() : new EnumMap<>(answers);
  }

  /** NVML's index: not stable across reboots and not the CUDA index; key by {@link #uuid()}. */
  public int index() {
    return index;
  }

  /**
   * {@link NvmlReturn#SUCCESS} if the device could be opened; otherwise why not ({@link
   * NvmlReturn#NO_PERMISSION}, {@link NvmlReturn#GPU_IS_LOST}, ...), and the device is not sampled.
   */
  public NvmlReturn status() {
    return status;
  }

  /** True if the device is sampled. */
  public boolean isAccessible() {
    return status == NvmlReturn.SUCCESS;
  }

  /** {@code GPU-...} (or {@code MIG-...}); {@code null} if it could not be read. */
  public String uuid() {
    return uuid;
  }

  /** The product name ({@code NVIDIA H100 80GB HBM3}); {@code null} if unknown. */
  public String name() {
    return name;
  }

  /** Total device memory in bytes; {@link dev.finops.core.gpu.GpuSample#ABSENT} if unknown. */
  public long memoryTotalBytes() {
    return memoryTotalBytes;
  }

  public MigMode migMode() {
    return migMode;
  }

  /**
   * Whether the device has NVML GPM (GPU Performance Monitoring: SM activity, SM occupancy, tensor and
   * pipe activity; Hopper and later): {@link NvmlReturn#SUCCESS} if it has, {@link
   * NvmlReturn#NOT_SUPPORTED} if it says it has not, {@link NvmlReturn#FUNCTION_NOT_FOUND} if the
   * driver's library has no GPM (before R520), or the error nvmlGpmQueryDeviceSupport or the sample
   * allocation answered. Without GPM, samples carry only the time-based utilization.
   */
  public NvmlReturn gpm() {
    return gpm;
  }

  /** True if samples of this device carry GPM activity. */
  public boolean hasGpm() {
    return gpm == NvmlReturn.SUCCESS;
  }

  /** The device's MIG devices (empty unless {@link #migMode()} is ENABLED and instances exist). */
  public List<NvmlMigDevice> migDevices() {
    return migDevices;
  }

  NvmlDevice withAnswers(Map<GpuMetric, NvmlReturn> newAnswers, NvmlReturn status) {
    return new NvmlDevice(index, status, uuid, name, memoryTotalBytes, migMode, newAnswers, gpm, migDevices);
  }

  NvmlDevice withGpmAndMig(NvmlReturn newGpm, List<NvmlMigDevice> newMigDevices) {
    return new NvmlDevice(index, status, uuid, name, memoryTotalBytes, migMode, answers, newGpm, newMigDevices);
  }

  /** True if the device answered {@code metric} when the session opened. */
  public boolean supports(GpuMetric metric) {
    return answer(metric) == NvmlReturn.SUCCESS;
  }

  /** The metrics the device answered when the session opened. */
  public Set<GpuMetric> supported() {
    Set<GpuMetric> s = EnumSet.noneOf(GpuMetric.class);
    answers.forEach((m, r) -> {
      if (r == NvmlReturn.SUCCESS) {
        s.add(m);
      }
    });
    return s;
  }

  /**
   * NVML's answer for {@code metric} when the session opened: {@link NvmlReturn#SUCCESS}, {@link
   * NvmlReturn#NOT_SUPPORTED} (a normal answer: MIG-enabled GPUs have no utilization, older ones no
   * energy counter), {@link NvmlReturn#FUNCTION_NOT_FOUND} (the driver's library lacks the function),
   * or an error.
   */
  public NvmlReturn answer(GpuMetric metric) {
    return answers.getOrDefault(metric, status == NvmlReturn.SUCCESS ? NvmlReturn.NOT_SUPPORTED : status);
  }

  @Override
  public String toString() {
    return "NvmlDevice{" + index + ", " + (isAccessible() ? uuid + ", " + name : status.nvmlName()) + "}";
  }
}
