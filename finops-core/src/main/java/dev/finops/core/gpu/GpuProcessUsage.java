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
 */
public record GpuProcessUsage(long pid, int smPercent, int memoryUtilizationPercent, long usedMemoryBytes) {

  public GpuProcessUsage {
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
