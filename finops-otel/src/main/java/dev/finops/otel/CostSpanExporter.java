package dev.finops.otel;

import static dev.finops.otel.FinOpsAttributes.FINOPS_COST_CACHE_UNKNOWN;
import static dev.finops.otel.FinOpsAttributes.FINOPS_EXPERIMENT;
import static dev.finops.otel.FinOpsAttributes.FINOPS_PROJECT;
import static dev.finops.otel.FinOpsAttributes.FINOPS_RUN;
import static dev.finops.otel.FinOpsAttributes.FINOPS_TEAM;

import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.PricingException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link SpanExporter} that prices the model calls other instrumentations trace (Spring AI,
 * LangChain4j, any OpenTelemetry GenAI instrumentation) and hands every span on to {@code delegate}.
 * <b>Needs the OpenTelemetry SDK</b> ({@code opentelemetry-sdk-trace}, an optional dependency of
 * finops-otel that an application configuring the SDK already has).
 *
 * <pre>{@code
 * AtomicReference<FinOpsTelemetry> telemetry = new AtomicReference<>();   // the telemetry needs the SDK,
 * SdkTracerProvider tracing = SdkTracerProvider.builder()                  // the SDK needs this exporter
 *     .addSpanProcessor(BatchSpanProcessor.builder(
 *         CostSpanExporter.builder(otlpExporter, telemetry::get).build()).build())
 *     .build();
 * telemetry.set(FinOpsTelemetry.create(OpenTelemetrySdk.builder().setTracerProvider(tracing).build(), finops));
 * }</pre>
 *
 * <p>{@link #wrap} takes a telemetry built already, for an exporter outside that telemetry's SDK.
 *
 * <p>For each span of a model call ({@code gen_ai.operation.name} {@code chat}, {@code
 * text_completion}, {@code generate_content}, {@code embeddings}, or none) that reports token counts
 * ({@code gen_ai.usage.input_tokens} / {@code output_tokens}, cache and reasoning counts, or the
 * deprecated {@code prompt_tokens} / {@code completion_tokens}; longs or numeric strings), it
 *
 * <ol>
 *   <li>prices the usage at the span's start time, as {@code gen_ai.response.model} (else {@code
 *       gen_ai.request.model}) of {@code gen_ai.provider.name} (else the deprecated {@code gen_ai.system});
 *   <li>records it in the ledger at the span's end time under the span's attribution (by default its
 *       {@code finops.team}, {@code finops.project}, {@code finops.experiment} and {@code finops.run}
 *       attributes over {@link Builder#defaultTags}), in the cost metrics, and, with a budget
 *       manager, as spend without a reservation;
 *   <li>exports the span with the cost and attribution attributes added (a {@link DelegatingSpanData}).
 * </ol>
 *
 * <p>Spans of agents, tools and workflows are never priced (their model calls are), nor spans that
 * already carry a cost (a {@link CostTracked} handler's). Spans whose usage cannot be priced (unknown
 * model, malformed counts) pass through unchanged and are counted ({@link #unpricedSpans()}, and the
 * {@code finops.usage.unpriced} metric); under the pricing's {@code RECORD_UNPRICED} policy their
 * quantities are kept in the ledger. Do not also wrap a handler around a client whose calls this
 * exporter prices: the call would be counted twice. Pricing runs on the export thread, off the
 * application's hot path. Thread-safe.
 *
 * <p>Built with {@link Builder#spanCostsAtExport} (or by {@link FinOpsTelemetry#wrapExporter}), it also
 * adds the span costs that its telemetry left for the export instead of writing them on the spans on
 * the request thread (see {@link FinOpsTelemetry#wrapExporter}); those spans are not priced again.
 */
public final class CostSpanExporter implements SpanExporter {
  private final SpanExporter delegate;
  private final Supplier<FinOpsTelemetry> telemetrySupplier;
  private volatile FinOpsTelemetry telemetry;
  private final Function<SpanData, Tags> attribution;
  private final Tags defaultTags;
  private final boolean tokenUsageMetric;
  private final boolean spanCostsAtExport;
  private final LongAdder costsAdded = new LongAdder();
  private final LongAdder priced = new LongAdder();
  private final LongAdder unpriced = new LongAdder();
  private final LongAdder cacheUnknown = new LongAdder();
  private final LongAdder alreadyRecorded = new LongAdder();

  private CostSpanExporter(Builder b) {
    this.delegate = b.delegate;
    this.telemetrySupplier = b.telemetry;
    this.defaultTags = b.defaultTags;
    this.attribution = b.attribution;
    this.tokenUsageMetric = b.tokenUsageMetric;
    this.spanCostsAtExport = b.spanCostsAtExport;
  }

  /** Prices GenAI spans with {@code telemetry}'s pricing, ledger and metrics, then exports to {@code delegate}. */
  public static CostSpanExporter wrap(SpanExporter delegate, FinOpsTelemetry telemetry) {
    return builder(delegate, telemetry).build();
  }

  public static Builder builder(SpanExporter delegate, FinOpsTelemetry telemetry) {
    Objects.requireNonNull(telemetry, "telemetry");
    Builder b = new Builder(delegate, () -> telemetry);
    b.direct = telemetry;
    return b;
  }

  /**
   * A builder whose telemetry is looked up at the first export, not now: for containers where the
   * telemetry depends on the {@code OpenTelemetry} whose tracer provider holds this exporter (the
   * Spring Boot starter), which would otherwise be a dependency cycle. The supplier is called once
   * it answers non-null; spans exported before that pass through unpriced.
   */
  public static Builder builder(SpanExporter delegate, Supplier<FinOpsTelemetry> telemetry) {
    return new Builder(delegate, Objects.requireNonNull(telemetry, "telemetry"));
  }

  /** The wrapped exporter. */
  public SpanExporter delegate() {
    return delegate;
  }

  /**
   * Spans whose costs their telemetry left for the export ({@link Builder#spanCostsAtExport}) and this
   * exporter added, so far.
   */
  public long spanCostsAdded() {
    return costsAdded.sum();
  }

  /** Spans priced so far. */
  public long pricedSpans() {
    return priced.sum();
  }

  /** Spans with token counts that could not be priced so far (passed through unchanged). */
  public long unpricedSpans() {
    return unpriced.sum();
  }

  /**
   * Priced spans that reported no cache counts, so every input token was priced uncached (marked
   * {@code finops.cost.cache_unknown=true}); their cost may be high.
   */
  public long cacheUnknownSpans() {
    return cacheUnknown.sum();
  }

  /**
   * Spans of calls that an integration, a tracked handler or {@link FinOpsTelemetry#record} had
   * already recorded (same {@code gen_ai.response.id}): passed through, not counted again.
   */
  public long alreadyRecordedSpans() {
    return alreadyRecorded.sum();
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    FinOpsTelemetry t = telemetry();
    if (t == null) {
      return delegate.export(spans);
    }
    SpanCosts deferred = t.spanCosts();
    if (deferred != null) {
      deferred.exportedAt(t.finOps().clock().wallTimeMillis());
    }
    List<SpanData> out = new ArrayList<>(spans.size());
    for (SpanData span : spans) {
      SpanCosts.Entry e = deferred == null ? null : deferred.take(span.getSpanContext());
      out.add(e == null ? price(t, span) : withCosts(t, span, e));
    }
    return delegate.export(out);
  }

  private FinOpsTelemetry telemetry() {
    FinOpsTelemetry t = telemetry;
    if (t == null) {
      try {
        t = telemetrySupplier.get();
      } catch (RuntimeException notYet) {
        return null;
      }
      if (t != null && spanCostsAtExport) {
        t.deferSpanCosts();
      }
      telemetry = t;
    }
    return t;
  }

  /**
   * The span with the outcome its telemetry left for the export: the attributes it would have written on
   * the span, counted as the SDK counts attribute writes. The span as it is if that fails (its call is
   * recorded already: it is not priced again).
   */
  private SpanData withCosts(FinOpsTelemetry t, SpanData span, SpanCosts.Entry e) {
    try {
      AttributesBuilder b = span.getAttributes().toBuilder();
      int[] written = {0};
      SpanAttributes.outcome(new SpanAttributes.Sink() {
        @Override
        public <T> void put(AttributeKey<T> key, T value) {
          b.put(key, value);
          written[0]++;
        }
      }, e.modelAndProvider(), e.usage(), e.priced(), e.tags(), t.costAttributes());
      costsAdded.increment();
      return new PricedSpanData(span, b.build(), written[0]);
    } catch (RuntimeException failed) {
      t.accountingProblem("could not add the cost attributes of span '" + span.getName() + "'", failed);
      return span;
    }
  }

  private SpanData price(FinOpsTelemetry telemetry, SpanData span) {
    GenAiSpan g = GenAiSpan.read(span.getAttributes());
    if (!g.isPriceable()) {
      return span;
    }
    Object checked = g.responseId == null ? null : telemetry.checkCall(g.responseId);
    if (g.responseId != null && checked == null) {
      return alreadyRecorded(telemetry, span);
    }
    Tags tags = tags(telemetry, span);
    PricedUsage p;
    boolean claimed = false;
    boolean recorded = false;
    try {
      p = price(telemetry, g, TimeUnit.NANOSECONDS.toMillis(span.getStartEpochNanos()));
      if (p != null) {
        long endMillis = TimeUnit.NANOSECONDS.toMillis(span.getEndEpochNanos());
        // Claimed only now that the call is going to be recorded: a span that cannot be priced leaves
        // its id to the other paths.
        if (g.responseId != null) {
          if (!telemetry.claimCall(g.responseId, endMillis, checked)) {
            return alreadyRecorded(telemetry, span);
          }
          claimed = true;
        }
        telemetry.recordSpend(tags, p, endMillis, true);
        recorded = true;
        telemetry.recordCostMetrics(tags, p);
      }
    } catch (RuntimeException e) {
      telemetry.accountingProblem("could not price span '" + span.getName() + "'", e);
      if (claimed && !recorded) {
        telemetry.releaseCall(g.responseId);
      }
      p = null;
    }
    if (p == null || !p.isPriced()) {
      unpriced.increment();
      if (p == null) {
        telemetry.metrics().recordUnpriced(tags);
      }
      return span;
    }
    priced.increment();
    if (tokenUsageMetric) {
      telemetry.metrics().recordTokens(p.usage(), g.operation == null ? "chat" : g.operation,
          g.provider != null ? g.provider : g.system, g.requestModel, g.responseModel);
    }
    AttributesBuilder b = span.getAttributes().toBuilder();
    SpanAttributes.Sink sink = b::put;
    SpanAttributes.cost(sink, p, telemetry.costAttributes());
    SpanAttributes.attribution(sink, tags);
    if (!g.cacheReported) {
      cacheUnknown.increment();
      b.put(FINOPS_COST_CACHE_UNKNOWN, true);
    }
    Attributes attributes = b.build();
    return new PricedSpanData(span, attributes, attributes.size() - span.getAttributes().size());
  }

  /** A span of a call another path recorded: passed through as it is, counted once. */
  private SpanData alreadyRecorded(FinOpsTelemetry telemetry, SpanData span) {
    alreadyRecorded.increment();
    telemetry.duplicateCall(null);
    return span;
  }

  private Tags tags(FinOpsTelemetry telemetry, SpanData span) {
    try {
      if (attribution != null) {
        return attribution.apply(span);
      }
      return telemetry.defaultTags().with(defaultTags).with(spanTags(span.getAttributes()));
    } catch (RuntimeException e) {
      telemetry.accountingProblem("the attribution of span '" + span.getName() + "' failed", e);
      return Tags.EMPTY;
    }
  }

  /**
   * Prices the span's usage as its response model, else its request model; with its provider, else by
   * model name alone. {@code null} when no model resolves under the pricing's FAIL policy.
   */
  private static PricedUsage price(FinOpsTelemetry telemetry, GenAiSpan g, long atMillis) {
    Usage usage = g.usage();
    Pricing pricing = telemetry.finOps().pricing();
    String provider = g.catalogProvider();
    PricedUsage fallback = null;
    for (String model : new String[] {g.responseModel, g.requestModel}) {
      if (model == null) {
        continue;
      }
      for (String prov : provider == null ? new String[] {null} : new String[] {provider, null}) {
        if (pricing.resolve(prov, model) != null) {
          return pricing.price(prov, model, usage, atMillis);
        }
      }
      if (fallback == null) {
        try {
          fallback = pricing.price(provider, model, usage, atMillis); // the unknown-model policy decides
        } catch (PricingException unknown) {
          // try the next name
        }
      }
    }
    return fallback;
  }

  /** The span's {@code finops.*} attribution attributes as tags. */
  private static Tags spanTags(Attributes a) {
    Tags.Builder b = Tags.builder();
    putIfSet(b, "team", a.get(FINOPS_TEAM));
    putIfSet(b, "project", a.get(FINOPS_PROJECT));
    putIfSet(b, "experiment", a.get(FINOPS_EXPERIMENT));
    putIfSet(b, "run", a.get(FINOPS_RUN));
    return b.build();
  }

  private static void putIfSet(Tags.Builder b, String key, String value) {
    if (value != null && !value.isEmpty()) {
      b.put(key, value);
    }
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return "CostSpanExporter{" + delegate + "}";
  }

  /** A span with cost attributes added ({@code added} more in its total attribute count). */
  private static final class PricedSpanData extends DelegatingSpanData {
    private final Attributes attributes;
    private final int added;

    PricedSpanData(SpanData delegate, Attributes attributes, int added) {
      super(delegate);
      this.attributes = attributes;
      this.added = added;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
      return super.getTotalAttributeCount() + added;
    }
  }

  /** Configures a {@link CostSpanExporter}. Not thread-safe. */
  public static final class Builder {
    private final SpanExporter delegate;
    private final Supplier<FinOpsTelemetry> telemetry;
    /** The telemetry when given, not looked up. */
    private FinOpsTelemetry direct;
    private Tags defaultTags = Tags.EMPTY;
    private Function<SpanData, Tags> attribution;
    private boolean tokenUsageMetric;
    private boolean spanCostsAtExport;

    private Builder(SpanExporter delegate, Supplier<FinOpsTelemetry> telemetry) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      this.telemetry = telemetry;
    }

    /** Tags for every priced span, under the span's own {@code finops.*} attributes (default none). */
    public Builder defaultTags(Tags tags) {
      this.defaultTags = Objects.requireNonNull(tags, "tags");
      return this;
    }

    /**
     * Replaces the default attribution: the tags a span's cost is recorded under (from its attributes,
     * its resource's {@code service.name}, ...). Must not throw; keep the values bounded.
     */
    public Builder attribution(Function<SpanData, Tags> attribution) {
      this.attribution = Objects.requireNonNull(attribution, "attribution");
      return this;
    }

    /**
     * Whether priced spans also feed {@code gen_ai.client.token.usage} (default false: the
     * instrumentations that write these spans usually emit it themselves).
     */
    public Builder tokenUsageMetric(boolean emit) {
      this.tokenUsageMetric = emit;
      return this;
    }

    /**
     * Whether the telemetry leaves its span costs for this exporter to add at export, off the request
     * thread (see {@link FinOpsTelemetry#wrapExporter}; default false: it writes them on the spans). On
     * from the moment the exporter has its telemetry: now for a telemetry given, at the first export
     * for one looked up (until then costs are written on the spans, as without it).
     */
    public Builder spanCostsAtExport(boolean atExport) {
      this.spanCostsAtExport = atExport;
      return this;
    }

    public CostSpanExporter build() {
      CostSpanExporter exporter = new CostSpanExporter(this);
      if (spanCostsAtExport && direct != null) {
        exporter.telemetry();
      }
      return exporter;
    }
  }
}
