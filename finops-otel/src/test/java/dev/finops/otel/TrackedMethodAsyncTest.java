package dev.finops.otel;

import static dev.finops.otel.Gpt4o.CALL;
import static dev.finops.otel.Gpt4o.CALL_COST;
import static dev.finops.otel.Gpt4o.RESPONSE_MODEL;
import static dev.finops.otel.Gpt4o.assertBudget;
import static dev.finops.otel.Gpt4o.assertLedgerTotal;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Usage;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CostTracked} methods returning a {@link CompletableFuture}: a THROTTLE delay postpones the call
 * without blocking the caller, and cancelling the returned future cancels the call.
 */
class TrackedMethodAsyncTest {
  /**
   * The reservation of {@code maxInputTokens = 3000, maxOutputTokens = 500} on gpt-4o: 3,000 × $2.50 +
   * 500 × $10 per 1M = $0.0125; with a limit of $1 it passes any THROTTLE fraction up to 0.0125.
   */
  private static final String ESTIMATE = "0.0125";

  /** A provider's reply as the application's client returns it. */
  record Reply(String text, String id) {}

  interface Assistant {
    @CostTracked(model = "gpt-4o", provider = "openai", tags = "team=nlp", maxInputTokens = 3_000,
        maxOutputTokens = 500)
    CompletableFuture<Reply> ask(String question);
  }

  /** Counts its calls, remembers the thread and span it ran on, and answers with {@code answer}. */
  private static final class FakeAssistant implements Assistant {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicReference<Thread> thread = new AtomicReference<>();
    final AtomicReference<Span> span = new AtomicReference<>();
    final AtomicReference<CompletableFuture<Reply>> returned = new AtomicReference<>();
    final CountDownLatch called = new CountDownLatch(1);
    final Supplier<CompletableFuture<Reply>> answer;

    FakeAssistant(Supplier<CompletableFuture<Reply>> answer) {
      this.answer = answer;
    }

    @Override
    public CompletableFuture<Reply> ask(String question) {
      calls.incrementAndGet();
      thread.set(Thread.currentThread());
      span.set(Span.current());
      CompletableFuture<Reply> f = answer.get();
      returned.set(f);
      called.countDown();
      return f;
    }
  }

  private final ManualClock clock = Fixtures.clock();
  private final FinOps finops = Fixtures.finops(clock);
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
      .setSampler(Sampler.alwaysOn()).addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();

  @AfterEach
  void tearDown() {
    sdk.close();
  }

  private BudgetManager budgets(Duration throttleDelay) {
    BudgetManager budgets = BudgetManager.builder(finops).build();
    Budget.Builder b = Budget.forTeam("nlp").limit(Money.usd("1")).lifetime();
    if (throttleDelay != null) {
      b.throttleAt("0.0001", throttleDelay); // reached by the call's own reservation
    }
    budgets.add(b.build());
    return budgets;
  }

  private Assistant wrap(BudgetManager budgets, Assistant impl) {
    FinOpsTelemetry.Builder b = FinOpsTelemetry.builder(finops).openTelemetry(sdk)
        .usageExtractor(Reply.class, new UsageExtractor<Reply>() {
          @Override
          public Usage usage(Reply r) {
            return CALL;
          }

          @Override
          public String responseModel(Reply r) {
            return RESPONSE_MODEL;
          }

          @Override
          public String responseId(Reply r) {
            return r.id();
          }
        });
    if (budgets != null) {
      b.budgets(budgets);
    }
    return b.build().wrap(Assistant.class, impl);
  }

  private static CompletableFuture<Reply> answered() {
    return CompletableFuture.completedFuture(new Reply("answer", "chatcmpl-1"));
  }

  private SpanData onlySpan() {
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
    return spans.getFinishedSpanItems().get(0);
  }

  @Test
  void a_throttled_call_returns_at_once_and_runs_after_the_delay_off_the_callers_thread() throws Exception {
    BudgetManager budgets = budgets(Duration.ofSeconds(2));
    FakeAssistant impl = new FakeAssistant(TrackedMethodAsyncTest::answered);
    Assistant assistant = wrap(budgets, impl);

    long t0 = System.nanoTime();
    CompletableFuture<Reply> reply = assistant.ask("q");
    long returnedAfter = System.nanoTime() - t0;

    assertThat(Duration.ofNanos(returnedAfter)).isLessThan(Duration.ofSeconds(1));
    assertThat(impl.calls.get()).isZero();
    assertThat(reply).isNotDone();
    assertBudget(budgets, "0", ESTIMATE);
    assertThat(budgets.stats().throttled()).isZero(); // a delay, not a refusal

    assertThat(reply.get(10, TimeUnit.SECONDS).text()).isEqualTo("answer");
    long completedAfter = System.nanoTime() - t0;

    assertThat(Duration.ofNanos(completedAfter)).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
    assertThat(impl.calls.get()).isEqualTo(1);
    assertThat(impl.thread.get()).isNotSameAs(Thread.currentThread());
    assertLedgerTotal(finops, CALL_COST);
    assertBudget(budgets, CALL_COST, "0");
    SpanData span = onlySpan();
    assertThat(span.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("finops.budget.throttled"));
    assertThat(span.getAttributes().get(stringKey("finops.cost.amount"))).isEqualTo("0.01");
    // The delayed call runs inside the tracked call's span, so its client spans are children of it.
    assertThat(impl.span.get().getSpanContext().getSpanId()).isEqualTo(span.getSpanId());
  }

  @Test
  void cancelling_a_throttled_call_keeps_it_from_starting_and_releases_its_reservation() throws Exception {
    BudgetManager budgets = budgets(Duration.ofMillis(300));
    FakeAssistant impl = new FakeAssistant(TrackedMethodAsyncTest::answered);
    Assistant assistant = wrap(budgets, impl);

    CompletableFuture<Reply> reply = assistant.ask("q");
    assertBudget(budgets, "0", ESTIMATE);

    assertThat(reply.cancel(true)).isTrue();

    assertBudget(budgets, "0", "0");
    assertThat(budgets.stats().released()).isEqualTo(1);
    assertThat(impl.called.await(900, TimeUnit.MILLISECONDS)).isFalse(); // three times the delay
    assertThat(impl.calls.get()).isZero();
    assertThat(finops.snapshot().entries()).isEmpty();
    assertThat(budgets.stats().settled()).isZero();
    assertThat(onlySpan().getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void cancelling_a_throttled_call_after_it_started_cancels_the_implementations_future() throws Exception {
    BudgetManager budgets = budgets(Duration.ofMillis(50));
    FakeAssistant impl = new FakeAssistant(CompletableFuture::new);
    Assistant assistant = wrap(budgets, impl);

    CompletableFuture<Reply> reply = assistant.ask("q");
    assertThat(impl.called.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(reply.cancel(true)).isTrue();

    // The delayed thread may still be handing the implementation's future over: it is cancelled then.
    awaitTrue(() -> impl.returned.get().isCancelled() && budgets.stats().released() == 1);
    assertBudget(budgets, "0", "0");
    assertThat(finops.snapshot().entries()).isEmpty();
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 5 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void cancelling_an_unthrottled_call_cancels_the_implementations_future() {
    BudgetManager budgets = budgets(null);
    FakeAssistant impl = new FakeAssistant(CompletableFuture::new);
    Assistant assistant = wrap(budgets, impl);

    CompletableFuture<Reply> reply = assistant.ask("q");
    assertThat(impl.calls.get()).isEqualTo(1);
    assertThat(impl.thread.get()).isSameAs(Thread.currentThread());
    assertThat(reply).isNotSameAs(impl.returned.get());

    assertThat(reply.cancel(true)).isTrue();

    assertThat(impl.returned.get()).isCancelled();
    assertBudget(budgets, "0", "0");
    assertThat(budgets.stats().released()).isEqualTo(1);
    assertThat(finops.snapshot().entries()).isEmpty();
    assertThat(onlySpan().getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void an_unthrottled_call_completes_with_the_implementations_value_and_is_recorded_once() throws Exception {
    BudgetManager budgets = budgets(null);
    CompletableFuture<Reply> pending = new CompletableFuture<>();
    FakeAssistant impl = new FakeAssistant(() -> pending);
    Assistant assistant = wrap(budgets, impl);

    CompletableFuture<Reply> reply = assistant.ask("q");
    assertThat(reply).isNotDone();
    assertBudget(budgets, "0", ESTIMATE);

    pending.complete(new Reply("later", "chatcmpl-7"));

    assertThat(reply.get(5, TimeUnit.SECONDS).text()).isEqualTo("later");
    assertLedgerTotal(finops, CALL_COST);
    assertBudget(budgets, CALL_COST, "0");
  }

  @Test
  void a_failing_asynchronous_call_fails_the_returned_future_with_the_cause_and_releases_the_reservation() {
    BudgetManager budgets = budgets(null);
    FakeAssistant impl = new FakeAssistant(() -> CompletableFuture.failedFuture(new IOException("reset")));
    Assistant assistant = wrap(budgets, impl);

    CompletableFuture<Reply> reply = assistant.ask("q");

    assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(IOException.class).hasMessage("reset");
    assertBudget(budgets, "0", "0");
    assertThat(budgets.stats().released()).isEqualTo(1);
    assertThat(onlySpan().getAttributes().get(stringKey("error.type"))).isEqualTo("java.io.IOException");
  }

  @Test
  void without_a_budget_an_asynchronous_call_is_recorded_when_its_future_completes() throws Exception {
    FakeAssistant impl = new FakeAssistant(
        () -> CompletableFuture.supplyAsync(() -> new Reply("async", "chatcmpl-8")));
    Assistant assistant = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop())
        .usageExtractor(Reply.class, r -> CALL).build().wrap(Assistant.class, impl);

    assertThat(assistant.ask("q").get(5, TimeUnit.SECONDS).text()).isEqualTo("async");

    assertLedgerTotal(finops, CALL_COST);
  }
}
