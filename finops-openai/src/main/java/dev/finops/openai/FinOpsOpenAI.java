package dev.finops.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import dev.finops.core.Tags;
import dev.finops.otel.FinOpsTelemetry;
import java.util.Objects;

/**
 * Records the exact cost of every call an OpenAI Java SDK client makes, from the usage the SDK itself
 * reads off each response, whatever the trace sampling: chat completions, responses and embeddings,
 * blocking, asynchronous and streamed. In the style of OpenTelemetry's {@code
 * OpenAITelemetry.wrap(OpenAIClient)}, and composable with it in either order.
 *
 * <pre>{@code
 * FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(otel).budgets(budgets).build();
 * OpenAIClient client = OpenAITelemetry.create(otel).wrap(           // optional: OpenTelemetry's spans
 *     FinOpsOpenAI.create(telemetry).wrap(OpenAIOkHttpClient.fromEnv()));
 *
 * try (Scope s = CostContext.withTags(Tags.builder().team("nlp").build())) {
 *   ChatCompletion c = client.chat().completions().create(params);  // recorded for team nlp
 * }
 * }</pre>
 *
 * <p>Each accounted call is a {@link dev.finops.otel.ModelCall} of provider {@value #PROVIDER}: it is
 * attributed to the ambient {@link dev.finops.otel.CostContext#withTags} tags of the calling
 * thread and this wrapper's {@link Builder#tags tags} (which win where both set a key); with a budget manager on the
 * telemetry it reserves an upper bound before the request is sent (a {@link
 * dev.finops.core.budget.BudgetException} is then thrown, or fails the returned future, and nothing is
 * sent), waits out a throttle delay (blocking calls on the calling thread, asynchronous ones on a delayed
 * executor), and settles to the exact cost; it is recorded once per response id, however many paths
 * (this wrapper, {@link dev.finops.otel.CostSpanExporter}, {@link FinOpsTelemetry#record}) see it.
 *
 * <p><b>What is accounted for</b>: {@code chat().completions().create(...)} and {@code
 * createStreaming(...)} (structured-output params too), {@code responses().create(...)} and {@code
 * createStreaming(...)}, {@code embeddings().create(...)}, on the client, on {@code client.async()}
 * (and {@code sync()}), and on whatever {@code withOptions(...)} returns. Everything else passes
 * through untouched, including {@code withRawResponse()} views, whose calls are not accounted for, and
 * the legacy {@code completions()}, {@code audio()}, {@code images()}, batch and realtime APIs.
 *
 * <p><b>Streams</b> are accounted for when they end: when the {@code Stream} runs out, or the {@code
 * StreamResponse} (or the stream) is closed, whichever comes first; asynchronous streams when they
 * complete or are closed. Chat completion streams report usage only when the request sets {@code
 * stream_options.include_usage}: then the SDK's last chunk has the usage and <em>no choices</em>
 * (code that reads {@code chunk.choices().get(0)} must skip it). A stream without it is counted in
 * {@link FinOpsTelemetry#callsWithoutUsage()} and not priced. {@link Builder#requestStreamUsage(boolean)}
 * adds the option to requests that do not set it. Responses API streams always carry the usage (in
 * {@code response.completed}).
 *
 * <p>Thread-safe; wrapped clients are as thread-safe as the clients they wrap.
 */
public final class FinOpsOpenAI {

  /** The provider as the price catalog spells it. */
  public static final String PROVIDER = "openai";

  private final CallTracker tracker;

  private FinOpsOpenAI(Builder b) {
    this.tracker = new CallTracker(b.telemetry, b.tags, b.requestStreamUsage);
  }

  /** A wrapper with the defaults: no tags of its own, stream requests sent as they are. */
  public static FinOpsOpenAI create(FinOpsTelemetry telemetry) {
    return builder(telemetry).build();
  }

  public static Builder builder(FinOpsTelemetry telemetry) {
    return new Builder(telemetry);
  }

  /** The telemetry calls are recorded with. */
  public FinOpsTelemetry telemetry() {
    return tracker.telemetry();
  }

  /**
   * {@code client} with the cost of its chat completion, response and embeddings calls recorded. A
   * client this wrapper already wrapped is returned as it is (wrapping twice would count embeddings,
   * which carry no response id, twice).
   */
  public OpenAIClient wrap(OpenAIClient client) {
    Objects.requireNonNull(client, "client");
    if (isWrappedHere(client)) {
      return client;
    }
    return (OpenAIClient) ServiceHandler.wrap(ServiceHandler.Service.CLIENT, false, client, tracker);
  }

  /** {@link #wrap(OpenAIClient)} for the asynchronous client. */
  public OpenAIClientAsync wrap(OpenAIClientAsync client) {
    Objects.requireNonNull(client, "client");
    if (isWrappedHere(client)) {
      return client;
    }
    return (OpenAIClientAsync) ServiceHandler.wrap(ServiceHandler.Service.CLIENT, true, client, tracker);
  }

  private boolean isWrappedHere(Object client) {
    ServiceHandler h = ServiceHandler.of(client);
    return h != null && h.tracker() == tracker;
  }

  @Override
  public String toString() {
    return "FinOpsOpenAI{tags=" + tracker.tags() + ", requestStreamUsage=" + tracker.requestStreamUsage() + "}";
  }

  /** Configures a {@link FinOpsOpenAI}. Not thread-safe. */
  public static final class Builder {
    private final FinOpsTelemetry telemetry;
    private Tags tags = Tags.EMPTY;
    private boolean requestStreamUsage;

    private Builder(FinOpsTelemetry telemetry) {
      this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    /**
     * Tags every call of the wrapped clients is recorded under (a service or a feature, say), over the
     * telemetry's default tags and the ambient {@link dev.finops.otel.CostContext#withTags} tags (a key
     * set here wins); default none.
     */
    public Builder tags(Tags tags) {
      this.tags = Objects.requireNonNull(tags, "tags");
      return this;
    }

    /**
     * Whether streamed chat completion requests that do not set {@code stream_options.include_usage} are
     * sent with {@code include_usage=true}, so that their cost is known (default false: requests are sent
     * as the application built them). An explicit {@code include_usage=false} is kept. <b>The stream then
     * ends with one more chunk, which carries the usage and no choices</b>: code that reads {@code
     * chunk.choices().get(0)} without checking must skip it.
     */
    public Builder requestStreamUsage(boolean request) {
      this.requestStreamUsage = request;
      return this;
    }

    public FinOpsOpenAI build() {
      return new FinOpsOpenAI(this);
    }
  }
}
