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
  PROCESSES,
  /** NVML GPM (Hopper and later): share of the SMs busy over the period, in basis points. */
  SM_ACTIVITY,
  /** NVML GPM: warps resident against the SMs' theoretical maximum, in basis points. */
  SM_OCCUPANCY,
  /** NVML GPM: share of time the SMs ran any tensor-core operation, in basis points. */
  TENSOR_ACTIVITY,
  /** NVML GPM: share of time the SMs did non-tensor FP16 math, in basis points. */
  FP16_ACTIVITY,
  /** NVML GPM: share of time the SMs did non-tensor FP32 math, in basis points. */
  FP32_ACTIVITY,
  /** NVML GPM: share of time the SMs did non-tensor FP64 math, in basis points. */
  FP64_ACTIVITY,
  /** The device's MIG instances with their own readings ({@link GpuSample#migInstances()}). */
  MIG_INSTANCES
}
