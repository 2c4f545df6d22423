package dev.finops.core.training;

/**
 * Which utilization an effective cost ("$32/h at 40% is $80 per useful hour") divided by. They
 * measure different things, so a report names the one it used.
 */
public enum UtilizationBasis {
  /**
   * Model FLOPs utilization: the model's training FLOPs (6 × active parameters × tokens) per second
   * over the GPUs' peak dense FLOPS. Work the model needed, not work the GPU did; the strictest figure.
   */
  MFU,
  /** NVML GPM's SM activity (Hopper and later): the share of SMs busy, averaged over the period. */
  GPM_SM_ACTIVITY,
  /**
   * NVML's "GPU utilization" (nvmlDeviceGetUtilizationRates): the share of time any kernel ran, however
   * few SMs it kept busy. The loosest figure.
   */
  NVML_KERNEL_TIME,
  /** No utilization known. */
  NONE
}
