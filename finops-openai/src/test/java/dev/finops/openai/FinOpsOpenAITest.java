package dev.finops.openai;

import static dev.finops.openai.TestSupport.CALL_COST;
import static dev.finops.openai.TestSupport.chat;
import static dev.finops.openai.TestSupport.chatWithUsage;
import static dev.finops.openai.TestSupport.ledgerRecords;
import static dev.finops.openai.TestSupport.ledgerTotal;
import static dev.finops.openai.TestSupport.times;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.chat.completions.StructuredChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import dev.finops.core.FinOps;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.UnknownModelPolicy;
import dev.finops.fake.FakeModelServer;
import dev.finops.otel.CostContext;
import dev.finops.otel.FinOpsTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Scope;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every kind of call against the fake server through the real OkHttp client: each recorded exactly, once. */
@SuppressWarnings("try")
class FinOpsOpenAITest {
  private FakeModelServer server;
  private FinOps finops;
  private FinOpsTelemetry telemetry;
  private OpenAIClient raw;
  private OpenAIClient client;

  @BeforeEach
  void setUp() throws Exception {
    server = FakeModelServer.start();
    finops = TestSupport.finops();
    telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop()).build();
    raw = TestSupport.client(server.openAiBaseUrl());
    client = FinOpsOpenAI.create(telemetry).wrap(raw);
  }

  @AfterEach
  void tearDown() {
    raw.close();
    server.close();
  }

  private void assertCalls(int n) {
    assertThat(ledgerRecords(finops)).isEqualTo(n);
    assertThat(ledgerTotal(finops)).isEqualByComparingTo(times(n));
  }

  @Test
  void chatCompletionsAreRecordedAtTheirExactCost() {
    for (int i = 1; i <= 3; i++) {
      ChatCompletion c = client.chat().completions().create(chat());
      assertThat(c.choices()).hasSize(1);
      assertThat(ledgerTotal(finops)).isEqualByComparingTo(times(i));
    }
    assertCalls(3);
    assertThat(server.callCount()).isEqualTo(3);
    var entry = finops.snapshot().entries().get(0);
    assertThat(entry.quantity(UsageBucket.INPUT_UNCACHED)).isEqualTo(3 * 1_000);
    assertThat(entry.quantity(UsageBucket.CACHE_READ)).isEqualTo(3 * 2_000);
    assertThat(entry.quantity(UsageBucket.OUTPUT)).isEqualTo(3 * 500);
    assertThat(telemetry.callsWithoutUsage()).isZero();
  }

  @Test
  void chatCompletionsWithRequestOptionsAndThroughWithOptionsAreRecorded() {
    client.chat().completions().create(chat(), com.openai.core.RequestOptions.none());
    client.withOptions(o -> o.timeout(Duration.ofSeconds(30))).chat().completions().create(chat());
    client.chat().withOptions(o -> o.maxRetries(1)).completions().create(chat());
    client.chat().completions().withOptions(o -> o.maxRetries(1)).create(chat());
    assertCalls(4);
  }

  @Test
  void asyncChatCompletionsAreRecordedBeforeTheFutureCompletes() throws Exception {
    OpenAIClientAsync async = client.async();
    List<CompletableFuture<ChatCompletion>> futures = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      futures.add(async.chat().completions().create(chat()));
    }
    for (CompletableFuture<ChatCompletion> f : futures) {
      assertThat(f.get(10, TimeUnit.SECONDS).id()).startsWith("chatcmpl-");
    }
    assertCalls(5);
  }

  @Test
  void theAsyncClientCanBeWrappedDirectly() throws Exception {
    OpenAIClientAsync rawAsync = TestSupport.asyncClient(server.openAiBaseUrl());
    try {
      OpenAIClientAsync async = FinOpsOpenAI.create(telemetry).wrap(rawAsync);
      async.chat().completions().create(chat()).get(10, TimeUnit.SECONDS);
      async.sync().chat().completions().create(chat());
      async.responses().create(TestSupport.response()).get(10, TimeUnit.SECONDS);
      assertCalls(3);
    } finally {
      rawAsync.close();
    }
  }

  @Test
  void streamedChatWithTheCallersIncludeUsageIsRecordedWhenTheStreamEnds() {
    for (int i = 1; i <= 3; i++) {
      StringBuilder text = new StringBuilder();
      try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chatWithUsage())) {
        s.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        assertThat(ledgerTotal(finops)).isEqualByComparingTo(times(i)); // at the end, before close
      }
      assertThat(text.toString()).isEqualTo("The answer is 42.");
    }
    assertCalls(3);
  }

  @Test
  void streamedChatIsRecordedOnceWhetherReadByIteratorOrClosedTwice() {
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chatWithUsage())) {
      try (Stream<ChatCompletionChunk> st = s.stream()) {
        var it = st.iterator();
        while (it.hasNext()) {
          it.next();
        }
      }
      s.close();
    }
    assertCalls(1);
  }

  @Test
  void requestStreamUsageAddsIncludeUsageAndTheCallerSeesTheLastChunkWithNoChoices() {
    OpenAIClient asking = FinOpsOpenAI.builder(telemetry).requestStreamUsage(true).build().wrap(raw);
    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> s = asking.chat().completions().createStreaming(chat())) {
      chunks = s.stream().collect(Collectors.toList());
    }
    assertThat(server.requests().get(0).json().path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(chunks.get(chunks.size() - 1).choices()).isEmpty();
    assertThat(chunks.get(chunks.size() - 1).usage()).isPresent();
    assertCalls(1);
  }

  @Test
  void requestStreamUsageKeepsAnExplicitFalse() {
    OpenAIClient asking = FinOpsOpenAI.builder(telemetry).requestStreamUsage(true).build().wrap(raw);
    var params = chat().toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(false).build()).build();
    try (StreamResponse<ChatCompletionChunk> s = asking.chat().completions().createStreaming(params)) {
      s.stream().forEach(c -> {});
    }
    assertThat(server.requests().get(0).json().path("stream_options").path("include_usage").asBoolean()).isFalse();
    assertThat(telemetry.callsWithoutUsage()).isEqualTo(1);
  }

  @Test
  void aStreamWithoutUsageIsCountedAndNotPriced() {
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chat())) {
      assertThat(s.stream().count()).isPositive();
    }
    assertThat(server.requests().get(0).json().has("stream_options")).isFalse();
    assertThat(telemetry.callsWithoutUsage()).isEqualTo(1);
    assertThat(ledgerRecords(finops)).isZero();
  }

  @Test
  void aStreamClosedBeforeItsUsageChunkIsACallWithoutUsage() {
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chatWithUsage())) {
      assertThat(s.stream().findFirst()).isPresent();
    }
    assertThat(telemetry.callsWithoutUsage()).isEqualTo(1);
    assertThat(ledgerRecords(finops)).isZero();
  }

  @Test
  void asyncStreamedChatIsRecordedBeforeOnCompleteRuns() throws Exception {
    AsyncStreamResponse<ChatCompletionChunk> s = client.async().chat().completions().createStreaming(chatWithUsage());
    CompletableFuture<BigDecimal> atComplete = new CompletableFuture<>();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    s.subscribe(new AsyncStreamResponse.Handler<ChatCompletionChunk>() {
      @Override
      public void onNext(ChatCompletionChunk chunk) {
        chunks.add(chunk);
      }

      @Override
      public void onComplete(Optional<Throwable> error) {
        atComplete.complete(ledgerTotal(finops));
      }
    });
    s.onCompleteFuture().get(10, TimeUnit.SECONDS);
    assertThat(atComplete.get(10, TimeUnit.SECONDS)).isEqualByComparingTo(CALL_COST);
    assertThat(chunks).isNotEmpty();
    assertCalls(1);
  }

  @Test
  void asyncStreamsWithoutUsageAreCounted() throws Exception {
    AsyncStreamResponse<ChatCompletionChunk> s = client.async().chat().completions().createStreaming(chat());
    s.subscribe(chunk -> {});
    s.onCompleteFuture().get(10, TimeUnit.SECONDS);
    assertThat(telemetry.callsWithoutUsage()).isEqualTo(1);
    assertThat(ledgerRecords(finops)).isZero();
  }

  @Test
  void responsesAreRecordedBlockingStreamedAndAsync() throws Exception {
    Response r = client.responses().create(TestSupport.response());
    assertThat(r.id()).startsWith("resp_");
    assertCalls(1);

    List<ResponseStreamEvent> events;
    try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(TestSupport.response())) {
      events = s.stream().collect(Collectors.toList());
    }
    assertThat(events.get(events.size() - 1).isCompleted()).isTrue();
    assertCalls(2);

    client.async().responses().create(TestSupport.response()).get(10, TimeUnit.SECONDS);
    assertCalls(3);

    AsyncStreamResponse<ResponseStreamEvent> as = client.async().responses().createStreaming(TestSupport.response());
    as.subscribe(e -> {});
    as.onCompleteFuture().get(10, TimeUnit.SECONDS);
    assertCalls(4);
    assertThat(telemetry.callsWithoutUsage()).isZero();
  }

  /** The answer of a structured output: the fake server answers with text, so it is read as a string. */
  static final class Answer {
    public String text;
  }

  @Test
  void structuredOutputsAreRecorded() {
    StructuredChatCompletionCreateParams<Answer> params = chat().toBuilder().responseFormat(Answer.class).build();
    StructuredChatCompletion<Answer> c = client.chat().completions().create(params);
    assertThat(c.rawChatCompletion().id()).startsWith("chatcmpl-");
    assertCalls(1);
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
        chatWithUsage().toBuilder().responseFormat(Answer.class).build())) {
      s.stream().forEach(chunk -> {});
    }
    assertCalls(2);
    assertThat(server.requests().get(1).json().path("response_format").path("type").asText())
        .isEqualTo("json_schema");
  }

  @Test
  void embeddingsOfAModelTheCatalogDoesNotKnowDoNotFailTheCall() {
    CreateEmbeddingResponse r = client.embeddings().create(TestSupport.unknownEmbedding());
    assertThat(r.data()).hasSize(1);
    assertThat(ledgerRecords(finops)).isZero(); // the pricing's FAIL policy: not recorded, counted
  }

  @Test
  void embeddingsArePricedWhenTheCatalogKnowsTheModel() throws Exception {
    PriceCatalog prices = PriceCatalog.builder("test", "1")
        .addModel("openai", "text-embedding-3-small", BucketPrices.ofTokens("0.02", "0"))
        .build();
    FinOps withEmbeddings = TestSupport.finops(Pricing.builder().userCatalog(prices).build());
    FinOpsTelemetry t = FinOpsTelemetry.builder(withEmbeddings).openTelemetry(OpenTelemetry.noop()).build();
    OpenAIClient c = FinOpsOpenAI.create(t).wrap(raw);
    c.embeddings().create(TestSupport.embedding());
    c.async().embeddings().create(TestSupport.embedding()).get(10, TimeUnit.SECONDS);
    assertThat(ledgerTotal(withEmbeddings)).isEqualByComparingTo("0.00004"); // 2 × 1,000 tokens at $0.02 / 1M
    assertThat(withEmbeddings.snapshot().total().quantity(UsageBucket.INPUT_UNCACHED)).isEqualTo(2_000);
  }

  @Test
  void embeddingsUnderRecordUnpricedKeepTheirTokens() {
    FinOps unpriced = TestSupport.finops(Pricing.builder().unknownModelPolicy(UnknownModelPolicy.RECORD_UNPRICED).build());
    FinOpsTelemetry t = FinOpsTelemetry.builder(unpriced).openTelemetry(OpenTelemetry.noop()).build();
    FinOpsOpenAI.create(t).wrap(raw).embeddings().create(TestSupport.unknownEmbedding());
    var total = unpriced.snapshot().total();
    assertThat(total.unpricedRecords()).isEqualTo(1);
    assertThat(total.unpricedQuantity(UsageBucket.INPUT_UNCACHED)).isEqualTo(1_000);
  }

  @Test
  void callsAreAttributedToAmbientAndWrapperTags() {
    OpenAIClient tagged = FinOpsOpenAI.builder(telemetry)
        .tags(Tags.builder().project("search").build()).build().wrap(raw);
    try (Scope s = CostContext.withTags(Tags.builder().team("nlp").build())) {
      tagged.chat().completions().create(chat());
      client.chat().completions().create(chat());
    }
    client.chat().completions().create(chat());
    var snapshot = finops.snapshot();
    assertThat(snapshot.where("team", "nlp").total().cost().exactAmount()).isEqualByComparingTo(times(2));
    assertThat(snapshot.where("project", "search").total().cost().exactAmount()).isEqualByComparingTo(CALL_COST);
    assertThat(snapshot.total().cost().exactAmount()).isEqualByComparingTo(times(3));
  }

  @Test
  void wrappingTwiceWithTheSameWrapperReturnsTheClient() {
    FinOpsOpenAI wrapper = FinOpsOpenAI.create(telemetry);
    OpenAIClient once = wrapper.wrap(raw);
    assertThat(wrapper.wrap(once)).isSameAs(once);
    once.embeddings().create(TestSupport.embedding());
    assertThat(once).isEqualTo(once).isNotEqualTo(raw);
    assertThat(once.toString()).startsWith("FinOpsOpenAI{");
  }

  @Test
  void otherMethodsPassThrough() {
    // models().list() has no fake endpoint (GET): the SDK's own error comes through unchanged
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.models().list())
        .isInstanceOf(com.openai.errors.OpenAIServiceException.class);
    assertThat(ledgerRecords(finops)).isZero();
  }
}
