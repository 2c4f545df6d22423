package dev.finops.core.gpu;

/**
 * One process's use of one GPU in a {@link GpuSample}. Values a source could not read are {@link
 * GpuSample#ABSENT} (-1). Immutable.
 *
 * @param pid the operating-system process id
 * @param smPercent percent of the sample period the process's kernels ran on the streaming
 *     multiprocessors (0 when the process ran nothing since the previous sample)
 * @param memoryUtilizationPercent percent of the period the process read or wrote device memory
 * @param usedMemoryBytes device memory the process holds, in bytes
 * @param gpuInstanceId the MIG GPU instance the process runs in, or ABSENT on a GPU without MIG
 * @param computeInstanceId the MIG compute instance within it, or ABSENT
 */
public record GpuProcessUsage(long pid, int smPercent, int memoryUtilizationPercent, long usedMemoryBytes,
    int gpuInstanceId, int computeInstanceId) {

  /** A process on a GPU without MIG. */
  public GpuProcessUsage(long pid, int smPercent, int memoryUtilizationPercent, long usedMemoryBytes) {
    this(pid, smPercent, memoryUtilizationPercent, usedMemoryBytes, GpuSample.ABSENT, GpuSample.ABSENT);
  }

  public GpuProcessUsage {
    if (gpuInstanceId < GpuSample.ABSENT || computeInstanceId < GpuSample.ABSENT) {
      throw new IllegalArgumentException("gpuInstanceId and computeInstanceId must be >= 0 or ABSENT, got "
          + gpuInstanceId + "/" + computeInstanceId);
    }
    if (smPercent < GpuSample.ABSENT || smPercent > 100) {
      throw new IllegalArgumentException("smPercent must be 0..100 or ABSENT, got " + smPercent);
    }
    if (memoryUtilizationPercent < GpuSample.ABSENT || memoryUtilizationPercent > 100) {
      throw new IllegalArgumentException("memoryUtilizationPercent must be 0..100 or ABSENT, got "
          + memoryUtilizationPercent);
    }
    if (usedMemoryBytes < GpuSample.ABSENT) {
      throw new IllegalArgumentException("usedMemoryBytes must be >= 0 or ABSENT, got " + usedMemoryBytes);
    }
  }
}
