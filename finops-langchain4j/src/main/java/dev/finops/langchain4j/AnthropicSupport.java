package dev.finops.langchain4j;

import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.output.TokenUsage;

/** Reads langchain4j-anthropic's types. Loaded only when {@link ProviderClasses#ANTHROPIC} is true. */
final class AnthropicSupport {
  private AnthropicSupport() {}

  /**
   * Anthropic's exclusive counts: LangChain4j puts Anthropic's {@code input_tokens} in {@code
   * inputTokenCount} as it is, without the cache reads and writes reported beside it. LangChain4j keeps
   * no 1-hour cache-write count, so every cache write is priced as a 5-minute one. {@code null} when
   * {@code t} is not an {@link AnthropicTokenUsage}.
   */
  static Usage toUsage(TokenUsage t, long input, long output) {
    if (!(t instanceof AnthropicTokenUsage)) {
      return null;
    }
    AnthropicTokenUsage a = (AnthropicTokenUsage) t;
    long cacheRead = a.cacheReadInputTokens() == null ? 0 : a.cacheReadInputTokens();
    long cacheWrite = a.cacheCreationInputTokens() == null ? 0 : a.cacheCreationInputTokens();
    return TokenConventions.fromExclusive(input, output, cacheRead, cacheWrite, 0);
  }
}
