package dev.finops.core.gpu;

import java.util.List;

/**
 * Something that samples GPUs periodically and publishes each round: the NVML sampler of {@code
 * finops-gpu-nvml}, or any other monitor. Consumers (cost feeds, OpenTelemetry gauges) depend on this
 * interface only, so they never import a native binding. Implementations must be thread-safe.
 */
public interface GpuSampleSource {

  /** The most recent sample of each device, in device order; empty before the first round. */
  List<GpuSample> latest();

  /**
   * Calls {@code listener} with every later round. A listener that throws is logged and keeps
   * receiving rounds; it must not block (it runs on the sampling thread).
   */
  void addListener(Listener listener);

  /** Stops calling {@code listener}; unknown listeners are ignored. */
  void removeListener(Listener listener);

  /** Receives rounds of samples. */
  @FunctionalInterface
  interface Listener {
    /**
     * One round: a sample of each device, all taken at the same time, in device order. The list is
     * immutable.
     */
    void onSamples(List<GpuSample> round);
  }
}
