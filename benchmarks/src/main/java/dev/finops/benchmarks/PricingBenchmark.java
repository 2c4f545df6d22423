package dev.finops.benchmarks;

import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.UnknownModelException;
import dev.finops.core.pricing.UnknownModelPolicy;
import java.time.Instant;
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
 * Pricing one request by its raw, dated model name on the bundled catalog: resolution through the
 * Caffeine cache (a pattern match on the first call), the effective-dated version, the long-context
 * tier check and three buckets (uncached input, cache read, output). Targets: at most 150 ns/op and
 * at most 2 allocations per op; the resolution cache hit at most 30 ns/op; a name no catalog knows,
 * asked again after its first miss, at most 2 µs (the miss is remembered: no scan of every model).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class PricingBenchmark {

  private Pricing pricing;
  private Pricing unpricedPolicy;
  private Usage usage;
  private long at;

  @Setup
  public void setUp() {
    pricing = Pricing.bundled();
    // OpenTelemetry GenAI counts: 3,000 input of which 2,000 cache reads, 500 output.
    usage = TokenConventions.fromInclusive(3_000, 500, 2_000, 0, 0);
    at = Instant.parse("2026-11-01T12:00:00Z").toEpochMilli();
    pricing.price(null, "gpt-4o-2024-08-06", usage, at); // fails fast if the catalog lacks the model
    pricing.price(null, "claude-sonnet-4-5-20250929", usage, at);
    unpricedPolicy = Pricing.builder().unknownModelPolicy(UnknownModelPolicy.RECORD_UNPRICED).build();
    unpricedPolicy.price(null, UNKNOWN, usage, at); // the first miss: the closest names are worked out here
  }

  /** A name no catalog prices (a typo of a real one, so the closest-name search has work to do). */
  static final String UNKNOWN = "gpt-4o-2024-08-07-preveiw";

  /** An unknown name after its first miss, under {@code RECORD_UNPRICED}: an unpriced result, counted. */
  @Benchmark
  public PricedUsage priceUnknownAfterFirstMiss() {
    return unpricedPolicy.price(null, UNKNOWN, usage, at);
  }

  /** The same under the default policy, {@code FAIL}: the exception, with the closest names, caught. */
  @Benchmark
  public Object priceUnknownAfterFirstMissThrows() {
    try {
      return pricing.price(null, UNKNOWN, usage, at);
    } catch (UnknownModelException e) {
      return e;
    }
  }

  /** A dated OpenAI snapshot name, matched by pattern (cached). */
  @Benchmark
  public PricedUsage priceDatedOpenAiName() {
    return pricing.price(null, "gpt-4o-2024-08-06", usage, at);
  }

  /** A dated Anthropic name on a model with a long-context tier. */
  @Benchmark
  public PricedUsage priceDatedAnthropicNameWithTiers() {
    return pricing.price(null, "claude-sonnet-4-5-20250929", usage, at);
  }

  /** The resolution cache hit alone. */
  @Benchmark
  public Object resolveCacheHit() {
    return pricing.resolve(null, "gpt-4o-2024-08-06");
  }

  /** The exact total of a priced usage, as a reporter reads it. */
  @Benchmark
  public long priceAndReadTotalPico() {
    return pricing.price(null, "gpt-4o-2024-08-06", usage, at).totalPico();
  }
}
