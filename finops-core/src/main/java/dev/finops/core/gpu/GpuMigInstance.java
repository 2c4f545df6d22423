package dev.finops.core.gpu;

import java.util.List;
import java.util.Objects;

/**
 * One MIG instance of a GPU in a {@link GpuSample}: its identity (MIG UUID, GPU instance and compute
 * instance ids), its memory, its GPM activity where the GPU has GPM, and the processes that run in
 * it, so a slice can be billed from measured data. Values a source could not read are {@link
 * GpuSample#ABSENT}. Immutable.
 *
 * @param uuid the instance's UUID ({@code MIG-...})
 * @param gpuInstanceId the GPU instance id
 * @param computeInstanceId the compute instance id within the GPU instance
 * @param memoryUsedBytes memory in use in the instance, bytes
 * @param memoryTotalBytes the instance's memory, bytes
 * @param smActivityBasisPoints GPM SM activity of the GPU instance, basis points
 * @param smOccupancyBasisPoints GPM SM occupancy, basis points
 * @param tensorActivityBasisPoints GPM tensor activity, basis points
 * @param processes the processes running in this instance
 */
public record GpuMigInstance(String uuid, int gpuInstanceId, int computeInstanceId, long memoryUsedBytes,
    long memoryTotalBytes, int smActivityBasisPoints, int smOccupancyBasisPoints, int tensorActivityBasisPoints,
    List<GpuProcessUsage> processes) {

  public GpuMigInstance {
    Objects.requireNonNull(uuid, "uuid");
    if (gpuInstanceId < 0 || computeInstanceId < 0) {
      throw new IllegalArgumentException("gpuInstanceId and computeInstanceId must not be negative: "
          + gpuInstanceId + "/" + computeInstanceId);
    }
    if (memoryUsedBytes < GpuSample.ABSENT || memoryTotalBytes < GpuSample.ABSENT) {
      throw new IllegalArgumentException("memory must be >= 0 or ABSENT: " + memoryUsedBytes + "/" + memoryTotalBytes);
    }
    basisPoints("smActivityBasisPoints", smActivityBasisPoints);
    basisPoints("smOccupancyBasisPoints", smOccupancyBasisPoints);
    basisPoints("tensorActivityBasisPoints", tensorActivityBasisPoints);
    processes = List.copyOf(Objects.requireNonNull(processes, "processes"));
  }

  private static void basisPoints(String field, int v) {
    if (v < GpuSample.ABSENT || v > 10_000) {
      throw new IllegalArgumentException(field + " must be 0..10000 or ABSENT, got " + v);
    }
  }

  /** True if the instance has GPM readings. */
  public boolean hasActivity() {
    return smActivityBasisPoints != GpuSample.ABSENT;
  }
}
