/**
 * GPU readings as a source-neutral model: {@link dev.finops.core.gpu.GpuSample} (one device at one
 * time), published by a {@link dev.finops.core.gpu.GpuSampleSource} (the NVML sampler, or any other
 * monitor), so consumers such as OpenTelemetry gauges need not know where the readings come from.
 *
 * <p>{@link dev.finops.core.gpu.TrainingRunGpuFeed} and {@link dev.finops.core.gpu.GpuEnergyFeed}
 * turn readings into cost: measured utilization for a training run, metered energy for on-prem rows.
 */
package dev.finops.core.gpu;
