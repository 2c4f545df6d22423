package dev.finops.otel;

import static dev.finops.otel.Gpt4o.CALL;
import static dev.finops.otel.Gpt4o.CALL_COST;
import static dev.finops.otel.Gpt4o.PROVIDER;
import static dev.finops.otel.Gpt4o.RESPONSE_MODEL;
import static dev.finops.otel.Gpt4o.assertBudget;
import static dev.finops.otel.Gpt4o.assertLedgerTotal;
import static dev.finops.otel.Gpt4o.assertUsd;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.pricing.PricedUsage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link FinOpsTelemetry#record}: calls no integration sees, recorded once and tagged on the current span. */
@SuppressWarnings("try") // scopes opened for their side effect, as OpenTelemetry does
class RecordTest {
  private static final Tags NLP = Tags.builder().team("nlp").build();

  private final ManualClock clock = Fixtures.clock();
  private final FinOps finops = Fixtures.finops(clock);
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
      .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  private final Tracer tracer = provider.get("app");

  @AfterEach
  void tearDown() {
    provider.close();
  }

  private FinOpsTelemetry.Builder telemetryBuilder() {
    return FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop());
  }

  private SpanData onlySpan() {
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
    return spans.getFinishedSpanItems().get(0);
  }

  private static String attr(SpanData span, String key) {
    return span.getAttributes().get(stringKey(key));
  }

  @Test
  void record_writes_the_response_model_and_the_cost_on_the_current_span_but_not_a_request_model() {
    FinOpsTelemetry telemetry = telemetryBuilder().build();

    Span span = tracer.spanBuilder("ask").startSpan();
    PricedUsage priced;
    try (Scope s = span.makeCurrent()) {
      priced = telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL);
    }
    span.end();

    assertUsd(priced.total(), CALL_COST);
    SpanData out = onlySpan();
    assertThat(attr(out, "gen_ai.response.model")).isEqualTo(RESPONSE_MODEL);
    assertThat(attr(out, "finops.cost.amount")).isEqualTo("0.01");
    assertThat(attr(out, "finops.cost.currency")).isEqualTo("USD");
    assertThat(attr(out, "finops.team")).isEqualTo("nlp");
    assertThat(attr(out, "gen_ai.request.model")).isNull();
    assertLedgerTotal(finops, CALL_COST);
    assertUsd(finops.snapshot().where("team", "nlp").total().cost(), CALL_COST);
  }

  @Test
  void record_leaves_the_request_model_of_an_instrumentations_span_as_it_was() {
    FinOpsTelemetry telemetry = telemetryBuilder().build();

    Span span = tracer.spanBuilder("chat gpt-4o").setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.request.model", "gpt-4o").startSpan();
    try (Scope s = span.makeCurrent()) {
      telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL);
    }
    span.end();

    SpanData out = onlySpan();
    assertThat(attr(out, "gen_ai.request.model")).isEqualTo("gpt-4o");
    assertThat(attr(out, "gen_ai.response.model")).isEqualTo(RESPONSE_MODEL);
    assertThat(attr(out, "finops.cost.amount")).isEqualTo("0.01");
  }

  @Test
  void record_goes_under_the_default_and_ambient_tags_and_counts_as_unreserved_spend() {
    BudgetManager budgets = BudgetManager.builder(finops).build();
    budgets.add(Budget.forTeam("nlp").limit(Money.usd("1")).lifetime().build());
    FinOpsTelemetry telemetry = telemetryBuilder().budgets(budgets)
        .defaultTags(Tags.builder().org("acme").build()).build();

    try (Scope s = CostContext.withTags(NLP)) {
      telemetry.record(Tags.builder().project("search").build(), PROVIDER, RESPONSE_MODEL, CALL);
    }

    assertThat(finops.snapshot().entries()).singleElement().satisfies(e ->
        assertThat(e.tags()).isEqualTo(Tags.builder().org("acme").team("nlp").project("search").build()));
    assertBudget(budgets, CALL_COST, "0");
    assertThat(budgets.stats().unreservedRecords()).isEqualTo(1);
  }

  @Test
  void record_with_a_response_id_seen_before_returns_null_and_records_nothing() {
    FinOpsTelemetry telemetry = telemetryBuilder().build();

    assertThat(telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-1")).isNotNull();
    assertThat(telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-1")).isNull();
    assertThat(telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-2")).isNotNull();

    assertLedgerTotal(finops, "0.02");
    assertThat(telemetry.duplicateCalls()).isEqualTo(1);
  }

  @Test
  void record_feeds_the_metrics_listeners() {
    List<String> heard = new CopyOnWriteArrayList<>();
    FinOpsTelemetry telemetry = telemetryBuilder().metricsListener(new CostMetricsListener() {
      @Override
      public void cost(Tags tags, PricedUsage priced) {
        heard.add("cost " + tags.team() + " " + priced.total().toPlainString());
      }

      @Override
      public void unpriced(Tags tags) {
        heard.add("unpriced");
      }

      @Override
      public void tokens(String operation, String provider, String requestModel, String responseModel, Usage usage) {
        heard.add("tokens " + operation + " " + provider + " " + requestModel + " " + responseModel);
      }
    }).build();

    telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL);

    assertThat(heard).containsExactly("cost nlp 0.01", "tokens chat openai null gpt-4o-2024-08-06");
  }

  /** A handler whose method calls a client no integration sees, and records it itself. */
  interface Assistant {
    @CostTracked(model = "gpt-4o", provider = "openai", tags = "team=nlp", maxInputTokens = 3_000,
        maxOutputTokens = 500)
    String ask(String question);
  }

  @Test
  void inside_a_cost_tracked_call_record_reports_to_the_tracked_call_which_records_it_once() {
    BudgetManager budgets = BudgetManager.builder(finops).build();
    budgets.add(Budget.forTeam("nlp").limit(Money.usd("1")).lifetime().build());
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop())
        .budgets(budgets).build();
    AtomicReference<PricedUsage> fromRecord = new AtomicReference<>();
    Assistant assistant = telemetry.wrap(Assistant.class, question -> {
      fromRecord.set(telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-in"));
      return "answer";
    });

    assertThat(assistant.ask("q")).isEqualTo("answer");

    assertThat(fromRecord.get()).isNotNull();
    assertLedgerTotal(finops, CALL_COST);
    assertThat(finops.snapshot().total().requests()).isEqualTo(1);
    assertUsd(finops.snapshot().where("team", "nlp").total().cost(), CALL_COST);
    // Settled through the handler's reservation, not also recorded as unreserved spend.
    assertBudget(budgets, CALL_COST, "0");
    assertThat(budgets.stats().settled()).isEqualTo(1);
    assertThat(budgets.stats().unreservedRecords()).isZero();
    // The id was claimed: the exporter or an integration seeing the same call would not count it again.
    assertThat(telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-in")).isNull();
  }

  @Test
  void inside_a_cost_tracked_call_the_tracked_span_gets_the_cost_once() {
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(
        io.opentelemetry.sdk.OpenTelemetrySdk.builder().setTracerProvider(provider).build()).build();
    Assistant assistant = telemetry.wrap(Assistant.class, question -> {
      telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL);
      return "answer";
    });

    assistant.ask("q");

    SpanData out = onlySpan();
    assertThat(out.getName()).isEqualTo("chat gpt-4o");
    assertThat(attr(out, "finops.cost.amount")).isEqualTo("0.01");
    assertThat(attr(out, "gen_ai.request.model")).isEqualTo("gpt-4o");
    assertThat(attr(out, "gen_ai.response.model")).isEqualTo(RESPONSE_MODEL);
    assertLedgerTotal(finops, CALL_COST);
  }
}
