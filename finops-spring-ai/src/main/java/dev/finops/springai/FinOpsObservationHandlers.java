package dev.finops.springai;

import dev.finops.core.Usage;
import dev.finops.core.budget.BudgetException;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.otel.FinOpsTelemetry;
import dev.finops.otel.ModelCall;
import dev.finops.otel.PromptBytes;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * finops on Spring AI's chat-model observations: every {@code ChatModel} call (sync or streamed, through
 * a {@code ChatClient} or not) is recorded in the finops ledger at its exact cost from the provider's
 * native usage, whatever the trace sampling, and budgets hold before the request is sent. Two handlers,
 * because Micrometer starts handlers in registration order and stops them in reverse:
 *
 * <ul>
 *   <li>{@link #budgetGate()}, registered <b>before</b> the tracing and metrics handlers, starts a {@link
 *       ModelCall} when the observation starts: the ambient tags of the calling thread, and a budget
 *       reservation of the prompt's bound (its UTF-8 bytes plus 8 per message: a byte-level BPE never
 *       makes more tokens than bytes; media and tool schemas are not counted) at the model's dearest
 *       input-side price plus {@code maxTokens} at the dearer of its output and reasoning prices (the
 *       budget estimator's bound, see {@link ModelCall}). A refusal throws the {@link BudgetException}
 *       out of the model call before any other handler started, so no span or timer is left open and
 *       no request is sent.
 *   <li>{@link #recorder()}, registered <b>after</b> them, finishes the call when the observation
 *       stops (before the tracing handler ends the span): reads the usage ({@link SpringAiUsage}),
 *       records it once, settles the reservation, and adds the cost and attribution ({@code
 *       finops.cost.amount}, {@code finops.cost.currency}, {@code finops.cost.source}, {@code
 *       finops.team}, ...) as high-cardinality key values, which the tracing handler writes on the span
 *       and the metrics handler leaves out. A failed call releases its reservation.
 * </ul>
 *
 * <pre>{@code
 * FinOpsObservationHandlers finops = FinOpsObservationHandlers.create(telemetry);
 * registry.observationConfig()
 *     .observationHandler(finops.budgetGate())
 *     .observationHandler(tracingHandler)            // if any
 *     .observationHandler(finops.recorder());
 * ChatClient.builder(chatModel).defaultAdvisors(finops.streamUsageAdvisor()).build();
 * }</pre>
 *
 * <p><b>Streams.</b> Spring AI aggregates a stream's chunks for the observation and keeps only the
 * prompt and completion totals, so the cache counts of a streamed call come from {@link
 * #streamUsageAdvisor()} on the {@code ChatClient}; a stream read straight from the {@code ChatModel}
 * is priced from its totals (every input token uncached, counted in {@link #callsWithoutCacheDetail()}).
 * OpenAI streams report usage only when asked: the advisor asks for streams through a {@code
 * ChatClient}; a stream read straight from the model needs {@code OpenAiChatOptions.streamUsage(true)},
 * without which it reports no usage and is counted in {@link FinOpsTelemetry#callsWithoutUsage()}, its
 * reservation kept whole, never priced at zero.
 *
 * <p>THROTTLE budgets are not applied here (a handler cannot delay a call without blocking a thread);
 * their events are still raised. Thread-safe.
 */
public final class FinOpsObservationHandlers {
  private static final Logger log = LoggerFactory.getLogger(FinOpsObservationHandlers.class);
  private static final String OPERATION = "chat";

  private final FinOpsTelemetry telemetry;
  private final StreamUsages streamUsages = new StreamUsages();
  private final LongAdder withoutCacheDetail = new LongAdder();
  private final AtomicBoolean problemLogged = new AtomicBoolean();
  private final Gate gate = new Gate();
  private final Recorder recorder = new Recorder();

  private FinOpsObservationHandlers(FinOpsTelemetry telemetry) {
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
  }

  public static FinOpsObservationHandlers create(FinOpsTelemetry telemetry) {
    return new FinOpsObservationHandlers(telemetry);
  }

  /** Registers the gate first and the recorder last on {@code registry}, around what is there already. */
  public static FinOpsObservationHandlers register(ObservationRegistry registry, FinOpsTelemetry telemetry) {
    FinOpsObservationHandlers h = create(telemetry);
    registry.observationConfig().observationHandler(h.budgetGate()).observationHandler(h.recorder());
    return h;
  }

  /** Starts the call and reserves on budgets; register it before the tracing and metrics handlers. */
  public ObservationHandler<ChatModelObservationContext> budgetGate() {
    return gate;
  }

  /** Records the call when it ends; register it after the tracing and metrics handlers. */
  public ObservationHandler<ChatModelObservationContext> recorder() {
    return recorder;
  }

  /** The {@code ChatClient} advisor that keeps streamed calls' native usage (needs spring-ai-client-chat). */
  public FinOpsStreamUsageAdvisor streamUsageAdvisor() {
    return new FinOpsStreamUsageAdvisor(streamUsages);
  }

  public FinOpsTelemetry telemetry() {
    return telemetry;
  }

  /** Calls priced from Spring AI's totals only (no native usage): every input token priced uncached. */
  public long callsWithoutCacheDetail() {
    return withoutCacheDetail.sum();
  }

  // ---- the call -----------------------------------------------------------------------------------

  private ModelCall start(ChatModelObservationContext context) {
    Prompt prompt = context.getRequest();
    ChatOptions options = prompt == null ? null : prompt.getOptions();
    String model = options != null && options.getModel() != null ? options.getModel() : "unknown";
    long maxTokens = options != null && options.getMaxTokens() != null ? options.getMaxTokens() : -1;
    String provider = SpringAiUsage.catalogProvider(
        context.getOperationMetadata() == null ? null : context.getOperationMetadata().provider());
    return telemetry.startCall(provider, model, OPERATION, promptBound(prompt), maxTokens);
  }

  /** UTF-8 bytes of the messages' text plus 8 per message, or -1 without a prompt. */
  static long promptBound(Prompt prompt) {
    if (prompt == null) {
      return -1;
    }
    List<Message> messages = prompt.getInstructions();
    long bound = 0;
    for (Message m : messages) {
      String text = m.getText();
      bound += 8 + (text == null ? 0 : PromptBytes.utf8Length(text));
    }
    return bound;
  }

  private void finish(ChatModelObservationContext context) {
    ModelCall call = context.get(ModelCall.class);
    ChatResponse response = context.getResponse();
    String advisorKey = StreamKeys.take(context.getRequest());
    if (call == null) {
      return; // the gate refused it, or is not registered (nothing was started)
    }
    if (response == null) {
      call.fail(context.getError() != null ? context.getError() : new IllegalStateException("no response"));
      return;
    }
    ChatResponseMetadata m = response.getMetadata();
    String id = m == null || m.getId() == null || m.getId().isEmpty() ? null : m.getId();
    String responseModel = m == null || m.getModel() == null || m.getModel().isEmpty() ? null : m.getModel();
    org.springframework.ai.chat.metadata.Usage reported = m == null ? null : m.getUsage();
    Usage exact;
    try {
      exact = SpringAiUsage.fromNative(reported == null ? null : reported.getNativeUsage()); // read once
    } catch (IllegalArgumentException badCounts) {
      unreadable(call, badCounts);
      return;
    }
    String streamKey = id != null ? id : advisorKey;
    if (streamKey != null && exact == null) {
      // A stream: Spring AI kept only the totals. The native usage comes from the advisor, maybe later
      // (under the response id, or the advisor's own key where the chunks carry no id: Gemini).
      if (id != null) {
        call.claimResponseId(id);
      }
      streamUsages.whenDone(streamKey, streamed -> finishStream(call, id, responseModel, reported, streamed));
      return;
    }
    record(call, id, responseModel, exact != null ? exact : totals(reported), context);
  }

  /** A stream's call, with the native usage the advisor saw, else ({@code null}) Spring AI's totals. */
  private void finishStream(ModelCall call, String id, String responseModel,
      org.springframework.ai.chat.metadata.Usage reported, Object streamedNative) {
    Usage usage;
    try {
      usage = SpringAiUsage.fromNative(streamedNative);
      if (usage == null) {
        usage = totals(reported);
      }
    } catch (IllegalArgumentException badCounts) {
      unreadable(call, badCounts);
      return;
    }
    record(call, id, responseModel, usage, null);
  }

  /** Spring AI's prompt and completion totals (every input token then priced uncached), or {@code null}. */
  private Usage totals(org.springframework.ai.chat.metadata.Usage reported) {
    Usage usage = SpringAiUsage.toUsage(reported);
    if (usage != null) {
      withoutCacheDetail.increment();
    }
    return usage;
  }

  private void unreadable(ModelCall call, IllegalArgumentException badCounts) {
    problem("usage of " + call.requestModel() + " could not be read", badCounts);
    call.fail(badCounts);
  }

  /** Prices and records the call; writes the cost as key values when the observation is still open. */
  private void record(ModelCall call, String id, String responseModel, Usage usage, Observation.Context open) {
    PricedUsage priced = call.finish(id, responseModel, usage);
    if (open != null && priced != null && priced.isPriced()) {
      telemetry.costAttributes(priced, call.tags(), (k, v) -> open.addHighCardinalityKeyValue(KeyValue.of(k, v)));
    }
  }

  private void problem(String what, RuntimeException e) {
    if (problemLogged.compareAndSet(false, true)) {
      log.warn("finops-spring-ai: {} (logged once)", what, e);
    }
  }

  /** Starts the call; a budget refusal propagates out of the model call. */
  private final class Gate implements ObservationHandler<ChatModelObservationContext> {
    @Override
    public void onStart(ChatModelObservationContext context) {
      ModelCall call;
      try {
        call = start(context);
      } catch (BudgetException refused) {
        throw refused;
      } catch (RuntimeException e) {
        problem("a call could not be started", e);
        return;
      }
      context.put(ModelCall.class, call);
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return context instanceof ChatModelObservationContext;
    }
  }

  /** Finishes the call when the observation stops, before the tracing handler ends the span. */
  private final class Recorder implements ObservationHandler<ChatModelObservationContext> {
    @Override
    public void onStop(ChatModelObservationContext context) {
      try {
        finish(context);
      } catch (RuntimeException e) {
        problem("a call could not be recorded", e);
      }
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return context instanceof ChatModelObservationContext;
    }
  }

  @Override
  public String toString() {
    return "FinOpsObservationHandlers{" + telemetry + "}";
  }

}
