/**
 * NVIDIA GPUs through NVML: {@link dev.finops.nvml.Nvml} (availability, sessions), {@link
 * dev.finops.nvml.NvmlSession} (devices and one-crossing samples) and {@link
 * dev.finops.nvml.GpuSampler}, the periodic {@link dev.finops.core.gpu.GpuSampleSource} whose rounds
 * the cost feeds of {@code dev.finops.core.gpu} turn into measured effective cost and energy cost.
 */
package dev.finops.nvml;
