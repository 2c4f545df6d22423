package dev.finops.otel;

import static dev.finops.otel.Gpt4o.CALL;
import static dev.finops.otel.Gpt4o.CALL_COST;
import static dev.finops.otel.Gpt4o.PROVIDER;
import static dev.finops.otel.Gpt4o.REQUEST_MODEL;
import static dev.finops.otel.Gpt4o.RESPONSE_MODEL;
import static dev.finops.otel.Gpt4o.assertLedgerTotal;
import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.pricing.PricedUsage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exporter and the other recording paths count a call once, by its response id. */
@SuppressWarnings("try") // scopes opened for their side effect, as OpenTelemetry does
class CostSpanExporterDedupTest {
  private static final Tags NLP = Tags.builder().team("nlp").build();

  private final ManualClock clock = Fixtures.clock();
  private final FinOps finops = Fixtures.finops(clock);
  private final FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop())
      .build();
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private SdkTracerProvider provider;
  private CostSpanExporter exporter;

  private Tracer tracer(Supplier<FinOpsTelemetry> telemetry) {
    exporter = CostSpanExporter.builder(exported, telemetry).build();
    provider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    return provider.get("openai-instrumentation");
  }

  private Tracer tracer() {
    return tracer(() -> telemetry);
  }

  @AfterEach
  void tearDown() {
    if (provider != null) {
      provider.close();
    }
  }

  /** A chat span as OpenTelemetry's OpenAI instrumentation writes it, with {@link Gpt4o#CALL}'s counts. */
  private static SpanBuilder chatSpan(Tracer tracer, String responseId) {
    SpanBuilder b = tracer.spanBuilder("chat gpt-4o").setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.provider.name", "openai").setAttribute("gen_ai.request.model", REQUEST_MODEL)
        .setAttribute("gen_ai.response.model", RESPONSE_MODEL)
        .setAttribute("gen_ai.usage.input_tokens", 3_000L).setAttribute("gen_ai.usage.output_tokens", 500L);
    if (responseId != null) {
      b.setAttribute("gen_ai.response.id", responseId);
    }
    return b;
  }

  private SpanData exportedSpan() {
    assertThat(exported.getFinishedSpanItems()).hasSize(1);
    return exported.getFinishedSpanItems().get(0);
  }

  private static String cost(SpanData span) {
    return span.getAttributes().get(stringKey("finops.cost.amount"));
  }

  @Test
  void a_span_whose_call_a_model_call_recorded_passes_through_unpriced_and_is_counted_as_already_recorded() {
    Tracer tracer = tracer();
    telemetry.startCall(NLP, PROVIDER, REQUEST_MODEL, "chat", 100, 500)
        .finish("chatcmpl-1", RESPONSE_MODEL, CALL);

    chatSpan(tracer, "chatcmpl-1").setAttribute("gen_ai.usage.cache_read.input_tokens", 2_000L).startSpan().end();

    SpanData out = exportedSpan();
    assertThat(cost(out)).isNull();
    assertThat(out.getAttributes().get(booleanKey("finops.cost.cache_unknown"))).isNull();
    assertThat(exporter.alreadyRecordedSpans()).isEqualTo(1);
    assertThat(exporter.pricedSpans()).isZero();
    assertThat(exporter.unpricedSpans()).isZero();
    assertThat(telemetry.duplicateCalls()).isEqualTo(1);
    assertLedgerTotal(finops, CALL_COST);
    assertThat(finops.snapshot().total().requests()).isEqualTo(1);
  }

  @Test
  void a_model_call_finishing_after_the_exporter_priced_its_span_records_nothing() {
    Tracer tracer = tracer();
    ModelCall call = telemetry.startCall(NLP, PROVIDER, REQUEST_MODEL, "chat", 100, 500);
    chatSpan(tracer, "chatcmpl-2").setAttribute("gen_ai.usage.cache_read.input_tokens", 2_000L).startSpan().end();

    assertThat(call.finish("chatcmpl-2", RESPONSE_MODEL, CALL)).isNull();

    assertThat(cost(exportedSpan())).isEqualTo("0.01");
    assertThat(exporter.pricedSpans()).isEqualTo(1);
    assertThat(telemetry.duplicateCalls()).isEqualTo(1);
    assertLedgerTotal(finops, CALL_COST);
    assertThat(finops.snapshot().total().requests()).isEqualTo(1);
  }

  @Test
  void a_span_without_cache_counts_is_marked_cache_unknown_and_one_with_a_cache_count_is_not() {
    Tracer tracer = tracer();

    chatSpan(tracer, "chatcmpl-a").startSpan().end();
    chatSpan(tracer, "chatcmpl-b").setAttribute("gen_ai.usage.cache_read.input_tokens", 2_000L).startSpan().end();

    SpanData unknown = exported.getFinishedSpanItems().get(0);
    SpanData known = exported.getFinishedSpanItems().get(1);
    // Every input token at the uncached price: 3,000 × $2.50 + 500 × $10 per 1M = $0.0125.
    assertThat(cost(unknown)).isEqualTo("0.0125");
    assertThat(unknown.getAttributes().get(booleanKey("finops.cost.cache_unknown"))).isTrue();
    assertThat(cost(known)).isEqualTo("0.01");
    assertThat(known.getAttributes().get(booleanKey("finops.cost.cache_unknown"))).isNull();
    assertThat(exporter.cacheUnknownSpans()).isEqualTo(1);
    assertThat(exporter.pricedSpans()).isEqualTo(2);
    assertLedgerTotal(finops, "0.0225");
  }

  @Test
  void a_cache_count_of_zero_still_says_the_cache_was_reported() {
    Tracer tracer = tracer();

    chatSpan(tracer, null).setAttribute("gen_ai.usage.cache_read.input_tokens", 0L).startSpan().end();

    assertThat(exportedSpan().getAttributes().get(booleanKey("finops.cost.cache_unknown"))).isNull();
    assertThat(exporter.cacheUnknownSpans()).isZero();
  }

  @Test
  void with_a_telemetry_supplier_spans_pass_through_unpriced_until_it_answers() {
    AtomicReference<FinOpsTelemetry> later = new AtomicReference<>();
    Tracer tracer = tracer(later::get);

    chatSpan(tracer, "chatcmpl-early").startSpan().end();

    assertThat(cost(exported.getFinishedSpanItems().get(0))).isNull();
    assertThat(exporter.pricedSpans()).isZero();
    assertThat(exporter.unpricedSpans()).isZero();
    assertThat(finops.snapshot().entries()).isEmpty();

    later.set(telemetry);
    chatSpan(tracer, "chatcmpl-late").setAttribute("gen_ai.usage.cache_read.input_tokens", 2_000L)
        .startSpan().end();

    assertThat(exported.getFinishedSpanItems()).hasSize(2);
    assertThat(cost(exported.getFinishedSpanItems().get(1))).isEqualTo("0.01");
    assertThat(exporter.pricedSpans()).isEqualTo(1);
    assertLedgerTotal(finops, CALL_COST);
  }

  @Test
  void a_supplier_that_throws_is_asked_again_at_the_next_export() {
    AtomicReference<FinOpsTelemetry> later = new AtomicReference<>();
    Tracer tracer = tracer(() -> {
      FinOpsTelemetry t = later.get();
      if (t == null) {
        throw new IllegalStateException("not built yet");
      }
      return t;
    });

    chatSpan(tracer, "chatcmpl-early").startSpan().end();
    later.set(telemetry);
    chatSpan(tracer, "chatcmpl-late").setAttribute("gen_ai.usage.cache_read.input_tokens", 2_000L)
        .startSpan().end();

    assertThat(cost(exported.getFinishedSpanItems().get(0))).isNull();
    assertThat(cost(exported.getFinishedSpanItems().get(1))).isEqualTo("0.01");
    assertLedgerTotal(finops, CALL_COST);
  }

  @Test
  void record_with_a_response_id_and_the_exporter_seeing_the_same_call_count_it_once() {
    Tracer tracer = tracer();

    PricedUsage recorded = telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-r");
    // The span of the same call, not current when record ran: it carries no cost of its own.
    chatSpan(tracer, "chatcmpl-r").setAttribute("gen_ai.usage.cache_read.input_tokens", 2_000L).startSpan().end();

    assertThat(recorded).isNotNull();
    assertThat(cost(exportedSpan())).isNull();
    assertThat(exporter.alreadyRecordedSpans()).isEqualTo(1);
    assertLedgerTotal(finops, CALL_COST);
    assertThat(finops.snapshot().total().requests()).isEqualTo(1);
  }

  @Test
  void the_exporter_first_then_record_with_the_same_id_count_it_once() {
    Tracer tracer = tracer();

    chatSpan(tracer, "chatcmpl-r2").setAttribute("gen_ai.usage.cache_read.input_tokens", 2_000L).startSpan().end();
    PricedUsage recorded = telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-r2");

    assertThat(recorded).isNull();
    assertThat(cost(exportedSpan())).isEqualTo("0.01");
    assertThat(telemetry.duplicateCalls()).isEqualTo(1);
    assertLedgerTotal(finops, CALL_COST);
    assertThat(finops.snapshot().total().requests()).isEqualTo(1);
  }

  @Test
  void record_inside_the_calls_own_span_tags_it_and_the_exporter_leaves_it() {
    Tracer tracer = tracer();

    Span span = chatSpan(tracer, "chatcmpl-r3").setAttribute("gen_ai.usage.cache_read.input_tokens", 2_000L)
        .startSpan();
    try (Scope s = span.makeCurrent()) {
      telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-r3");
    }
    span.end();

    assertThat(cost(exportedSpan())).isEqualTo("0.01");
    assertThat(exporter.pricedSpans()).isZero();
    assertLedgerTotal(finops, CALL_COST);
    assertThat(finops.snapshot().total().requests()).isEqualTo(1);
  }

  @Test
  void a_model_call_under_the_instrumentations_span_tags_it_and_exporter_and_budget_count_it_once() {
    BudgetManager budgets = BudgetManager.builder(finops).build();
    budgets.add(Budget.forTeam("nlp").limit(Money.usd("1")).lifetime().build());
    FinOpsTelemetry budgeted = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop())
        .budgets(budgets).build();
    Tracer tracer = tracer(() -> budgeted);

    Span span = chatSpan(tracer, "chatcmpl-u").setAttribute("gen_ai.usage.cache_read.input_tokens", 2_000L)
        .setAttribute("finops.team", "nlp").startSpan();
    ModelCall call;
    try (Scope s = span.makeCurrent()) {
      call = budgeted.startCall(NLP, PROVIDER, REQUEST_MODEL, "chat", 100, 500);
    }
    call.finish("chatcmpl-u", RESPONSE_MODEL, CALL);
    span.end();

    assertThat(cost(exportedSpan())).isEqualTo("0.01");
    assertThat(exporter.pricedSpans()).isZero(); // priced by the call, left as it is
    assertThat(exporter.alreadyRecordedSpans()).isZero();
    assertLedgerTotal(finops, CALL_COST);
    assertThat(finops.snapshot().total().requests()).isEqualTo(1);
    Gpt4o.assertBudget(budgets, CALL_COST, "0");
  }

  /**
   * Inside a {@link CostTracked} call, the client's span is exported (and priced, as unreserved spend on
   * the team's budget) before the integration's {@link ModelCall} finishes with the same response id.
   * The ledger counts the call once, but the ModelCall, refused as a duplicate, reports nothing to the
   * tracked call, whose handler then sees no usage and settles its reservation at its full amount: the
   * budget is charged the exporter's actual cost plus the whole estimate.
   */
  @Test
  void a_duplicate_model_call_inside_a_tracked_call_does_not_charge_the_budget_twice() {
    BudgetManager budgets = BudgetManager.builder(finops).build();
    budgets.add(Budget.forTeam("nlp").limit(Money.usd("1")).lifetime().build());
    FinOpsTelemetry budgeted = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop())
        .budgets(budgets).build();
    Tracer tracer = tracer(() -> budgeted);
    TrackedAssistant assistant = budgeted.wrap(TrackedAssistant.class, () -> {
      ModelCall call = budgeted.startCall(NLP, PROVIDER, REQUEST_MODEL, "chat", 100, 500);
      // The instrumentation's span ends (and is exported) before the integration sees the usage.
      chatSpan(tracer, "chatcmpl-t").setAttribute("gen_ai.usage.cache_read.input_tokens", 2_000L)
          .setAttribute("finops.team", "nlp").startSpan().end();
      call.finish("chatcmpl-t", RESPONSE_MODEL, CALL);
    });

    assistant.ask();

    assertThat(exporter.pricedSpans()).isEqualTo(1);
    assertLedgerTotal(finops, CALL_COST);
    Gpt4o.assertBudget(budgets, CALL_COST, "0");
  }

  interface TrackedAssistant {
    @CostTracked(model = "gpt-4o", provider = "openai", tags = "team=nlp", maxInputTokens = 100,
        maxOutputTokens = 500)
    void ask();
  }

  /**
   * A span the exporter cannot price (the model is an Azure deployment name no catalog knows, under the
   * default FAIL policy) is neither priced nor recorded, yet its response id stays claimed; the
   * integration that sees the same call with a priceable model ({@code record}, or a {@link
   * ModelCall} finishing after the span was exported) is then refused as a duplicate, and the call is
   * recorded nowhere.
   */
  @Test
  void a_span_the_exporter_could_not_price_does_not_keep_its_id_from_another_path() {
    Tracer tracer = tracer();

    tracer.spanBuilder("chat my-deployment").setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.provider.name", "azure.ai.openai")
        .setAttribute("gen_ai.request.model", "my-deployment")
        .setAttribute("gen_ai.response.id", "chatcmpl-azure")
        .setAttribute("gen_ai.usage.input_tokens", 3_000L).setAttribute("gen_ai.usage.output_tokens", 500L)
        .startSpan().end();
    assertThat(exporter.unpricedSpans()).isEqualTo(1);
    assertThat(finops.snapshot().entries()).isEmpty();

    PricedUsage recorded = telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-azure");

    assertThat(recorded).isNotNull();
    assertLedgerTotal(finops, CALL_COST);
  }
}
