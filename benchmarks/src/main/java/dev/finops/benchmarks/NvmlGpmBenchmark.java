package dev.finops.benchmarks;

import dev.finops.core.gpu.GpuSample;
import dev.finops.nvml.Nvml;
import dev.finops.nvml.NvmlSession;
import dev.finops.nvml.internal.NvmlNative;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * NVML GPM (issue 17) against the fake {@code libnvidia-ml.so.1} scripted with 8 GPUs that have GPM:
 *
 * <ul>
 *   <li>{@code gpmSampleEightGpusOneCrossing}: one JNI crossing that, for each of 8 GPUs, takes a GPM
 *       sample (nvmlGpmSampleGet) and gets 6 metrics over the interval since the previous one
 *       (nvmlGpmMetricsGet) into a {@code long[]} — target at most 5 µs/op;
 *   <li>{@code sessionSampleEightGpusWithGpm}: a whole {@link NvmlSession#sample} of the 8 GPUs (the
 *       6 NVML readings and the GPM reading, two crossings) building the 8 {@link GpuSample}s.
 * </ul>
 *
 * The fake's calls cost next to nothing, so this measures the binding: the crossing, the struct
 * set-up and the copying, not the driver (a real driver's nvmlGpmSampleGet reads counters over
 * the bus and costs more).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class NvmlGpmBenchmark {

  static final int GPUS = 8;

  private FakeNvmlFiles fake;
  private NvmlSession session;
  private long[] targets;
  private long[] buffer;

  @Setup
  public void setUp() throws IOException {
    fake = new FakeNvmlFiles("count = " + GPUS + "\ngpu.*.gpm = 1\n");
    session = Nvml.builder().library(fake.library).processes(false).open();
    if (!session.devices().stream().allMatch(d -> d.hasGpm())) {
      throw new IllegalStateException("the fake GPUs have no GPM: " + session.devices());
    }
    targets = new long[GPUS];
    long[] handles = FakeNvmlFiles.deviceHandles(GPUS);
    int[] rc = new int[1];
    for (int i = 0; i < GPUS; i++) {
      targets[i] = NvmlNative.gpmOpen(handles[i], -1, rc);
      if (targets[i] == 0) {
        throw new IllegalStateException("gpmOpen answered " + rc[0]);
      }
    }
    buffer = new long[GPUS * NvmlNative.G_STRIDE];
    gpmSampleEightGpusOneCrossing(); // the first sample: every later one has an interval
    if (gpmSampleEightGpusOneCrossing() != NvmlNative.NVML_SUCCESS
        || buffer[NvmlNative.G_FIRST_METRIC + 1] != 3_550) {
      throw new IllegalStateException("GPM did not read the fake's 35.5% SM activity");
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    for (long t : targets) {
      NvmlNative.gpmClose(t);
    }
    session.close();
    fake.close();
  }

  @Benchmark
  public long gpmSampleEightGpusOneCrossing() {
    NvmlNative.gpmSample(targets, GPUS, buffer);
    return buffer[NvmlNative.G_METRICS_RC];
  }

  @Benchmark
  public List<GpuSample> sessionSampleEightGpusWithGpm() {
    return session.sample(1_767_225_600_000L);
  }
}
