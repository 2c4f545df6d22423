package dev.finops.benchmarks;

import dev.finops.budget.redis.RedisBudgetStore;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetScope;
import dev.finops.core.budget.Reservation;
import io.lettuce.core.RedisURI;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reserve + settle throughput and latency of {@link RedisBudgetStore} against a running Redis, from 1 or
 * more JVM processes (this class starts them) × threads, all on one team budget (a lifetime and a daily
 * window, so each reservation's script touches two counters). Each process warms up, then measures; the
 * parent adds the processes' throughputs and reports each process's latency percentiles (one reserve +
 * one settle: two round trips and two scripts without leases) and the Redis commands (round trips) the
 * store sent per reserve + settle in the measured phase ({@code RedisBudgetStore.Stats.commands()}:
 * heartbeats, flushes and lease growths included).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.finops.benchmarks.RedisBudgetThroughput redis://127.0.0.1:6379 2 4 10 0.01</pre>
 *
 * Arguments: Redis URI, processes, threads per process, measured seconds (3 s of warm-up come first), and
 * optionally a lease fraction (leases of that fraction of the limit; none without it).
 */
public final class RedisBudgetThroughput {
  private RedisBudgetThroughput() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("worker")) {
      worker(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), args.length > 5 ? args[5] : null);
      return;
    }
    String uri = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
    int processes = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    String lease = args.length > 4 ? args[4] : null;
    String tag = "bench-" + UUID.randomUUID();
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), RedisBudgetThroughput.class.getName(), "worker", uri, tag,
          Integer.toString(threads), Integer.toString(seconds)));
      if (lease != null) {
        cmd.add(lease);
      }
      ps.add(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }
    double totalPerSecond = 0; // reserve+settle operations a second, all processes (a rate, not money)
    for (int i = 0; i < processes; i++) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(ps.get(i).getInputStream()))) {
        for (String line; (line = r.readLine()) != null;) {
          if (line.startsWith("RESULT ")) {
            String[] f = line.split(" ");
            totalPerSecond += Double.parseDouble(f[1]);
            System.out.printf("process %d: %s reserve+settle/s, latency p50 %s µs, p99 %s µs, p99.9 %s µs, "
                + "%s Redis commands per reserve+settle%n", i, f[1], f[2], f[3], f[4], f[5]);
          } else if (!line.contains("SLF4J")) {
            System.out.println("process " + i + ": " + line);
          }
        }
      }
      ps.get(i).waitFor();
    }
    System.out.printf("total: %d process(es) × %d thread(s)%s: %.0f reserve+settle/s%n", processes, threads,
        lease == null ? "" : ", leases of " + lease, totalPerSecond);
  }

  private static void worker(String uri, String tag, int threads, int seconds, String lease) throws Exception {
    RedisBudgetStore.Builder builder = RedisBudgetStore.builder(RedisURI.create(uri)).tag(tag);
    if (lease != null) {
      builder.leases(new java.math.BigDecimal(lease));
    }
    try (RedisBudgetStore store = builder.build()) {
      BudgetManager budgets = BudgetManager.builder().store(store).build();
      budgets.add(Budget.forTeam("bench").window(dev.finops.core.budget.Window.lifetime(), Money.usd("9000000"))
          .daily(java.time.ZoneOffset.UTC, Money.usd("9000000")).build());
      BudgetScope scope = budgets.scope(Tags.of("team", "bench"));
      run(scope, threads, 3, null); // warm-up
      long[][] lat = new long[threads][];
      long commands0 = store.stats().commands();
      long t0 = System.nanoTime();
      long ops = run(scope, threads, seconds, lat);
      double perSecond = ops / ((System.nanoTime() - t0) / 1e9);
      double commandsPerOp = (store.stats().commands() - commands0) / (double) ops;
      long[] all = Arrays.stream(lat).flatMapToLong(Arrays::stream).sorted().toArray();
      System.out.printf("RESULT %.0f %.0f %.0f %.0f %.6f%n", perSecond, pct(all, 0.5), pct(all, 0.99), pct(all, 0.999),
          commandsPerOp);
    }
  }

  private static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)] / 1000.0;
  }

  private static long run(BudgetScope scope, int threads, int seconds, long[][] lat) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long[] counts = new long[threads];
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int me = t;
      ts[t] = new Thread(() -> {
        long[] samples = new long[1 << 20];
        int n = 0;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (long now = System.nanoTime(); now < end; ) {
          long amount = 1 + rnd.nextLong(1_000_000_000L);
          Reservation r = scope.reservePico(amount);
          r.settlePico(amount / 2);
          long after = System.nanoTime();
          if (n < samples.length) {
            samples[n++] = after - now;
          }
          now = after;
        }
        counts[me] = n;
        if (lat != null) {
          lat[me] = Arrays.copyOf(samples, n);
        }
      });
      ts[t].start();
    }
    long total = 0;
    for (int t = 0; t < threads; t++) {
      ts[t].join();
      total += counts[t];
    }
    return total;
  }
}
