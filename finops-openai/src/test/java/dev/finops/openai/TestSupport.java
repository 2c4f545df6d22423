package dev.finops.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.embeddings.EmbeddingModel;
import com.openai.models.responses.ResponseCreateParams;
import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.pricing.Pricing;
import java.math.BigDecimal;
import java.time.Instant;

/** What the tests share: a day in 2026 on the bundled catalog, the fake server's call, and requests. */
final class TestSupport {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  /**
   * What every OpenAI call of the fake server costs: gpt-4o-2024-08-06, 3,000 prompt tokens of which
   * 2,000 cached, 500 completion tokens: 1,000 × $2.50 + 2,000 × $1.25 + 500 × $10.00 per million.
   */
  static final BigDecimal CALL_COST = new BigDecimal("0.0100");

  private TestSupport() {}

  static FinOps finops() {
    return FinOps.builder().clock(ManualClock.at(T0)).build();
  }

  static FinOps finops(Pricing pricing) {
    return FinOps.builder().clock(ManualClock.at(T0)).pricing(pricing).build();
  }

  static OpenAIClient client(String baseUrl) {
    return OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey("test").maxRetries(0).build();
  }

  static OpenAIClientAsync asyncClient(String baseUrl) {
    return OpenAIOkHttpClientAsync.builder().baseUrl(baseUrl).apiKey("test").maxRetries(0).build();
  }

  /** One user message "Hello" (5 bytes), at most 500 output tokens. */
  static ChatCompletionCreateParams chat() {
    return ChatCompletionCreateParams.builder()
        .model("gpt-4o")
        .addUserMessage("Hello")
        .maxCompletionTokens(500)
        .build();
  }

  static ChatCompletionCreateParams chatWithUsage() {
    return chat().toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build();
  }

  static ResponseCreateParams response() {
    return ResponseCreateParams.builder().model("gpt-4o").input("Hello").maxOutputTokens(500L).build();
  }

  static EmbeddingCreateParams embedding() {
    return EmbeddingCreateParams.builder().model(EmbeddingModel.TEXT_EMBEDDING_3_SMALL).input("Hello").build();
  }

  /** An embedding request for a model no catalog prices (the bundled catalog prices OpenAI's own). */
  static EmbeddingCreateParams unknownEmbedding() {
    return EmbeddingCreateParams.builder().model(EmbeddingModel.of("text-embedding-unpriced-test")).input("Hello")
        .build();
  }

  static BigDecimal ledgerTotal(FinOps finops) {
    return finops.snapshot().total().cost().exactAmount();
  }

  static long ledgerRecords(FinOps finops) {
    return finops.snapshot().total().records();
  }

  static BigDecimal times(int n) {
    return CALL_COST.multiply(BigDecimal.valueOf(n));
  }
}
