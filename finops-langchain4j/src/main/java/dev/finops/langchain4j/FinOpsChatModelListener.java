package dev.finops.langchain4j;

import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.budget.BudgetException;
import dev.finops.core.pricing.PricingException;
import dev.finops.otel.CostContext;
import dev.finops.otel.FinOpsTelemetry;
import dev.finops.otel.ModelCall;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the exact cost of every call of a LangChain4j chat model, synchronous or streaming, in
 * finops, from the usage LangChain4j reports natively (OpenAI's cached and reasoning tokens,
 * Anthropic's cache reads and writes: see {@link LangChain4jUsage}), whatever the trace sampling.
 *
 * <pre>{@code
 * FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).budgets(budgets).build();
 * ChatModel model = OpenAiChatModel.builder()
 *     .apiKey(key).modelName("gpt-4o")
 *     .listeners(List.of(new FinOpsChatModelListener(telemetry)))
 *     .build();
 * try (Scope s = CostContext.withTags(Tags.builder().team("nlp").build())) {
 *   model.chat("...");                                   // recorded under team nlp
 * }
 * }</pre>
 *
 * <p>Each call is a {@link ModelCall}: started in {@code onRequest} on the calling thread (which
 * captures the ambient {@link CostContext#withTags} tags, the enclosing {@link
 * dev.finops.otel.CostTracked} call if any, and reserves on the budgets that apply), finished in
 * {@code onResponse} with the response's id, model and usage (on the HTTP client's thread for
 * streaming calls), or failed in {@code onError} (nothing recorded, reservation released). The
 * response id keeps a call seen by another path too ({@link FinOpsTelemetry#record}, a {@code
 * CostTracked} handler, the {@code CostSpanExporter}) from being counted twice.
 *
 * <p><b>Budgets cannot stop a call from a listener.</b> LangChain4j catches and logs what a listener
 * throws and sends the request anyway, so this listener never throws: when a budget refuses the
 * reservation ({@link BudgetException}), the call goes ahead and its cost is recorded when it answers as
 * spend without a reservation ({@link #budgetDenials()} counts these calls). To refuse calls before they
 * are sent, wrap the code that makes them in a {@code CostTracked} handler ({@link
 * FinOpsTelemetry#wrap}), which throws the refusal, or check {@code BudgetManager.statuses} first. A
 * THROTTLE budget's delay is waited on the thread that calls the model, streaming calls included.
 *
 * <p><b>Never breaks a call</b>: a finops problem (unpriceable model, impossible counts) is logged once
 * and counted in {@link #problems()}; the call itself is not touched. Thread-safe; one instance may be
 * shared by any number of models.
 */
public final class FinOpsChatModelListener implements ChatModelListener {
  private static final Logger log = LoggerFactory.getLogger(FinOpsChatModelListener.class);

  private final FinOpsTelemetry telemetry;
  private final Tags tags;
  private final String provider;
  private final boolean providerSet;
  private final LongAdder budgetDenials = new LongAdder();
  private final LongAdder problems = new LongAdder();
  private final AtomicBoolean deniedLogged = new AtomicBoolean();
  private final AtomicBoolean problemLogged = new AtomicBoolean();

  /** A listener recording through {@code telemetry}, under its default and the ambient tags. */
  public FinOpsChatModelListener(FinOpsTelemetry telemetry) {
    this(builder(telemetry));
  }

  private FinOpsChatModelListener(Builder b) {
    this.telemetry = b.telemetry;
    this.tags = b.tags;
    this.provider = b.provider;
    this.providerSet = b.providerSet;
  }

  public static Builder builder(FinOpsTelemetry telemetry) {
    return new Builder(telemetry);
  }

  /** Calls whose budget reservation was refused: they ran anyway and were recorded as unreserved spend. */
  public long budgetDenials() {
    return budgetDenials.sum();
  }

  /** Calls this listener could not account for as it should (logged once; the calls themselves ran). */
  public long problems() {
    return problems.sum();
  }

  @Override
  public void onRequest(ChatModelRequestContext context) {
    try {
      ChatRequest request = context.chatRequest();
      String catalogProvider = providerSet ? provider : catalogProvider(context.modelProvider());
      String model = requestModel(request);
      ModelCall call;
      try {
        call = telemetry.startCall(tags, catalogProvider, model, "chat", RequestBounds.inputTokens(request),
            RequestBounds.maxOutputTokens(request));
      } catch (BudgetException denied) {
        budgetDenials.increment();
        if (deniedLogged.compareAndSet(false, true)) {
          log.warn("finops-langchain4j: a budget refused a {} call ({}); LangChain4j sends the request anyway, "
              + "so it is recorded as unreserved spend when it answers. Refuse calls before they are sent with "
              + "a @CostTracked handler. Logged once; see budgetDenials().", model, denied.getMessage());
        }
        context.attributes().put(this, new Unreserved(telemetry.currentTags().with(tags), catalogProvider, model));
        return;
      }
      context.attributes().put(this, call);
      throttle(call.throttleDelay());
    } catch (RuntimeException | LinkageError e) {
      problem("could not start accounting for a chat call", e);
    }
  }

  @Override
  public void onResponse(ChatModelResponseContext context) {
    try {
      Map<Object, Object> attributes = context.attributes();
      Object started = attributes.remove(this);
      ChatResponse response = context.chatResponse();
      String responseId = LangChain4jUsage.responseId(response.id());
      String responseModel = response.modelName();
      Usage usage;
      try {
        usage = LangChain4jUsage.toUsage(response.tokenUsage());
      } catch (IllegalArgumentException impossible) {
        problem("LangChain4j reported impossible token counts (" + response.tokenUsage() + ")", impossible);
        usage = null;
      }
      if (started instanceof ModelCall) {
        ((ModelCall) started).finish(responseId, responseModel, usage);
        return;
      }
      Unreserved u = started instanceof Unreserved ? (Unreserved) started
          : new Unreserved(telemetry.currentTags().with(tags),
              providerSet ? provider : catalogProvider(context.modelProvider()), requestModel(context.chatRequest()));
      if (usage != null) {
        recordUnreserved(u, responseId, responseModel, usage);
      }
    } catch (RuntimeException | LinkageError e) {
      problem("could not account for a chat call", e);
    }
  }

  @Override
  public void onError(ChatModelErrorContext context) {
    try {
      Object started = context.attributes().remove(this);
      if (started instanceof ModelCall) {
        ((ModelCall) started).fail(context.error());
      }
    } catch (RuntimeException | LinkageError e) {
      problem("could not release the reservation of a failed chat call", e);
    }
  }

  /**
   * A call admitted without a reservation: recorded through {@link FinOpsTelemetry#record} (which
   * counts it on the budgets as unreserved spend and claims its response id), priced as the response's
   * model when the catalog knows it, else as the request's. Written on no span: the span current here is
   * not known to be this call's.
   */
  private void recordUnreserved(Unreserved u, String responseId, String responseModel, Usage usage) {
    if (responseModel != null && !responseModel.equals(u.requestModel)) {
      try {
        telemetry.record(Span.getInvalid(), u.tags, u.provider, responseModel, usage, responseId);
        return;
      } catch (PricingException unknownResponseModel) {
        // priced as the request's model below
      }
    }
    try {
      telemetry.record(Span.getInvalid(), u.tags, u.provider, u.requestModel, usage, responseId);
    } catch (PricingException unknown) {
      problem("could not price a call of " + u.requestModel, unknown);
    }
  }

  private static void throttle(Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    long nanos = delay.toNanos();
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's to handle; the call goes ahead
    }
  }

  private void problem(String what, Throwable e) {
    problems.increment();
    if (problemLogged.compareAndSet(false, true)) {
      log.warn("finops-langchain4j: {} (logged once; see problems())", what, e);
    }
  }

  private static String requestModel(ChatRequest request) {
    String model = request.parameters() == null ? null : request.parameters().modelName();
    return model == null || model.isBlank() ? "unknown" : model;
  }

  /**
   * The catalog's name of a LangChain4j provider: {@code openai}, {@code anthropic}, {@code google},
   * {@code mistral}; {@code null} for the others (Bedrock, Ollama, GitHub Models, Foundry, ...), whose
   * models are then looked up by name alone.
   */
  static String catalogProvider(ModelProvider provider) {
    if (provider == null) {
      return null;
    }
    switch (provider.name()) {
      case "OPEN_AI":
      case "AZURE_OPEN_AI":
        return "openai";
      case "ANTHROPIC":
      case "GOOGLE_VERTEX_AI_ANTHROPIC":
        return "anthropic";
      case "GOOGLE_AI_GEMINI":
      case "GOOGLE_GENAI":
      case "GOOGLE_VERTEX_AI_GEMINI":
        return "google";
      case "MISTRAL_AI":
        return "mistral";
      default:
        return null;
    }
  }

  @Override
  public String toString() {
    return "FinOpsChatModelListener{" + tags + (providerSet ? ", provider " + provider : "") + "}";
  }

  /** What onRequest leaves for onResponse when no reservation could be made. */
  private static final class Unreserved {
    final Tags tags;
    final String provider;
    final String requestModel;

    Unreserved(Tags tags, String provider, String requestModel) {
      this.tags = tags;
      this.provider = provider;
      this.requestModel = requestModel;
    }
  }

  /** Configures a {@link FinOpsChatModelListener}. Not thread-safe. */
  public static final class Builder {
    private final FinOpsTelemetry telemetry;
    private Tags tags = Tags.EMPTY;
    private String provider;
    private boolean providerSet;

    private Builder(FinOpsTelemetry telemetry) {
      this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    /**
     * Tags every call of the models this listener is registered on is recorded under, over the
     * telemetry's default and the ambient {@link CostContext#withTags} tags (these win where both set a
     * key).
     */
    public Builder tags(Tags tags) {
      this.tags = Objects.requireNonNull(tags, "tags");
      return this;
    }

    /**
     * The provider as the catalog spells it ({@code together}, {@code groq}, {@code deepseek}), instead
     * of the one read from LangChain4j's {@code ModelProvider}: for an {@code OpenAiChatModel} pointed
     * at another vendor's OpenAI-compatible endpoint, whose models the catalog lists under that vendor.
     * {@code null} looks models up by name alone.
     */
    public Builder provider(String catalogProvider) {
      this.provider = catalogProvider;
      this.providerSet = true;
      return this;
    }

    public FinOpsChatModelListener build() {
      return new FinOpsChatModelListener(this);
    }
  }
}
