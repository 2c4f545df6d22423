package dev.finops.openai;

import com.openai.core.http.StreamResponse;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A blocking stream whose events are observed on their way to the caller, and whose call is finished
 * when the stream runs out, fails, or is closed (the stream or this response), whichever comes first.
 */
final class TrackedStreamResponse<T> implements StreamResponse<T> {
  private final StreamResponse<T> delegate;
  private final StreamEnd end;

  TrackedStreamResponse(StreamResponse<T> delegate, StreamEnd end) {
    this.delegate = delegate;
    this.end = end;
  }

  @Override
  public Stream<T> stream() {
    Stream<T> source = delegate.stream();
    return StreamSupport.stream(new Observing<>(source.spliterator(), end), false).onClose(() -> {
      try {
        source.close();
      } finally {
        end.end(null);
      }
    });
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      end.end(null);
    }
  }

  @Override
  public String toString() {
    return "TrackedStreamResponse{" + delegate + "}";
  }

  /** Passes events on after observing them; ends the call when the source runs out or throws. */
  private static final class Observing<T> implements Spliterator<T> {
    private final Spliterator<T> source;
    private final StreamEnd end;

    Observing(Spliterator<T> source, StreamEnd end) {
      this.source = source;
      this.end = end;
    }

    @Override
    public boolean tryAdvance(Consumer<? super T> action) {
      boolean more;
      try {
        more = source.tryAdvance(event -> {
          end.observe(event);
          action.accept(event);
        });
      } catch (RuntimeException | Error e) {
        end.end(e);
        throw e;
      }
      if (!more) {
        end.end(null);
      }
      return more;
    }

    @Override
    public void forEachRemaining(Consumer<? super T> action) {
      try {
        source.forEachRemaining(event -> {
          end.observe(event);
          action.accept(event);
        });
      } catch (RuntimeException | Error e) {
        end.end(e);
        throw e;
      }
      end.end(null);
    }

    @Override
    public Spliterator<T> trySplit() {
      return null;
    }

    @Override
    public long estimateSize() {
      return source.estimateSize();
    }

    @Override
    public int characteristics() {
      return source.characteristics() & ~(Spliterator.SIZED | Spliterator.SUBSIZED);
    }
  }
}
