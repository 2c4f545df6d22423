package dev.finops.benchmarks;

import dev.finops.advisor.GpuSeries;
import dev.finops.advisor.UtilizationAdvice;
import dev.finops.advisor.UtilizationAdvisor;
import dev.finops.advisor.UtilizationColumns;
import dev.finops.advisor.UtilizationReader;
import dev.finops.core.catalog.PriceCatalog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Times {@code advise utilization} on 30 days × 64 GPUs of per-minute samples (2,764,800 rows): writes the
 * CSV once (if FILE does not exist), then reads and advises it {@code runs} times in this JVM and prints
 * each run's wall time and the heap's peak use. Run it with {@code -Xmx1g} to hold it to 1 GB:
 *
 * <pre>java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.finops.benchmarks.AdviseUtilizationTiming FILE [runs]</pre>
 */
public final class AdviseUtilizationTiming {

  private AdviseUtilizationTiming() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : "utilization-30d-64gpu.csv");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    if (!Files.exists(file)) {
      long t = System.nanoTime();
      long rows = write(file, 30, 64);
      System.out.printf("wrote %,d rows to %s in %.1f s%n", rows, file, (System.nanoTime() - t) / 1e9);
    }
    PriceCatalog catalog = PriceCatalog.bundled();
    for (int run = 1; run <= runs; run++) {
      long t = System.nanoTime();
      List<GpuSeries> series = UtilizationReader.read(file, UtilizationColumns.DEFAULTS);
      UtilizationAdvice advice = UtilizationAdvisor.builder(catalog, catalog.findGpuInstance("aws", "us-east-1",
          "p4d.24xlarge")).build().advise(series);
      double seconds = (System.nanoTime() - t) / 1e9;
      System.out.printf("run %d: %d GPUs, %d recommendations, saving %s USD/month, %.2f s%n", run,
          advice.gpus().size(), advice.recommendations().size(), advice.totalMonthlySaving().amount(2), seconds);
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf("heap: max %d MiB, peak used (sum of pools' peaks) %d MiB%n",
        Runtime.getRuntime().maxMemory() >> 20, peak >> 20);
  }

  /** 64 GPUs: a quarter idle, a quarter light (mergeable), half busy with a daily cycle. */
  static long write(Path file, int days, int gpus) throws IOException {
    Random random = new Random(1);
    long start = Instant.parse("2026-10-01T00:00:00Z").getEpochSecond();
    long rows = 0;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("timestamp,gpu,utilization,memory_used_mib,memory_total_mib,power_w,job,team\n");
      StringBuilder line = new StringBuilder(96);
      for (int minute = 0; minute < days * 1440; minute++) {
        String ts = Instant.ofEpochSecond(start + minute * 60L).toString();
        double daily = 0.5 + 0.5 * Math.sin(2 * Math.PI * (minute % 1440) / 1440.0);
        for (int g = 0; g < gpus; g++) {
          double util;
          int mem;
          if (g % 4 == 0) {
            util = random.nextInt(3);
            mem = 400;
          } else if (g % 4 == 1) {
            util = 5 + random.nextInt(10);
            mem = 3000 + random.nextInt(2000);
          } else {
            util = Math.min(100, 40 + 50 * daily + random.nextInt(10));
            mem = 25000 + random.nextInt(5000);
          }
          line.setLength(0);
          line.append(ts).append(",gpu-").append(g).append(',').append(util).append(',').append(mem)
              .append(",40960,").append(60 + (int) (util * 3)).append(",job-").append(g / 2).append(",team-")
              .append(g % 3).append('\n');
          w.write(line.toString());
          rows++;
        }
      }
    }
    return rows;
  }
}
