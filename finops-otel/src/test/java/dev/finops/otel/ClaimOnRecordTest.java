package dev.finops.otel;

import static dev.finops.otel.Gpt4o.CALL;
import static dev.finops.otel.Gpt4o.CALL_COST;
import static dev.finops.otel.Gpt4o.ESTIMATE;
import static dev.finops.otel.Gpt4o.INPUT_BOUND;
import static dev.finops.otel.Gpt4o.MAX_OUTPUT;
import static dev.finops.otel.Gpt4o.PROVIDER;
import static dev.finops.otel.Gpt4o.REQUEST_MODEL;
import static dev.finops.otel.Gpt4o.RESPONSE_MODEL;
import static dev.finops.otel.Gpt4o.assertBudget;
import static dev.finops.otel.Gpt4o.assertLedgerTotal;
import static dev.finops.otel.Gpt4o.assertUsd;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.PricingException;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A response id is claimed only by the path that records the call, never a blank one, and a call is
 * charged to the budgets once whichever paths see it.
 */
@SuppressWarnings("try") // scopes opened for their side effect, as OpenTelemetry does
class ClaimOnRecordTest {
  private static final Tags NLP = Tags.builder().team("nlp").build();
  /** A team without a budget: its calls need no estimate. */
  private static final Tags OPS = Tags.builder().team("ops").build();

  private final ManualClock clock = Fixtures.clock();
  private final FinOps finops = Fixtures.finops(clock);
  private final BudgetManager budgets = BudgetManager.builder(finops).build()
      .add(Budget.forTeam("nlp").limit(Money.usd("1")).lifetime().build());
  private final FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop())
      .budgets(budgets).build();
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final CostSpanExporter exporter = CostSpanExporter.wrap(exported, telemetry);
  private final SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final Tracer tracer = provider.get("instrumentation");

  @AfterEach
  void tearDown() {
    provider.close();
  }

  private ModelCall start() {
    return telemetry.startCall(NLP, PROVIDER, REQUEST_MODEL, "chat", INPUT_BOUND, MAX_OUTPUT);
  }

  /** The span of {@link Gpt4o#CALL} as a GenAI instrumentation writes it, cache count included. */
  private SpanBuilder chatSpan(String responseId) {
    return tracer.spanBuilder("chat gpt-4o").setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.provider.name", "openai").setAttribute("gen_ai.request.model", REQUEST_MODEL)
        .setAttribute("gen_ai.response.model", RESPONSE_MODEL).setAttribute("gen_ai.response.id", responseId)
        .setAttribute("gen_ai.usage.input_tokens", 3_000L).setAttribute("gen_ai.usage.output_tokens", 500L)
        .setAttribute("gen_ai.usage.cache_read.input_tokens", 2_000L).setAttribute("finops.team", "nlp");
  }

  private static String cost(SpanData span) {
    return span.getAttributes().get(stringKey("finops.cost.amount"));
  }

  // ---- 1: claimed only when recorded --------------------------------------------------------------

  @Test
  void an_early_claim_of_a_call_that_cannot_be_priced_is_given_up_for_another_path() {
    ModelCall call = telemetry.startCall(OPS, PROVIDER, "my-deployment", "chat", -1, -1);
    assertThat(call.claimResponseId("chatcmpl-early")).isTrue();

    assertThat(call.finish("chatcmpl-early", "my-deployment", CALL)).isNull(); // unknown model, FAIL policy

    assertThat(finops.snapshot().entries()).isEmpty();
    PricedUsage recorded = telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-early");
    assertThat(recorded).isNotNull();
    assertLedgerTotal(finops, CALL_COST);
    assertThat(telemetry.duplicateCalls()).isZero();
  }

  @Test
  void a_model_call_that_cannot_be_priced_leaves_the_id_to_the_exporter() {
    telemetry.startCall(OPS, PROVIDER, "my-deployment", "chat", -1, -1)
        .finish("chatcmpl-u", "my-deployment", CALL);

    chatSpan("chatcmpl-u").startSpan().end();

    assertThat(exporter.pricedSpans()).isEqualTo(1);
    assertThat(exporter.alreadyRecordedSpans()).isZero();
    assertLedgerTotal(finops, CALL_COST);
  }

  // ---- 2: inside a tracked call, budgets charged once ---------------------------------------------

  interface Assistant {
    @CostTracked(model = "gpt-4o", provider = "openai", tags = "team=nlp", maxInputTokens = 100,
        maxOutputTokens = 500)
    void ask();
  }

  @Test
  void a_model_call_inside_a_tracked_call_then_its_span_exported_charge_the_budget_one_call_cost() {
    Assistant assistant = telemetry.wrap(Assistant.class, () -> {
      ModelCall call = start();
      assertBudget(budgets, "0", ESTIMATE); // the handler's reservation only
      call.finish("chatcmpl-t1", RESPONSE_MODEL, CALL);
    });

    assistant.ask();
    chatSpan("chatcmpl-t1").startSpan().end(); // the client's span, exported after the call

    assertThat(exporter.alreadyRecordedSpans()).isEqualTo(1);
    assertLedgerTotal(finops, CALL_COST);
    assertThat(finops.snapshot().total().requests()).isEqualTo(1);
    assertBudget(budgets, CALL_COST, "0");
    assertThat(budgets.stats().reservations()).isEqualTo(1);
    assertThat(budgets.stats().settled()).isEqualTo(1);
  }

  @Test
  void a_duplicate_record_inside_a_tracked_call_does_not_charge_the_budget_twice() {
    Assistant assistant = telemetry.wrap(Assistant.class, () -> {
      chatSpan("chatcmpl-t2").startSpan().end(); // priced by the exporter: unreserved spend
      assertThat(telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-t2")).isNull();
    });

    assistant.ask();

    assertThat(exporter.pricedSpans()).isEqualTo(1);
    assertLedgerTotal(finops, CALL_COST);
    assertBudget(budgets, CALL_COST, "0");
    assertThat(budgets.stats().released()).isEqualTo(1); // the handler's reservation, unused
  }

  // ---- 3: the cost never lands on an agent's or a tool's span -------------------------------------

  @Test
  void a_model_call_under_an_agent_or_tool_span_writes_no_cost_on_it() {
    for (String operation : new String[] {"invoke_agent", "execute_tool", "create_agent"}) {
      Span parent = tracer.spanBuilder(operation + " x").setAttribute("gen_ai.operation.name", operation)
          .startSpan();
      try (Scope s = parent.makeCurrent()) {
        start().finish(null, RESPONSE_MODEL, CALL);
      }
      parent.end();
    }

    assertThat(exported.getFinishedSpanItems()).hasSize(3).allSatisfy(span -> {
      assertThat(cost(span)).isNull();
      assertThat(span.getAttributes().get(stringKey("finops.team"))).isNull();
    });
    assertLedgerTotal(finops, "0.03");
  }

  @Test
  void a_model_call_under_an_inference_span_of_any_case_writes_its_cost_on_it() {
    Span span = tracer.spanBuilder("embeddings x").setAttribute("gen_ai.operation.name", "Embeddings")
        .startSpan();
    try (Scope s = span.makeCurrent()) {
      start().finish(null, RESPONSE_MODEL, CALL);
    }
    span.end();

    assertThat(cost(exported.getFinishedSpanItems().get(0))).isEqualTo("0.01");
  }

  // ---- 4: blank ids are no ids --------------------------------------------------------------------

  @Test
  void blank_response_ids_are_never_claimed() {
    assertThat(start().finish("", RESPONSE_MODEL, CALL)).isNotNull();
    assertThat(start().finish("  ", RESPONSE_MODEL, CALL)).isNotNull();
    assertThat(telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "")).isNotNull();
    ModelCall streamed = start();
    assertThat(streamed.claimResponseId(" ")).isTrue();
    assertThat(streamed.finish(" ", RESPONSE_MODEL, CALL)).isNotNull();
    chatSpan("").startSpan().end();

    assertThat(telemetry.duplicateCalls()).isZero();
    assertThat(exporter.pricedSpans()).isEqualTo(1);
    assertThat(finops.snapshot().total().requests()).isEqualTo(5);
    assertLedgerTotal(finops, "0.05");
  }

  // ---- 5: a call without usage keeps its id -------------------------------------------------------

  @Test
  void a_call_finished_without_usage_claims_its_id_so_no_other_path_prices_it() {
    assertThat(start().finish("chatcmpl-nu", RESPONSE_MODEL, null)).isNull();

    chatSpan("chatcmpl-nu").startSpan().end();
    PricedUsage later = telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-nu");

    assertThat(later).isNull();
    assertThat(exporter.alreadyRecordedSpans()).isEqualTo(1);
    assertThat(finops.snapshot().entries()).isEmpty();
    assertBudget(budgets, ESTIMATE, "0"); // held whole, once
  }

  @Test
  void a_call_without_usage_whose_id_another_path_recorded_releases_its_reservation() {
    chatSpan("chatcmpl-nu2").startSpan().end();

    assertThat(start().finish("chatcmpl-nu2", RESPONSE_MODEL, null)).isNull();

    assertThat(telemetry.duplicateCalls()).isEqualTo(1);
    assertThat(telemetry.callsWithoutUsage()).isZero();
    assertLedgerTotal(finops, CALL_COST);
    assertBudget(budgets, CALL_COST, "0");
  }

  // ---- 6: record checks the id before pricing, and claims only what it records --------------------

  @Test
  void record_of_a_recorded_id_is_a_duplicate_before_any_pricing() {
    telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-r");

    // The same call seen again, under a name no catalog knows: refused as a duplicate, not priced.
    assertThat(telemetry.record(NLP, PROVIDER, "my-deployment", CALL, "chatcmpl-r")).isNull();
    assertThat(telemetry.duplicateCalls()).isEqualTo(1);
    assertLedgerTotal(finops, CALL_COST);
  }

  @Test
  void record_that_cannot_price_does_not_claim_the_id() {
    assertThatThrownBy(() -> telemetry.record(NLP, PROVIDER, "my-deployment", CALL, "chatcmpl-f"))
        .isInstanceOf(PricingException.class);

    assertThat(telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-f")).isNotNull();
    assertLedgerTotal(finops, CALL_COST);
    assertThat(telemetry.duplicateCalls()).isZero();
  }

  // ---- 7: a failure after the spend was recorded settles, never releases --------------------------

  @Test
  void a_metrics_listener_failing_after_the_spend_was_recorded_leaves_the_budget_charged_exactly() {
    FinOpsTelemetry failing = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop()).budgets(budgets)
        .metricsListener(new CostMetricsListener() {
          @Override
          public void cost(Tags tags, PricedUsage priced) {
            throw new IllegalStateException("listener down");
          }

          @Override
          public void unpriced(Tags tags) {}

          @Override
          public void tokens(String operation, String provider, String requestModel, String responseModel,
              Usage usage) {}
        }).build();

    ModelCall call = failing.startCall(NLP, PROVIDER, REQUEST_MODEL, "chat", INPUT_BOUND, MAX_OUTPUT);
    call.finish("chatcmpl-m", RESPONSE_MODEL, CALL);

    assertLedgerTotal(finops, CALL_COST);
    assertBudget(budgets, CALL_COST, "0");
    assertThat(budgets.stats().released()).isZero();
    // Recorded: the id stays claimed.
    assertThat(failing.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-m")).isNull();
    assertUsd(finops.snapshot().total().cost(), CALL_COST);
  }
}
