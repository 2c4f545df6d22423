package dev.finops.langchain4j;

import static dev.finops.langchain4j.Models.ANTHROPIC_COST;
import static dev.finops.langchain4j.Models.OPENAI_COST;
import static dev.finops.langchain4j.Models.assertRecorded;
import static dev.finops.langchain4j.Models.cost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.fake.FakeModelServer;
import dev.finops.otel.CostContext;
import dev.finops.otel.FinOpsTelemetry;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The listener on the real LangChain4j OpenAI and Anthropic models, against the fake model server. */
@SuppressWarnings("try") // scopes opened for their effect
class FinOpsChatModelListenerTest {
  private static final Tags NLP = Tags.builder().team("nlp").build();

  private static FakeModelServer server;

  private FinOps finops;
  private BudgetManager budgets;
  private FinOpsTelemetry telemetry;
  private FinOpsChatModelListener listener;

  @BeforeAll
  static void startServer() throws IOException {
    server = FakeModelServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void setUp() {
    finops = FinOps.builder().build();
    budgets = BudgetManager.builder(finops).build();
    telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop()).budgets(budgets).build();
    listener = new FinOpsChatModelListener(telemetry);
  }

  @Test
  void syncOpenAiCallsAreRecordedAtTheirExactCost() {
    ChatModel model = Models.openAi(server, listener);
    for (int i = 1; i <= 5; i++) {
      BigDecimal before = cost(finops);
      assertThat(model.chat("What is the answer?")).isEqualTo("The answer is 42.");
      assertThat(cost(finops).subtract(before)).isEqualByComparingTo(OPENAI_COST);
    }
    assertRecorded(finops, 5, OPENAI_COST);
    LedgerSnapshot.Totals t = Models.total(finops);
    assertThat(t.quantity(UsageBucket.INPUT_UNCACHED)).isEqualTo(5 * 1_000);
    assertThat(t.quantity(UsageBucket.CACHE_READ)).isEqualTo(5 * 2_000);
    assertThat(t.quantity(UsageBucket.OUTPUT)).isEqualTo(5 * 500);
    assertThat(listener.problems()).isZero();
    assertThat(telemetry.duplicateCalls()).isZero();
  }

  @Test
  void streamingOpenAiCallsAreRecordedAtTheirExactCost() throws Exception {
    StreamingChatModel model = Models.openAiStreaming(server.openAiBaseUrl(), listener);
    int before = server.callCount();
    for (int i = 1; i <= 5; i++) {
      ChatResponse r = Models.stream(model, "What is the answer?");
      assertThat(r.aiMessage().text()).isEqualTo("The answer is 42.");
      assertRecorded(finops, i, OPENAI_COST);
    }
    // LangChain4j's OpenAiStreamingChatModel always asks for the usage chunk.
    List<FakeModelServer.Request> sent = server.requests().subList(before, server.callCount());
    assertThat(sent).hasSize(5).allSatisfy(r -> {
      assertThat(r.json().path("stream").asBoolean()).isTrue();
      assertThat(r.json().path("stream_options").path("include_usage").asBoolean()).isTrue();
    });
    assertThat(telemetry.callsWithoutUsage()).isZero();
  }

  @Test
  void syncAnthropicCallsAreRecordedAtTheirExactCost() {
    ChatModel model = Models.anthropic(server, listener);
    for (int i = 1; i <= 3; i++) {
      assertThat(model.chat("What is the answer?")).isEqualTo("The answer is 42.");
      assertRecorded(finops, i, ANTHROPIC_COST);
    }
    LedgerSnapshot.Totals t = Models.total(finops);
    assertThat(t.quantity(UsageBucket.INPUT_UNCACHED)).isEqualTo(3 * 1_000);
    assertThat(t.quantity(UsageBucket.CACHE_READ)).isEqualTo(3 * 2_000);
    assertThat(t.quantity(UsageBucket.CACHE_WRITE_5M)).isEqualTo(3 * 500);
    assertThat(t.quantity(UsageBucket.OUTPUT)).isEqualTo(3 * 500);
  }

  @Test
  void streamingAnthropicCallsAreRecordedAtTheirExactCost() throws Exception {
    StreamingChatModel model = Models.anthropicStreaming(server, listener);
    for (int i = 1; i <= 3; i++) {
      ChatResponse r = Models.stream(model, "What is the answer?");
      assertThat(r.aiMessage().text()).isEqualTo("The answer is 42.");
      assertRecorded(finops, i, ANTHROPIC_COST);
    }
    assertThat(Models.total(finops).quantity(UsageBucket.CACHE_WRITE_5M)).isEqualTo(3 * 500);
  }

  @Test
  void callsAreAttributedToTheAmbientTags() throws Exception {
    ChatModel sync = Models.openAi(server, listener);
    StreamingChatModel streaming = Models.anthropicStreaming(server, listener);
    try (Scope s = CostContext.withTags(NLP)) {
      sync.chat("one");
      sync.chat("two");
      Models.stream(streaming, "three"); // finished on the HTTP client's thread
    }
    sync.chat("untagged");

    LedgerSnapshot snapshot = finops.snapshot();
    LedgerSnapshot.Totals nlp = snapshot.where("team", "nlp").total();
    assertThat(nlp.requests()).isEqualTo(3);
    assertThat(nlp.cost().exactAmount())
        .isEqualByComparingTo(OPENAI_COST.multiply(BigDecimal.valueOf(2)).add(ANTHROPIC_COST));
    assertThat(snapshot.totalsBy("team")).hasSize(2);
    assertThat(snapshot.total().requests()).isEqualTo(4);
  }

  @Test
  void listenerTagsAreRecordedOverTheAmbientOnes() {
    FinOpsChatModelListener tagged = FinOpsChatModelListener.builder(telemetry)
        .tags(Tags.builder().project("search").build()).build();
    ChatModel model = Models.openAi(server, tagged);
    try (Scope s = CostContext.withTags(NLP)) {
      model.chat("hello");
    }
    LedgerSnapshot.Totals t = finops.snapshot().where("team", "nlp").where("project", "search").total();
    assertThat(t.requests()).isEqualTo(1);
    assertThat(t.cost().exactAmount()).isEqualByComparingTo(OPENAI_COST);
  }

  @Test
  void reservationsAreSettledToTheExactCost() throws Exception {
    Budget budget = Budget.forTeam("nlp").limit(Money.usd("1.00")).lifetime().build();
    budgets.add(budget);
    ChatModel sync = Models.openAi(server, listener);
    StreamingChatModel streaming = Models.openAiStreaming(server.openAiBaseUrl(), listener);
    try (Scope s = CostContext.withTags(NLP)) {
      for (int i = 0; i < 3; i++) {
        sync.chat("hello");
        Models.stream(streaming, "hello");
      }
    }
    BudgetStatus status = budgets.status(budget).get(0);
    assertThat(status.spent().exactAmount()).isEqualByComparingTo(OPENAI_COST.multiply(BigDecimal.valueOf(6)));
    assertThat(status.reserved().isZero()).isTrue();
    assertThat(budgets.stats().reservations()).isEqualTo(6);
    assertThat(budgets.stats().settled()).isEqualTo(6);
    assertThat(budgets.stats().unreservedRecords()).isZero();
    assertThat(listener.budgetDenials()).isZero();
    assertRecorded(finops, 6, OPENAI_COST);
  }

  @Test
  void aRefusedCallStillRunsAndIsRecordedAsUnreservedSpend() {
    // $0.025: two calls reserve and settle $0.01 each; the third's reservation (~$0.01) is refused.
    Budget budget = Budget.forTeam("nlp").limit(Money.usd("0.025")).lifetime().build();
    budgets.add(budget);
    ChatModel model = Models.openAi(server, listener);
    try (Scope s = CostContext.withTags(NLP)) {
      for (int i = 0; i < 3; i++) {
        assertThat(model.chat("hello")).isEqualTo("The answer is 42."); // LangChain4j sends it anyway
      }
    }
    assertThat(listener.budgetDenials()).isEqualTo(1);
    assertThat(budgets.stats().denied()).isEqualTo(1);
    assertThat(budgets.stats().unreservedRecords()).isEqualTo(1);
    BudgetStatus status = budgets.status(budget).get(0);
    assertThat(status.spent().exactAmount()).isEqualByComparingTo(OPENAI_COST.multiply(BigDecimal.valueOf(3)));
    assertThat(status.reserved().isZero()).isTrue();
    assertThat(finops.snapshot().where("team", "nlp").total().requests()).isEqualTo(3);
    assertRecorded(finops, 3, OPENAI_COST);
  }

  @Test
  void aCallWithoutAnOutputBoundIsRefusedByAFailClosedBudgetAndStillRecorded() {
    budgets.add(Budget.forTeam("nlp").limit(Money.usd("1.00")).lifetime().build()); // FAIL_CLOSED by default
    ChatModel model = dev.langchain4j.model.openai.OpenAiChatModel.builder().baseUrl(server.openAiBaseUrl())
        .apiKey("test").modelName("gpt-4o").maxRetries(0).listeners(List.of(listener)).build(); // no maxTokens
    try (Scope s = CostContext.withTags(NLP)) {
      model.chat("hello");
    }
    assertThat(listener.budgetDenials()).isEqualTo(1);
    assertThat(budgets.stats().unknownRefused()).isEqualTo(1);
    assertRecorded(finops, 1, OPENAI_COST);
  }

  @Test
  void aFailedSyncCallRecordsNothingAndReleasesItsReservation() throws IOException {
    Budget budget = Budget.forTeam("nlp").limit(Money.usd("1.00")).lifetime().build();
    budgets.add(budget);
    ChatModel closed = Models.openAi("http://127.0.0.1:" + closedPort() + "/v1", listener);
    try (ErrorServer errors = new ErrorServer(); Scope s = CostContext.withTags(NLP)) {
      ChatModel notFound = Models.openAi(errors.url(), listener);
      ChatModel anthropicNotFound = dev.langchain4j.model.anthropic.AnthropicChatModel.builder()
          .baseUrl(errors.url()).apiKey("test").modelName("claude-sonnet-4-5").maxTokens(100).maxRetries(0)
          .listeners(List.of(listener)).build();
      assertThatThrownBy(() -> closed.chat("hello")).isInstanceOf(RuntimeException.class);
      assertThatThrownBy(() -> notFound.chat("hello")).isInstanceOf(RuntimeException.class);
      assertThatThrownBy(() -> anthropicNotFound.chat("hello")).isInstanceOf(RuntimeException.class);
      assertThat(errors.hits()).isEqualTo(2);
    }
    assertThat(Models.total(finops).requests()).isZero();
    assertThat(budgets.stats().reservations()).isEqualTo(3);
    assertThat(budgets.stats().released()).isEqualTo(3);
    BudgetStatus status = budgets.status(budget).get(0);
    assertThat(status.spent().isZero()).isTrue();
    assertThat(status.reserved().isZero()).isTrue();
    assertThat(listener.problems()).isZero();
  }

  @Test
  void aFailedStreamingCallRecordsNothingAndReleasesItsReservation() throws IOException {
    budgets.add(Budget.forTeam("nlp").limit(Money.usd("1.00")).lifetime().build());
    try (ErrorServer errors = new ErrorServer(); Scope s = CostContext.withTags(NLP)) {
      StreamingChatModel closed = Models.openAiStreaming("http://127.0.0.1:" + closedPort() + "/v1", listener);
      StreamingChatModel notFound = Models.openAiStreaming(errors.url(), listener);
      assertThatThrownBy(() -> Models.stream(closed, "hello")).isInstanceOf(ExecutionException.class);
      assertThatThrownBy(() -> Models.stream(notFound, "hello")).isInstanceOf(ExecutionException.class);
    }
    assertThat(Models.total(finops).requests()).isZero();
    assertThat(budgets.stats().reservations()).isEqualTo(2);
    assertThat(budgets.stats().released()).isEqualTo(2);
    assertThat(budgets.stats().open()).isZero();
  }

  @Test
  void aiServicesCallsAreRecorded() {
    Assistant assistant = AiServices.builder(Assistant.class).chatModel(Models.openAi(server, listener)).build();
    try (Scope s = CostContext.withTags(NLP)) {
      assertThat(assistant.chat("What is the answer?")).isEqualTo("The answer is 42.");
    }
    assertRecorded(finops, 1, OPENAI_COST);
    assertThat(finops.snapshot().where("team", "nlp").total().requests()).isEqualTo(1);
  }

  @Test
  void anUnknownModelIsCountedNotThrown() {
    FakeModelServer.Builder b = FakeModelServer.builder().openAiModel("no-such-model-2030-01-01");
    try (FakeModelServer other = startQuietly(b)) {
      ChatModel model = dev.langchain4j.model.openai.OpenAiChatModel.builder().baseUrl(other.openAiBaseUrl())
          .apiKey("test").modelName("no-such-model").maxRetries(0).listeners(List.of(listener)).build();
      assertThat(model.chat("hello")).isEqualTo("The answer is 42.");
    }
    // The default pricing keeps unknown models' quantities unpriced, or refuses them; never a wrong cost.
    assertThat(Models.total(finops).cost().isZero()).isTrue();
  }

  interface Assistant {
    String chat(String message);
  }

  private static FakeModelServer startQuietly(FakeModelServer.Builder b) {
    try {
      return b.start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A port nothing listens on. */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Answers every request with a 404 and an error body, as a wrong base URL would. */
  static final class ErrorServer implements AutoCloseable {
    private final HttpServer http;
    private volatile int hits;

    ErrorServer() throws IOException {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.createContext("/", exchange -> {
        hits++;
        exchange.getRequestBody().readAllBytes();
        byte[] body = "{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\"}}"
            .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      http.start();
    }

    String url() {
      return "http://127.0.0.1:" + http.getAddress().getPort() + "/v1";
    }

    int hits() {
      return hits;
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }
}
