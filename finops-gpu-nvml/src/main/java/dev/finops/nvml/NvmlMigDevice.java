package dev.finops.nvml;

/**
 * One MIG device (a compute instance of a GPU instance) of a MIG-enabled GPU, as an open {@link
 * NvmlSession} found it: NVML gives it its own handle and UUID. Its readings are in its GPU's samples
 * ({@link dev.finops.core.gpu.GpuSample#migInstances()}). Immutable.
 *
 * @param index the MIG device's index under its GPU (nvmlDeviceGetMigDeviceHandleByIndex)
 * @param uuid {@code MIG-...}
 * @param name the product name NVML gives it, or {@code null}
 * @param gpuInstanceId the GPU instance id
 * @param computeInstanceId the compute instance id within the GPU instance
 * @param memoryTotalBytes the instance's memory, or {@link dev.finops.core.gpu.GpuSample#ABSENT}
 */
public record NvmlMigDevice(int index, String uuid, String name, int gpuInstanceId, int computeInstanceId,
    long memoryTotalBytes) {}
