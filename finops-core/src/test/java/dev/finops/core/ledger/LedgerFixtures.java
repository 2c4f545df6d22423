package dev.finops.core.ledger;

import dev.finops.core.Clock;
import dev.finops.core.ManualClock;
import dev.finops.core.Tags;
import dev.finops.core.TestCatalogs;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.UnknownModelPolicy;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Small catalogs, clocks and ledgers shared by the ledger and training tests.
 *
 * <pre>
 * token catalog "t" version "1", provider "p", prices per 1M tokens (request: per request)
 *   m1: input 2.50, output 10.00 (cache reads/writes fall back to input, reasoning to output)
 *   m2: input 3.00, cache_read 0.30, cache_write_5m 3.75, cache_write_1h 6.1234567,
 *       output 15.00, reasoning 12.345678, request 0.0004
 *
 * GPU catalog "gpu" version "1", prices per instance-hour (per GPU-hour on prem)
 *   aws us-east-1 p4d.24xlarge, 8 GPUs: on_demand 32.00 (4.00/GPU-h), spot 12.00 (1.50/GPU-h)
 *   on prem "onprem-dgx", 8 GPUs: 1.90 per GPU-hour, energy 0.12 per kWh
 * </pre>
 */
public final class LedgerFixtures {

  /** A Monday, 10:00 UTC. */
  public static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  public static final String PROVIDER = "p";
  public static final String INSTANCE = "p4d.24xlarge";
  public static final String ON_PREM = "onprem-dgx";

  private LedgerFixtures() {}

  /** The declared m2 prices (see the class comment). */
  public static BucketPrices m2Prices() {
    Map<UsageBucket, BigDecimal> m = new EnumMap<>(UsageBucket.class);
    m.put(UsageBucket.INPUT_UNCACHED, new BigDecimal("3.00"));
    m.put(UsageBucket.CACHE_READ, new BigDecimal("0.30"));
    m.put(UsageBucket.CACHE_WRITE_5M, new BigDecimal("3.75"));
    m.put(UsageBucket.CACHE_WRITE_1H, new BigDecimal("6.1234567"));
    m.put(UsageBucket.OUTPUT, new BigDecimal("15.00"));
    m.put(UsageBucket.OUTPUT_REASONING, new BigDecimal("12.345678"));
    m.put(UsageBucket.REQUESTS, new BigDecimal("0.0004"));
    return BucketPrices.of(m);
  }

  /** The token catalog of the class comment. */
  public static PriceCatalog tokenCatalog() {
    return PriceCatalog.builder("t", "1")
        .addModel(PROVIDER, "m1", BucketPrices.ofTokens("2.50", "10.00"))
        .addModel(PROVIDER, "m2", m2Prices())
        .build();
  }

  /** The GPU catalog of the class comment, as catalog JSON (docs/catalog-format.md). */
  public static PriceCatalog gpuCatalog() {
    return PriceCatalog.parse("gpu.json", """
        { "format_version": 1, "catalog_version": "1", "currency": "USD",
          "gpu_instances": [
            { "provider": "aws", "region": "us-east-1", "instance_type": "p4d.24xlarge",
              "accelerator": "A100-40GB", "gpus": 8, "source": "test",
              "versions": [ { "valid_from": "2025-01-01", "on_demand_hourly": "32.00", "spot_hourly": "12.00" } ] }
          ],
          "on_prem_gpus": [
            { "id": "onprem-dgx", "accelerator": "H100-80GB", "gpus": 8, "source": "test",
              "versions": [ { "valid_from": "2025-01-01", "amortized_gpu_hourly": "1.90", "energy_per_kwh": "0.12" } ] }
          ] }
        """);
  }

  /** A pricing engine over the given catalogs only (no bundled catalog), failing on unknown models. */
  public static Pricing pricing(PriceCatalog... catalogs) {
    return TestCatalogs.pricing(UnknownModelPolicy.FAIL, catalogs);
  }

  /** A clock at {@link #T0}. */
  public static ManualClock clock() {
    return ManualClock.at(T0);
  }

  public static Ledger ledger(Clock clock) {
    return Ledger.builder().clock(clock).build();
  }

  public static Tags tags(String team, String model) {
    return Tags.builder().team(team).model(model).build();
  }

  /** Uncached input and output tokens. */
  public static Usage tokens(long input, long output) {
    return Usage.ofTokens(input, output);
  }

  /**
   * Runs each task on its own thread, all released together by a start gate, and returns their
   * results in order; a task's exception fails the call.
   */
  public static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CountDownLatch startGate = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(() -> {
          startGate.await();
          return task.call();
        }));
      }
      startGate.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
