package dev.finops.openai;

import com.openai.core.http.AsyncStreamResponse;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * An asynchronous stream whose events are observed on their way to the caller's handler, and whose call
 * is finished when the stream completes (before the caller's {@code onComplete} runs and before {@link
 * #onCompleteFuture()} completes) or is closed. The SDK's stream may come later (a request delayed by a
 * throttling budget) or never (a request refused by a budget: the handler is completed with the
 * refusal).
 */
final class TrackedAsyncStreamResponse<T> implements AsyncStreamResponse<T> {
  private final CompletableFuture<AsyncStreamResponse<T>> source;
  private final StreamEnd end;

  /** {@code end} is {@code null} for a call that never started. */
  TrackedAsyncStreamResponse(CompletableFuture<AsyncStreamResponse<T>> source, StreamEnd end) {
    this.source = source;
    this.end = end;
  }

  @Override
  public AsyncStreamResponse<T> subscribe(Handler<? super T> handler) {
    return subscribe(handler, null);
  }

  @Override
  public AsyncStreamResponse<T> subscribe(Handler<? super T> handler, Executor executor) {
    Objects.requireNonNull(handler, "handler");
    Handler<T> observing = new Handler<T>() {
      @Override
      public void onNext(T event) {
        if (end != null) {
          end.observe(event);
        }
        handler.onNext(event);
      }

      @Override
      public void onComplete(Optional<Throwable> error) {
        if (end != null) {
          end.end(error.orElse(null));
        }
        handler.onComplete(error);
      }
    };
    if (source.isDone() && !source.isCompletedExceptionally()) {
      subscribe(source.join(), observing, executor);
    } else {
      source.whenComplete((stream, error) -> {
        if (error != null) {
          Optional<Throwable> e = Optional.of(CallTracker.unwrap(error));
          if (executor == null) {
            handler.onComplete(e);
          } else {
            executor.execute(() -> handler.onComplete(e));
          }
        } else {
          subscribe(stream, observing, executor);
        }
      });
    }
    return this;
  }

  private static <T> void subscribe(AsyncStreamResponse<T> stream, Handler<T> handler, Executor executor) {
    if (executor == null) {
      stream.subscribe(handler);
    } else {
      stream.subscribe(handler, executor);
    }
  }

  @Override
  public CompletableFuture<Void> onCompleteFuture() {
    return source.thenCompose(AsyncStreamResponse::onCompleteFuture).whenComplete((v, error) -> {
      if (end != null) {
        end.end(error == null ? null : CallTracker.unwrap(error));
      }
    });
  }

  @Override
  public void close() {
    source.thenAccept(AsyncStreamResponse::close);
    if (end != null) {
      end.end(null);
    }
  }

  @Override
  public String toString() {
    return "TrackedAsyncStreamResponse{" + (source.isDone() && !source.isCompletedExceptionally() ? source.join()
        : source) + "}";
  }
}
