package dev.finops.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * Runs the {@code @Benchmark} methods of a JMH state class on one thread and reports <b>thread CPU
 * time</b> per call, for a machine shared with other work: JMH measures wall-clock time, which a
 * crowded run queue inflates by whatever time the thread spends waiting for a CPU. CPU time leaves that
 * out (not the caches other processes evict). For each method: {@code warmup} seconds of calls, then
 * {@code iterations} batches of about one CPU-second each; reported are the median and the minimum
 * batch, in ns per call. No forks, no JMH blackhole (the results are counted into a volatile field).
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.finops.benchmarks.CpuTimeRun \
 *     dev.finops.benchmarks.LangChain4jListenerBenchmark 3 5
 * }</pre>
 */
public final class CpuTimeRun {
  private static volatile int sink;

  private CpuTimeRun() {}

  public static void main(String[] args) throws Exception {
    Class<?> type = Class.forName(args[0]);
    int warmupSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<Method> benchmarks = new ArrayList<>();
    for (Method m : type.getMethods()) {
      if (m.isAnnotationPresent(Benchmark.class)) {
        benchmarks.add(m);
      }
    }
    benchmarks.sort((a, b) -> a.getName().compareTo(b.getName()));
    System.out.printf("%-34s %12s %12s%n", "benchmark (thread CPU time)", "median ns", "min ns");
    for (Method m : benchmarks) {
      Object state = type.getConstructor().newInstance();
      for (Method s : type.getMethods()) {
        if (s.isAnnotationPresent(Setup.class)) {
          s.invoke(state);
        }
      }
      run(threads, state, m, warmupSeconds * 1_000_000_000L);
      double[] perCall = new double[iterations];
      for (int i = 0; i < iterations; i++) {
        perCall[i] = run(threads, state, m, 1_000_000_000L);
      }
      Arrays.sort(perCall);
      System.out.printf("%-34s %12.1f %12.1f%n", type.getSimpleName() + "." + m.getName(),
          perCall[iterations / 2], perCall[0]);
    }
  }

  /** Calls {@code m} in batches until {@code cpuNanos} of this thread's CPU time is spent; ns per call. */
  private static double run(ThreadMXBean threads, Object state, Method m, long cpuNanos) throws Exception {
    long start = threads.getCurrentThreadCpuTime();
    long calls = 0;
    long spent;
    do {
      int h = 0;
      for (int i = 0; i < 10_000; i++) {
        h += m.invoke(state) != null ? 1 : 0;
      }
      sink += h;
      calls += 10_000;
      spent = threads.getCurrentThreadCpuTime() - start;
    } while (spent < cpuNanos);
    return (double) spent / calls;
  }
}
