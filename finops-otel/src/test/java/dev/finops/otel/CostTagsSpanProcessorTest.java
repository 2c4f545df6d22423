package dev.finops.otel;

import static dev.finops.otel.Gpt4o.CALL_COST;
import static dev.finops.otel.Gpt4o.assertUsd;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ambient {@link CostContext#withTags} attribution carried on spans to the exporter's thread. */
@SuppressWarnings("try") // scopes opened for their side effect, as OpenTelemetry does
class CostTagsSpanProcessorTest {
  private final ManualClock clock = Fixtures.clock();
  private final FinOps finops = Fixtures.finops(clock);
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private SdkTracerProvider provider;

  private Tracer tracer(FinOpsTelemetry telemetry) {
    provider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
        .addSpanProcessor(new CostTagsSpanProcessor())
        .addSpanProcessor(SimpleSpanProcessor.create(CostSpanExporter.wrap(exported, telemetry))).build();
    return provider.get("spring-ai");
  }

  private Tracer tracer() {
    return tracer(FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop()).build());
  }

  @AfterEach
  void tearDown() {
    if (provider != null) {
      provider.close();
    }
  }

  /** A gpt-4o chat span with {@link Gpt4o#CALL}'s counts ($0.0100). */
  private static void chat(Tracer tracer, String name) {
    tracer.spanBuilder(name).setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.provider.name", "openai").setAttribute("gen_ai.request.model", "gpt-4o")
        .setAttribute("gen_ai.usage.input_tokens", 3_000L).setAttribute("gen_ai.usage.output_tokens", 500L)
        .setAttribute("gen_ai.usage.cache_read.input_tokens", 2_000L).startSpan().end();
  }

  private SpanData span(String name) {
    return exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  private static String attr(SpanData span, String key) {
    return span.getAttributes().get(stringKey(key));
  }

  @Test
  void spans_started_inside_with_tags_carry_the_attribution_and_are_recorded_under_it() {
    Tracer tracer = tracer();

    try (Scope s = CostContext.withTags(Tags.builder().team("nlp").project("search").experiment("rerank")
        .run("run-7").build())) {
      chat(tracer, "inside");
    }

    SpanData span = span("inside");
    assertThat(attr(span, "finops.team")).isEqualTo("nlp");
    assertThat(attr(span, "finops.project")).isEqualTo("search");
    assertThat(attr(span, "finops.experiment")).isEqualTo("rerank");
    assertThat(attr(span, "finops.run")).isEqualTo("run-7");
    assertThat(attr(span, "finops.cost.amount")).isEqualTo("0.01");
    assertUsd(finops.snapshot().where("team", "nlp").total().cost(), CALL_COST);
    assertUsd(finops.snapshot().where("run", "run-7").total().cost(), CALL_COST);
  }

  @Test
  void spans_started_outside_any_scope_are_left_alone() {
    Tracer tracer = tracer();

    try (Scope s = CostContext.withTags(Tags.builder().team("nlp").build())) {
      // nothing started here
    }
    tracer.spanBuilder("GET /health").startSpan().end();
    chat(tracer, "outside");

    assertThat(attr(span("GET /health"), "finops.team")).isNull();
    assertThat(span("GET /health").getAttributes().size()).isZero();
    assertThat(attr(span("outside"), "finops.team")).isNull();
    assertThat(finops.snapshot().where("team", "nlp").entries()).isEmpty();
    assertUsd(finops.snapshot().total().cost(), CALL_COST);
  }

  @Test
  void nested_scopes_add_to_the_outer_tags_and_the_inner_wins_on_the_same_key() {
    Tracer tracer = tracer();

    try (Scope outer = CostContext.withTags(Tags.builder().team("nlp").project("search").build())) {
      try (Scope inner = CostContext.withTags(Tags.builder().project("rerank").run("run-9").build())) {
        chat(tracer, "nested");
      }
      chat(tracer, "outer");
    }

    assertThat(attr(span("nested"), "finops.team")).isEqualTo("nlp");
    assertThat(attr(span("nested"), "finops.project")).isEqualTo("rerank");
    assertThat(attr(span("nested"), "finops.run")).isEqualTo("run-9");
    assertThat(attr(span("outer"), "finops.project")).isEqualTo("search");
    assertThat(attr(span("outer"), "finops.run")).isNull();
    assertUsd(finops.snapshot().where("project", "rerank").total().cost(), CALL_COST);
    assertUsd(finops.snapshot().where("project", "search").total().cost(), CALL_COST);
  }

  @Test
  void a_span_started_on_another_thread_under_a_propagated_context_carries_its_tags() throws Exception {
    Tracer tracer = tracer();
    Context captured;
    try (Scope s = CostContext.withTags(Tags.builder().team("nlp").build())) {
      captured = Context.current();
    }

    Thread worker = new Thread(captured.wrap(() -> chat(tracer, "async")));
    worker.start();
    worker.join();

    assertThat(attr(span("async"), "finops.team")).isEqualTo("nlp");
    assertUsd(finops.snapshot().where("team", "nlp").total().cost(), CALL_COST);
  }

  @Test
  void the_teams_budget_sees_the_cost_of_a_span_priced_later_by_the_exporter() {
    BudgetManager budgets = BudgetManager.builder(finops).build();
    budgets.add(Budget.forTeam("nlp").limit(Money.usd("1")).lifetime().build());
    Tracer tracer = tracer(FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop()).budgets(budgets)
        .build());

    try (Scope s = CostContext.withTags(Tags.builder().team("nlp").build())) {
      chat(tracer, "budgeted");
    }

    assertUsd(budgets.statuses().get(0).spent(), CALL_COST);
  }

  @Test
  void the_telemetrys_default_tags_stay_under_the_spans_tags() {
    Tracer tracer = tracer(FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop())
        .defaultTags(Tags.builder().org("acme").team("platform").build()).build());

    try (Scope s = CostContext.withTags(Tags.builder().team("nlp").build())) {
      chat(tracer, "tagged");
    }

    assertThat(finops.snapshot().entries()).singleElement().satisfies(e ->
        assertThat(e.tags()).isEqualTo(Tags.builder().org("acme").team("nlp").build()));
  }
}
