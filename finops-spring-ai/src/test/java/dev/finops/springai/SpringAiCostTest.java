package dev.finops.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetExceededException;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.fake.FakeModelServer;
import dev.finops.otel.CostContext;
import dev.finops.otel.FinOpsTelemetry;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Scope;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * Spring AI's real OpenAI and Anthropic chat models against the fake server, through the handlers. The
 * models are built by {@link SpringAiModels}, one per Spring AI line (their builders differ): this
 * module's for Spring AI 1.1, finops-spring-ai-boot4-tests' for Spring AI 2 on Boot 4, which runs this
 * same class against this module's jar.
 */
class SpringAiCostTest {
  static final BigDecimal OPENAI_CALL = new BigDecimal("0.0100");
  static final BigDecimal ANTHROPIC_CALL = new BigDecimal("0.012975");

  FakeModelServer server;
  FinOps finops;
  BudgetManager budgets;
  FinOpsTelemetry telemetry;
  FinOpsObservationHandlers handlers;
  ObservationRegistry registry;

  @BeforeEach
  void setUp() throws Exception {
    server = FakeModelServer.start();
    finops = FinOps.builder().build();
    budgets = BudgetManager.builder(finops).build();
    telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop()).budgets(budgets).build();
    registry = ObservationRegistry.create();
    handlers = FinOpsObservationHandlers.register(registry, telemetry);
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  ChatModel openAi(OpenAiChatOptions.Builder options) {
    return SpringAiModels.openAi(server, options.model("gpt-4o"), registry);
  }

  ChatModel anthropic() {
    return SpringAiModels.anthropic(server, AnthropicChatOptions.builder().model("claude-sonnet-4-5").maxTokens(500),
        registry);
  }

  BigDecimal total() {
    return finops.snapshot().total().cost().exactAmount();
  }

  long records() {
    return finops.snapshot().total().records();
  }

  /**
   * Spring AI stops a stream's observation in a {@code doFinally}, which runs just after the subscriber
   * saw the stream complete: wait (bounded) until the recorder has run.
   */
  void awaitRecorded(long calls) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (records() + telemetry.callsWithoutUsage() < calls && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  @Test
  void openAiCallsArePricedFromNativeUsageCacheIncluded() {
    ChatModel model = openAi(OpenAiChatOptions.builder());
    for (int i = 1; i <= 5; i++) {
      ChatResponse r = model.call(new Prompt("What is six times seven?"));
      assertThat(r.getResult().getOutput().getText()).isEqualTo("The answer is 42.");
      assertThat(total()).isEqualByComparingTo(OPENAI_CALL.multiply(BigDecimal.valueOf(i)));
    }
    assertThat(records()).isEqualTo(5);
    assertThat(finops.snapshot().where("model", "gpt-4o").total().records()).isEqualTo(0); // model is not a tag here
    assertThat(handlers.callsWithoutCacheDetail()).isZero();
  }

  @Test
  void streamedThroughChatClientWithTheAdvisorIsExact() {
    ChatClient client = ChatClient.builder(openAi(OpenAiChatOptions.builder().streamUsage(true)))
        .defaultAdvisors(handlers.streamUsageAdvisor()).build();
    for (int i = 0; i < 4; i++) {
      List<String> parts = client.prompt("Tell me").stream().content().collectList().block();
      assertThat(String.join("", parts)).isEqualTo("The answer is 42.");
    }
    awaitRecorded(4);
    assertThat(total()).isEqualByComparingTo(OPENAI_CALL.multiply(BigDecimal.valueOf(4)));
    assertThat(server.requests()).allSatisfy(r ->
        assertThat(r.json().at("/stream_options/include_usage").asBoolean()).isTrue());
  }

  @Test
  void theAdvisorAsksForStreamUsageWhenTheOptionsLeaveItUnsetAndOnlyForStreams() {
    ChatClient client = ChatClient.builder(openAi(OpenAiChatOptions.builder()))
        .defaultAdvisors(handlers.streamUsageAdvisor()).build();
    assertThat(client.prompt("What is six times seven?").call().content()).isEqualTo("The answer is 42.");
    for (int i = 0; i < 3; i++) {
      assertThat(String.join("", client.prompt("Tell me").stream().content().collectList().block()))
          .isEqualTo("The answer is 42.");
    }
    awaitRecorded(4);
    assertThat(total()).isEqualByComparingTo(OPENAI_CALL.multiply(BigDecimal.valueOf(4)));
    assertThat(telemetry.callsWithoutUsage()).isZero();
    assertThat(server.requests().get(0).json().has("stream_options")).isFalse(); // the synchronous call
    assertThat(server.requests().subList(1, 4)).allSatisfy(r ->
        assertThat(r.json().at("/stream_options/include_usage").asBoolean()).isTrue());
  }

  @Test
  void streamedStraightFromTheModelKeepsOnlyTotalsAndSaysSo() {
    ChatModel model = openAi(OpenAiChatOptions.builder().streamUsage(true));
    model.stream(new Prompt("Tell me")).collectList().block();
    awaitRecorded(1);
    // Spring AI's aggregation drops the cached count: 3,000 input tokens at $2.50/M + 500 at $10/M.
    assertThat(total()).isEqualByComparingTo("0.0125");
    assertThat(handlers.callsWithoutCacheDetail()).isEqualTo(1);
  }

  @Test
  void aStreamWithoutUsageIsCountedNotPricedAtZero() {
    ChatModel model = openAi(OpenAiChatOptions.builder().streamUsage(false)); // no advisor to ask for usage
    model.stream(new Prompt("Tell me")).collectList().block();
    awaitRecorded(1);
    assertThat(records()).isZero();
    assertThat(telemetry.callsWithoutUsage()).isEqualTo(1);
  }

  @Test
  void anthropicSyncAndStreamedAreExact() {
    ChatModel model = anthropic();
    model.call(new Prompt("Hello"));
    assertThat(total()).isEqualByComparingTo(ANTHROPIC_CALL);
    ChatClient client = ChatClient.builder(model).defaultAdvisors(handlers.streamUsageAdvisor()).build();
    client.prompt("Hello").stream().content().collectList().block();
    awaitRecorded(2);
    assertThat(total()).isEqualByComparingTo(ANTHROPIC_CALL.multiply(BigDecimal.valueOf(2)));
    assertThat(records()).isEqualTo(2);
  }

  @Test
  void ambientTagsAttributeAndATeamBudgetDeniesTheCallThatWouldPassItsLimit() {
    budgets.add(Budget.forTeam("nlp").limit(Money.usd("0.025")).lifetime().build());
    ChatModel model = openAi(OpenAiChatOptions.builder().maxTokens(500));
    // A 3,000-byte prompt: its bound (3,008 tokens at $2.50/M) + 500 at $10/M = $0.01252 per reservation.
    String prompt = "word ".repeat(600);
    try (Scope s = CostContext.withTags(Tags.builder().team("nlp").build())) {
      model.call(new Prompt(prompt));
      model.call(new Prompt(prompt));
      assertThatThrownBy(() -> model.call(new Prompt(prompt))).isInstanceOf(BudgetExceededException.class);
    }
    assertThat(server.callCount()).isEqualTo(2);
    LedgerSnapshot nlp = finops.snapshot().where("team", "nlp");
    assertThat(nlp.total().cost().exactAmount()).isEqualByComparingTo("0.0200");
    BudgetStatus status = budgets.statuses().get(0);
    assertThat(status.spent().exactAmount()).isEqualByComparingTo("0.0200");
    assertThat(status.reserved().isZero()).isTrue();
  }

  @Test
  void aFailedCallReleasesItsReservationAndRecordsNothing() {
    budgets.add(Budget.forTeam("nlp").limit(Money.usd("1")).lifetime().build());
    ChatModel model = SpringAiModels.failingOpenAi(server, OpenAiChatOptions.builder().model("gpt-4o").maxTokens(100),
        registry);
    try (Scope s = CostContext.withTags(Tags.builder().team("nlp").build())) {
      assertThatThrownBy(() -> model.call(new Prompt("hi"))).isInstanceOf(RuntimeException.class);
    }
    assertThat(records()).isZero();
    BudgetStatus status = budgets.statuses().get(0);
    assertThat(status.used().isZero()).isTrue();
  }

  @Test
  void theRecorderAddsTheExactCostAsKeyValuesForTheSpan() {
    List<io.micrometer.observation.Observation.Context> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ObservationRegistry reg = ObservationRegistry.create();
    FinOpsObservationHandlers h = FinOpsObservationHandlers.create(telemetry);
    reg.observationConfig().observationHandler(h.budgetGate())
        .observationHandler(new io.micrometer.observation.ObservationHandler<>() {
          @Override
          public void onStop(io.micrometer.observation.Observation.Context context) {
            if (context instanceof ChatModelObservationContext) { // Spring AI 2 also observes its HTTP requests
              seen.add(context); // stands where the tracing handler stands: it stops after the recorder
            }
          }

          @Override
          public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
            return true;
          }
        })
        .observationHandler(h.recorder());
    ChatModel model = SpringAiModels.openAi(server, OpenAiChatOptions.builder().model("gpt-4o"), reg);
    try (Scope s = CostContext.withTags(Tags.builder().team("search").build())) {
      model.call(new Prompt("hi"));
    }
    assertThat(seen).hasSize(1);
    var kv = seen.get(0).getHighCardinalityKeyValues();
    assertThat(kv.stream().filter(k -> k.getKey().equals("finops.cost.amount")).findFirst().orElseThrow().getValue())
        .isEqualTo("0.01");
    assertThat(kv.stream().filter(k -> k.getKey().equals("finops.team")).findFirst().orElseThrow().getValue())
        .isEqualTo("search");
  }
}
