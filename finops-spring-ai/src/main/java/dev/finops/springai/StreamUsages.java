package dev.finops.springai;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.springframework.ai.anthropic.api.AnthropicApi;

/**
 * Where a streamed response's native usage (seen chunk by chunk by the {@link FinOpsStreamUsageAdvisor})
 * meets the recorder (which sees the observation stop with Spring AI's aggregated totals only). The two
 * run on different threads in either order, because {@code ChatClient} hands chunks to its advisors
 * through {@code publishOn}: whichever comes second finishes the call, with the native usage. When no
 * advisor watches the stream, the recorder's finish runs after {@link #ADVISOR_GRACE} with none (the
 * totals). Entries expire after ten minutes. Thread-safe.
 */
final class StreamUsages {
  /** How long a stopped observation waits for an advisor that may still be reading the stream. */
  static final Duration ADVISOR_GRACE = Duration.ofSeconds(2);

  private static final boolean ANTHROPIC = present("org.springframework.ai.anthropic.api.AnthropicApi$Usage");

  private final ConcurrentMap<String, Entry> byResponseId = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofMinutes(10)).maximumSize(100_000).executor(Runnable::run)
      .<String, Entry>build().asMap();

  /** A chunk's native usage, merged with the earlier chunks' of the same response (advisor thread). */
  void observe(String responseId, Object nativeUsage) {
    if (responseId != null && nativeUsage != null) {
      byResponseId.computeIfAbsent(responseId, id -> new Entry()).add(nativeUsage);
    }
  }

  /** The advisor saw these responses' streams end: a recorder waiting for one finishes it now. */
  void streamsDone(Collection<String> responseIds) {
    for (String id : responseIds) {
      Entry e = byResponseId.computeIfAbsent(id, k -> new Entry());
      Once waiting = e.advisorDone();
      if (waiting != null) {
        byResponseId.remove(id, e);
        waiting.accept(e.usage());
      }
    }
  }

  /**
   * The recorder's side: runs {@code finish} with the response's native usage now if an advisor read
   * its stream to the end, when the advisor is done if it is still reading, or with {@code null} after
   * {@link #ADVISOR_GRACE} if no advisor shows up. {@code finish} runs once.
   */
  void whenDone(String responseId, Consumer<Object> finish) {
    Once once = new Once(finish);
    Entry e = byResponseId.computeIfAbsent(responseId, id -> new Entry());
    if (e.recorderArrives(once)) {
      byResponseId.remove(responseId, e);
      once.accept(e.usage());
      return;
    }
    CompletableFuture.delayedExecutor(ADVISOR_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      byResponseId.remove(responseId, e);
      once.accept(null);
    });
  }

  /** One streamed response: its usage so far, whether its stream ended, and a recorder waiting for it. */
  private static final class Entry {
    private Object usage;
    private boolean streamDone;
    private Once waiting;

    synchronized void add(Object nativeUsage) {
      usage = usage == null ? nativeUsage : merge(usage, nativeUsage);
    }

    synchronized Object usage() {
      return usage;
    }

    /** The stream ended; returns the recorder waiting for it, if any. */
    synchronized Once advisorDone() {
      streamDone = true;
      return waiting;
    }

    /** The recorder arrived; true when the stream already ended (then it finishes now). */
    synchronized boolean recorderArrives(Once finish) {
      waiting = finish;
      return streamDone;
    }
  }

  /** A finish that runs at most once, whichever side calls it. */
  private static final class Once implements Consumer<Object> {
    private final Consumer<Object> body;
    private final AtomicBoolean ran = new AtomicBoolean();

    Once(Consumer<Object> body) {
      this.body = body;
    }

    @Override
    public void accept(Object usage) {
      if (ran.compareAndSet(false, true)) {
        body.accept(usage);
      }
    }
  }

  /**
   * Anthropic reports input and cache counts in its first event and the output count in the last, each
   * cumulative: the field-wise maximum is the response's usage. Other providers send one complete usage
   * (OpenAI's last chunk): the latest wins.
   */
  private static Object merge(Object earlier, Object later) {
    if (ANTHROPIC && Anthropic.both(earlier, later)) {
      return Anthropic.max(earlier, later);
    }
    return later;
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, StreamUsages.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Loaded only with spring-ai-anthropic. */
  private static final class Anthropic {
    static boolean both(Object a, Object b) {
      return a instanceof AnthropicApi.Usage && b instanceof AnthropicApi.Usage;
    }

    static Object max(Object a, Object b) {
      AnthropicApi.Usage x = (AnthropicApi.Usage) a;
      AnthropicApi.Usage y = (AnthropicApi.Usage) b;
      return new AnthropicApi.Usage(max(x.inputTokens(), y.inputTokens()), max(x.outputTokens(), y.outputTokens()),
          max(x.cacheCreationInputTokens(), y.cacheCreationInputTokens()),
          max(x.cacheReadInputTokens(), y.cacheReadInputTokens()));
    }

    private static Integer max(Integer a, Integer b) {
      if (a == null) {
        return b;
      }
      return b == null ? a : Integer.valueOf(Math.max(a, b));
    }
  }
}
