package dev.finops.otel;

import static dev.finops.otel.FinOpsAttributes.GEN_AI_RESPONSE_MODEL;

import dev.finops.core.FinOps;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.Reservation;
import dev.finops.core.gpu.GpuSampleSource;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.pricing.PricedUsage;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.PricingException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * finops on OpenTelemetry: cost on spans, cost and token metrics, {@link CostTracked} handlers, and
 * (with the SDK) a {@link CostSpanExporter} that prices other instrumentations' GenAI spans. Built on
 * the OpenTelemetry API only: with no SDK installed everything is a no-op but the ledger, which still
 * records. Thread-safe.
 *
 * <pre>{@code
 * FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops)
 *     .openTelemetry(openTelemetry)                // default: GlobalOpenTelemetry.getOrNoop()
 *     .budgets(budgetManager)                      // optional: reserve before tracked calls
 *     .usageExtractor(ChatReply.class, ChatReply::usage)
 *     .build();
 * Assistant assistant = telemetry.wrap(Assistant.class, new OpenAiAssistant(client));
 * }</pre>
 *
 * <p><b>Span attributes</b> (on inference spans only, so roll-ups never count a cost twice; never
 * prompts or completions): {@code gen_ai.operation.name}, {@code gen_ai.provider.name}, {@code
 * gen_ai.request.model}, {@code gen_ai.response.model}, {@code gen_ai.usage.input_tokens}, {@code
 * gen_ai.usage.output_tokens}, {@code gen_ai.usage.cache_read.input_tokens}, {@code
 * gen_ai.usage.cache_creation.input_tokens}, {@code gen_ai.usage.reasoning.output_tokens}; the cost
 * as {@code finops.cost.amount} (a string holding the exact decimal), {@code finops.cost.currency},
 * {@code finops.cost.source}, or under the proposed {@code gen_ai.usage.cost.*} names (see {@link
 * CostAttributes}); attribution {@code finops.team}, {@code finops.project}, {@code
 * finops.experiment}, {@code finops.run}.
 *
 * <p><b>Metrics</b> (meter {@value #INSTRUMENTATION_NAME}; attributes are bounded: team, project,
 * model, kind and currency, never a run or request id):
 *
 * <ul>
 *   <li>{@code finops.cost.nanos}: a monotonic {@code LongCounter} of cost in nano-units (10<sup>-9</sup>)
 *       of the currency, with {@code finops.team}, {@code finops.project}, {@code finops.model}, {@code
 *       finops.kind}, {@code finops.currency}. A long keeps the running total exact: catalog prices (at
 *       most six decimals per million tokens) give whole pico-units, and the sub-nano remainder of each
 *       series is carried to the next record, so each series is the exact total rounded down to the
 *       nano-unit, without drift. In Prometheus: {@code finops_cost_nanos_total / 1e9}.
 *   <li>{@code finops.request.cost}: a histogram of the cost per request in units of the currency. A
 *       histogram takes doubles: the exact cost is rounded once to the nearest double here, at the
 *       metric boundary, and nowhere else.
 *   <li>{@code gen_ai.client.token.usage}: the GenAI conventions' token histogram (buckets 1, 4, 16,
 *       ..., 67108864), for tracked calls and {@link #record}; turn it off with {@link
 *       Builder#tokenUsageMetric(boolean)} where an instrumentation already emits it.
 *   <li>{@code finops.usage.unpriced}: usage that could not be priced.
 *   <li>{@code hw.gpu.utilization}, {@code hw.gpu.memory.usage}, {@code hw.gpu.memory.limit}, {@code
 *       hw.power}: with a {@link Builder#gpuSource GPU sample source} (the NVML sampler).
 *   <li>{@code finops.budget.limit}, {@code finops.budget.spent}, {@code finops.budget.remaining}:
 *       per budget window ({@code finops.budget.scope}, {@code finops.budget.window}), with a {@link
 *       Builder#budgets budget manager}; doubles rounded once from the exact amounts.
 * </ul>
 */
public final class FinOpsTelemetry implements AutoCloseable {

  /** The instrumentation scope name of the tracer and the meter. */
  public static final String INSTRUMENTATION_NAME = "dev.finops.otel";

  private static final Logger log = LoggerFactory.getLogger(FinOpsTelemetry.class);

  private final FinOps finops;
  private final BudgetManager budgets;
  private final Tracer tracer;
  private final CostAttributes costAttributes;
  private final boolean tokenUsageMetric;
  private final UsageExtractors extractors;
  private final CallEstimator callEstimator;
  private final CostMetrics metrics;
  private final List<BatchCallback> callbacks = new ArrayList<>();
  private final AtomicBoolean accountingProblemLogged = new AtomicBoolean();
  private final AtomicBoolean noUsageLogged = new AtomicBoolean();
  private final Tags defaultTags;
  /** Models that calls named, bound once (bounded): the budget estimate of each call needs one. */
  private final ConcurrentHashMap<ModelKey, BoundModel> boundModels = new ConcurrentHashMap<>();
  /** Response ids of the calls recorded lately, by whichever path saw them first. */
  private final RecentIds recordedCalls;
  private final LongAdder duplicateCalls = new LongAdder();
  private final LongAdder callsWithoutUsage = new LongAdder();
  private final int spanCostSlots;
  /** Where span outcomes wait for their export, once an exporter adds them ({@link #wrapExporter}); else null. */
  private volatile SpanCosts spanCosts;

  private FinOpsTelemetry(Builder b) {
    OpenTelemetry otel = b.openTelemetry != null ? b.openTelemetry : GlobalOpenTelemetry.getOrNoop();
    this.finops = b.finops;
    this.budgets = b.budgets;
    this.tracer = otel.getTracer(INSTRUMENTATION_NAME);
    this.costAttributes = b.costAttributes;
    this.tokenUsageMetric = b.tokenUsageMetric;
    this.extractors = new UsageExtractors(b.extractors);
    this.callEstimator = b.callEstimator;
    Meter meter = otel.getMeter(INSTRUMENTATION_NAME);
    this.metrics = new CostMetrics(meter, b.metricsListeners);
    this.defaultTags = b.defaultTags;
    this.spanCostSlots = b.spanCostSlots;
    this.recordedCalls = new RecentIds(b.dedupWindow, b.dedupMaxCalls, finops.clock().wallTimeMillis());
    if (b.gpuSource != null) {
      callbacks.add(Gauges.gpu(meter, b.gpuSource));
    }
    if (b.budgets != null) {
      callbacks.add(Gauges.budgets(meter, b.budgets));
    }
  }

  /** Telemetry on {@code openTelemetry} with the defaults. */
  public static FinOpsTelemetry create(OpenTelemetry openTelemetry, FinOps finops) {
    return builder(finops).openTelemetry(openTelemetry).build();
  }

  /** Telemetry on {@link GlobalOpenTelemetry#getOrNoop()} (the agent's, or what the host set) with the defaults. */
  public static FinOpsTelemetry create(FinOps finops) {
    return builder(finops).build();
  }

  public static Builder builder(FinOps finops) {
    return new Builder(finops);
  }

  public FinOps finOps() {
    return finops;
  }

  /** The budget manager tracked calls reserve on, or {@code null}. */
  public BudgetManager budgets() {
    return budgets;
  }

  /**
   * Writes usage, cost and attribution of an inference to {@code span}: {@code gen_ai.request.model}
   * (the priced usage's requested model), {@code gen_ai.provider.name}, the usage counts, the cost and
   * the attribution tags. Records nothing; use it on the span of the model call only, before it ends.
   *
   * <p>Once an exporter of this telemetry adds span costs at export ({@link #wrapExporter}), the
   * attributes of a sampled SDK span are not written now but left for its export, where the exporter
   * adds the same attributes: the request thread does not take the span's lock for each of them.
   * Without it (the slower path), they are written on the span now.
   */
  public void tagSpan(Span span, PricedUsage priced, Tags tags) {
    Objects.requireNonNull(span, "span");
    Objects.requireNonNull(priced, "priced");
    Objects.requireNonNull(tags, "tags");
    writeOutcome(span, true, priced.usage(), priced, tags);
  }

  /** {@link #tagSpan} on {@link Span#current()}. */
  public void tagCurrentSpan(PricedUsage priced, Tags tags) {
    tagSpan(Span.current(), priced, tags);
  }

  /**
   * Writes only the cost and the attribution of an inference to {@code span}: {@code
   * finops.cost.amount}, {@code finops.cost.currency}, {@code finops.cost.source} (or the {@code
   * gen_ai.usage.cost.*} names, as {@link Builder#costAttributes} selects; unpriced usage gets only
   * {@code finops.cost.source=unpriced}) and {@code finops.team}, {@code finops.project}, {@code
   * finops.experiment}, {@code finops.run} when set. For a span that already carries the GenAI
   * attributes (a GenAI instrumentation's span, or one the caller wrote them on): unlike {@link
   * #tagSpan} it does not write {@code gen_ai.request.model}, {@code gen_ai.provider.name} or the
   * {@code gen_ai.usage.*} counts: half the attributes, and on the SDK, whose spans take a lock for
   * each attribute, about 40% less time than {@code tagSpan} (see {@code benchmarks/README.md}).
   * Records nothing; nothing is written, and no amount formatted, on a span that is not recording.
   * Left for the export, as {@link #tagSpan} explains, once an exporter adds span costs.
   */
  public void tagSpanCost(Span span, PricedUsage priced, Tags tags) {
    Objects.requireNonNull(span, "span");
    Objects.requireNonNull(priced, "priced");
    Objects.requireNonNull(tags, "tags");
    writeOutcome(span, null, priced, tags);
  }

  /**
   * Prices usage of a model call now and records it in the ledger under {@code tags} (over the default
   * tags; with a budget manager, as spend without a reservation on the budgets that apply), updates
   * the metrics and writes the cost on the current span. For calls that no integration sees. Inside a
   * {@link CostTracked} call the usage is reported to the tracked call instead (which records it).
   *
   * @param model the model that answered, as the response names it; written as {@code
   *     gen_ai.response.model}, never over the span's {@code gen_ai.request.model}
   * @throws dev.finops.core.pricing.PricingException as {@link FinOps#price} does, under the pricing's
   *     {@code FAIL} policy
   */
  public PricedUsage record(Tags tags, String provider, String model, Usage usage) {
    return record(Span.current(), tags, provider, model, usage, null);
  }

  /**
   * {@link #record(Tags, String, String, Usage)} of the response {@code responseId}: a call whose id
   * was already recorded (by an integration or the {@link CostSpanExporter}) is not recorded again, and
   * {@code null} is returned. The id is claimed only when the call is recorded here (not when pricing
   * throws); a blank id is no id.
   */
  public PricedUsage record(Tags tags, String provider, String model, Usage usage, String responseId) {
    return record(Span.current(), tags, provider, model, usage, responseId);
  }

  /** {@link #record(Tags, String, String, Usage, String)}, writing the cost on {@code span}. */
  public PricedUsage record(Span span, Tags tags, String provider, String model, Usage usage, String responseId) {
    Objects.requireNonNull(span, "span");
    Objects.requireNonNull(tags, "tags");
    Objects.requireNonNull(usage, "usage");
    String id = RecentIds.normalize(responseId);
    CostContext tracked = CostContext.current();
    Object checked = id == null ? null : recordedCalls.check(id);
    if (id != null && checked == null) {
      duplicateCall(tracked);
      return null;
    }
    long now = finops.clock().wallTimeMillis();
    PricedUsage priced = finops.pricing().price(provider, model, usage, now);
    if (id != null && !recordedCalls.claim(id, now, checked)) {
      duplicateCall(tracked);
      return null;
    }
    if (tracked.isActive()) {
      tracked.addUsage(usage).responseModel(model);
      return priced;
    }
    Tags all = merge(currentTags(), tags);
    account(all, priced, now, true);
    recordTokens("chat", Providers.toSemconv(priced.provider()), null, model, usage);
    if (span.isRecording()) {
      span.setAttribute(GEN_AI_RESPONSE_MODEL, model);
      writeOutcome(span, null, priced, all);
    }
    return priced;
  }

  /**
   * Starts a model call seen at the source of its usage (see {@link ModelCall}): attributed to the
   * default tags under the ambient {@link CostContext#withTags} tags, with a budget reservation when a
   * budget applies.
   *
   * @param provider the provider as the catalog spells it ({@code openai}), or {@code null}
   * @param requestModel the model the request names
   * @param operation the GenAI operation ({@code chat}, {@code embeddings}, ...)
   * @param inputTokensBound an upper bound of the prompt's tokens, or -1 when unknown
   * @param maxOutputTokens the request's maximum output tokens, or -1 when unknown (with either unknown,
   *     the reservation is an unknown estimate, which each budget's unknown-cost policy decides)
   * @throws dev.finops.core.budget.BudgetException when a budget refuses the call (nothing is recorded)
   */
  public ModelCall startCall(String provider, String requestModel, String operation, long inputTokensBound,
      long maxOutputTokens) {
    return startCall(Tags.EMPTY, provider, requestModel, operation, inputTokensBound, maxOutputTokens);
  }

  /** {@link #startCall(String, String, String, long, long)} with {@code tags} over the ambient ones. */
  public ModelCall startCall(Tags tags, String provider, String requestModel, String operation,
      long inputTokensBound, long maxOutputTokens) {
    Objects.requireNonNull(tags, "tags");
    Objects.requireNonNull(requestModel, "requestModel");
    return new ModelCall(this, provider, requestModel, operation, merge(currentTags(), tags), inputTokensBound,
        maxOutputTokens);
  }

  /** The default tags under the ambient {@link CostContext#withTags} tags of this thread. */
  public Tags currentTags() {
    return merge(defaultTags, CostContext.currentTags());
  }

  /** {@code over} over {@code under} ({@link Tags#with}), without building a new set when either is empty. */
  static Tags merge(Tags under, Tags over) {
    if (over.isEmpty()) {
      return under;
    }
    return under.isEmpty() ? over : under.with(over);
  }

  /**
   * The cost and attribution attributes {@link #tagSpanCost} would write, as strings (the exact amount
   * as {@code finops.cost.amount}), for instrumentations that tag through another API: Micrometer
   * observations' key values, say. Insertion-ordered.
   */
  public Map<String, String> costAttributes(PricedUsage priced, Tags tags) {
    Map<String, String> out = new LinkedHashMap<>();
    costAttributes(priced, tags, out::put);
    return out;
  }

  /**
   * {@link #costAttributes(PricedUsage, Tags)} handed to {@code action} one by one, in the same order,
   * without building a map: for the hot path of an instrumentation that adds them one at a time.
   */
  public void costAttributes(PricedUsage priced, Tags tags, BiConsumer<String, String> action) {
    Objects.requireNonNull(priced, "priced");
    Objects.requireNonNull(tags, "tags");
    Objects.requireNonNull(action, "action");
    SpanAttributes.Sink sink = new SpanAttributes.Sink() {
      @Override
      public <T> void put(io.opentelemetry.api.common.AttributeKey<T> key, T value) {
        action.accept(key.getKey(), String.valueOf(value));
      }
    };
    SpanAttributes.cost(sink, priced, costAttributes);
    SpanAttributes.attribution(sink, tags);
  }

  /** The tags every call is recorded under unless its own tags say otherwise. */
  public Tags defaultTags() {
    return defaultTags;
  }

  /** Calls seen by more than one path (integration, tracked handler, exporter, {@code record}) and counted once. */
  public long duplicateCalls() {
    return duplicateCalls.sum();
  }

  /** Calls whose response reported no usage (a stream without its usage chunk): not priced. */
  public long callsWithoutUsage() {
    return callsWithoutUsage.sum();
  }

  /**
   * Wraps {@code handler} so that each call of a {@link CostTracked} method of {@code type} is traced,
   * budgeted, priced and recorded (see {@link CostTracked}); other methods pass straight through. The
   * models and tags of the annotations are checked now.
   *
   * @throws IllegalArgumentException if {@code type} is not an interface, or an annotation names tags
   *     that are not {@code key=value} pairs of valid tags
   * @throws dev.finops.core.pricing.UnknownModelException under the pricing's {@code FAIL} policy, for
   *     an annotation whose model no catalog knows
   */
  public <T> T wrap(Class<T> type, T handler) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(handler, "handler");
    if (!type.isInterface()) {
      throw new IllegalArgumentException(type.getName() + " is not an interface; @CostTracked handlers are "
          + "wrapped through their interface");
    }
    TrackedHandler h = new TrackedHandler(this, type, handler);
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
  }

  /**
   * Wraps {@code exporter} in a {@link CostSpanExporter} that also adds, at export, the span costs of
   * this telemetry ({@link #tagSpan}, {@link #tagSpanCost}, the cost {@link #record} writes (its {@code
   * gen_ai.response.model} is still written on the span), tracked handlers, and the model calls of the
   * integrations built on {@link ModelCall}), and from now on leaves them for it instead of writing them
   * on the spans: tagging a
   * sampled span then costs the request thread one store in a bounded table (a few nanoseconds) instead
   * of five to ten attribute writes, each of which takes the SDK span's lock. Hand the wrapper to a
   * {@code BatchSpanProcessor}, whose worker thread exports. <b>Needs the OpenTelemetry SDK.</b>
   *
   * <pre>{@code
   * SdkTracerProvider.builder()
   *     .addSpanProcessor(BatchSpanProcessor.builder(telemetry.wrapExporter(otlpExporter)).build())
   * }</pre>
   *
   * <p>The trade-off: the cost attributes exist only in what is exported, so span processors and
   * samplers, which see the span before its export, do not see them. Every span of this telemetry's
   * calls must be exported through one such wrapper (wrap the composite of all exporters, once): a span
   * exported elsewhere misses its cost attributes. A span whose outcome finds the table full (see
   * {@link #spanCostsOverflowed()}), or is recorded but not sampled, has them written on it as before.
   * Like {@link CostSpanExporter#wrap}, the wrapper also prices the GenAI spans of other
   * instrumentations that carry no cost.
   */
  public CostSpanExporter wrapExporter(SpanExporter exporter) {
    return CostSpanExporter.builder(exporter, this).spanCostsAtExport(true).build();
  }

  /**
   * Span outcomes written on their span because the table of outcomes waiting for export was full
   * (slower, never lost). Rising steadily: enlarge the table ({@link Builder#spanCostSlots}).
   */
  public long spanCostsOverflowed() {
    SpanCosts d = spanCosts;
    return d == null ? 0 : d.overflowed();
  }

  /**
   * Span outcomes dropped from the table after ten minutes of export time without
   * their span being exported through the wrapper: spans the export queue dropped, spans exported by
   * another pipeline, spans tagged after their end. They keep the table bounded.
   */
  public long spanCostsEvicted() {
    SpanCosts d = spanCosts;
    return d == null ? 0 : d.evicted();
  }

  /** Stops the GPU and budget gauges. Spans and counters need no closing. */
  @Override
  public void close() {
    synchronized (callbacks) {
      for (BatchCallback c : callbacks) {
        c.close();
      }
      callbacks.clear();
    }
  }

  // ---- shared with TrackedHandler and CostSpanExporter --------------------------------------------

  Tracer tracer() {
    return tracer;
  }

  CostAttributes costAttributes() {
    return costAttributes;
  }

  /** The span outcomes waiting for export, or {@code null} while no exporter adds them. */
  SpanCosts spanCosts() {
    return spanCosts;
  }

  /** From now on, leaves span outcomes for the exporter that adds them (idempotent). */
  synchronized SpanCosts deferSpanCosts() {
    SpanCosts d = spanCosts;
    if (d == null) {
      spanCosts = d = new SpanCosts(spanCostSlots, finops.clock().wallTimeMillis());
    }
    return d;
  }

  boolean tokenUsageMetric() {
    return tokenUsageMetric;
  }

  UsageExtractors extractors() {
    return extractors;
  }

  CallEstimator callEstimator() {
    return callEstimator;
  }

  CostMetrics metrics() {
    return metrics;
  }

  /**
   * Claims the call with this response id (not blank) for the path asking, which then records it: true
   * the first time, false when another path recorded it lately (within the dedup window). Claim only
   * what is going to be recorded (check with {@link #checkCall} before pricing), or {@link #releaseCall}
   * the claim when recording fails after all.
   *
   * @param nowMillis the time the caller has at hand (epoch millis; no clock is read here)
   */
  boolean claimCall(String responseId, long nowMillis) {
    return recordedCalls.claim(responseId, nowMillis);
  }

  /** {@link #claimCall(String, long)} after {@link #checkCall} answered {@code checked} (cheaper). */
  boolean claimCall(String responseId, long nowMillis, Object checked) {
    return recordedCalls.claim(responseId, nowMillis, checked);
  }

  /**
   * The cheap dedup check before pricing: {@code null} when a path claimed this response id lately,
   * else a token for {@link #claimCall(String, long, Object)}.
   */
  Object checkCall(String responseId) {
    return recordedCalls.check(responseId);
  }

  /** Gives up a claim whose call could not be recorded after all, so that another path may record it. */
  void releaseCall(String responseId) {
    recordedCalls.release(responseId);
  }

  /**
   * Counts a call another path recorded; inside a {@link CostTracked} call ({@code tracked} active) the
   * tracked handler learns it, so that it releases its reservation instead of holding it whole.
   */
  void duplicateCall(CostContext tracked) {
    duplicateCalls.increment();
    if (tracked != null) {
      tracked.recordedElsewhere();
    }
  }

  void callWithoutUsage(String operation, String model) {
    callsWithoutUsage.increment();
    if (noUsageLogged.compareAndSet(false, true)) {
      log.warn("finops-otel: a {} call of {} reported no usage, so it was not priced (its budget reservation was "
          + "kept whole). Streams report usage only when asked to: OpenAI's stream_options.include_usage (Spring AI: "
          + "spring.ai.openai.chat.options.stream-usage=true). Logged once; see callsWithoutUsage().",
          operation, model);
    }
  }

  /**
   * The model bound on the pricing, once per provider and model (as a tracked handler binds its
   * annotation's model).
   *
   * @throws PricingException as {@link Pricing#bind} does, under the pricing's FAIL policy
   */
  BoundModel bind(String provider, String model) {
    return CostMetrics.cached(boundModels, new ModelKey(provider, model),
        k -> finops.pricing().bind(k.provider, k.model));
  }

  private record ModelKey(String provider, String model) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ModelKey k && model.equals(k.model) && Objects.equals(provider, k.provider);
    }

    @Override
    public int hashCode() {
      return model.hashCode() * 31 + Objects.hashCode(provider);
    }
  }

  /**
   * Prices a call as {@code responseModel} when the catalog knows it, else as {@code requestModel};
   * {@code null} when neither can be priced under the pricing's FAIL policy.
   */
  PricedUsage priceCall(String provider, String requestModel, String responseModel, Usage usage, long atMillis) {
    Pricing pricing = finops.pricing();
    if (responseModel != null && !responseModel.equals(requestModel)) {
      try {
        PricedUsage p = pricing.price(provider, responseModel, usage, atMillis);
        if (p.isPriced()) {
          return p;
        }
      } catch (PricingException unknownResponseModel) {
        // price as the request's model below
      }
    }
    try {
      return pricing.price(provider, requestModel, usage, atMillis);
    } catch (PricingException e) {
      accountingProblem("could not price a call of " + requestModel, e);
      return null;
    }
  }

  /** Records tokens on {@code gen_ai.client.token.usage} (when enabled) and tells the metrics listeners. */
  void recordTokens(String operation, String provider, String requestModel, String responseModel, Usage usage) {
    if (tokenUsageMetric) {
      metrics.recordTokens(usage, operation, provider, requestModel, responseModel);
    }
  }

  /**
   * Records priced usage in the ledger at {@code epochMillis} and in the metrics; with {@code
   * toBudgets}, also as unreserved spend on the budgets. Unpriced usage is kept in the ledger (its
   * quantities) and counted.
   */
  void account(Tags tags, PricedUsage priced, long epochMillis, boolean toBudgets) {
    recordSpend(tags, priced, epochMillis, toBudgets);
    recordCostMetrics(tags, priced);
  }

  /**
   * The money side of {@link #account}: the ledger, and with {@code toBudgets} the budgets (before any
   * metrics listener runs, so a failing listener cannot leave spend half recorded).
   */
  void recordSpend(Tags tags, PricedUsage priced, long epochMillis, boolean toBudgets) {
    finops.ledger().account(tags).record(priced, epochMillis);
    if (toBudgets && budgets != null && priced.isPriced()) {
      budgets.record(tags, priced);
    }
  }

  /**
   * Settles {@code reservation} to the priced cost; priced in another currency than the budgets', to
   * the reserved amount, and the mismatch is thrown.
   */
  static void settle(Reservation reservation, PricedUsage priced) {
    try {
      reservation.settle(priced);
    } catch (RuntimeException otherCurrency) {
      reservation.settlePico(reservation.amountPico());
      throw otherCurrency;
    }
  }

  /** The metrics side of {@link #account}: the cost metrics, or the unpriced counter. */
  void recordCostMetrics(Tags tags, PricedUsage priced) {
    if (priced.isPriced()) {
      metrics.recordCost(tags, priced);
    } else {
      metrics.recordUnpriced(tags);
    }
  }

  /**
   * Writes usage (when known), cost (when priced) and attribution attributes on a span; nothing on a
   * span that is not recording (no SDK, or not sampled), so no cost string is formatted for it.
   */
  void writeOutcome(Span span, Usage usage, PricedUsage priced, Tags tags) {
    writeOutcome(span, false, usage, priced, tags);
  }

  /**
   * {@link SpanAttributes#outcome}: left for the export of a sampled SDK span when an exporter adds span
   * costs and the table has room, else written on the span when it is recording.
   */
  private void writeOutcome(Span span, boolean modelAndProvider, Usage usage, PricedUsage priced, Tags tags) {
    SpanCosts deferred = spanCosts;
    if (deferred != null && deferred.put(span, modelAndProvider, usage, priced, tags)) {
      return;
    }
    if (span.isRecording()) {
      SpanAttributes.outcome(span::setAttribute, modelAndProvider, usage, priced, tags, costAttributes);
    }
  }

  /** Logs an accounting problem once (later ones are only counted in the metrics). */
  void accountingProblem(String what, RuntimeException e) {
    if (accountingProblemLogged.compareAndSet(false, true)) {
      log.warn("finops-otel: {} (logged once; later problems are not logged)", what, e);
    }
  }

  /** Configures {@link FinOpsTelemetry}. Not thread-safe. */
  public static final class Builder {
    private final FinOps finops;
    private OpenTelemetry openTelemetry;
    private BudgetManager budgets;
    private CostAttributes costAttributes = CostAttributes.FINOPS;
    private boolean tokenUsageMetric = true;
    private GpuSampleSource gpuSource;
    private final Map<Class<?>, UsageExtractor<?>> extractors = new LinkedHashMap<>();
    private CallEstimator callEstimator;
    private Tags defaultTags = Tags.EMPTY;
    private final List<CostMetricsListener> metricsListeners = new ArrayList<>();
    private Duration dedupWindow = Duration.ofHours(1);
    private long dedupMaxCalls = 100_000;
    private int spanCostSlots = 4096;

    private Builder(FinOps finops) {
      this.finops = Objects.requireNonNull(finops, "finops");
    }

    /** The OpenTelemetry to trace and meter with (default: {@link GlobalOpenTelemetry#getOrNoop()}). */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Budgets that tracked calls reserve on before they run, and that {@link FinOpsTelemetry#record}
     * and {@link CostSpanExporter} count spend against; also the source of the budget gauges.
     */
    public Builder budgets(BudgetManager budgets) {
      this.budgets = Objects.requireNonNull(budgets, "budgets");
      return this;
    }

    /** Under which names span costs are written (default {@link CostAttributes#FINOPS}). */
    public Builder costAttributes(CostAttributes costAttributes) {
      this.costAttributes = Objects.requireNonNull(costAttributes, "costAttributes");
      return this;
    }

    /**
     * Whether tracked calls and {@link FinOpsTelemetry#record} emit {@code gen_ai.client.token.usage}
     * (default true); turn it off where a GenAI instrumentation already emits it for the same calls.
     */
    public Builder tokenUsageMetric(boolean emit) {
      this.tokenUsageMetric = emit;
      return this;
    }

    /** Where GPU gauges read from (the NVML sampler of finops-gpu-nvml, or any other source). */
    public Builder gpuSource(GpuSampleSource source) {
      this.gpuSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /** Reads usage from tracked methods' results of {@code type} (and its subtypes). */
    public <T> Builder usageExtractor(Class<T> type, UsageExtractor<? super T> extractor) {
      extractors.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(extractor, "extractor"));
      return this;
    }

    /** The budget estimate of tracked methods whose annotation gives no token bounds. */
    public Builder callEstimator(CallEstimator estimator) {
      this.callEstimator = Objects.requireNonNull(estimator, "estimator");
      return this;
    }

    /**
     * Tags every call is recorded under (a service or team name, say), under the ambient and per-call
     * tags; default none.
     */
    public Builder defaultTags(Tags tags) {
      this.defaultTags = Objects.requireNonNull(tags, "tags");
      return this;
    }

    /** Another metrics system to feed beside the OpenTelemetry instruments (Micrometer, in the starter). */
    public Builder metricsListener(CostMetricsListener listener) {
      metricsListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * How long, and for how many calls, response ids are remembered so that a call seen by two paths is
     * counted once (default one hour, 100,000 calls: the ids of a busy service's last minutes at least).
     * Memory: about 35 bytes per call remembered at the busiest (16 per fingerprint, at most half full,
     * and a Bloom filter), a few kilobytes when quiet.
     *
     * @throws IllegalArgumentException if the window is not positive, or {@code maxCalls} is not between
     *     1 and 8,388,608
     */
    public Builder dedup(Duration window, long maxCalls) {
      if (window.isNegative() || window.isZero() || maxCalls <= 0 || maxCalls > 2L * RecentIds.MAX_PER_GENERATION) {
        throw new IllegalArgumentException("dedup window must be positive and calls between 1 and "
            + 2L * RecentIds.MAX_PER_GENERATION + ": " + window + ", " + maxCalls);
      }
      this.dedupWindow = window;
      this.dedupMaxCalls = maxCalls;
      return this;
    }

    /**
     * The size of the table where span outcomes wait for their export once an exporter adds them ({@link
     * FinOpsTelemetry#wrapExporter}); default 4,096 slots (about 150 kB, allocated only then), rounded up
     * to a power of two. It should hold the spans tagged during a few export intervals: at 100 tagged
     * spans a second and the batch processor's 5 s delay, about 500. When full, outcomes are written on
     * the span as without the wrapper (counted in {@link FinOpsTelemetry#spanCostsOverflowed}).
     *
     * @throws IllegalArgumentException if {@code slots} is not between 1 and 1,048,576
     */
    public Builder spanCostSlots(int slots) {
      if (slots < 1 || slots > SpanCosts.MAX_SLOTS) {
        throw new IllegalArgumentException("span cost slots must be between 1 and " + SpanCosts.MAX_SLOTS + ": "
            + slots);
      }
      this.spanCostSlots = slots;
      return this;
    }

    public FinOpsTelemetry build() {
      return new FinOpsTelemetry(this);
    }
  }
}
