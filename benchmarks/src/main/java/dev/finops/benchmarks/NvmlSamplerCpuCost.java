package dev.finops.benchmarks;

import dev.finops.nvml.GpuSampler;
import dev.finops.nvml.Nvml;
import dev.finops.nvml.NvmlSession;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * The CPU the {@link GpuSampler} thread costs at 1 Hz over 8 fake GPUs, with per-process data on:
 * the thread's CPU time (ThreadMXBean) over a wall-clock window. Target: at most 0.1% of one core.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.finops.benchmarks.NvmlSamplerCpuCost [SECONDS (30)]
 * </pre>
 */
public final class NvmlSamplerCpuCost {

  private NvmlSamplerCpuCost() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    String script = "count = 8\ngpu.*.processes = self:30:5:8589934592 4242:10:2:4294967296\n";
    try (FakeNvmlFiles fake = new FakeNvmlFiles(script);
        NvmlSession nvml = Nvml.open(fake.library);
        GpuSampler sampler = GpuSampler.builder(nvml).period(Duration.ofSeconds(1)).build()) {
      long wallStart = System.nanoTime();
      sampler.start();
      Thread.sleep(seconds * 1000L);
      long wall = System.nanoTime() - wallStart;
      long cpu = -1;
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals(GpuSampler.THREAD_NAME)) {
          cpu = mx.getThreadCpuTime(t.getId());
        }
      }
      if (cpu < 0) {
        throw new IllegalStateException("no " + GpuSampler.THREAD_NAME + " thread, or no thread CPU time here");
      }
      long rounds = sampler.rounds();
      System.out.printf("sampler at 1 Hz, 8 fake GPUs with processes: %d rounds in %.1f s wall, %.3f ms CPU "
          + "(%.1f us a round): %.4f%% of one core (target <= 0.1%%)%n", rounds, wall / 1e9, cpu / 1e6,
          cpu / 1e3 / Math.max(1, rounds), 100.0 * cpu / wall);
    }
  }
}
