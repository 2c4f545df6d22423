package dev.finops.springai;

import dev.finops.fake.FakeModelServer;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * finops-spring-ai's {@link SpringAiCostTest} models on Spring AI 2: on the providers' Java SDKs, which
 * Spring AI 2 is built on, configured through the options (base URL, key, no retries). Stands in for
 * finops-spring-ai's Spring AI 1.1 {@code SpringAiModels}, whose {@code OpenAiApi}, {@code AnthropicApi}
 * and spring-retry Spring AI 2 no longer has.
 */
final class SpringAiModels {
  private SpringAiModels() {}

  static ChatModel openAi(FakeModelServer server, OpenAiChatOptions.Builder options,
      ObservationRegistry observations) {
    return openAi(server.openAiBaseUrl(), options, observations);
  }

  /**
   * The SDK always posts to {@code <base>/chat/completions}, which the fake server serves under any prefix:
   * this model's calls go to a port where nothing listens, so each fails before any usage.
   */
  static ChatModel failingOpenAi(FakeModelServer server, OpenAiChatOptions.Builder options,
      ObservationRegistry observations) {
    return openAi("http://127.0.0.1:" + closedPort() + "/v1", options, observations);
  }

  private static ChatModel openAi(String baseUrl, OpenAiChatOptions.Builder options,
      ObservationRegistry observations) {
    return OpenAiChatModel.builder()
        .options(options.baseUrl(baseUrl).apiKey("test").maxRetries(0).build())
        .observationRegistry(observations)
        .build();
  }

  static ChatModel anthropic(FakeModelServer server, AnthropicChatOptions.Builder options,
      ObservationRegistry observations) {
    return AnthropicChatModel.builder()
        .options(options.baseUrl(server.baseUrl()).apiKey("test").maxRetries(0).build())
        .observationRegistry(observations)
        .build();
  }

  private static int closedPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
