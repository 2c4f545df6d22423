package dev.finops.langchain4j;

import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.otel.UsageExtractor;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;

/**
 * LangChain4j's token usage in finops' canonical buckets: the one place where a LangChain4j {@link
 * TokenUsage} becomes a {@link Usage} (used by {@link FinOpsChatModelListener} and by the usage
 * extractors of {@link dev.finops.otel.CostTracked} handlers).
 *
 * <ul>
 *   <li>{@code OpenAiTokenUsage} (langchain4j-open-ai): inclusive counts; {@code inputTokenCount}
 *       includes the cached tokens of its input details, {@code outputTokenCount} the reasoning tokens
 *       of its output details ({@link TokenConventions#fromInclusive}).
 *   <li>{@code AnthropicTokenUsage} (langchain4j-anthropic): exclusive counts; {@code inputTokenCount}
 *       is Anthropic's {@code input_tokens}, the uncached input only, with {@code
 *       cacheReadInputTokens} and {@code cacheCreationInputTokens} beside it ({@link
 *       TokenConventions#fromExclusive}). LangChain4j 1.19 keeps no 1-hour cache-write count: every
 *       cache write is priced as a 5-minute write.
 *   <li>any other {@link TokenUsage} (Mistral, Gemini, Ollama, ...): its input and output counts, all
 *       input uncached and all output plain output.
 * </ul>
 *
 * The provider modules are optional: their types are read only when they are on the classpath.
 *
 * <pre>{@code
 * FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops)
 *     .usageExtractor(ChatResponse.class, LangChain4jUsage.chatResponse())
 *     .build();
 * }</pre>
 */
public final class LangChain4jUsage {
  private static final UsageExtractor<ChatResponse> CHAT_RESPONSE = new ChatResponseExtractor();

  private LangChain4jUsage() {}

  /**
   * The usage LangChain4j reports, in canonical buckets.
   *
   * @return {@code null} when {@code tokenUsage} is {@code null} or carries neither an input nor an
   *     output count (a missing one of the two counts as zero)
   * @throws IllegalArgumentException for impossible counts (negative, or more cached than input tokens)
   */
  public static Usage toUsage(TokenUsage tokenUsage) {
    if (tokenUsage == null) {
      return null;
    }
    Integer in = tokenUsage.inputTokenCount();
    Integer out = tokenUsage.outputTokenCount();
    if (in == null && out == null) {
      return null;
    }
    long input = in == null ? 0 : in;
    long output = out == null ? 0 : out;
    if (tokenUsage.getClass() != TokenUsage.class) {
      Usage provider = providerUsage(tokenUsage, input, output);
      if (provider != null) {
        return provider;
      }
    }
    return TokenConventions.fromInclusive(input, output, 0, 0, 0);
  }

  private static Usage providerUsage(TokenUsage tokenUsage, long input, long output) {
    try {
      if (ProviderClasses.OPENAI) {
        Usage u = OpenAiSupport.toUsage(tokenUsage, input, output);
        if (u != null) {
          return u;
        }
      }
      if (ProviderClasses.ANTHROPIC) {
        return AnthropicSupport.toUsage(tokenUsage, input, output);
      }
    } catch (LinkageError otherVersion) {
      // a provider module of an incompatible version: its counts are read as plain ones
    }
    return null;
  }

  /**
   * Reads a {@link ChatResponse} returned by a {@link dev.finops.otel.CostTracked} method: its usage
   * ({@link #toUsage}), {@link ChatResponse#modelName()} and {@link ChatResponse#id()} (the key that keeps
   * the call from being counted twice when a {@link FinOpsChatModelListener} or a span exporter sees it
   * too). Impossible counts read as no usage. Thread-safe; never throws.
   */
  public static UsageExtractor<ChatResponse> chatResponse() {
    return CHAT_RESPONSE;
  }

  /** {@code null} for a blank id: some OpenAI-compatible servers answer {@code ""}, which would dedup every call. */
  static String responseId(String id) {
    return id == null || id.isBlank() ? null : id;
  }

  /** {@link #toUsage} for extractors, which must not throw: impossible counts read as no usage. */
  static Usage usageOrNull(TokenUsage tokenUsage) {
    try {
      return toUsage(tokenUsage);
    } catch (RuntimeException impossible) {
      return null;
    }
  }

  private static final class ChatResponseExtractor implements UsageExtractor<ChatResponse> {
    @Override
    public Usage usage(ChatResponse response) {
      try {
        return usageOrNull(response.tokenUsage());
      } catch (RuntimeException noMetadata) {
        return null;
      }
    }

    @Override
    public String responseModel(ChatResponse response) {
      try {
        return response.modelName();
      } catch (RuntimeException noMetadata) {
        return null;
      }
    }

    @Override
    public String responseId(ChatResponse response) {
      try {
        return LangChain4jUsage.responseId(response.id());
      } catch (RuntimeException noMetadata) {
        return null;
      }
    }

    @Override
    public String toString() {
      return "LangChain4jUsage.chatResponse()";
    }
  }
}
