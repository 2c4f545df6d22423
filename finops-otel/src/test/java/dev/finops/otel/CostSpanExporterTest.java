package dev.finops.otel;

import static dev.finops.otel.Fixtures.usd;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.UnknownModelPolicy;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pricing the GenAI spans of other instrumentations on their way out. */
@SuppressWarnings("try") // scopes opened for their side effect, as OpenTelemetry does
class CostSpanExporterTest {

  private final ManualClock clock = Fixtures.clock();
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private OpenTelemetrySdk sdk;
  private CostSpanExporter exporter;

  private Tracer setUp(FinOps finops, BudgetManager budgets) {
    OpenTelemetry metricsOnly = OpenTelemetrySdk.builder()
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build()).build();
    FinOpsTelemetry.Builder tb = FinOpsTelemetry.builder(finops).openTelemetry(metricsOnly);
    if (budgets != null) {
      tb.budgets(budgets);
    }
    exporter = CostSpanExporter.builder(exported, tb.build()).defaultTags(Tags.builder().team("platform").build())
        .build();
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build();
    return sdk.getTracer("test-instrumentation");
  }

  @AfterEach
  void tearDown() {
    if (sdk != null) {
      sdk.close();
    }
  }

  /**
   * What Spring AI's chat model observation becomes through Micrometer's OpenTelemetry bridge: the
   * deprecated {@code gen_ai.system}, and every tag a string (Micrometer key values are strings).
   */
  private static void springAiChat(Tracer tracer, long startNanos) {
    Span span = tracer.spanBuilder("chat gpt-4o").setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
        .setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.system", "openai")
        .setAttribute("gen_ai.request.model", "gpt-4o")
        .setAttribute("gen_ai.request.temperature", "0.7")
        .startSpan();
    span.setAttribute("gen_ai.response.id", "chatcmpl-A1");
    span.setAttribute("gen_ai.response.model", "gpt-4o-2024-08-06");
    span.setAttribute("gen_ai.response.finish_reasons", "[\"STOP\"]");
    span.setAttribute("gen_ai.usage.input_tokens", "1200");
    span.setAttribute("gen_ai.usage.output_tokens", "300");
    span.setAttribute("gen_ai.usage.total_tokens", "1500");
    span.end(startNanos + 2_000_000_000L, TimeUnit.NANOSECONDS);
  }

  /**
   * What quarkus-langchain4j's {@code SpanChatModelListener} writes: {@code gen_ai.provider.name} from
   * LangChain4j's {@code ModelProvider} lower-cased ({@code open_ai}), and the deprecated {@code
   * prompt_tokens} / {@code completion_tokens} as longs.
   */
  private static void langChain4jChat(Tracer tracer, long startNanos) {
    Span span = tracer.spanBuilder("completion gpt-4o-mini")
        .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
        .setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.provider.name", "open_ai")
        .setAttribute("gen_ai.request.model", "gpt-4o-mini")
        .setAttribute("gen_ai.request.temperature", 0.0)
        .setAttribute("gen_ai.request.top_p", 1.0)
        .setAttribute("finops.team", "support")
        .startSpan();
    span.setAttribute("gen_ai.response.id", "chatcmpl-B2");
    span.setAttribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18");
    span.setAttribute("gen_ai.response.finish_reasons", "STOP");
    span.setAttribute("gen_ai.usage.completion_tokens", 500L);
    span.setAttribute("gen_ai.usage.prompt_tokens", 3000L);
    span.end(startNanos + 1_000_000_000L, TimeUnit.NANOSECONDS);
  }

  /** A model call of a model no catalog knows. */
  private static void unknownModelCall(Tracer tracer) {
    tracer.spanBuilder("chat acme-llm-9").setAttribute("gen_ai.provider.name", "acme")
        .setAttribute("gen_ai.request.model", "acme-llm-9").setAttribute("gen_ai.usage.input_tokens", 100L)
        .setAttribute("gen_ai.usage.output_tokens", 10L).startSpan().end();
  }

  private static long nanos(ManualClock clock) {
    return TimeUnit.MILLISECONDS.toNanos(clock.wallTimeMillis());
  }

  private SpanData exportedSpan(String name) {
    return exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void prices_a_span_shaped_like_spring_ais() {
    FinOps finops = Fixtures.finops(clock);
    springAiChat(setUp(finops, null), nanos(clock));

    // gpt-4o from 2024-08-06: 1,200 × $2.50 + 300 × $10 per 1M tokens = $0.006
    assertThat(exportedSpan("chat gpt-4o"))
        .hasAttribute(stringKey("finops.cost.amount"), "0.006")
        .hasAttribute(stringKey("finops.cost.currency"), "USD")
        .hasAttribute(stringKey("finops.cost.source"), "bundled_catalog")
        .hasAttribute(stringKey("finops.team"), "platform")
        .hasAttribute(stringKey("gen_ai.usage.input_tokens"), "1200")
        .hasAttribute(stringKey("gen_ai.response.id"), "chatcmpl-A1");
    assertThat(Fixtures.teamTotal(finops.snapshot(), "platform")).isEqualTo(usd("0.006"));
    assertThat(exporter.pricedSpans()).isEqualTo(1);
  }

  @Test
  void prices_a_span_shaped_like_langchain4js_with_its_own_attribution() {
    FinOps finops = Fixtures.finops(clock);
    langChain4jChat(setUp(finops, null), nanos(clock));

    // gpt-4o-mini: 3,000 × $0.15 + 500 × $0.60 per 1M tokens = $0.00075
    SpanData span = exportedSpan("completion gpt-4o-mini");
    assertThat(span).hasAttribute(stringKey("finops.cost.amount"), "0.00075")
        .hasAttribute(stringKey("finops.team"), "support");
    assertThat(span.getTotalAttributeCount()).isEqualTo(span.getAttributes().size());
    assertThat(Fixtures.teamTotal(finops.snapshot(), "support")).isEqualTo(usd("0.00075"));
  }

  @Test
  void records_at_the_span_time_and_counts_cost_in_the_nano_unit_counter() {
    FinOps finops = Fixtures.finops(clock);
    Tracer tracer = setUp(finops, null);
    long start = nanos(clock) - TimeUnit.HOURS.toNanos(3);
    springAiChat(tracer, start);
    langChain4jChat(tracer, start);

    assertThat(finops.snapshot().entries()).allSatisfy(e ->
        assertThat(e.startMillis()).isLessThanOrEqualTo(TimeUnit.NANOSECONDS.toMillis(start) + 2_000));
    MetricData cost = metric(CostMetrics.COST);
    assertThat(cost).hasLongSumSatisfying(sum -> sum.isMonotonic().hasPointsSatisfying(
        p -> p.hasValue(6_000_000L).hasAttributes(Attributes.builder().put("finops.team", "platform")
            .put("finops.model", "gpt-4o").put("finops.kind", "model").put("finops.currency", "USD").build()),
        p -> p.hasValue(750_000L).hasAttributes(Attributes.builder().put("finops.team", "support")
            .put("finops.model", "gpt-4o-mini").put("finops.kind", "model").put("finops.currency", "USD")
            .build())));
    assertThat(metrics.collectAllMetrics()).noneMatch(m -> m.getName().equals(CostMetrics.TOKEN_USAGE));
  }

  @Test
  void agent_spans_and_spans_already_priced_pass_unchanged_and_uncounted() {
    FinOps finops = Fixtures.finops(clock);
    Tracer tracer = setUp(finops, null);
    Span agent = tracer.spanBuilder("invoke_agent planner").setAttribute("gen_ai.operation.name", "invoke_agent")
        .setAttribute("gen_ai.request.model", "gpt-4o").setAttribute("gen_ai.usage.input_tokens", 50_000L)
        .setAttribute("gen_ai.usage.output_tokens", 5_000L).startSpan();
    try (Scope s = agent.makeCurrent()) {
      langChain4jChat(tracer, nanos(clock));
      Span handler = tracer.spanBuilder("chat gpt-4o-mini").setAttribute("gen_ai.request.model", "gpt-4o-mini")
          .setAttribute("gen_ai.usage.input_tokens", 10L).setAttribute("gen_ai.usage.output_tokens", 10L)
          .setAttribute("finops.cost.amount", "0.0000075").setAttribute("finops.cost.source", "bundled_catalog")
          .startSpan();
      handler.end();
    }
    agent.end();

    assertThat(exportedSpan("invoke_agent planner").getAttributes().get(stringKey("finops.cost.amount"))).isNull();
    assertThat(exporter.pricedSpans()).isEqualTo(1);
    assertThat(exporter.unpricedSpans()).isZero();
    assertThat(Fixtures.ledgerTotal(finops)).isEqualTo(usd("0.00075"));
  }

  @Test
  void unpriced_spans_pass_through_unchanged_and_are_counted() {
    FinOps finops = Fixtures.finops(clock);
    Tracer tracer = setUp(finops, null);
    unknownModelCall(tracer);
    Span malformed = tracer.spanBuilder("chat gpt-4o").setAttribute("gen_ai.request.model", "gpt-4o")
        .setAttribute("gen_ai.usage.input_tokens", "lots").startSpan();
    malformed.end();
    Span noUsage = tracer.spanBuilder("GET /health").startSpan();
    noUsage.end();

    SpanData out = exportedSpan("chat acme-llm-9");
    assertThat(out.getAttributes().size()).isEqualTo(4);
    assertThat(out.getAttributes().get(stringKey("finops.cost.source"))).isNull();
    assertThat(exporter.unpricedSpans()).isEqualTo(2);
    assertThat(exported.getFinishedSpanItems()).hasSize(3);
    assertThat(finops.snapshot().entries()).isEmpty();
    assertThat(metric(CostMetrics.UNPRICED)).hasLongSumSatisfying(s -> s.hasPointsSatisfying(p -> p.hasValue(2)));
  }

  @Test
  void under_record_unpriced_the_quantities_of_an_unknown_model_are_kept_in_the_ledger() {
    FinOps finops = FinOps.builder().clock(clock)
        .pricing(Pricing.builder().unknownModelPolicy(UnknownModelPolicy.RECORD_UNPRICED).build()).build();
    Tracer tracer = setUp(finops, null);
    unknownModelCall(tracer);

    assertThat(exporter.unpricedSpans()).isEqualTo(1);
    assertThat(finops.snapshot().total().unpricedRecords()).isEqualTo(1);
  }

  @Test
  void with_a_budget_manager_priced_spans_count_as_spend() {
    FinOps finops = Fixtures.finops(clock);
    BudgetManager budgets = BudgetManager.builder(finops).build();
    budgets.add(Budget.forTeam("platform").limit(usd("10")).build());
    springAiChat(setUp(finops, budgets), nanos(clock));

    assertThat(budgets.statuses().get(0).spent()).isEqualTo(usd("0.006"));
  }

  private MetricData metric(String name) {
    return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }
}
