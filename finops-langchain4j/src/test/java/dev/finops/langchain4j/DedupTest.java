package dev.finops.langchain4j;

import static dev.finops.langchain4j.Models.ANTHROPIC_COST;
import static dev.finops.langchain4j.Models.OPENAI_COST;
import static dev.finops.langchain4j.Models.assertRecorded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.TokenConventions;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.fake.FakeModelServer;
import dev.finops.otel.CostContext;
import dev.finops.otel.CostSpanExporter;
import dev.finops.otel.CostTracked;
import dev.finops.otel.FinOpsTelemetry;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A call seen by the listener and by another path is counted once. */
@SuppressWarnings("try") // scopes opened for their effect
class DedupTest {
  private static FakeModelServer server;

  @BeforeAll
  static void startServer() throws IOException {
    server = FakeModelServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void listenerAndRecordOfTheSameResponseCountOnce() {
    FinOps finops = FinOps.builder().build();
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop()).build();
    ChatModel model = Models.openAi(server, new FinOpsChatModelListener(telemetry));

    ChatResponse response = model.chat(UserMessage.from("hello"));
    PricedUsage again = telemetry.record(Tags.builder().team("nlp").build(), "openai", response.modelName(),
        TokenConventions.fromInclusive(3_000, 500, 2_000, 0, 0), response.id());

    assertThat(again).isNull();
    assertThat(telemetry.duplicateCalls()).isEqualTo(1);
    assertRecorded(finops, 1, OPENAI_COST);
  }

  @Test
  void recordFirstThenListenerCountsOnce() throws Exception {
    FinOps finops = FinOps.builder().build();
    BudgetManager budgets = BudgetManager.builder(finops).build();
    Budget budget = Budget.forTeam("nlp").limit(Money.usd("1.00")).lifetime().build();
    budgets.add(budget);
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop())
        .budgets(budgets).build();
    // Another path records the response from inside the stream's completion, before the listener finishes:
    // LangChain4j calls listeners first, so record it from a second listener registered before ours.
    FinOpsChatModelListener ours = new FinOpsChatModelListener(telemetry);
    dev.langchain4j.model.chat.listener.ChatModelListener other =
        new dev.langchain4j.model.chat.listener.ChatModelListener() {
          @Override
          public void onResponse(dev.langchain4j.model.chat.listener.ChatModelResponseContext ctx) {
            ChatResponse r = ctx.chatResponse();
            telemetry.record(Tags.builder().team("nlp").build(), "openai", r.modelName(),
                LangChain4jUsage.toUsage(r.tokenUsage()), r.id());
          }
        };
    StreamingChatModel model = Models.openAiStreaming(server.openAiBaseUrl(), other, ours);
    try (Scope s = CostContext.withTags(Tags.builder().team("nlp").build())) {
      Models.stream(model, "hello");
    }
    assertThat(telemetry.duplicateCalls()).isEqualTo(1);
    assertRecorded(finops, 1, OPENAI_COST);
    // The listener's reservation was released, the recorded spend counted once.
    BudgetStatus status = budgets.status(budget).get(0);
    assertThat(status.spent().exactAmount()).isEqualByComparingTo(OPENAI_COST);
    assertThat(status.reserved().isZero()).isTrue();
    assertThat(budgets.stats().released()).isEqualTo(1);
  }

  public interface Assistant {
    @CostTracked(model = "gpt-4o", provider = "openai", tags = "team=nlp", maxInputTokens = 10_000,
        maxOutputTokens = 1_000)
    ChatResponse ask(String question);
  }

  public interface AsyncAssistant {
    @CostTracked(model = "claude-sonnet-4-5", provider = "anthropic", tags = "team=nlp")
    CompletionStage<ChatResponse> ask(String question);
  }

  public interface ServiceAssistant {
    @CostTracked(model = "gpt-4o", provider = "openai", tags = "team=nlp")
    Result<String> ask(String question);
  }

  interface Chat {
    Result<String> chat(String message);
  }

  @Test
  void listenerInsideACostTrackedHandlerCountsOnce() {
    FinOps finops = FinOps.builder().build();
    BudgetManager budgets = BudgetManager.builder(finops).build();
    Budget budget = Budget.forTeam("nlp").limit(Money.usd("1.00")).lifetime().build();
    budgets.add(budget);
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop())
        .budgets(budgets).usageExtractor(ChatResponse.class, LangChain4jUsage.chatResponse()).build();
    ChatModel model = Models.openAi(server, new FinOpsChatModelListener(telemetry));
    Assistant assistant = telemetry.wrap(Assistant.class, q -> model.chat(UserMessage.from(q)));

    for (int i = 0; i < 3; i++) {
      assertThat(assistant.ask("hello").aiMessage().text()).isEqualTo("The answer is 42.");
    }
    assertRecorded(finops, 3, OPENAI_COST);
    assertThat(finops.snapshot().where("team", "nlp").total().requests()).isEqualTo(3);
    assertThat(telemetry.duplicateCalls()).isZero();
    // The handler reserved (the listener did not reserve again) and settled to the exact cost.
    assertThat(budgets.stats().reservations()).isEqualTo(3);
    assertThat(budgets.status(budget).get(0).spent().exactAmount())
        .isEqualByComparingTo(OPENAI_COST.multiply(BigDecimal.valueOf(3)));
  }

  @Test
  void streamingListenerInsideAnAsyncCostTrackedHandlerCountsOnce() {
    FinOps finops = FinOps.builder().build();
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop())
        .usageExtractor(ChatResponse.class, LangChain4jUsage.chatResponse()).build();
    StreamingChatModel model = Models.anthropicStreaming(server, new FinOpsChatModelListener(telemetry));
    AsyncAssistant assistant = telemetry.wrap(AsyncAssistant.class, q -> {
      CompletableFuture<ChatResponse> f = new CompletableFuture<>();
      model.chat(q, new dev.langchain4j.model.chat.response.StreamingChatResponseHandler() {
        @Override
        public void onPartialResponse(String partial) {}

        @Override
        public void onCompleteResponse(ChatResponse r) {
          f.complete(r);
        }

        @Override
        public void onError(Throwable e) {
          f.completeExceptionally(e);
        }
      });
      return f;
    });
    assistant.ask("hello").toCompletableFuture().join();
    assertRecorded(finops, 1, ANTHROPIC_COST);
    assertThat(telemetry.duplicateCalls()).isZero();
  }

  @Test
  void theChatResponseExtractorAloneRecordsTheExactCost() {
    FinOps finops = FinOps.builder().build();
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop())
        .usageExtractor(ChatResponse.class, LangChain4jUsage.chatResponse()).build();
    ChatModel model = Models.openAi(server); // no listener
    Assistant assistant = telemetry.wrap(Assistant.class, q -> model.chat(UserMessage.from(q)));
    assistant.ask("hello");
    assertRecorded(finops, 1, OPENAI_COST);
  }

  @Test
  void theResultExtractorRecordsAiServicesCalls() {
    FinOps finops = FinOps.builder().build();
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop())
        .usageExtractor(LangChain4jResults.type(), LangChain4jResults.result()).build();
    Chat chat = AiServices.builder(Chat.class).chatModel(Models.openAi(server)).build(); // no listener
    ServiceAssistant assistant = telemetry.wrap(ServiceAssistant.class, chat::chat);
    Result<String> r = assistant.ask("hello");
    assertThat(r.content()).isEqualTo("The answer is 42.");
    assertRecorded(finops, 1, OPENAI_COST);
    // The same call reported again under its id is not counted twice.
    assertThat(telemetry.record(Tags.EMPTY, "openai", "gpt-4o", LangChain4jUsage.toUsage(r.tokenUsage()),
        r.finalResponse().id())).isNull();
    assertRecorded(finops, 1, OPENAI_COST);
  }

  @Test
  void theExporterDoesNotPriceASpanOfACallTheListenerRecorded() {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    FinOps finops = FinOps.builder().build();
    FinOpsTelemetry[] holder = new FinOpsTelemetry[1];
    CostSpanExporter exporter = CostSpanExporter.builder(memory, () -> holder[0]).build();
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build()) {
      FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(otel).build();
      holder[0] = telemetry;
      ChatModel model = Models.openAi(server, new FinOpsChatModelListener(telemetry));

      ChatResponse response = model.chat(UserMessage.from("hello"));
      // Another instrumentation's span of the same call (LangChain4j's observability, an HTTP agent).
      genAiSpan(otel.getTracer("other"), response.id()).end();

      assertThat(exporter.alreadyRecordedSpans()).isEqualTo(1);
      assertThat(exporter.pricedSpans()).isZero();
      assertThat(telemetry.duplicateCalls()).isEqualTo(1);
      assertThat(memory.getFinishedSpanItems()).hasSize(1);
      assertRecorded(finops, 1, OPENAI_COST);
    }
  }

  @Test
  void aCallMadeInsideAGenAiSpanGetsItsCostOnThatSpanOnce() {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    FinOps finops = FinOps.builder().build();
    FinOpsTelemetry[] holder = new FinOpsTelemetry[1];
    CostSpanExporter exporter = CostSpanExporter.builder(memory, () -> holder[0]).build();
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build()) {
      FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(otel).build();
      holder[0] = telemetry;
      ChatModel model = Models.openAi(server, new FinOpsChatModelListener(telemetry));

      Span span = genAiSpan(otel.getTracer("other"), null);
      try (Scope s = span.makeCurrent()) {
        model.chat(UserMessage.from("hello"));
      } finally {
        span.end();
      }
      assertRecorded(finops, 1, OPENAI_COST);
      assertThat(exporter.pricedSpans()).isZero();
      List<SpanData> exported = memory.getFinishedSpanItems();
      assertThat(exported).hasSize(1);
      String amount = exported.get(0).getAttributes().get(AttributeKey.stringKey("finops.cost.amount"));
      assertThat(new BigDecimal(amount)).isEqualByComparingTo(OPENAI_COST);
    }
  }

  /** A span as a GenAI instrumentation writes it for the fake server's OpenAI answer. */
  private static Span genAiSpan(Tracer tracer, String responseId) {
    var b = tracer.spanBuilder("chat gpt-4o").setSpanKind(SpanKind.CLIENT)
        .setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.provider.name", "openai")
        .setAttribute("gen_ai.request.model", "gpt-4o")
        .setAttribute("gen_ai.response.model", "gpt-4o-2024-08-06")
        .setAttribute("gen_ai.usage.input_tokens", 3_000L)
        .setAttribute("gen_ai.usage.cache_read.input_tokens", 2_000L)
        .setAttribute("gen_ai.usage.output_tokens", 500L);
    if (responseId != null) {
      b.setAttribute("gen_ai.response.id", responseId);
    }
    return b.startSpan();
  }
}
