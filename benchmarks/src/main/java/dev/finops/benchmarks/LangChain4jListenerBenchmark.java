package dev.finops.benchmarks;

import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.langchain4j.FinOpsChatModelListener;
import dev.finops.langchain4j.LangChain4jUsage;
import dev.finops.otel.FinOpsTelemetry;
import dev.finops.otel.ModelCall;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code FinOpsChatModelListener} adds to a LangChain4j chat call, without HTTP: what LangChain4j
 * builds around each call (the attributes map, the request and response contexts, here also the
 * response with an {@code OpenAiTokenUsage} and its id), with and without the listener's {@code
 * onRequest} + {@code onResponse}. The listener runs on a finops {@code FinOps} and a {@code
 * FinOpsTelemetry} on a no-op OpenTelemetry, with a team budget that applies to every call: a
 * reservation at the request (the prompt's byte bound and {@code max_tokens} priced by the estimator),
 * settled at the response to the exact cost, and the ledger record.
 *
 * <ul>
 *   <li>{@code baseline}: the contexts and the response, no listener work; a unique response id per
 *       call ({@code "chatcmpl-" + n}).
 *   <li>{@code listener}: the same plus the listener. Each call has a unique response id, so each is
 *       checked and claimed in the dedup set (100,000 ids by default, in two generations of
 *       {@code ConcurrentHashMap}s; the ids of a busy minute stay in it, so its lookups miss the CPU
 *       caches) and recorded, as in production. Target: at most 1 µs over {@code baseline}.
 *   <li>{@code listenerNoIds}: the same with responses without an id ({@code null}): no dedup claim,
 *       which shows what the claim costs.
 *   <li>{@code listenerNoIdsNoBudget}: {@code listenerNoIds} on a telemetry without a budget manager:
 *       what the reservation and its settlement cost.
 *   <li>{@code listenerNoIdsNoTokenMetric}: {@code listenerNoIds} on a telemetry built with {@code
 *       tokenUsageMetric(false)}: what building the {@code gen_ai.client.token.usage} attributes costs
 *       per call, on a no-op meter too.
 *   <li>{@code modelCallNoIds}: {@code FinOpsTelemetry.startCall} + {@code ModelCall.finish} called
 *       directly with a ready {@code Usage} (same budget, no id): the floor under any integration, so
 *       the listener's own work is {@code listenerNoIds - modelCallNoIds}.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// A fixed, pre-touched heap: on the project's VM a growing heap's first touch of each page stalls the
// allocating thread (seconds of 5x slower iterations), which is the machine, not the code under test.
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class LangChain4jListenerBenchmark {

  private FinOpsChatModelListener listener;
  private FinOpsChatModelListener listenerNoBudget;
  private FinOpsChatModelListener listenerNoTokenMetric;
  private FinOpsTelemetry telemetry;
  private Tags nlp;
  private Usage canonical;
  private ChatRequest request;
  private OpenAiTokenUsage usage;
  private AiMessage answer;
  private long ids;

  @Setup
  public void setUp() {
    FinOps finops = FinOps.builder().build();
    // A limit no run reaches ($0.01 a call): every call reserves and settles, none is refused.
    BudgetManager budgets = BudgetManager.builder(finops).build()
        .add(Budget.forTeam("nlp").limit(Money.usd("9000000")).lifetime().build());
    telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop()).budgets(budgets).build();
    nlp = Tags.builder().team("nlp").build();
    listener = FinOpsChatModelListener.builder(telemetry).tags(nlp).build();
    FinOpsTelemetry noBudgets = FinOpsTelemetry.builder(FinOps.builder().build())
        .openTelemetry(OpenTelemetry.noop()).build();
    listenerNoBudget = FinOpsChatModelListener.builder(noBudgets).tags(nlp).build();
    FinOps other = FinOps.builder().build();
    FinOpsTelemetry noTokenMetric = FinOpsTelemetry.builder(other).openTelemetry(OpenTelemetry.noop())
        .tokenUsageMetric(false)
        .budgets(BudgetManager.builder(other).build()
            .add(Budget.forTeam("nlp").limit(Money.usd("9000000")).lifetime().build()))
        .build();
    listenerNoTokenMetric = FinOpsChatModelListener.builder(noTokenMetric).tags(nlp).build();
    request = ChatRequest.builder()
        .messages(UserMessage.from("What is the answer to life, the universe and everything?"))
        .parameters(OpenAiChatRequestParameters.builder().modelName("gpt-4o").maxOutputTokens(1_000).build())
        .build();
    // What the fake model server answers: 3,000 prompt tokens (2,000 cached), 500 completion: $0.0100.
    usage = OpenAiTokenUsage.builder().inputTokenCount(3_000).outputTokenCount(500).totalTokenCount(3_500)
        .inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(2_000).build())
        .outputTokensDetails(OpenAiTokenUsage.OutputTokensDetails.builder().reasoningTokens(0).build())
        .build();
    answer = AiMessage.from("The answer is 42.");
    canonical = LangChain4jUsage.toUsage(usage);
  }

  private ChatResponse response(String id) {
    return ChatResponse.builder().aiMessage(answer).id(id).modelName("gpt-4o-2024-08-06").tokenUsage(usage).build();
  }

  @Benchmark
  public Object baseline() {
    Map<Object, Object> attributes = new ConcurrentHashMap<>();
    ChatModelRequestContext req = new ChatModelRequestContext(request, ModelProvider.OPEN_AI, attributes);
    ChatModelResponseContext res = new ChatModelResponseContext(response("chatcmpl-" + ids++), request,
        ModelProvider.OPEN_AI, attributes);
    return res.attributes() == req.attributes() ? res : req;
  }

  @Benchmark
  public Object listener() {
    Map<Object, Object> attributes = new ConcurrentHashMap<>();
    ChatModelRequestContext req = new ChatModelRequestContext(request, ModelProvider.OPEN_AI, attributes);
    listener.onRequest(req);
    ChatModelResponseContext res = new ChatModelResponseContext(response("chatcmpl-" + ids++), request,
        ModelProvider.OPEN_AI, attributes);
    listener.onResponse(res);
    return res;
  }

  @Benchmark
  public Object listenerNoIds() {
    Map<Object, Object> attributes = new ConcurrentHashMap<>();
    ChatModelRequestContext req = new ChatModelRequestContext(request, ModelProvider.OPEN_AI, attributes);
    listener.onRequest(req);
    ChatModelResponseContext res = new ChatModelResponseContext(response(null), request, ModelProvider.OPEN_AI,
        attributes);
    listener.onResponse(res);
    return res;
  }

  @Benchmark
  public Object listenerNoIdsNoBudget() {
    Map<Object, Object> attributes = new ConcurrentHashMap<>();
    ChatModelRequestContext req = new ChatModelRequestContext(request, ModelProvider.OPEN_AI, attributes);
    listenerNoBudget.onRequest(req);
    ChatModelResponseContext res = new ChatModelResponseContext(response(null), request, ModelProvider.OPEN_AI,
        attributes);
    listenerNoBudget.onResponse(res);
    return res;
  }

  @Benchmark
  public Object listenerNoIdsNoTokenMetric() {
    Map<Object, Object> attributes = new ConcurrentHashMap<>();
    ChatModelRequestContext req = new ChatModelRequestContext(request, ModelProvider.OPEN_AI, attributes);
    listenerNoTokenMetric.onRequest(req);
    ChatModelResponseContext res = new ChatModelResponseContext(response(null), request, ModelProvider.OPEN_AI,
        attributes);
    listenerNoTokenMetric.onResponse(res);
    return res;
  }

  @Benchmark
  public Object modelCallNoIds() {
    ModelCall call = telemetry.startCall(nlp, "openai", "gpt-4o", "chat", 64, 1_000);
    return call.finish(null, "gpt-4o-2024-08-06", canonical);
  }
}
