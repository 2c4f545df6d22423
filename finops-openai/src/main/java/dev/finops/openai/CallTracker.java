package dev.finops.openai;

import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.finops.core.Tags;
import dev.finops.otel.FinOpsTelemetry;
import dev.finops.otel.ModelCall;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one wrapped call: starts its {@link ModelCall} (attribution, budget reservation, possibly a
 * refusal) before the request is sent, waits out a throttle delay, sends it, and finishes the call with
 * the response's native usage, or fails it. Shared by every proxy of one {@link FinOpsOpenAI}.
 */
final class CallTracker {
  private static final Logger log = LoggerFactory.getLogger(FinOpsOpenAI.class);

  /** Sends the request: the delegate's method with these arguments. */
  @FunctionalInterface
  interface Invocation {
    Object invoke(Object[] args) throws Throwable;
  }

  private final FinOpsTelemetry telemetry;
  private final Tags tags;
  private final boolean requestStreamUsage;
  private final AtomicBoolean problemLogged = new AtomicBoolean();

  CallTracker(FinOpsTelemetry telemetry, Tags tags, boolean requestStreamUsage) {
    this.telemetry = telemetry;
    this.tags = tags;
    this.requestStreamUsage = requestStreamUsage;
  }

  FinOpsTelemetry telemetry() {
    return telemetry;
  }

  Tags tags() {
    return tags;
  }

  boolean requestStreamUsage() {
    return requestStreamUsage;
  }

  /**
   * Starts the call. Throws what {@link FinOpsTelemetry#startCall} throws, a {@link
   * dev.finops.core.budget.BudgetException} above all: then nothing is sent.
   */
  ModelCall start(Operation op, Object params) {
    Operation.Request r;
    try {
      r = op.request(params);
    } catch (RuntimeException e) {
      problem("could not read a " + op.name() + " request; its budget estimate is unknown", e);
      r = new Operation.Request(Operation.UNKNOWN_MODEL, -1, -1);
    }
    return telemetry.startCall(tags, FinOpsOpenAI.PROVIDER, r.model(), op.name(), r.inputTokensBound(),
        r.maxOutputTokens());
  }

  /** Finishes the call with what the response said; never throws. */
  void finish(ModelCall call, Operation.Outcome o) {
    if (o.problem() != null) {
      problem("could not read the usage of a " + call.requestModel() + " call; it is counted as a call without "
          + "usage", o.problem());
    }
    try {
      call.finish(o.id(), o.model(), o.problem() == null ? o.usage() : null);
    } catch (RuntimeException e) {
      problem("could not account for a " + call.requestModel() + " call", e);
    }
  }

  Operation.Outcome outcome(Operation op, Object response) {
    try {
      return op.outcome(response);
    } catch (RuntimeException e) {
      return Operation.Outcome.failed(null, null, e);
    }
  }

  // ---- blocking -----------------------------------------------------------------------------------

  /** A blocking call: the response, after its cost was recorded. */
  Object sync(Operation op, Object params, Invocation send, Object[] args) throws Throwable {
    ModelCall call = start(op, params);
    awaitThrottle(call);
    Object response;
    try {
      response = send.invoke(args);
    } catch (Throwable t) {
      call.fail(t);
      throw t;
    }
    finish(call, outcome(op, response));
    return response;
  }

  /** A blocking stream: finished when it ends or is closed. */
  StreamResponse<?> syncStream(Operation op, Object params, Invocation send, Object[] args) throws Throwable {
    ModelCall call = start(op, params);
    awaitThrottle(call);
    StreamResponse<?> response;
    try {
      response = (StreamResponse<?>) send.invoke(args);
    } catch (Throwable t) {
      call.fail(t);
      throw t;
    }
    return track(response, new StreamEnd(this, call, op.stream()));
  }

  private static <T> StreamResponse<T> track(StreamResponse<T> response, StreamEnd end) {
    return new TrackedStreamResponse<>(response, end);
  }

  private static void awaitThrottle(ModelCall call) {
    Duration delay = call.throttleDelay();
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(delay.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      CancellationException c = new CancellationException("interrupted while a budget throttled the call");
      c.initCause(e);
      call.fail(c);
      throw c;
    }
  }

  // ---- asynchronous -------------------------------------------------------------------------------

  /**
   * An asynchronous call: a future of the response, completed after its cost was recorded; failed with
   * the {@link dev.finops.core.budget.BudgetException} when a budget refuses it (nothing is sent).
   * Cancelling the returned future cancels the SDK's.
   */
  CompletableFuture<Object> async(Operation op, Object params, Invocation send, Object[] args) {
    ModelCall call;
    try {
      call = start(op, params);
    } catch (RuntimeException refused) {
      return CompletableFuture.failedFuture(refused);
    }
    CompletableFuture<?> source;
    try {
      source = send(call, send, args);
    } catch (Throwable t) {
      call.fail(t);
      return CompletableFuture.failedFuture(t);
    }
    CompletableFuture<Object> out = new CompletableFuture<>();
    source.whenComplete((response, error) -> {
      if (error != null) {
        call.fail(unwrap(error));
        out.completeExceptionally(error);
      } else {
        finish(call, outcome(op, response));
        out.complete(response);
      }
    });
    out.whenComplete((r, e) -> {
      if (out.isCancelled()) {
        source.cancel(true);
      }
    });
    return out;
  }

  /**
   * An asynchronous stream: finished when it completes or is closed. A refusal by a budget gives a
   * stream that completes at once with the refusal (and whose {@code onCompleteFuture()} fails with it).
   */
  AsyncStreamResponse<?> asyncStream(Operation op, Object params, Invocation send, Object[] args) {
    ModelCall call;
    try {
      call = start(op, params);
    } catch (RuntimeException refused) {
      return new TrackedAsyncStreamResponse<>(CompletableFuture.failedFuture(refused), null);
    }
    CompletableFuture<AsyncStreamResponse<Object>> source;
    try {
      source = send(call, send, args).thenApply(CallTracker::asStream);
    } catch (Throwable t) {
      call.fail(t);
      return new TrackedAsyncStreamResponse<>(CompletableFuture.failedFuture(t), null);
    }
    StreamEnd end = new StreamEnd(this, call, op.stream());
    source.whenComplete((r, error) -> {
      if (error != null) {
        end.end(unwrap(error));
      }
    });
    return new TrackedAsyncStreamResponse<>(source, end);
  }

  @SuppressWarnings("unchecked")
  private static AsyncStreamResponse<Object> asStream(Object response) {
    return (AsyncStreamResponse<Object>) response;
  }

  /**
   * Sends now, or after the throttle delay on a delayed executor that carries the caller's
   * OpenTelemetry context (the caller is never blocked). The result of {@code send} is the SDK's future,
   * or the SDK's async stream.
   */
  private static CompletableFuture<?> send(ModelCall call, Invocation send, Object[] args) throws Throwable {
    Duration delay = call.throttleDelay();
    if (delay.isZero() || delay.isNegative()) {
      return asFuture(send.invoke(args));
    }
    Executor later = Context.current().wrap(CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS));
    return CompletableFuture.supplyAsync(() -> {
      try {
        return send.invoke(args);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new CompletionException(t);
      }
    }, later).thenCompose(CallTracker::asFuture);
  }

  @SuppressWarnings("unchecked")
  private static CompletableFuture<Object> asFuture(Object response) {
    return response instanceof CompletableFuture
        ? (CompletableFuture<Object>) response
        : CompletableFuture.completedFuture(response);
  }

  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  // ---- requests -----------------------------------------------------------------------------------

  /**
   * With {@link FinOpsOpenAI.Builder#requestStreamUsage}, the params with {@code
   * stream_options.include_usage=true} when they do not say; an explicit {@code false} is kept.
   */
  ChatCompletionCreateParams withStreamUsage(ChatCompletionCreateParams params) {
    if (!requestStreamUsage) {
      return params;
    }
    try {
      if (params._streamOptions().isNull()) {
        return params; // an explicit null: the caller asked for no options
      }
      Optional<ChatCompletionStreamOptions> options = params._streamOptions().asKnown();
      if (options.isEmpty()) {
        if (!params._streamOptions().isMissing()) {
          return params; // set as raw JSON: left as the caller wrote it
        }
        return params.toBuilder()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
      }
      if (options.get()._includeUsage().isMissing()) {
        return params.toBuilder().streamOptions(options.get().toBuilder().includeUsage(true).build()).build();
      }
      return params;
    } catch (RuntimeException e) {
      problem("could not add stream_options.include_usage to a chat request; it is sent as it was", e);
      return params;
    }
  }

  // ---- problems -----------------------------------------------------------------------------------

  void problem(String what, RuntimeException e) {
    if (problemLogged.compareAndSet(false, true)) {
      log.warn("finops-openai: {} (logged once; later problems are not logged)", what, e);
    } else {
      log.debug("finops-openai: {}", what, e);
    }
  }
}
