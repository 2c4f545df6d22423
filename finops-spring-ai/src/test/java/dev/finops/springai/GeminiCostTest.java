package dev.finops.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.genai.Client;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.fake.FakeModelServer;
import dev.finops.fake.FakeModelServer.GeminiUsage;
import dev.finops.otel.CostContext;
import dev.finops.otel.FinOpsTelemetry;
import io.opentelemetry.context.Scope;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.google.genai.GoogleGenAiChatModel;
import org.springframework.ai.google.genai.GoogleGenAiChatOptions;
import org.springframework.ai.google.genai.metadata.GoogleGenAiUsage;
import org.springframework.retry.support.RetryTemplate;

/**
 * Spring AI's real Google GenAI chat model (the google-genai SDK in Gemini API mode, API key, pointed at
 * the fake server) through the handlers. The expected costs are worked out here from the fake server's
 * token counts and gemini-2.5-flash's list prices, not taken from the code under test.
 */
class GeminiCostTest {
  /** gemini-2.5-flash, USD per million tokens (https://ai.google.dev/gemini-api/docs/pricing, as bundled). */
  static final BigDecimal INPUT = new BigDecimal("0.30");
  static final BigDecimal CACHE_READ = new BigDecimal("0.03");
  static final BigDecimal OUTPUT = new BigDecimal("2.50"); // thinking tokens included
  static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /** The same server, ledger, budgets, telemetry and registered handlers as the OpenAI and Anthropic tests. */
  final SpringAiCostTest fixture = new SpringAiCostTest();
  FakeModelServer server;
  Client genAi;
  FinOps finops;
  BudgetManager budgets;
  FinOpsTelemetry telemetry;
  FinOpsObservationHandlers handlers;

  @BeforeEach
  void setUp() throws Exception {
    fixture.setUp();
    server = fixture.server;
    finops = fixture.finops;
    budgets = fixture.budgets;
    telemetry = fixture.telemetry;
    handlers = fixture.handlers;
    // Gemini API mode (an API key, not Vertex AI): the SDK calls {baseUrl}/v1beta/models/{model}:...
    genAi = Client.builder().apiKey("test").vertexAI(false)
        .httpOptions(HttpOptions.builder().baseUrl(server.baseUrl()).build()).build();
  }

  @AfterEach
  void tearDown() {
    genAi.close();
    fixture.tearDown();
  }

  GoogleGenAiChatModel gemini(GoogleGenAiChatOptions.Builder options) {
    return GoogleGenAiChatModel.builder()
        .genAiClient(genAi)
        .defaultOptions(options.model("gemini-2.5-flash").build())
        .retryTemplate(RetryTemplate.builder().maxAttempts(1).build())
        .observationRegistry(fixture.registry)
        .build();
  }

  /**
   * One call of the fake server's usage at gemini-2.5-flash's prices: the prompt less its cached part
   * at the input price, the cached part at the cache-read price, candidates and thoughts at the output
   * price.
   */
  static BigDecimal exactCost(GeminiUsage u) {
    long uncached = u.promptTokenCount() - u.cachedContentTokenCount() + u.toolUsePromptTokenCount();
    return BigDecimal.valueOf(uncached).multiply(INPUT)
        .add(BigDecimal.valueOf(u.cachedContentTokenCount()).multiply(CACHE_READ))
        .add(BigDecimal.valueOf(u.candidatesTokenCount() + u.thoughtsTokenCount()).multiply(OUTPUT))
        .divide(MILLION);
  }

  /** What Spring AI's totals alone give: every prompt token uncached, the thoughts left out. */
  static BigDecimal totalsOnlyCost(GeminiUsage u) {
    return BigDecimal.valueOf(u.promptTokenCount()).multiply(INPUT)
        .add(BigDecimal.valueOf(u.candidatesTokenCount()).multiply(OUTPUT))
        .divide(MILLION);
  }

  BigDecimal total() {
    return fixture.total();
  }

  long records() {
    return fixture.records();
  }

  void awaitRecorded(long calls) {
    fixture.awaitRecorded(calls);
  }

  @Test
  void theFakeServersDefaultsGiveTheDocumentedFigures() {
    GeminiUsage u = server.geminiUsage();
    assertThat(u).isEqualTo(new GeminiUsage(3_000, 400, 2_000, 100, 0));
    // 1,000 uncached x $0.30 + 2,000 cached x $0.03 + (400 + 100) x $2.50, per million
    assertThat(exactCost(u)).isEqualByComparingTo("0.00161");
    assertThat(totalsOnlyCost(u)).isEqualByComparingTo("0.0019");
  }

  @Test
  void syncCallsArePricedExactlyFromTheNativeUsageCacheReadsAndThoughtsIncluded() {
    GoogleGenAiChatModel model = gemini(GoogleGenAiChatOptions.builder());
    BigDecimal call = exactCost(server.geminiUsage());
    for (int i = 1; i <= 3; i++) {
      ChatResponse r = model.call(new Prompt("What is six times seven?"));
      assertThat(r.getResult().getOutput().getText()).isEqualTo("The answer is 42.");
      assertThat(r.getMetadata().getUsage()).isInstanceOf(GoogleGenAiUsage.class);
      assertThat(r.getMetadata().getUsage().getNativeUsage()).isInstanceOf(GenerateContentResponseUsageMetadata.class);
      assertThat(total()).isEqualByComparingTo(call.multiply(BigDecimal.valueOf(i)));
    }
    assertThat(records()).isEqualTo(3);
    assertThat(server.callCount()).isEqualTo(3);
    assertThat(handlers.callsWithoutCacheDetail()).isZero();
    assertThat(telemetry.callsWithoutUsage()).isZero();
    assertThat(server.requests()).allSatisfy(q -> {
      assertThat(q.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
      assertThat(q.json().at("/contents/0/parts/0/text").asText()).isEqualTo("What is six times seven?");
    });
  }

  @Test
  void aSyncCallThroughChatClientSettlesItsTeamBudgetAtTheExactCost() {
    budgets.add(Budget.forTeam("nlp").limit(Money.usd("1")).lifetime().build());
    ChatClient client = ChatClient.builder(gemini(GoogleGenAiChatOptions.builder().maxOutputTokens(1_000)))
        .defaultAdvisors(handlers.streamUsageAdvisor()).build();
    try (Scope s = CostContext.withTags(Tags.builder().team("nlp").build())) {
      assertThat(client.prompt("What is six times seven?").call().content()).isEqualTo("The answer is 42.");
    }
    BigDecimal call = exactCost(server.geminiUsage());
    assertThat(finops.snapshot().where("team", "nlp").total().cost().exactAmount()).isEqualByComparingTo(call);
    BudgetStatus status = budgets.statuses().get(0);
    assertThat(status.spent().exactAmount()).isEqualByComparingTo(call);
    assertThat(status.reserved().isZero()).isTrue();
    assertThat(records()).isEqualTo(1);
    assertThat(handlers.callsWithoutCacheDetail()).isZero();
  }

  /**
   * Spring AI 1.1.2's GoogleGenAiChatModel builds each response's metadata from the usage and the
   * model version only: it drops Gemini's {@code responseId}, so every chunk of a stream, and Spring
   * AI's aggregate of them, has an empty id, and the aggregate keeps only the totals (thoughts not even
   * counted). The advisor keys the stream itself (in the request message's metadata, not sent) and
   * keeps the last chunk's native usage under that key, so the recorder prices the call exactly.
   */
  @Test
  void aStreamThroughChatClientIsPricedExactlyThoughGeminiChunksCarryNoResponseId() {
    ChatClient client = ChatClient.builder(gemini(GoogleGenAiChatOptions.builder()))
        .defaultAdvisors(handlers.streamUsageAdvisor()).build();
    for (int i = 1; i <= 20; i++) { // the advisor and the recorder race on different threads: repeat
      List<ChatResponse> chunks = client.prompt("Tell me").stream().chatResponse().collectList().block();
      assertThat(chunks).isNotEmpty().allSatisfy(c -> assertThat(c.getMetadata().getId()).isEmpty());
      awaitRecorded(i);
      assertThat(records()).isEqualTo(i);
      assertThat(total()).isEqualByComparingTo(exactCost(server.geminiUsage()).multiply(BigDecimal.valueOf(i)));
    }
    assertThat(handlers.callsWithoutCacheDetail()).isZero();
    assertThat(server.requests()).allSatisfy(q ->
        assertThat(q.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent"));
  }

  /** Without the advisor, a stream is priced from Spring AI's totals, and counted as such. */
  @Test
  void aStreamStraightFromTheModelKeepsOnlyTotalsAndSaysSo() {
    gemini(GoogleGenAiChatOptions.builder()).stream(new Prompt("Tell me")).collectList().block();
    awaitRecorded(1);
    assertThat(total()).isEqualByComparingTo(totalsOnlyCost(server.geminiUsage()));
    assertThat(handlers.callsWithoutCacheDetail()).isEqualTo(1);
  }

  @Test
  void withoutExtendedUsageMetadataSpringAiKeepsOnlyTotalsAndSaysSo() {
    GoogleGenAiChatModel model = gemini(GoogleGenAiChatOptions.builder().includeExtendedUsageMetadata(false));
    ChatResponse r = model.call(new Prompt("Hello"));
    assertThat(r.getMetadata().getUsage().getNativeUsage()).isNull();
    assertThat(total()).isEqualByComparingTo(totalsOnlyCost(server.geminiUsage()));
    assertThat(handlers.callsWithoutCacheDetail()).isEqualTo(1);
  }

  @Test
  void theNativeUsageMapsToCanonicalBuckets() {
    GenerateContentResponseUsageMetadata u = GenerateContentResponseUsageMetadata.builder()
        .promptTokenCount(5_000).cachedContentTokenCount(4_000).toolUsePromptTokenCount(300)
        .candidatesTokenCount(700).thoughtsTokenCount(250).totalTokenCount(6_250).build();
    Usage usage = SpringAiUsage.fromNative(u);
    assertThat(usage.get(UsageBucket.INPUT_UNCACHED)).isEqualTo(1_300); // 5,000 - 4,000 cached + 300 tool-use
    assertThat(usage.get(UsageBucket.CACHE_READ)).isEqualTo(4_000);
    assertThat(usage.get(UsageBucket.OUTPUT)).isEqualTo(700);
    assertThat(usage.get(UsageBucket.OUTPUT_REASONING)).isEqualTo(250);
    assertThat(usage.inputTokens()).isEqualTo(5_300);
    assertThat(usage.outputTokens()).isEqualTo(950);

    assertThat(SpringAiUsage.fromNative(GenerateContentResponseUsageMetadata.builder().build())).isNull();
    assertThat(SpringAiUsage.fromNative(GenerateContentResponseUsageMetadata.builder()
        .promptTokenCount(10).candidatesTokenCount(0).build())).isEqualTo(Usage.builder().inputUncached(10).build());
    assertThatThrownBy(() -> SpringAiUsage.fromNative(GenerateContentResponseUsageMetadata.builder()
        .promptTokenCount(10).cachedContentTokenCount(11).build())).isInstanceOf(IllegalArgumentException.class);
    assertThat(SpringAiUsage.hasCacheDetail(GoogleGenAiUsage.from(u))).isTrue();
    assertThat(SpringAiUsage.toUsage(GoogleGenAiUsage.from(u))).isEqualTo(usage);
  }

  @Test
  void springAisGoogleProviderNamesMapToTheCatalogsGoogle() {
    assertThat(SpringAiUsage.catalogProvider(
        org.springframework.ai.google.genai.common.GoogleGenAiConstants.PROVIDER_NAME)).isEqualTo("google");
    assertThat(SpringAiUsage.catalogProvider("google_genai")).isEqualTo("google");
    assertThat(SpringAiUsage.catalogProvider("vertex_ai")).isEqualTo("google");
  }
}
