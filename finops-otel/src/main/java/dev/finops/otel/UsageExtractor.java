package dev.finops.otel;

import dev.finops.core.Usage;

/**
 * Reads the usage of a model call from what a {@link CostTracked} method returned (a provider SDK's
 * response, a LangChain4j {@code ChatResponse}, your own type). Register one per return type with
 * {@link FinOpsTelemetry.Builder#usageExtractor(Class, UsageExtractor)}; the most specific registered
 * type that the returned object is an instance of is used. Implementations must be thread-safe and
 * must not throw; convert provider counts with {@link dev.finops.core.TokenConventions}.
 *
 * <pre>{@code
 * FinOpsTelemetry.builder(finops)
 *     .usageExtractor(ChatReply.class, reply -> TokenConventions.fromInclusive(
 *         reply.promptTokens(), reply.completionTokens(), reply.cachedTokens(), 0, 0))
 *     .build();
 * }</pre>
 *
 * @param <T> the return type it reads
 */
@FunctionalInterface
public interface UsageExtractor<T> {

  /** The usage the result reports, or {@code null} if it reports none. */
  Usage usage(T result);

  /**
   * The model that answered as the result names it ({@code gpt-4o-2024-08-06}); it becomes {@code
   * gen_ai.response.model} and is priced instead of the annotation's model. {@code null} (the
   * default) when unknown.
   */
  default String responseModel(T result) {
    return null;
  }

  /**
   * The provider's id of the response ({@code chatcmpl-...}), the key that keeps a call seen by two
   * paths (this handler and the {@link CostSpanExporter}, an integration) from being counted twice;
   * {@code null} (the default) when unknown.
   */
  default String responseId(T result) {
    return null;
  }
}
