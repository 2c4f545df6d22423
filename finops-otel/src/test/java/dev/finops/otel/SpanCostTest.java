package dev.finops.otel;

import static dev.finops.otel.Fixtures.MINI_CALL;
import static dev.finops.otel.Fixtures.MINI_CALL_COST;
import static dev.finops.otel.Fixtures.NLP;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.UnknownModelPolicy;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Usage, cost and attribution on a span: exact names, types and values. */
@SuppressWarnings("try") // scopes opened for their side effect, as OpenTelemetry does
class SpanCostTest {

  private static final long[] POW10_RANDOM = {1L, 10L, 1_000L, 1_000_000L, 10_000_000L, 1_000_000_000L,
      1_000_000_000_000L};

  @RegisterExtension
  static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  private final ManualClock clock = Fixtures.clock();
  private final FinOps finops = Fixtures.finops(clock);

  private SpanData onlySpan() {
    assertThat(otel.getSpans()).hasSize(1);
    return otel.getSpans().get(0);
  }

  private SpanData tagged(CostAttributes style, PricedUsage priced, Tags tags) {
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(otel.getOpenTelemetry())
        .costAttributes(style).build();
    Span span = otel.getOpenTelemetry().getTracer("test").spanBuilder("chat gpt-4o-mini").startSpan();
    try (Scope s = span.makeCurrent()) {
      telemetry.tagCurrentSpan(priced, tags);
    } finally {
      span.end();
    }
    return onlySpan();
  }

  @Test
  void finops_cost_is_the_exact_decimal_as_a_string_with_currency_source_usage_and_attribution() {
    PricedUsage priced = finops.price("openai", "gpt-4o-mini", MINI_CALL);

    SpanData span = tagged(CostAttributes.FINOPS, priced, NLP);

    assertThat(span).hasAttributesSatisfyingExactly(Fixtures.miniCallAttributes(
        equalTo(stringKey("finops.experiment"), "rerank"),
        equalTo(stringKey("finops.run"), "run-42")));
  }

  @Test
  void proposed_gen_ai_cost_attributes_are_opt_in_and_typed_as_the_proposal_types_them() {
    PricedUsage priced = finops.price("openai", "gpt-4o-mini", MINI_CALL);

    SpanData span = tagged(CostAttributes.GEN_AI, priced, Tags.EMPTY);

    assertThat(span.getAttributes().get(doubleKey("gen_ai.usage.cost.amount"))).isEqualTo(0.0006);
    assertThat(span.getAttributes().get(stringKey("gen_ai.usage.cost.currency"))).isEqualTo("USD");
    assertThat(span.getAttributes().get(stringKey("gen_ai.usage.cost.source"))).isEqualTo("local");
    assertThat(span.getAttributes().get(stringKey("finops.cost.amount"))).isNull();
    assertThat(span.getAttributes().get(stringKey("finops.cost.source"))).isNull();
    assertThat(span.getAttributes().get(stringKey("finops.team"))).isNull();
  }

  @Test
  void both_styles_together_and_a_provider_reported_cost_has_source_provider() {
    PricedUsage reported = finops.pricing().priceReported("openai", "gpt-4o-mini", MINI_CALL, Money.usd("0.00061"));

    SpanData span = tagged(CostAttributes.BOTH, reported, Tags.EMPTY);

    assertThat(span).hasAttribute(stringKey("finops.cost.amount"), "0.00061")
        .hasAttribute(stringKey("finops.cost.source"), "caller")
        .hasAttribute(doubleKey("gen_ai.usage.cost.amount"), 0.00061)
        .hasAttribute(stringKey("gen_ai.usage.cost.source"), "provider");
  }

  @Test
  void cache_creation_and_reasoning_counts_are_written_inclusive_like_the_conventions() {
    // Claude Sonnet 4.5: 10,000 input of which 1,000 cache reads and 4,000 cache writes; 2,000 output
    // of which 1,500 reasoning. 5,000 × 3 + 1,000 × 0.30 + 4,000 × 3.75 + 2,000 × 15 per 1M = 0.0603.
    Usage usage = TokenConventions.fromInclusive(10_000, 2_000, 1_000, 4_000, 1_500);
    PricedUsage priced = finops.price("anthropic", "claude-sonnet-4-5", usage);

    SpanData span = tagged(CostAttributes.FINOPS, priced, Tags.EMPTY);

    assertThat(span).hasAttribute(longKey("gen_ai.usage.input_tokens"), 10_000L)
        .hasAttribute(longKey("gen_ai.usage.output_tokens"), 2_000L)
        .hasAttribute(longKey("gen_ai.usage.cache_read.input_tokens"), 1_000L)
        .hasAttribute(longKey("gen_ai.usage.cache_creation.input_tokens"), 4_000L)
        .hasAttribute(longKey("gen_ai.usage.reasoning.output_tokens"), 1_500L)
        .hasAttribute(stringKey("gen_ai.provider.name"), "anthropic")
        .hasAttribute(stringKey("finops.cost.amount"), "0.0603");
  }

  /** Telemetry whose pricing records unknown models unpriced. */
  private FinOpsTelemetry recordingUnpriced() {
    FinOps lenient = FinOps.builder().clock(clock)
        .pricing(Pricing.builder().unknownModelPolicy(UnknownModelPolicy.RECORD_UNPRICED).build()).build();
    return FinOpsTelemetry.create(otel.getOpenTelemetry(), lenient);
  }

  @Test
  void unpriced_usage_says_so_and_carries_no_amount() {
    FinOpsTelemetry telemetry = recordingUnpriced();
    PricedUsage unpriced = telemetry.finOps().price("acme", "mystery-1", Usage.ofTokens(10, 10));
    Span span = otel.getOpenTelemetry().getTracer("test").spanBuilder("chat mystery-1").startSpan();
    telemetry.tagSpan(span, unpriced, Tags.EMPTY);
    span.end();

    assertThat(onlySpan()).hasAttribute(stringKey("finops.cost.source"), "unpriced");
    assertThat(onlySpan().getAttributes().get(stringKey("finops.cost.amount"))).isNull();
  }

  @Test
  void record_prices_now_records_in_the_ledger_and_tags_the_current_span() {
    FinOpsTelemetry telemetry = FinOpsTelemetry.create(otel.getOpenTelemetry(), finops);
    Span span = otel.getOpenTelemetry().getTracer("test").spanBuilder("chat gpt-4o-mini").startSpan();
    PricedUsage priced;
    try (Scope s = span.makeCurrent()) {
      priced = telemetry.record(NLP, "openai", "gpt-4o-mini", MINI_CALL);
    } finally {
      span.end();
    }

    assertThat(priced.total()).isEqualTo(Money.usd(MINI_CALL_COST));
    assertThat(Fixtures.teamTotal(finops.snapshot(), "nlp")).isEqualTo(Money.usd(MINI_CALL_COST));
    assertThat(onlySpan()).hasAttribute(stringKey("finops.cost.amount"), MINI_CALL_COST)
        .hasAttribute(stringKey("finops.team"), "nlp");
  }

  /** A span as a GenAI instrumentation leaves it, before finops tags it. */
  private Span instrumentationSpan(String provider) {
    Span span = otel.getOpenTelemetry().getTracer("instrumentation").spanBuilder("chat gpt-4o-mini")
        .setAttribute(stringKey("gen_ai.operation.name"), "chat")
        .setAttribute(stringKey("gen_ai.provider.name"), provider)
        .setAttribute(stringKey("gen_ai.request.model"), "gpt-4o-mini")
        .startSpan();
    span.setAttribute(stringKey("gen_ai.response.model"), "gpt-4o-mini-2024-07-18");
    span.setAttribute(longKey("gen_ai.usage.input_tokens"), 3_000L);
    span.setAttribute(longKey("gen_ai.usage.output_tokens"), 500L);
    span.setAttribute(longKey("gen_ai.usage.cache_read.input_tokens"), 2_000L);
    return span;
  }

  @Test
  void cost_only_tagging_adds_the_cost_and_attribution_and_leaves_the_gen_ai_attributes_as_they_were() {
    PricedUsage priced = finops.price("openai", "gpt-4o-mini", MINI_CALL);
    FinOpsTelemetry telemetry = FinOpsTelemetry.create(otel.getOpenTelemetry(), finops);
    Span span = instrumentationSpan("openai");

    telemetry.tagSpanCost(span, priced, NLP);
    span.end();

    assertThat(onlySpan()).hasAttributesSatisfyingExactly(Fixtures.miniCallAttributes(
        equalTo(stringKey("gen_ai.operation.name"), "chat"),
        equalTo(stringKey("gen_ai.response.model"), "gpt-4o-mini-2024-07-18"),
        equalTo(stringKey("finops.experiment"), "rerank"),
        equalTo(stringKey("finops.run"), "run-42")));
  }

  @Test
  void cost_only_tagging_writes_no_gen_ai_attribute_of_its_own() {
    // The instrumentation's provider spelling stays; tagSpan would have written the catalog's "openai"
    // and the usage counts.
    PricedUsage priced = finops.price("openai", "gpt-4o-mini", MINI_CALL);
    FinOpsTelemetry telemetry = FinOpsTelemetry.create(otel.getOpenTelemetry(), finops);
    Span span = otel.getOpenTelemetry().getTracer("instrumentation").spanBuilder("chat gpt-4o-mini")
        .setAttribute(stringKey("gen_ai.provider.name"), "azure.ai.openai").startSpan();

    telemetry.tagSpanCost(span, priced, Tags.builder().team("nlp").build());
    span.end();

    assertThat(onlySpan()).hasAttributesSatisfyingExactly(
        equalTo(stringKey("gen_ai.provider.name"), "azure.ai.openai"),
        equalTo(stringKey("finops.cost.amount"), MINI_CALL_COST),
        equalTo(stringKey("finops.cost.currency"), "USD"),
        equalTo(stringKey("finops.cost.source"), "bundled_catalog"),
        equalTo(stringKey("finops.team"), "nlp"));
  }

  @Test
  void cost_only_tagging_follows_the_cost_attribute_style() {
    PricedUsage reported = finops.pricing().priceReported("openai", "gpt-4o-mini", MINI_CALL, Money.usd("0.00061"));
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(otel.getOpenTelemetry())
        .costAttributes(CostAttributes.BOTH).build();
    Span span = otel.getOpenTelemetry().getTracer("instrumentation").spanBuilder("chat gpt-4o-mini").startSpan();

    telemetry.tagSpanCost(span, reported, Tags.EMPTY);
    span.end();

    assertThat(onlySpan()).hasAttributesSatisfyingExactly(
        equalTo(stringKey("finops.cost.amount"), "0.00061"),
        equalTo(stringKey("finops.cost.currency"), "USD"),
        equalTo(stringKey("finops.cost.source"), "caller"),
        equalTo(doubleKey("gen_ai.usage.cost.amount"), 0.00061),
        equalTo(stringKey("gen_ai.usage.cost.currency"), "USD"),
        equalTo(stringKey("gen_ai.usage.cost.source"), "provider"));
  }

  @Test
  void cost_only_tagging_of_unpriced_usage_says_so_and_of_a_span_that_is_not_recording_does_nothing() {
    FinOpsTelemetry telemetry = recordingUnpriced();
    PricedUsage unpriced = telemetry.finOps().price("acme", "mystery-1", Usage.ofTokens(10, 10));
    Span ended = otel.getOpenTelemetry().getTracer("instrumentation").spanBuilder("chat mystery-1").startSpan();
    ended.end();

    telemetry.tagSpanCost(Span.getInvalid(), unpriced, NLP);
    telemetry.tagSpanCost(ended, unpriced, NLP);
    Span span = otel.getOpenTelemetry().getTracer("instrumentation").spanBuilder("chat mystery-1").startSpan();
    telemetry.tagSpanCost(span, unpriced, Tags.builder().project("search").build());
    span.end();

    assertThat(otel.getSpans()).hasSize(2);
    assertThat(otel.getSpans().get(0)).hasTotalAttributeCount(0);
    assertThat(otel.getSpans().get(1)).hasAttributesSatisfyingExactly(
        equalTo(stringKey("finops.cost.source"), "unpriced"),
        equalTo(stringKey("finops.project"), "search"));
  }

  @Test
  void amounts_are_written_exactly_however_small_or_large() {
    assertThat(Money.plainPico(1)).isEqualTo("0.000000000001");
    assertThat(Money.plainPico(600_000_000)).isEqualTo("0.0006");
    assertThat(Money.plainPico(-1_500_000_000_000L)).isEqualTo("-1.5");
    assertThat(Money.plainPico(32_000_000_000_000L)).isEqualTo("32");
    assertThat(Money.plainPico(Long.MAX_VALUE)).isEqualTo("9223372.036854775807");
    assertThat(Money.plainPico(Long.MIN_VALUE)).isEqualTo("-9223372.036854775808");
    SplittableRandom random = new SplittableRandom(42);
    LongStream.concat(LongStream.of(0, 7, 10, 123_456_789_012L, 1_000_000_000_001L, 999_999_999_999L,
            100_000_000_000L, 1_000_000_000_010L, Long.MAX_VALUE, -Long.MAX_VALUE),
        // every number of trailing zeros in the fraction, and any fraction
        LongStream.generate(() -> random.nextLong() / POW10_RANDOM[random.nextInt(POW10_RANDOM.length)]
            * POW10_RANDOM[random.nextInt(POW10_RANDOM.length)]).limit(100_000))
        .forEach(pico -> assertThat(Money.plainPico(pico)).as("%d pico", pico)
            .isEqualTo(Money.ofScaled(pico, 12, Money.USD).toPlainString()));
  }
}
