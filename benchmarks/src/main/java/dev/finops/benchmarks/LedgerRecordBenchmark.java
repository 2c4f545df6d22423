package dev.finops.benchmarks;

import dev.finops.core.Clock;
import dev.finops.core.Tags;
import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.core.ledger.Account;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.pricing.Pricing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.math.BigDecimal;
import java.util.concurrent.ConcurrentHashMap;
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
 * Recording one priced request, against baselines in the same run. Run with {@code -t 1} and {@code
 * -t 2}: all threads record to the same account (the contended case).
 *
 * <ul>
 *   <li>{@code finopsRecord}: a bound account and a bound model price a 3-bucket usage and add its
 *       quantities, on a ledger as {@code Ledger.builder().build()} makes it (the default clock, {@code
 *       Clock.shared()}). Targets: no slower than {@code otelCounterAdd} on one thread, at most 0.2× its
 *       time on two, 0 B/op under {@code -prof gc}.
 *   <li>{@code finopsRecordSystemClock}: the same on a ledger with {@code Clock.system()} (a system
 *       call per record).
 *   <li>{@code finopsRecordAt}: the same with the request's time passed in (no clock read).
 *   <li>{@code clockRead}: one read of the system clock, the difference the system clock makes.
 *   <li>{@code finopsRecordTags}: the same with the tags resolved on every call.
 *   <li>{@code otelCounterAdd}: OpenTelemetry SDK {@code LongCounter.add} with 3 prebuilt attributes.
 *   <li>{@code naiveMapBigDecimal}: {@code ConcurrentHashMap<String, BigDecimal>.merge} of the cost.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class LedgerRecordBenchmark {

  private Ledger ledger;
  private Account account;
  private Account systemClockAccount;
  private BoundModel model;
  private Usage usage;
  private Tags tags;
  private Clock clock;
  private long at;

  private SdkMeterProvider meterProvider;
  private LongCounter counter;
  private Attributes attributes;

  private ConcurrentHashMap<String, BigDecimal> naive;
  private BigDecimal naiveCost;

  @Setup
  public void setUp() {
    Pricing pricing = Pricing.bundled();
    clock = Clock.system();
    at = clock.wallTimeMillis();
    ledger = Ledger.builder().build();
    tags = Tags.builder().team("nlp").project("search").model("gpt-4o").build();
    account = ledger.account(tags);
    systemClockAccount = Ledger.builder().clock(clock).build().account(tags);
    model = pricing.bind("openai", "gpt-4o");
    usage = TokenConventions.fromInclusive(3_000, 500, 2_000, 0, 0);

    meterProvider = SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build();
    counter = meterProvider.get("bench").counterBuilder("cost").setUnit("{pico_usd}").build();
    attributes = Attributes.of(AttributeKey.stringKey("team"), "nlp", AttributeKey.stringKey("project"), "search",
        AttributeKey.stringKey("model"), "gpt-4o");

    naive = new ConcurrentHashMap<>();
    naiveCost = new BigDecimal("0.00625");
  }

  @TearDown
  public void tearDown() {
    meterProvider.close();
  }

  @Benchmark
  public void finopsRecord() {
    account.record(model, usage);
  }

  /** As finopsRecord on a ledger whose clock is {@code Clock.system()}. */
  @Benchmark
  public void finopsRecordSystemClock() {
    systemClockAccount.record(model, usage);
  }

  /** As finopsRecord with the request time passed in rather than read from the clock. */
  @Benchmark
  public void finopsRecordAt() {
    account.record(model, usage, at);
  }

  /** Reading the wall clock alone, to show its share of finopsRecord. */
  @Benchmark
  public long clockRead() {
    return clock.wallTimeMillis();
  }

  @Benchmark
  public void finopsRecordTags() {
    ledger.account(tags).record(model, usage);
  }

  @Benchmark
  public void otelCounterAdd() {
    counter.add(6_250_000_000L, attributes);
  }

  @Benchmark
  public void naiveMapBigDecimal() {
    naive.merge("team=nlp,project=search,model=gpt-4o", naiveCost, BigDecimal::add);
  }
}
