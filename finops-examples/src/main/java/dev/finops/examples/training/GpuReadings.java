package dev.finops.examples.training;

import dev.finops.core.Clock;
import dev.finops.core.gpu.GpuSample;
import dev.finops.core.gpu.GpuSampleSource;
import dev.finops.nvml.GpuSampler;
import dev.finops.nvml.Nvml;
import dev.finops.nvml.NvmlException;
import dev.finops.nvml.NvmlSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Where the training loop's GPU utilization comes from: NVIDIA NVML through a {@link GpuSampler} when
 * this machine has an NVIDIA driver ({@link Measured}), otherwise simulated GPUs that say so ({@link
 * Simulated}). Either way the run is fed through the same {@link GpuSampleSource} (by {@code
 * TrainingRunGpuFeed}).
 *
 * <p>The loop runs on simulated time, so it takes one round per step ({@link #sample}) at the clock's
 * time instead of starting the sampler's background thread.
 */
sealed interface GpuReadings extends AutoCloseable permits GpuReadings.Measured, GpuReadings.Simulated {

  /**
   * NVML's GPUs if it opens and finds one (the library named by {@code -Dfinops.nvml.library}, by default
   * the driver's {@code libnvidia-ml.so.1}), else {@code simulatedGpus} simulated GPUs.
   */
  static GpuReadings open(Clock clock, int simulatedGpus) {
    NvmlSession session;
    try {
      session = Nvml.open();
    } catch (NvmlException | LinkageError e) {
      return new Simulated(clock, simulatedGpus, e.getMessage());
    }
    if (session.devices().isEmpty()) {
      session.close();
      return new Simulated(clock, simulatedGpus, "NVML found no GPU");
    }
    return new Measured(session, GpuSampler.builder(session).clock(clock).build());
  }

  /** The source to feed the run from. */
  GpuSampleSource source();

  boolean isSimulated();

  /** One line saying where the readings come from; starts with {@code SIMULATED} when they are made up. */
  String description();

  /**
   * Takes one round now and hands it to the listeners. {@code simulatedPercent} is what simulated GPUs
   * report; NVML reports what it measures.
   */
  void sample(int simulatedPercent);

  @Override
  void close();

  /** Readings of this machine's GPUs, from NVML. */
  record Measured(NvmlSession nvml, GpuSampler sampler) implements GpuReadings {
    @Override
    public GpuSampleSource source() {
      return sampler;
    }

    @Override
    public boolean isSimulated() {
      return false;
    }

    @Override
    public String description() {
      int n = nvml.devices().size();
      return "measured by NVIDIA NVML on this machine's " + n + " GPU" + (n == 1 ? "" : "s") + " (driver "
          + nvml.driverVersion() + ")";
    }

    @Override
    public void sample(int simulatedPercent) {
      sampler.sampleOnce();
    }

    @Override
    public void close() {
      sampler.close();
      nvml.close();
    }
  }

  /**
   * Simulated GPUs, for machines without an NVIDIA driver: every round, each GPU reports the given
   * percent give or take a few points (a fixed pattern), at the clock's time. Not a measurement of
   * anything, and labelled as such.
   */
  final class Simulated implements GpuReadings, GpuSampleSource {
    private static final int[] SPREAD = {0, 2, -1, 3, -2, 1, -3, 0};

    private final Clock clock;
    private final int gpus;
    private final String why;
    private final Set<Listener> listeners = new CopyOnWriteArraySet<>();
    private volatile List<GpuSample> latest = List.of();

    Simulated(Clock clock, int gpus, String whyNotMeasured) {
      this.clock = clock;
      this.gpus = gpus;
      this.why = whyNotMeasured;
    }

    @Override
    public String description() {
      return "SIMULATED: " + gpus + " GPUs with a made-up utilization profile, because NVML is unavailable ("
          + why + ")";
    }

    @Override
    public GpuSampleSource source() {
      return this;
    }

    @Override
    public boolean isSimulated() {
      return true;
    }

    @Override
    public void sample(int percent) {
      long now = clock.wallTimeMillis();
      List<GpuSample> round = new ArrayList<>(gpus);
      for (int i = 0; i < gpus; i++) {
        int p = Math.max(0, Math.min(100, percent + SPREAD[i % SPREAD.length]));
        round.add(GpuSample.builder(i, String.format("GPU-simulated-%02d", i), now).gpuUtilization(p).build());
      }
      latest = List.copyOf(round);
      listeners.forEach(l -> l.onSamples(latest));
    }

    @Override
    public List<GpuSample> latest() {
      return latest;
    }

    @Override
    public void addListener(Listener l) {
      if (l == null) {
        throw new NullPointerException("listener");
      }
      listeners.add(l);
    }

    @Override
    public void removeListener(Listener l) {
      listeners.remove(l);
    }

    @Override
    public void close() {
      listeners.clear();
    }
  }
}
