package dev.finops.otel;

import static dev.finops.otel.FinOpsAttributes.FINOPS_COST_AMOUNT;
import static dev.finops.otel.FinOpsAttributes.FINOPS_COST_CURRENCY;
import static dev.finops.otel.FinOpsAttributes.FINOPS_COST_SOURCE;
import static dev.finops.otel.FinOpsAttributes.FINOPS_EXPERIMENT;
import static dev.finops.otel.FinOpsAttributes.FINOPS_PROJECT;
import static dev.finops.otel.FinOpsAttributes.FINOPS_RUN;
import static dev.finops.otel.FinOpsAttributes.FINOPS_TEAM;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_PROVIDER_NAME;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_REQUEST_MODEL;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_USAGE_COST_AMOUNT;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_USAGE_COST_CURRENCY;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_USAGE_COST_SOURCE;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_USAGE_INPUT_TOKENS;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_USAGE_OUTPUT_TOKENS;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS;

import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.PriceSource;
import dev.finops.core.pricing.PricedUsage;
import io.opentelemetry.api.common.AttributeKey;

/**
 * Writes usage, cost and attribution attributes to a span or an attributes builder (the one place
 * their names and types are decided; see {@link FinOpsAttributes}).
 */
final class SpanAttributes {

  /** Where attributes go: {@code span::setAttribute} or {@code attributesBuilder::put}. */
  @FunctionalInterface
  interface Sink {
    <T> void put(AttributeKey<T> key, T value);
  }

  private SpanAttributes() {}

  /**
   * The outcome of an inference, as {@link FinOpsTelemetry#tagSpan} and the integrations write it on
   * its span, and the {@link CostSpanExporter} adds it at export: with {@code modelAndProvider}, {@code
   * gen_ai.request.model} and {@code gen_ai.provider.name} of {@code priced}; then the usage (when
   * known), the cost (when priced) and the attribution.
   */
  static void outcome(Sink sink, boolean modelAndProvider, Usage usage, PricedUsage priced, Tags tags,
      CostAttributes style) {
    if (modelAndProvider) {
      sink.put(GEN_AI_REQUEST_MODEL, priced.requestedModel());
      if (priced.provider() != null) {
        sink.put(GEN_AI_PROVIDER_NAME, Providers.toSemconv(priced.provider()));
      }
    }
    if (usage != null) {
      usage(sink, usage);
    }
    if (priced != null) {
      cost(sink, priced, style);
    }
    attribution(sink, tags);
  }

  /** The GenAI usage attributes, inclusive counts; cache and reasoning counts only when non-zero. */
  static void usage(Sink sink, Usage usage) {
    sink.put(GEN_AI_USAGE_INPUT_TOKENS, usage.inputTokens());
    sink.put(GEN_AI_USAGE_OUTPUT_TOKENS, usage.outputTokens());
    long cacheRead = usage.get(UsageBucket.CACHE_READ);
    if (cacheRead != 0) {
      sink.put(GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, cacheRead);
    }
    long cacheWrite = usage.get(UsageBucket.CACHE_WRITE_5M) + usage.get(UsageBucket.CACHE_WRITE_1H);
    if (cacheWrite != 0) {
      sink.put(GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, cacheWrite);
    }
    long reasoning = usage.get(UsageBucket.OUTPUT_REASONING);
    if (reasoning != 0) {
      sink.put(GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, reasoning);
    }
  }

  /**
   * The cost under the names {@code style} selects. Unpriced usage gets only {@code
   * finops.cost.source=unpriced} (with the finops names), never an amount.
   */
  static void cost(Sink sink, PricedUsage priced, CostAttributes style) {
    PriceSource source = priced.source();
    if (!priced.isPriced()) {
      if (style.finops()) {
        sink.put(FINOPS_COST_SOURCE, source.jsonName());
      }
      return;
    }
    String currency = priced.currency().getCurrencyCode();
    if (style.finops()) {
      sink.put(FINOPS_COST_AMOUNT, Costs.plain(priced));
      sink.put(FINOPS_COST_CURRENCY, currency);
      sink.put(FINOPS_COST_SOURCE, source.jsonName());
    }
    if (style.genAi()) {
      sink.put(GEN_AI_USAGE_COST_AMOUNT, Costs.toDouble(priced));
      sink.put(GEN_AI_USAGE_COST_CURRENCY, currency);
      sink.put(GEN_AI_USAGE_COST_SOURCE, source == PriceSource.CALLER_SUPPLIED ? "provider" : "local");
    }
  }

  /** {@code finops.team}, {@code finops.project}, {@code finops.experiment}, {@code finops.run}, when set. */
  static void attribution(Sink sink, Tags tags) {
    putIfSet(sink, FINOPS_TEAM, tags.team());
    putIfSet(sink, FINOPS_PROJECT, tags.project());
    putIfSet(sink, FINOPS_EXPERIMENT, tags.experiment());
    putIfSet(sink, FINOPS_RUN, tags.run());
  }

  private static void putIfSet(Sink sink, AttributeKey<String> key, String value) {
    if (value != null) {
      sink.put(key, value);
    }
  }
}
