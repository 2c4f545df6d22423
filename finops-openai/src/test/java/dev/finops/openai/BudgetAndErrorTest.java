package dev.finops.openai;

import static dev.finops.openai.TestSupport.chat;
import static dev.finops.openai.TestSupport.chatWithUsage;
import static dev.finops.openai.TestSupport.ledgerRecords;
import static dev.finops.openai.TestSupport.ledgerTotal;
import static dev.finops.openai.TestSupport.times;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIIoException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetExceededException;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.budget.CostUnknownException;
import dev.finops.fake.FakeModelServer;
import dev.finops.otel.CostContext;
import dev.finops.otel.FinOpsTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Scope;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Budgets refuse calls before they are sent; failed calls record nothing and release their reservation. */
@SuppressWarnings("try")
class BudgetAndErrorTest {
  private static final Tags NLP = Tags.builder().team("nlp").build();

  private FakeModelServer server;
  private FinOps finops;
  private BudgetManager budgets;
  private FinOpsTelemetry telemetry;
  private OpenAIClient raw;

  @BeforeEach
  void setUp() throws Exception {
    server = FakeModelServer.start();
    finops = TestSupport.finops();
    raw = TestSupport.client(server.openAiBaseUrl());
  }

  @AfterEach
  void tearDown() {
    raw.close();
    server.close();
  }

  /**
   * Each call reserves its bound (13 prompt tokens: "Hello" and 8 for the message, at $2.50, plus 500
   * output tokens at $10.00 per million: $0.0050325) and spends $0.0100; under a $0.024 limit two calls
   * pass ($0.0200 spent) and the third, which would reach $0.0250325, is refused.
   */
  private OpenAIClient budgeted(Budget.Builder budget) {
    budgets = BudgetManager.builder(finops).build();
    budgets.add(budget.build());
    telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop()).budgets(budgets).build();
    return FinOpsOpenAI.create(telemetry).wrap(raw);
  }

  private BudgetStatus status() {
    return budgets.statuses().get(0);
  }

  @Test
  void aCallTheBudgetCannotAffordIsRefusedBeforeItIsSent() {
    OpenAIClient client = budgeted(Budget.forTeam("nlp").limit(Money.usd("0.024")));
    try (Scope s = CostContext.withTags(NLP)) {
      client.chat().completions().create(chat());
      client.chat().completions().create(chat());
      assertThatThrownBy(() -> client.chat().completions().create(chat()))
          .isInstanceOf(BudgetExceededException.class);
      assertThatThrownBy(() -> client.chat().completions().createStreaming(chatWithUsage()))
          .isInstanceOf(BudgetExceededException.class);
      assertThatThrownBy(() -> client.responses().create(TestSupport.response()))
          .isInstanceOf(BudgetExceededException.class);
    }
    assertThat(server.callCount()).isEqualTo(2);
    assertThat(status().spent().exactAmount()).isEqualByComparingTo(times(2));
    assertThat(status().reserved().isZero()).isTrue();
    client.chat().completions().create(chat()); // another team's call: no budget applies
    assertThat(server.callCount()).isEqualTo(3);
  }

  @Test
  void anAsyncCallTheBudgetCannotAffordFailsItsFuture() throws Exception {
    OpenAIClient client = budgeted(Budget.forTeam("nlp").limit(Money.usd("0.024")));
    CompletableFuture<ChatCompletion> refused;
    AsyncStreamResponse<ChatCompletionChunk> refusedStream;
    try (Scope s = CostContext.withTags(NLP)) {
      client.async().chat().completions().create(chat()).get(10, TimeUnit.SECONDS);
      client.async().chat().completions().create(chat()).get(10, TimeUnit.SECONDS);
      refused = client.async().chat().completions().create(chat());
      refusedStream = client.async().chat().completions().createStreaming(chatWithUsage());
    }
    assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(BudgetExceededException.class);
    CompletableFuture<Optional<Throwable>> completed = new CompletableFuture<>();
    refusedStream.subscribe(new AsyncStreamResponse.Handler<ChatCompletionChunk>() {
      @Override
      public void onNext(ChatCompletionChunk chunk) {
        throw new AssertionError("a refused stream has no chunks");
      }

      @Override
      public void onComplete(Optional<Throwable> error) {
        completed.complete(error);
      }
    });
    assertThat(completed.get(10, TimeUnit.SECONDS)).containsInstanceOf(BudgetExceededException.class);
    assertThatThrownBy(() -> refusedStream.onCompleteFuture().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(BudgetExceededException.class);
    assertThat(server.callCount()).isEqualTo(2);
    assertThat(ledgerTotal(finops)).isEqualByComparingTo(times(2));
  }

  @Test
  void reservationsSettleToTheExactCostForEveryKindOfCall() throws Exception {
    OpenAIClient client = budgeted(Budget.forTeam("nlp").limit(Money.usd("10")));
    try (Scope s = CostContext.withTags(NLP)) {
      client.chat().completions().create(chat());
      client.async().chat().completions().create(chat()).get(10, TimeUnit.SECONDS);
      try (StreamResponse<ChatCompletionChunk> st = client.chat().completions().createStreaming(chatWithUsage())) {
        st.stream().forEach(c -> {});
      }
      client.responses().create(TestSupport.response());
    }
    assertThat(status().spent().exactAmount()).isEqualByComparingTo(times(4));
    assertThat(status().reserved().isZero()).isTrue();
  }

  @Test
  void aStreamWithoutUsageKeepsItsWholeReservation() {
    OpenAIClient client = budgeted(Budget.forTeam("nlp").limit(Money.usd("10")));
    try (Scope s = CostContext.withTags(NLP)) {
      try (StreamResponse<ChatCompletionChunk> st = client.chat().completions().createStreaming(chat())) {
        st.stream().forEach(c -> {});
      }
    }
    assertThat(status().spent().exactAmount()).isEqualByComparingTo("0.0050325"); // the bound, never zero
    assertThat(status().reserved().isZero()).isTrue();
    assertThat(ledgerRecords(finops)).isZero();
  }

  @Test
  void aThrottlingBudgetDelaysBlockingCallsOnTheCallerAndAsyncCallsWithoutBlocking() throws Exception {
    OpenAIClient client = budgeted(Budget.forTeam("nlp").limit(Money.usd("1")).throttleAt("0.0001",
        Duration.ofMillis(300)));
    try (Scope s = CostContext.withTags(NLP)) {
      long t0 = System.nanoTime();
      client.chat().completions().create(chat());
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

      long t1 = System.nanoTime();
      CompletableFuture<ChatCompletion> f = client.async().chat().completions().create(chat());
      assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofMillis(250));
      assertThat(f.get(10, TimeUnit.SECONDS).id()).startsWith("chatcmpl-");
      assertThat(Duration.ofNanos(System.nanoTime() - t1)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

      AsyncStreamResponse<ChatCompletionChunk> st = client.async().chat().completions().createStreaming(chatWithUsage());
      st.subscribe(c -> {});
      st.onCompleteFuture().get(10, TimeUnit.SECONDS);
    }
    assertThat(ledgerTotal(finops)).isEqualByComparingTo(times(3));
    assertThat(status().reserved().isZero()).isTrue();
  }

  @Test
  void aServerErrorRecordsNothingAndReleasesTheReservation() throws Exception {
    budgeted(Budget.forTeam("nlp").limit(Money.usd("10")));
    // Every path the SDK calls ends as the fake server's endpoints do, so a server that has none answers 404.
    HttpServer notFound = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger requests = new AtomicInteger();
    notFound.createContext("/", exchange -> {
      try (exchange) {
        requests.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        byte[] body = "{\"error\":{\"message\":\"no such endpoint\",\"type\":\"invalid_request_error\"}}"
            .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    notFound.start();
    OpenAIClient wrong = TestSupport.client("http://127.0.0.1:" + notFound.getAddress().getPort() + "/v1");
    try {
      OpenAIClient client = FinOpsOpenAI.create(telemetry).wrap(wrong);
      try (Scope s = CostContext.withTags(NLP)) {
        assertThatThrownBy(() -> client.chat().completions().create(chat())).isInstanceOf(NotFoundException.class);
        assertThat(status().reserved().isZero()).isTrue();
        assertThatThrownBy(() -> client.async().chat().completions().create(chat()).get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> {
          try (StreamResponse<ChatCompletionChunk> st = client.chat().completions().createStreaming(chatWithUsage())) {
            st.stream().forEach(c -> {});
          }
        }).isInstanceOf(NotFoundException.class);
        AsyncStreamResponse<ChatCompletionChunk> as = client.async().chat().completions().createStreaming(chatWithUsage());
        as.subscribe(c -> {});
        assertThatThrownBy(() -> as.onCompleteFuture().get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.responses().create(TestSupport.response()))
            .isInstanceOf(NotFoundException.class);
        // the catalog does not know the embedding model: the fail-closed budget refuses it unsent
        assertThatThrownBy(() -> client.embeddings().create(TestSupport.unknownEmbedding()))
            .isInstanceOf(CostUnknownException.class);
      }
      assertThatThrownBy(() -> client.embeddings().create(TestSupport.unknownEmbedding())) // no budget applies
          .isInstanceOf(NotFoundException.class);
    } finally {
      wrong.close();
      notFound.stop(0);
    }
    assertThat(requests.get()).isEqualTo(6); // all sent, all answered 404
    assertThat(ledgerRecords(finops)).isZero();
    assertThat(status().spent().isZero()).isTrue();
    assertThat(status().reserved().isZero()).isTrue();
    assertThat(telemetry.callsWithoutUsage()).isZero();
  }

  @Test
  void aClosedPortRecordsNothingAndReleasesTheReservation() throws Exception {
    budgeted(Budget.forTeam("nlp").limit(Money.usd("10")));
    FakeModelServer closed = FakeModelServer.start();
    String url = closed.openAiBaseUrl();
    closed.close();
    OpenAIClient down = TestSupport.client(url);
    try {
      OpenAIClient client = FinOpsOpenAI.create(telemetry).wrap(down);
      try (Scope s = CostContext.withTags(NLP)) {
        assertThatThrownBy(() -> client.chat().completions().create(chat())).isInstanceOf(OpenAIIoException.class);
        assertThatThrownBy(() -> client.async().chat().completions().create(chat()).get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(OpenAIIoException.class);
        assertThatThrownBy(() -> {
          try (StreamResponse<ChatCompletionChunk> st = client.chat().completions().createStreaming(chatWithUsage())) {
            st.stream().forEach(c -> {});
          }
        }).isInstanceOf(OpenAIIoException.class);
      }
    } finally {
      down.close();
    }
    assertThat(ledgerRecords(finops)).isZero();
    assertThat(status().spent().isZero()).isTrue();
    assertThat(status().reserved().isZero()).isTrue();
  }
}
