package dev.finops.otel;

import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import io.opentelemetry.api.common.Attributes;
import java.util.Locale;
import java.util.Set;

/**
 * What a span written by a GenAI instrumentation says about a model call, read in one pass over its
 * attributes. Counts are read whatever their attribute type: Spring AI's spans go through Micrometer,
 * whose tag values are strings ({@code gen_ai.usage.input_tokens="1200"}); others write longs. The
 * deprecated names ({@code gen_ai.system}, {@code gen_ai.usage.prompt_tokens}, {@code
 * gen_ai.usage.completion_tokens}) are read when the current ones are absent.
 */
final class GenAiSpan {
  /** Operations that are model calls; agent, tool, workflow and retrieval spans are not priced. */
  private static final Set<String> INFERENCE = Set.of("chat", "text_completion", "generate_content", "embeddings",
      "completion");

  String operation;
  String provider;
  String system;
  String requestModel;
  String responseModel;
  String serviceTier;
  String responseId;
  /** Whether the span says anything about the prompt cache (a cache read or creation count, even 0). */
  boolean cacheReported;
  long input = -1;
  long output = -1;
  long promptTokens = -1;
  long completionTokens = -1;
  long cacheRead;
  long cacheCreation;
  long reasoning;
  boolean alreadyPriced;
  String malformed;

  private GenAiSpan() {}

  static GenAiSpan read(Attributes attributes) {
    GenAiSpan s = new GenAiSpan();
    attributes.forEach((key, value) -> s.accept(key.getKey(), value));
    return s;
  }

  private void accept(String key, Object value) {
    switch (key) {
      case "gen_ai.operation.name":
        operation = String.valueOf(value);
        break;
      case "gen_ai.provider.name":
        provider = String.valueOf(value);
        break;
      case "gen_ai.system":
        system = String.valueOf(value);
        break;
      case "gen_ai.request.model":
        requestModel = String.valueOf(value);
        break;
      case "gen_ai.response.model":
        responseModel = String.valueOf(value);
        break;
      case "gen_ai.response.id":
        responseId = RecentIds.normalize(String.valueOf(value));
        break;
      case "openai.response.service_tier":
        serviceTier = String.valueOf(value);
        break;
      case "gen_ai.usage.input_tokens":
        input = count(key, value);
        break;
      case "gen_ai.usage.output_tokens":
        output = count(key, value);
        break;
      case "gen_ai.usage.prompt_tokens":
        promptTokens = count(key, value);
        break;
      case "gen_ai.usage.completion_tokens":
        completionTokens = count(key, value);
        break;
      case "gen_ai.usage.cache_read.input_tokens":
        cacheRead = Math.max(0, count(key, value));
        cacheReported = true;
        break;
      case "gen_ai.usage.cache_creation.input_tokens":
        cacheCreation = Math.max(0, count(key, value));
        cacheReported = true;
        break;
      case "gen_ai.usage.reasoning.output_tokens":
        reasoning = Math.max(0, count(key, value));
        break;
      case "finops.cost.source":
      case "finops.cost.amount":
      case "gen_ai.usage.cost.amount":
        alreadyPriced = true;
        break;
      default:
        break;
    }
  }

  private long count(String key, Object value) {
    try {
      long n = value instanceof Number ? ((Number) value).longValue() : Long.parseLong(String.valueOf(value).trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    malformed = key + "=" + value;
    return -1;
  }

  /**
   * True for a span of a model call (or one that names no operation) that reports token counts, even
   * malformed ones (they make it an unpriced span).
   */
  boolean isPriceable() {
    return !alreadyPriced && (operation == null || isInference(operation))
        && (inputTokens() >= 0 || outputTokens() >= 0 || malformed != null);
  }

  /**
   * True for a {@code gen_ai.operation.name} of a model call (inference: {@code chat}, {@code
   * text_completion}, {@code generate_content}, {@code embeddings}), not of an agent, a tool or a
   * workflow ({@code invoke_agent}, {@code create_agent}, {@code execute_tool}, ...).
   */
  static boolean isInference(String operation) {
    return INFERENCE.contains(operation) || INFERENCE.contains(operation.toLowerCase(Locale.ROOT));
  }

  long inputTokens() {
    return input >= 0 ? input : promptTokens;
  }

  long outputTokens() {
    return output >= 0 ? output : completionTokens;
  }

  /** The provider as the catalog spells it, or {@code null}. */
  String catalogProvider() {
    return Providers.toCatalog(provider != null ? provider : system);
  }

  /**
   * The usage in canonical buckets. Counts follow the conventions (input includes cache reads and
   * writes, output includes reasoning); an instrumentation that reports Anthropic-style exclusive
   * input (cache counts larger than the input) is read as exclusive.
   *
   * @throws IllegalArgumentException for counts that fit neither convention
   */
  Usage usage() {
    if (malformed != null) {
      throw new IllegalArgumentException("malformed token count " + malformed);
    }
    long in = Math.max(0, inputTokens());
    long out = Math.max(0, outputTokens());
    Usage u;
    if (cacheRead + cacheCreation > in) {
      u = TokenConventions.fromExclusive(in, out, cacheRead, cacheCreation, 0);
    } else {
      u = TokenConventions.fromInclusive(in, out, cacheRead, cacheCreation, Math.min(reasoning, out));
    }
    String tier = tier();
    return tier == null ? u : u.withServiceTier(tier);
  }

  /** OpenAI's billed service tier, with its {@code default} (and {@code auto}) read as the standard tier. */
  private String tier() {
    if (serviceTier == null || serviceTier.isBlank()) {
      return null;
    }
    String t = serviceTier.toLowerCase(Locale.ROOT);
    return t.equals("default") || t.equals("auto") ? null : t;
  }
}
