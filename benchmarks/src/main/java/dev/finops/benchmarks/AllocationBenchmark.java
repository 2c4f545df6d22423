package dev.finops.benchmarks;

import dev.finops.core.Money;
import dev.finops.core.allocation.GpuFraction;
import dev.finops.core.allocation.IdlePolicy;
import dev.finops.core.allocation.SharedAsset;
import dev.finops.core.allocation.SharedCostAllocation;
import dev.finops.core.allocation.SharedCostAllocator;
import dev.finops.core.allocation.Split;
import dev.finops.core.allocation.UsageRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Allocating a shared GPU cluster's day among its tenants: 1,000,000 usage records of 10,000 tenants
 * (whole GPUs, MIG slices of 1/7 and 3/7, time-sliced quarters; most with a measured utilization),
 * added up per tenant, split exactly and idle placed, every column apportioned to the pico-unit.
 * Targets: at most 1 s per allocation on one core, in a 200 MB heap (the fork runs with {@code
 * -Xmx200m -XX:ActiveProcessorCount=1}; the records themselves take about 60 MB of it).
 *
 * <ul>
 *   <li>{@code gpuTimeIdleSeparate}: in proportion to GPU time, idle on its own line;
 *   <li>{@code utilizedGpuTimeIdleShared}: in proportion to utilized GPU time, idle shared (two
 *       splits over the tenants);
 *   <li>{@code tokensNoCapacity}: in proportion to tokens, nothing idle.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar AllocationBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms200m", "-Xmx200m", "-XX:ActiveProcessorCount=1"})
@State(Scope.Benchmark)
public class AllocationBenchmark {

  static final int RECORDS = 1_000_000;
  static final int TENANTS = 10_000;
  static final Instant START = Instant.parse("2026-11-02T00:00:00Z");

  private List<UsageRecord> records;
  private SharedAsset cluster;
  private SharedAsset bill;
  private SharedCostAllocator byGpuTime;
  private SharedCostAllocator byUtilizedGpuTime;
  private SharedCostAllocator byTokens;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    String[] tenants = new String[TENANTS];
    for (int i = 0; i < TENANTS; i++) {
      tenants[i] = "tenant-" + i;
    }
    GpuFraction[] fractions = {GpuFraction.WHOLE, GpuFraction.WHOLE, GpuFraction.mig("1g.10gb"),
        GpuFraction.mig("3g.40gb"), GpuFraction.timeSlice(4)};
    records = new ArrayList<>(RECORDS);
    long usedMillis = 0;
    for (int i = 0; i < RECORDS; i++) {
      long millis = random.nextLong(1_000, 600_000); // up to 10 GPU-minutes a record
      usedMillis += millis;
      UsageRecord.Builder b = UsageRecord.builder(tenants[random.nextInt(TENANTS)])
          .gpuMillis(millis)
          .fraction(fractions[random.nextInt(fractions.length)])
          .tokens(random.nextLong(0, 50_000))
          .requests(random.nextInt(1, 20));
      if (random.nextInt(4) > 0) {
        b.utilizationBasisPoints(random.nextInt(0, 10_001));
      }
      records.add(b.build());
    }
    Instant end = START.plusSeconds(86_400);
    cluster = SharedAsset.builder("cluster-a", Money.usd("98321.77")).window(START, end)
        .capacityGpuMillis(usedMillis + usedMillis / 3).build();
    bill = SharedAsset.builder("endpoint-bill", Money.usd("12345.678901")).window(START, end).build();
    byGpuTime = SharedCostAllocator.builder().split(Split.proportional(Split.Metric.GPU_TIME))
        .idle(IdlePolicy.SEPARATE).build();
    byUtilizedGpuTime = SharedCostAllocator.builder().split(Split.proportional(Split.Metric.UTILIZED_GPU_TIME))
        .idle(IdlePolicy.SHARE).build();
    byTokens = SharedCostAllocator.builder().split(Split.proportional(Split.Metric.TOKENS)).build();
    check(byGpuTime.allocate(cluster, records));
  }

  private static void check(SharedCostAllocation a) {
    if (!a.isConserved() || a.lines().size() < TENANTS) {
      throw new IllegalStateException("allocation does not conserve: " + a);
    }
  }

  @Benchmark
  public SharedCostAllocation gpuTimeIdleSeparate() {
    return byGpuTime.allocate(cluster, records);
  }

  @Benchmark
  public SharedCostAllocation utilizedGpuTimeIdleShared() {
    return byUtilizedGpuTime.allocate(cluster, records);
  }

  @Benchmark
  public SharedCostAllocation tokensNoCapacity() {
    return byTokens.allocate(bill, records);
  }
}
