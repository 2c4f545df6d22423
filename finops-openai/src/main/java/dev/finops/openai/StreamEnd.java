package dev.finops.openai;

import dev.finops.otel.ModelCall;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The end of one streamed call, reached once whichever way it comes: the stream ran out, completed,
 * failed, or was closed. It finishes the {@link ModelCall} with what the events said (the usage, or
 * {@code null} when the stream carried none: a call without usage, its reservation kept whole), except
 * for a stream that failed before its first event, which is failed (nothing recorded, reservation
 * released) like a request the server refused.
 */
final class StreamEnd {
  private final CallTracker tracker;
  private final ModelCall call;
  private final Operation.StreamState state;
  private final AtomicBoolean done = new AtomicBoolean();
  private volatile boolean seen;

  StreamEnd(CallTracker tracker, ModelCall call, Operation.StreamState state) {
    this.tracker = tracker;
    this.call = call;
    this.state = state;
  }

  /** Observes one event; never throws. */
  void observe(Object event) {
    seen = true;
    state.observe(event);
  }

  /** Ends the call: {@code error} when the stream failed, else {@code null}. Only the first end counts. */
  void end(Throwable error) {
    if (!done.compareAndSet(false, true)) {
      return;
    }
    if (error != null && !seen) {
      call.fail(error);
      return;
    }
    tracker.finish(call, state.outcome());
  }

  boolean isDone() {
    return done.get();
  }
}
