package dev.finops.otel;

import static dev.finops.otel.FinOpsAttributes.FINOPS_CURRENCY;
import static dev.finops.otel.FinOpsAttributes.FINOPS_KIND;
import static dev.finops.otel.FinOpsAttributes.FINOPS_MODEL;
import static dev.finops.otel.FinOpsAttributes.FINOPS_PROJECT;
import static dev.finops.otel.FinOpsAttributes.FINOPS_TEAM;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_OPERATION_NAME;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_PROVIDER_NAME;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_REQUEST_MODEL;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_RESPONSE_MODEL;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_TOKEN_TYPE;

import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.PricedUsage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The synchronous instruments (see {@link FinOpsTelemetry} for names, units and attributes), the
 * per-series carry that keeps the nano-unit cost counter from drifting, and the attributes of each
 * series, built once. Thread-safe.
 */
final class CostMetrics {
  static final String COST = "finops.cost.nanos";
  static final String REQUEST_COST = "finops.request.cost";
  static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  static final String UNPRICED = "finops.usage.unpriced";

  /** The bucket boundaries the GenAI conventions recommend for {@code gen_ai.client.token.usage}. */
  static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L,
      1048576L, 4194304L, 16777216L, 67108864L);
  /** Per-request cost buckets, in units of the currency: a hundredth of a cent to a hundred. */
  static final List<Double> COST_BUCKETS = List.of(0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0,
      10.0, 50.0, 100.0);

  private static final long PICO_PER_NANO = 1000;
  /**
   * Series kept with their attributes (and carry) per cache; beyond that (far past the SDK's default
   * cardinality limit of 2,000) attributes are built per record and sub-nano remainders are dropped.
   */
  private static final int MAX_CACHED_SERIES = 4096;

  private final LongCounter cost;
  private final DoubleHistogram requestCost;
  private final LongHistogram tokens;
  private final LongCounter unpriced;
  private final ConcurrentHashMap<SeriesKey, Series> series = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<TokenSeries, Attributes[]> tokenSeries = new ConcurrentHashMap<>();
  private final CostMetricsListener[] listeners;

  CostMetrics(Meter meter, List<CostMetricsListener> listeners) {
    this.listeners = listeners.toArray(new CostMetricsListener[0]);
    this.cost = meter.counterBuilder(COST)
        .setUnit("{nano_currency_unit}")
        .setDescription("Cost in nano-units (10^-9) of the currency in finops.currency; divide by 1e9")
        .build();
    this.requestCost = meter.histogramBuilder(REQUEST_COST)
        .setUnit("{currency_unit}")
        .setDescription("Cost per priced request, in units of the currency in finops.currency"
            + " (the exact cost rounded once to a double)")
        .setExplicitBucketBoundariesAdvice(COST_BUCKETS)
        .build();
    this.tokens = meter.histogramBuilder(TOKEN_USAGE)
        .ofLongs()
        .setUnit("{token}")
        .setDescription("Number of input and output tokens used")
        .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
        .build();
    this.unpriced = meter.counterBuilder(UNPRICED)
        .setUnit("{request}")
        .setDescription("Usage that could not be priced (unknown model, no price at that time)")
        .build();
  }

  /** Adds a priced usage to the cost counter and histogram. */
  void recordCost(Tags tags, PricedUsage priced) {
    PriceKey key = priced.priceKey();
    Series s = series(tags.team(), tags.project(), key.resource(), key.kind(), key.currency());
    long pico = Costs.toPico(priced);
    if (pico > 0) {
      long nanos = pico % PICO_PER_NANO == 0 ? pico / PICO_PER_NANO : s.carry(pico);
      if (nanos > 0) {
        cost.add(nanos, s.attributes);
      }
    }
    requestCost.record(Costs.toDouble(priced), s.attributes);
    for (CostMetricsListener l : listeners) {
      l.cost(tags, priced);
    }
  }

  /** Counts a usage that could not be priced. */
  void recordUnpriced(Tags tags) {
    AttributesBuilder b = Attributes.builder();
    putIfPresent(b, tags);
    unpriced.add(1, b.build());
    for (CostMetricsListener l : listeners) {
      l.unpriced(tags);
    }
  }

  /**
   * Records input and output tokens on {@code gen_ai.client.token.usage} under the conventions'
   * attributes of the operation, provider and models (built once per combination).
   */
  void recordTokens(Usage usage, String operation, String provider, String requestModel, String responseModel) {
    Attributes[] attributes = cached(tokenSeries, new TokenSeries(operation, provider, requestModel, responseModel),
        TokenSeries::attributes);
    tokens.record(usage.inputTokens(), attributes[0]);
    tokens.record(usage.outputTokens(), attributes[1]);
    for (CostMetricsListener l : listeners) {
      l.tokens(operation, provider, requestModel, responseModel, usage);
    }
  }

  private Series series(String team, String project, String model, PriceKey.Kind kind, Currency currency) {
    return cached(series, new SeriesKey(team, project, model, kind, currency), k -> new Series(k.attributes()));
  }

  /**
   * The value of {@code key}, made and kept the first time while the cache holds fewer than {@link
   * #MAX_CACHED_SERIES}; beyond that made per call and not kept. One value per key is ever kept.
   */
  static <K, V> V cached(ConcurrentHashMap<K, V> cache, K key, Function<K, V> make) {
    V v = cache.get(key);
    if (v == null) {
      V fresh = make.apply(key);
      V raced = cache.size() < MAX_CACHED_SERIES ? cache.putIfAbsent(key, fresh) : null;
      v = raced != null ? raced : fresh;
    }
    return v;
  }

  private static void putIfPresent(AttributesBuilder b, Tags tags) {
    if (tags.team() != null) {
      b.put(FINOPS_TEAM, tags.team());
    }
    if (tags.project() != null) {
      b.put(FINOPS_PROJECT, tags.project());
    }
  }

  /** A series of the cost metrics; equals and hashCode written out, as they run on every record. */
  private record SeriesKey(String team, String project, String model, PriceKey.Kind kind, Currency currency) {
    @Override
    public boolean equals(Object o) {
      return o instanceof SeriesKey k && Objects.equals(team, k.team) && Objects.equals(project, k.project)
          && Objects.equals(model, k.model) && kind == k.kind && currency.equals(k.currency);
    }

    @Override
    public int hashCode() {
      return ((Objects.hashCode(team) * 31 + Objects.hashCode(project)) * 31 + Objects.hashCode(model)) * 31
          + kind.hashCode();
    }

    Attributes attributes() {
      AttributesBuilder b = Attributes.builder();
      if (team != null) {
        b.put(FINOPS_TEAM, team);
      }
      if (project != null) {
        b.put(FINOPS_PROJECT, project);
      }
      return b.put(FINOPS_MODEL, model)
          .put(FINOPS_KIND, kind.name().toLowerCase(Locale.ROOT))
          .put(FINOPS_CURRENCY, currency.getCurrencyCode())
          .build();
    }
  }

  /** A series of {@code gen_ai.client.token.usage}, whose attributes are {@code [input, output]}. */
  private record TokenSeries(String operation, String provider, String requestModel, String responseModel) {
    @Override
    public boolean equals(Object o) {
      return o instanceof TokenSeries k && operation.equals(k.operation) && Objects.equals(provider, k.provider)
          && Objects.equals(requestModel, k.requestModel) && Objects.equals(responseModel, k.responseModel);
    }

    @Override
    public int hashCode() {
      return ((operation.hashCode() * 31 + Objects.hashCode(provider)) * 31 + Objects.hashCode(requestModel)) * 31
          + Objects.hashCode(responseModel);
    }

    Attributes[] attributes() {
      AttributesBuilder b = Attributes.builder().put(GEN_AI_OPERATION_NAME, operation);
      if (provider != null) {
        b.put(GEN_AI_PROVIDER_NAME, provider);
      }
      if (requestModel != null) {
        b.put(GEN_AI_REQUEST_MODEL, requestModel);
      }
      if (responseModel != null) {
        b.put(GEN_AI_RESPONSE_MODEL, responseModel);
      }
      Attributes common = b.build();
      return new Attributes[] {
        common.toBuilder().put(GEN_AI_TOKEN_TYPE, "input").build(),
        common.toBuilder().put(GEN_AI_TOKEN_TYPE, "output").build()
      };
    }
  }

  /** One series of the cost counter: its attributes and the pico-units not yet counted (0..999). */
  private static final class Series {
    final Attributes attributes;
    final AtomicLong remainderPico = new AtomicLong();

    Series(Attributes attributes) {
      this.attributes = attributes;
    }

    /** Adds {@code pico} to the remainder; returns the whole nano-units to count now. */
    long carry(long pico) {
      while (true) {
        long r = remainderPico.get();
        long sum = r + pico;
        if (remainderPico.compareAndSet(r, sum % PICO_PER_NANO)) {
          return sum / PICO_PER_NANO;
        }
      }
    }
  }
}
