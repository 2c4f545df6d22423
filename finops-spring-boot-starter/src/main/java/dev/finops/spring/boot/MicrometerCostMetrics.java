package dev.finops.spring.boot;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.otel.CostMetricsListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * finops' metrics on Micrometer, under the names of its OpenTelemetry instruments, so {@code
 * /actuator/prometheus} shows what an OpenTelemetry backend would:
 *
 * <ul>
 *   <li>{@code finops.cost.nanos} (Prometheus {@code finops_cost_nanos_total}): cost in nano-units of
 *       the currency, tags {@code finops.team}, {@code finops.project}, {@code finops.model}, {@code
 *       finops.kind}, {@code finops.currency} (empty when a call has no such tag). Counted in a long per
 *       series with the sub-nano remainder carried, so each series is the exact total rounded down to
 *       the nano-unit; Micrometer reads it as a double, exact while a series stays below 2<sup>53</sup>
 *       nano-units (about 9 million units of the currency).
 *   <li>{@code finops.request.cost}: summary of the cost per priced call, in units of the currency,
 *       the exact amount rounded once to a double.
 *   <li>{@code finops.usage.unpriced}: calls that could not be priced, by team and project.
 *   <li>{@code gen_ai.client.token.usage}: input and output tokens per call, when finops emits it
 *       (not beside Spring AI's own counter of that name, see {@code finops.metrics.token-usage}).
 * </ul>
 *
 * <p>Budget gauges are bound by {@link BudgetGauges}. Thread-safe; series beyond 4,096 are counted
 * without their sub-nano carry.
 */
public final class MicrometerCostMetrics implements CostMetricsListener {
  static final String COST = "finops.cost.nanos";
  static final String REQUEST_COST = "finops.request.cost";
  static final String UNPRICED = "finops.usage.unpriced";
  static final String TOKEN_USAGE = "gen_ai.client.token.usage";

  private static final long PICO_PER_NANO = 1000;
  private static final int MAX_SERIES = 4096;
  private static final double[] COST_BUCKETS = {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0,
    10.0, 50.0, 100.0};
  private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
    4194304, 16777216, 67108864};

  private final MeterRegistry registry;
  private final ConcurrentHashMap<List<String>, Series> series = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<List<String>, DistributionSummary[]> tokens = new ConcurrentHashMap<>();

  public MicrometerCostMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void cost(Tags tags, PricedUsage priced) {
    PriceKey key = priced.priceKey();
    List<String> k = List.of(nz(tags.team()), nz(tags.project()), nz(key.resource()),
        key.kind().name().toLowerCase(Locale.ROOT), key.currency().getCurrencyCode());
    Series s = series.get(k);
    if (s == null) {
      s = series.size() < MAX_SERIES ? series.computeIfAbsent(k, this::newSeries) : newSeries(k);
    }
    long pico = pico(priced);
    if (pico > 0) {
      s.add(pico);
    }
    s.requestCost.record(toDouble(priced));
  }

  @Override
  public void unpriced(Tags tags) {
    Counter.builder(UNPRICED)
        .description("Usage that could not be priced (unknown model, no price at that time)")
        .tag("finops.team", nz(tags.team()))
        .tag("finops.project", nz(tags.project()))
        .register(registry)
        .increment();
  }

  @Override
  public void tokens(String operation, String provider, String requestModel, String responseModel, Usage usage) {
    List<String> k = List.of(operation, nz(provider), nz(requestModel), nz(responseModel));
    DistributionSummary[] s = tokens.get(k);
    if (s == null) {
      s = tokens.size() < MAX_SERIES ? tokens.computeIfAbsent(k, this::newTokens) : newTokens(k);
    }
    s[0].record(usage.inputTokens());
    s[1].record(usage.outputTokens());
  }

  private Series newSeries(List<String> k) {
    List<Tag> t = List.of(Tag.of("finops.team", k.get(0)), Tag.of("finops.project", k.get(1)),
        Tag.of("finops.model", k.get(2)), Tag.of("finops.kind", k.get(3)), Tag.of("finops.currency", k.get(4)));
    Series s = new Series(DistributionSummary.builder(REQUEST_COST)
        .description("Cost per priced request, in units of the currency in finops.currency"
            + " (the exact cost rounded once to a double)")
        .tags(t)
        .serviceLevelObjectives(COST_BUCKETS)
        .register(registry));
    FunctionCounter.builder(COST, s.nanos, AtomicLong::doubleValue)
        .description("Cost in nano-units (10^-9) of the currency in finops.currency; divide by 1e9")
        .tags(t)
        .register(registry);
    return s;
  }

  private DistributionSummary[] newTokens(List<String> k) {
    DistributionSummary[] s = new DistributionSummary[2];
    String[] types = {"input", "output"};
    for (int i = 0; i < 2; i++) {
      s[i] = DistributionSummary.builder(TOKEN_USAGE)
          .description("Number of input and output tokens used")
          .baseUnit("tokens")
          .tag("gen_ai.operation.name", k.get(0))
          .tag("gen_ai.provider.name", k.get(1))
          .tag("gen_ai.request.model", k.get(2))
          .tag("gen_ai.response.model", k.get(3))
          .tag("gen_ai.token.type", types[i])
          .serviceLevelObjectives(TOKEN_BUCKETS)
          .register(registry);
    }
    return s;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /** The total in whole pico-units (exact for fixed-point totals, else rounded HALF_EVEN). */
  static long pico(PricedUsage priced) {
    if (priced.hasFixedPointTotal()) {
      return priced.totalPico();
    }
    return priced.total().toPico(RoundingMode.HALF_EVEN);
  }

  /** The exact total rounded once to a double. */
  static double toDouble(PricedUsage priced) {
    return toDouble(priced.total());
  }

  static double toDouble(Money money) {
    return money.doubleValue();
  }

  /** One cost series: whole nano-units counted, and the pico-units not yet counted (0..999). */
  private static final class Series {
    final AtomicLong nanos = new AtomicLong();
    final AtomicLong remainderPico = new AtomicLong();
    final DistributionSummary requestCost;

    Series(DistributionSummary requestCost) {
      this.requestCost = requestCost;
    }

    void add(long pico) {
      if (pico % PICO_PER_NANO == 0) {
        nanos.addAndGet(pico / PICO_PER_NANO);
        return;
      }
      while (true) {
        long r = remainderPico.get();
        long sum = r + pico;
        if (remainderPico.compareAndSet(r, sum % PICO_PER_NANO)) {
          long whole = sum / PICO_PER_NANO;
          if (whole > 0) {
            nanos.addAndGet(whole);
          }
          return;
        }
      }
    }
  }
}
