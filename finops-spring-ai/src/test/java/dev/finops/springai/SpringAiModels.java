package dev.finops.springai;

import dev.finops.fake.FakeModelServer;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.anthropic.api.AnthropicApi;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.retry.support.RetryTemplate;

/**
 * {@link SpringAiCostTest}'s models on Spring AI 1.1: on Spring AI's {@code OpenAiApi} and {@code
 * AnthropicApi}, no retries. finops-spring-ai-boot4-tests has its own, for Spring AI 2.
 */
final class SpringAiModels {
  private SpringAiModels() {}

  /** An OpenAI chat model on the fake server with these options, observed by {@code observations}. */
  static ChatModel openAi(FakeModelServer server, OpenAiChatOptions.Builder options,
      ObservationRegistry observations) {
    return openAi(OpenAiApi.builder().baseUrl(server.baseUrl()).apiKey("test").build(), options, observations);
  }

  /** An OpenAI chat model whose every call fails (an endpoint the server does not have). */
  static ChatModel failingOpenAi(FakeModelServer server, OpenAiChatOptions.Builder options,
      ObservationRegistry observations) {
    return openAi(OpenAiApi.builder().baseUrl(server.baseUrl()).completionsPath("/v1/missing").apiKey("t").build(),
        options, observations);
  }

  private static ChatModel openAi(OpenAiApi api, OpenAiChatOptions.Builder options, ObservationRegistry observations) {
    return OpenAiChatModel.builder()
        .openAiApi(api)
        .defaultOptions(options.build())
        .retryTemplate(RetryTemplate.builder().maxAttempts(1).build())
        .observationRegistry(observations)
        .build();
  }

  /** An Anthropic chat model on the fake server with these options, observed by {@code observations}. */
  static ChatModel anthropic(FakeModelServer server, AnthropicChatOptions.Builder options,
      ObservationRegistry observations) {
    return AnthropicChatModel.builder()
        .anthropicApi(AnthropicApi.builder().baseUrl(server.baseUrl()).apiKey("test").build())
        .defaultOptions(options.build())
        .retryTemplate(RetryTemplate.builder().maxAttempts(1).build())
        .observationRegistry(observations)
        .build();
  }
}
