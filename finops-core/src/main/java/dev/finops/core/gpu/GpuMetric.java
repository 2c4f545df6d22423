package dev.finops.core.gpu;

/**
 * What a {@link GpuSample} can carry. A source that cannot read a metric on a device (NVML answers
 * "not supported" for utilization on MIG-enabled GPUs, for energy before Volta, ...) leaves it out;
 * {@link GpuSample#has(GpuMetric)} says which are present.
 */
public enum GpuMetric {
  /** Percent of the sample period during which one or more kernels ran (NVML's "GPU utilization"). */
  GPU_UTILIZATION,
  /** Percent of the sample period during which device memory was read or written. */
  MEMORY_UTILIZATION,
  /** Device memory used and total, in bytes. */
  MEMORY,
  /** Power draw in milliwatts. */
  POWER,
  /** Energy consumed since the driver was loaded, in millijoules (a counter that can restart). */
  ENERGY,
  /** GPU core temperature in degrees Celsius. */
  TEMPERATURE,
  /** Streaming-multiprocessor clock in MHz. */
  SM_CLOCK,
  /** The processes on the device with their utilization and memory. */
  PROCESSES
}
