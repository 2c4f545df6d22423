package dev.finops.benchmarks;

import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.otel.FinOpsTelemetry;
import dev.finops.springai.FinOpsObservationHandlers;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.List;
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
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;

/**
 * What {@code FinOpsObservationHandlers} add to a Spring AI chat call, without HTTP: what Spring AI's
 * {@code OpenAiChatModel} does around each call (a {@code ChatModelObservationContext} for the prompt,
 * the chat-model observation with the default convention, {@code observe}, the response with its
 * metadata: id, model and a {@code DefaultUsage} carrying OpenAI's native {@code OpenAiApi.Usage}),
 * on a Micrometer {@code ObservationRegistry} whose one other handler does nothing (standing in for
 * the tracing handler, so the observation runs in every variant). The handlers run on a finops {@code
 * FinOps} and a {@code FinOpsTelemetry} on a no-op OpenTelemetry with default tags team nlp and a team
 * budget that applies to every call: the gate reserves at start (the prompt's UTF-8 bound and {@code
 * maxTokens}), the recorder settles to the exact cost at stop, records the ledger and adds the cost
 * key values.
 *
 * <ul>
 *   <li>{@code baseline}: the observed call with the do-nothing handler only; a unique response id per
 *       call ({@code "chatcmpl-" + n}).
 *   <li>{@code handlers}: the same with {@code budgetGate()} before and {@code recorder()} after the
 *       do-nothing handler. Unique ids: each is claimed in the dedup set, as in production. Target: at
 *       most 1 µs over {@code baseline}.
 *   <li>{@code handlersNoIds}: responses without an id: no dedup check or claim.
 *   <li>{@code handlersNoBudget}: on a telemetry without a budget manager: what reserving and settling
 *       cost.
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
public class SpringAiHandlersBenchmark {
  private static final ChatModelObservationConvention CONVENTION = new DefaultChatModelObservationConvention();

  private ObservationRegistry baseline;
  private ObservationRegistry withHandlers;
  private ObservationRegistry withHandlersNoBudget;
  private Prompt prompt;
  private AssistantMessage answer;
  private DefaultUsage usage;
  private long ids;

  /** Stands in for the tracing handler: supports every context, does nothing. */
  private static final class Nothing implements ObservationHandler<Observation.Context> {
    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }

  @Setup
  public void setUp() {
    Tags nlp = Tags.builder().team("nlp").build();
    FinOps finops = FinOps.builder().build();
    // A limit no run reaches ($0.01 a call): every call reserves and settles, none is refused.
    BudgetManager budgets = BudgetManager.builder(finops).build()
        .add(Budget.forTeam("nlp").limit(Money.usd("9000000")).lifetime().build());
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop())
        .budgets(budgets).defaultTags(nlp).build();
    FinOpsTelemetry noBudgets = FinOpsTelemetry.builder(FinOps.builder().build())
        .openTelemetry(OpenTelemetry.noop()).defaultTags(nlp).build();

    baseline = ObservationRegistry.create();
    baseline.observationConfig().observationHandler(new Nothing());
    withHandlers = registry(FinOpsObservationHandlers.create(telemetry));
    withHandlersNoBudget = registry(FinOpsObservationHandlers.create(noBudgets));

    prompt = new Prompt("What is the answer to life, the universe and everything?",
        OpenAiChatOptions.builder().model("gpt-4o").maxTokens(1_000).build());
    answer = new AssistantMessage("The answer is 42.");
    // What the fake model server answers: 3,000 prompt tokens (2,000 cached), 500 completion: $0.0100.
    OpenAiApi.Usage nativeUsage = new OpenAiApi.Usage(500, 3_000, 3_500,
        new OpenAiApi.Usage.PromptTokensDetails(0, 2_000), new OpenAiApi.Usage.CompletionTokenDetails(0, 0, 0, 0));
    usage = new DefaultUsage(3_000, 500, 3_500, nativeUsage);
  }

  private static ObservationRegistry registry(FinOpsObservationHandlers finops) {
    ObservationRegistry r = ObservationRegistry.create();
    r.observationConfig().observationHandler(finops.budgetGate()).observationHandler(new Nothing())
        .observationHandler(finops.recorder());
    return r;
  }

  private ChatResponse response(String id) {
    return ChatResponse.builder().generations(List.of(new Generation(answer)))
        .metadata(ChatResponseMetadata.builder().id(id).model("gpt-4o-2024-08-06").usage(usage).build())
        .build();
  }

  /** One chat call as OpenAiChatModel observes it. */
  private ChatModelObservationContext call(ObservationRegistry registry, String id) {
    ChatModelObservationContext context = ChatModelObservationContext.builder().prompt(prompt).provider("openai")
        .build();
    ChatModelObservationDocumentation.CHAT_MODEL_OPERATION.observation(null, CONVENTION, () -> context, registry)
        .observe(() -> context.setResponse(response(id)));
    return context;
  }

  @Benchmark
  public Object baseline() {
    return call(baseline, "chatcmpl-" + ids++);
  }

  @Benchmark
  public Object handlers() {
    return call(withHandlers, "chatcmpl-" + ids++);
  }

  @Benchmark
  public Object handlersNoIds() {
    return call(withHandlers, null);
  }

  @Benchmark
  public Object handlersNoBudget() {
    return call(withHandlersNoBudget, "chatcmpl-" + ids++);
  }
}
