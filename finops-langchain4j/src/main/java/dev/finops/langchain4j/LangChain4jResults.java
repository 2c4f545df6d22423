package dev.finops.langchain4j;

import dev.finops.core.Usage;
import dev.finops.otel.UsageExtractor;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.Result;

/**
 * Reads AiServices' {@link Result} returned by a {@link dev.finops.otel.CostTracked} method. {@code
 * Result} lives in the {@code dev.langchain4j:langchain4j} artifact, an optional dependency of
 * finops-langchain4j: this class is the only one that names it, and is loaded only when used.
 *
 * <pre>{@code
 * FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops)
 *     .usageExtractor(LangChain4jResults.type(), LangChain4jResults.result())
 *     .build();
 * }</pre>
 */
public final class LangChain4jResults {
  private static final UsageExtractor<Result<?>> RESULT = new ResultExtractor();

  private LangChain4jResults() {}

  /**
   * The usage of all the model calls behind a {@code Result} ({@link Result#tokenUsage()}, which
   * AiServices sums over the tool-calling round trips), priced as the final response's model. The
   * response id is given only when the result came from a single call (no intermediate responses): an
   * id names one call, not the sum of several. Impossible counts read as no usage. Thread-safe; never
   * throws.
   */
  public static UsageExtractor<Result<?>> result() {
    return RESULT;
  }

  /**
   * {@code Result.class} as a {@code Class<Result<?>>}, so that {@code
   * usageExtractor(LangChain4jResults.type(), LangChain4jResults.result())} compiles without a raw type.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Class<Result<?>> type() {
    return (Class) Result.class;
  }

  private static final class ResultExtractor implements UsageExtractor<Result<?>> {
    @Override
    public Usage usage(Result<?> result) {
      try {
        return LangChain4jUsage.usageOrNull(result.tokenUsage());
      } catch (RuntimeException e) {
        return null;
      }
    }

    @Override
    public String responseModel(Result<?> result) {
      try {
        ChatResponse last = result.finalResponse();
        return last == null ? null : last.modelName();
      } catch (RuntimeException e) {
        return null;
      }
    }

    @Override
    public String responseId(Result<?> result) {
      try {
        ChatResponse last = result.finalResponse();
        if (last == null || (result.intermediateResponses() != null && !result.intermediateResponses().isEmpty())) {
          return null;
        }
        return LangChain4jUsage.responseId(last.id());
      } catch (RuntimeException e) {
        return null;
      }
    }

    @Override
    public String toString() {
      return "LangChain4jResults.result()";
    }
  }
}
