package dev.finops.benchmarks;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
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
 * The NVML binding against the fake {@code libnvidia-ml.so.1} of finops-gpu-nvml's tests ({@link
 * FakeNvmlFiles}, scripted with 8 GPUs), so the native side costs the same in every run and no GPU
 * is needed.
 *
 * <ul>
 *   <li>{@code sampleEightGpusOneCrossing}: one JNI crossing that reads 6 NVML calls × 8 devices into
 *       a {@code long[]} — target at most 5 µs/op;
 *   <li>{@code sessionSampleEightGpus}: the same plus building the 8 {@link GpuSample}s (no processes);
 *   <li>{@code jniPowerUsage} vs {@code jnaDirectPowerUsage} / {@code jnaInterfacePowerUsage}: one
 *       call of the same fake {@code nvmlDeviceGetPowerUsage} through JNI and through JNA 5 (direct
 *       and interface mapping) — target: JNI at least 5× cheaper per call.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class NvmlBenchmark {

  static final int GPUS = 8;

  /** JNA direct mapping ({@code Native.register}), the faster JNA style. */
  public static final class JnaDirect {
    static native int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts);
  }

  /** JNA interface mapping (a proxy per call). */
  public interface JnaNvml extends Library {
    int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts);
  }

  private FakeNvmlFiles fake;
  private NvmlSession session;
  private long[] handles;
  private long[] buffer;
  private Pointer device0;
  private IntByReference milliwatts;
  private JnaNvml jna;

  @Setup
  public void setUp() throws IOException {
    fake = new FakeNvmlFiles("count = " + GPUS + "\n");
    session = Nvml.builder().library(fake.library).processes(false).open();
    handles = FakeNvmlFiles.deviceHandles(GPUS);
    buffer = new long[GPUS * NvmlNative.STRIDE];
    NativeLibrary jnaLib = NativeLibrary.getInstance(fake.library.toString()); // dlopen of the same file: same fake
    Native.register(JnaDirect.class, jnaLib);
    jna = Native.load(fake.library.toString(), JnaNvml.class);
    device0 = new Pointer(handles[0]);
    milliwatts = new IntByReference();
    if (jniPowerUsage() != jnaDirectPowerUsage() || jnaDirectPowerUsage() != jnaInterfacePowerUsage()) {
      throw new IllegalStateException("JNI and JNA disagree");
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    session.close();
    fake.close();
  }

  @Benchmark
  public long sampleEightGpusOneCrossing() {
    NvmlNative.sample(handles, GPUS, buffer);
    return buffer[NvmlNative.S_GPU_UTIL];
  }

  @Benchmark
  public List<GpuSample> sessionSampleEightGpus() {
    return session.sample(1_767_225_600_000L);
  }

  @Benchmark
  public long jniPowerUsage() {
    return NvmlNative.powerUsage(handles[0]) & 0xFFFF_FFFFL;
  }

  @Benchmark
  public long jnaDirectPowerUsage() {
    JnaDirect.nvmlDeviceGetPowerUsage(device0, milliwatts);
    return milliwatts.getValue();
  }

  @Benchmark
  public long jnaInterfacePowerUsage() {
    jna.nvmlDeviceGetPowerUsage(device0, milliwatts);
    return milliwatts.getValue();
  }
}
