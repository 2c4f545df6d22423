package dev.finops.benchmarks;

import dev.finops.advisor.EndpointAdvice;
import dev.finops.advisor.EndpointAdvisor;
import dev.finops.advisor.RequestLog;
import dev.finops.core.catalog.PriceCatalog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/**
 * Times {@code advise endpoint} on a day of 20,000 requests: writes the CSV once (if FILE does not exist),
 * then reads and advises it {@code runs} times in this JVM. The command line's own time, JVM start
 * included, is measured with {@code time java -jar finops.jar advise endpoint ...} (benchmarks/README.md).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.finops.benchmarks.AdviseEndpointTiming FILE [runs]</pre>
 */
public final class AdviseEndpointTiming {

  private AdviseEndpointTiming() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : "requests-20k.csv");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    if (!Files.exists(file)) {
      write(file, 20_000);
    }
    PriceCatalog catalog = PriceCatalog.bundled();
    for (int run = 1; run <= runs; run++) {
      long t = System.nanoTime();
      RequestLog log = RequestLog.read(file, RequestLog.Columns.DEFAULTS);
      EndpointAdvice advice = EndpointAdvisor.builder(catalog.gpuInstances(),
              catalog.findGpuInstance("aws", "us-east-1", "g6.xlarge"))
          .currentReplicas(4).outputTokensPerSecond(new BigDecimal("60")).quantized(new BigDecimal("1.6"))
          .whatIf("g5.xlarge", new BigDecimal("1.2")).batching(new BigDecimal("1.5"), 50, 32).build().advise(log);
      System.out.printf("run %d: %d requests, %d recommendations, saving %s USD/month, %.3f s%n", run, log.size(),
          advice.recommendations().size(), advice.totalMonthlySaving().amount(2), (System.nanoTime() - t) / 1e9);
    }
  }

  /** 20,000 requests in a day: 95 % between 08:00 and 20:00 UTC, the rest at any time. */
  static void write(Path file, int requests) throws IOException {
    Random random = new Random(1);
    long start = Instant.parse("2026-11-02T00:00:00Z").getEpochSecond();
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("timestamp,input_tokens,output_tokens\n");
      for (int i = 0; i < requests; i++) {
        long second = random.nextInt(20) == 0 ? random.nextInt(86_400) : 8 * 3600 + random.nextInt(12 * 3600);
        w.write(Instant.ofEpochSecond(start + second) + "," + (200 + random.nextInt(2000)) + ","
            + (50 + random.nextInt(400)) + "\n");
      }
    }
  }
}
