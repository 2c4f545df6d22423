package dev.finops.langchain4j;

import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;

/** Reads langchain4j-open-ai's types. Loaded only when {@link ProviderClasses#OPENAI} is true. */
final class OpenAiSupport {
  private OpenAiSupport() {}

  /**
   * OpenAI's inclusive counts: {@code prompt_tokens} includes {@code cached_tokens}, {@code
   * completion_tokens} includes {@code reasoning_tokens}. {@code null} when {@code t} is not an
   * {@link OpenAiTokenUsage}.
   */
  static Usage toUsage(TokenUsage t, long input, long output) {
    if (!(t instanceof OpenAiTokenUsage)) {
      return null;
    }
    OpenAiTokenUsage o = (OpenAiTokenUsage) t;
    OpenAiTokenUsage.InputTokensDetails in = o.inputTokensDetails();
    OpenAiTokenUsage.OutputTokensDetails out = o.outputTokensDetails();
    long cached = in == null || in.cachedTokens() == null ? 0 : in.cachedTokens();
    long reasoning = out == null || out.reasoningTokens() == null ? 0 : out.reasoningTokens();
    return TokenConventions.fromInclusive(input, output, cached, 0, reasoning);
  }

  /** {@code max_completion_tokens} of OpenAI request parameters, or {@code null}. */
  static Integer maxCompletionTokens(ChatRequestParameters parameters) {
    return parameters instanceof OpenAiChatRequestParameters
        ? ((OpenAiChatRequestParameters) parameters).maxCompletionTokens()
        : null;
  }
}
