package dev.finops.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.fake.FakeModelServer;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The real LangChain4j models, pointed at a {@link FakeModelServer}, and ledger helpers. */
final class Models {
  /** gpt-4o-2024-08-06: 1,000 uncached x $2.50 + 2,000 cached x $1.25 + 500 x $10.00 per million. */
  static final BigDecimal OPENAI_COST = new BigDecimal("0.0100");
  /** claude-sonnet-4-5: 1,000 x $3.00 + 2,000 reads x $0.30 + 500 writes x $3.75 + 500 x $15.00 per million. */
  static final BigDecimal ANTHROPIC_COST = new BigDecimal("0.012975");

  private Models() {}

  static ChatModel openAi(String baseUrl, ChatModelListener... listeners) {
    return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey("test").modelName("gpt-4o")
        .maxTokens(1_000).maxRetries(0).timeout(Duration.ofSeconds(10))
        .listeners(List.of(listeners)).build();
  }

  static ChatModel openAi(FakeModelServer server, ChatModelListener... listeners) {
    return openAi(server.openAiBaseUrl(), listeners);
  }

  static StreamingChatModel openAiStreaming(String baseUrl, ChatModelListener... listeners) {
    return OpenAiStreamingChatModel.builder().baseUrl(baseUrl).apiKey("test").modelName("gpt-4o")
        .maxTokens(1_000).timeout(Duration.ofSeconds(10)).listeners(List.of(listeners)).build();
  }

  static ChatModel anthropic(FakeModelServer server, ChatModelListener... listeners) {
    return AnthropicChatModel.builder().baseUrl(server.baseUrl() + "/v1/").apiKey("test")
        .modelName("claude-sonnet-4-5").maxTokens(1_000).maxRetries(0).timeout(Duration.ofSeconds(10))
        .listeners(List.of(listeners)).build();
  }

  static StreamingChatModel anthropicStreaming(FakeModelServer server, ChatModelListener... listeners) {
    return AnthropicStreamingChatModel.builder().baseUrl(server.baseUrl() + "/v1/").apiKey("test")
        .modelName("claude-sonnet-4-5").maxTokens(1_000).timeout(Duration.ofSeconds(10))
        .listeners(List.of(listeners)).build();
  }

  /** Streams {@code message} and waits for the complete response (or the error). */
  static ChatResponse stream(StreamingChatModel model, String message) throws Exception {
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    model.chat(message, new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String partialResponse) {}

      @Override
      public void onCompleteResponse(ChatResponse completeResponse) {
        done.complete(completeResponse);
      }

      @Override
      public void onError(Throwable error) {
        done.completeExceptionally(error);
      }
    });
    return done.get(10, TimeUnit.SECONDS);
  }

  static LedgerSnapshot.Totals total(FinOps finops) {
    return finops.snapshot().total();
  }

  static BigDecimal cost(FinOps finops) {
    return total(finops).cost().exactAmount();
  }

  static Money usd(BigDecimal amount) {
    return Money.usd(amount.toPlainString());
  }

  /** The ledger holds exactly {@code calls} requests costing exactly {@code calls} x {@code each}. */
  static void assertRecorded(FinOps finops, int calls, BigDecimal each) {
    LedgerSnapshot.Totals t = total(finops);
    assertThat(t.requests()).isEqualTo(calls);
    assertThat(t.cost().exactAmount()).isEqualByComparingTo(each.multiply(BigDecimal.valueOf(calls)));
    assertThat(t.hasUnpriced()).isFalse();
  }
}
