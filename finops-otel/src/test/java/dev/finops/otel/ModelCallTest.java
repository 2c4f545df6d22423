package dev.finops.otel;

import static dev.finops.otel.Gpt4o.CALL;
import static dev.finops.otel.Gpt4o.CALL_COST;
import static dev.finops.otel.Gpt4o.ESTIMATE;
import static dev.finops.otel.Gpt4o.INPUT_BOUND;
import static dev.finops.otel.Gpt4o.MAX_OUTPUT;
import static dev.finops.otel.Gpt4o.PROVIDER;
import static dev.finops.otel.Gpt4o.REQUEST_MODEL;
import static dev.finops.otel.Gpt4o.RESPONSE_MODEL;
import static dev.finops.otel.Gpt4o.assertBudget;
import static dev.finops.otel.Gpt4o.assertLedgerTotal;
import static dev.finops.otel.Gpt4o.assertUsd;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetExceededException;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.CostUnknownException;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.UnknownModelPolicy;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link ModelCall}: integrations' calls recorded once, attributed, budgeted and tagged on their span. */
@SuppressWarnings("try") // scopes opened for their side effect, as OpenTelemetry does
class ModelCallTest {
  private static final Tags NLP = Tags.builder().team("nlp").build();

  private final ManualClock clock = Fixtures.clock();
  private final FinOps finops = Fixtures.finops(clock);

  private FinOpsTelemetry.Builder telemetryBuilder() {
    return FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop());
  }

  private FinOpsTelemetry telemetry() {
    return telemetryBuilder().build();
  }

  /** A budget manager with a lifetime budget of {@code limit} USD on team nlp. */
  private BudgetManager nlpBudget(String limit) {
    BudgetManager budgets = BudgetManager.builder(finops).build();
    budgets.add(Budget.forTeam("nlp").limit(Money.usd(limit)).lifetime().build());
    return budgets;
  }

  private ModelCall start(FinOpsTelemetry telemetry, Tags tags) {
    return telemetry.startCall(tags, PROVIDER, REQUEST_MODEL, "chat", INPUT_BOUND, MAX_OUTPUT);
  }

  // ---- once ----------------------------------------------------------------------------------

  @Test
  void finish_records_once_in_the_ledger_and_returns_the_priced_usage() {
    FinOpsTelemetry telemetry = telemetry();
    ModelCall call = telemetry.startCall(PROVIDER, REQUEST_MODEL, "chat", INPUT_BOUND, MAX_OUTPUT);
    assertThat(call.isDone()).isFalse();

    PricedUsage priced = call.finish("chatcmpl-1", RESPONSE_MODEL, CALL);

    assertThat(priced).isNotNull();
    assertThat(priced.isPriced()).isTrue();
    assertUsd(priced.total(), CALL_COST);
    assertThat(call.isDone()).isTrue();
    assertLedgerTotal(finops, CALL_COST);
    assertThat(finops.snapshot().total().requests()).isEqualTo(1);
  }

  @Test
  void a_second_finish_returns_null_and_records_nothing_and_a_later_fail_is_a_no_op() {
    FinOpsTelemetry telemetry = telemetry();
    ModelCall call = telemetry.startCall(PROVIDER, REQUEST_MODEL, "chat", INPUT_BOUND, MAX_OUTPUT);
    call.finish("chatcmpl-1", RESPONSE_MODEL, CALL);

    assertThat(call.finish("chatcmpl-1", RESPONSE_MODEL, CALL)).isNull();
    assertThat(call.finish("chatcmpl-other", RESPONSE_MODEL, CALL)).isNull();
    call.fail(new IOException("late"));

    assertLedgerTotal(finops, CALL_COST);
    assertThat(finops.snapshot().total().requests()).isEqualTo(1);
    // Ignored because the call was done, not because the id was seen: no duplicate counted.
    assertThat(telemetry.duplicateCalls()).isZero();
  }

  @Test
  void fail_after_finish_leaves_the_settlement_alone() {
    BudgetManager budgets = nlpBudget("1");
    FinOpsTelemetry telemetry = telemetryBuilder().budgets(budgets).build();
    ModelCall call = start(telemetry, NLP);
    call.finish("chatcmpl-1", RESPONSE_MODEL, CALL);

    call.fail(new IOException("late"));

    assertBudget(budgets, CALL_COST, "0");
    assertThat(budgets.stats().settled()).isEqualTo(1);
    assertThat(budgets.stats().released()).isZero();
    assertThat(budgets.stats().lateFinishes()).isZero();
  }

  @Test
  void fail_releases_the_reservation_and_a_later_finish_records_nothing() {
    BudgetManager budgets = nlpBudget("1");
    FinOpsTelemetry telemetry = telemetryBuilder().budgets(budgets).build();
    ModelCall call = start(telemetry, NLP);

    call.fail(new IOException("connection reset"));

    assertThat(call.isDone()).isTrue();
    assertBudget(budgets, "0", "0");
    assertThat(budgets.stats().released()).isEqualTo(1);
    assertThat(call.finish("chatcmpl-1", RESPONSE_MODEL, CALL)).isNull();
    assertThat(finops.snapshot().entries()).isEmpty();
    assertBudget(budgets, "0", "0");
  }

  @Test
  void two_calls_finishing_with_the_same_response_id_are_recorded_once_and_the_second_reservation_released() {
    BudgetManager budgets = nlpBudget("1");
    FinOpsTelemetry telemetry = telemetryBuilder().budgets(budgets).build();
    ModelCall first = start(telemetry, NLP);
    ModelCall second = start(telemetry, NLP);
    assertBudget(budgets, "0", "0.0105"); // two reservations of 0.00525

    assertThat(first.finish("chatcmpl-dup", RESPONSE_MODEL, CALL)).isNotNull();
    assertThat(second.finish("chatcmpl-dup", RESPONSE_MODEL, CALL)).isNull();

    assertThat(telemetry.duplicateCalls()).isEqualTo(1);
    assertLedgerTotal(finops, CALL_COST);
    assertThat(finops.snapshot().total().requests()).isEqualTo(1);
    assertBudget(budgets, CALL_COST, "0");
    assertThat(budgets.stats().settled()).isEqualTo(1);
    assertThat(budgets.stats().released()).isEqualTo(1);
  }

  @Test
  void a_claimed_response_id_is_recorded_by_the_claiming_call_and_refused_to_record() {
    FinOpsTelemetry telemetry = telemetry();
    ModelCall call = telemetry.startCall(PROVIDER, REQUEST_MODEL, "chat", INPUT_BOUND, MAX_OUTPUT);

    assertThat(call.claimResponseId("chatcmpl-stream")).isTrue();
    // Another path sees the same id while the stream's last chunk is on its way.
    assertThat(telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-stream")).isNull();
    assertThat(finops.snapshot().entries()).isEmpty();

    PricedUsage priced = call.finish("chatcmpl-stream", RESPONSE_MODEL, CALL);

    assertThat(priced).isNotNull();
    assertUsd(priced.total(), CALL_COST);
    assertLedgerTotal(finops, CALL_COST);
    assertThat(finops.snapshot().total().requests()).isEqualTo(1);
    assertThat(telemetry.duplicateCalls()).isEqualTo(1);
  }

  @Test
  void claiming_an_id_another_path_recorded_fails_and_the_call_then_records_nothing() {
    FinOpsTelemetry telemetry = telemetry();
    assertThat(telemetry.record(Tags.EMPTY, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-seen")).isNotNull();
    ModelCall call = telemetry.startCall(PROVIDER, REQUEST_MODEL, "chat", INPUT_BOUND, MAX_OUTPUT);

    assertThat(call.claimResponseId("chatcmpl-seen")).isFalse();
    assertThat(call.finish("chatcmpl-seen", RESPONSE_MODEL, CALL)).isNull();

    assertLedgerTotal(finops, CALL_COST);
    assertThat(finops.snapshot().total().requests()).isEqualTo(1);
  }

  @Test
  void concurrent_finishes_of_one_call_record_it_once() throws Exception {
    FinOpsTelemetry telemetry = telemetry();
    for (int round = 0; round < 50; round++) {
      ModelCall call = telemetry.startCall(PROVIDER, REQUEST_MODEL, "chat", INPUT_BOUND, MAX_OUTPUT);
      CountDownLatch go = new CountDownLatch(1);
      AtomicInteger recorded = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String id = "chatcmpl-" + round + "-" + i; // distinct ids: only the call's own guard stops them
        Thread t = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (call.finish(id, RESPONSE_MODEL, CALL) != null) {
            recorded.incrementAndGet();
          }
        });
        t.start();
        threads.add(t);
      }
      go.countDown();
      for (Thread t : threads) {
        t.join();
      }
      assertThat(recorded.get()).isEqualTo(1);
    }
    assertThat(finops.snapshot().total().requests()).isEqualTo(50);
    assertUsd(finops.snapshot().total().cost(), "0.5");
  }

  @Test
  void a_call_is_priced_at_its_start_time_and_recorded_then() {
    // gpt-4o cost $5 / $15 per 1M tokens until 2024-08-06, then $2.50 / $10.
    ManualClock early = ManualClock.at(Instant.parse("2024-08-05T23:59:00Z"));
    FinOps atChange = Fixtures.finops(early);
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(atChange).openTelemetry(OpenTelemetry.noop()).build();
    Usage noCache = TokenConventions.fromInclusive(1_000, 100, 0, 0, 0);

    ModelCall call = telemetry.startCall(PROVIDER, REQUEST_MODEL, "chat", INPUT_BOUND, MAX_OUTPUT);
    early.advance(Duration.ofMinutes(5)); // the response arrives after the price change
    PricedUsage priced = call.finish("chatcmpl-1", null, noCache);

    // 1,000 × $5 + 100 × $15 per 1M = $0.0065 (at the new price it would be $0.0035).
    assertUsd(priced.total(), "0.0065");
    assertThat(atChange.snapshot().entries()).singleElement().satisfies(e ->
        assertThat(e.startMillis()).isEqualTo(Instant.parse("2024-08-05T23:59:00Z").toEpochMilli()));
  }

  // ---- attribution ---------------------------------------------------------------------------

  @Test
  void a_call_started_inside_ambient_tags_is_recorded_under_them_and_the_default_tags() {
    FinOpsTelemetry telemetry = telemetryBuilder().defaultTags(Tags.builder().org("acme").build()).build();
    ModelCall call;
    try (Scope s = CostContext.withTags(NLP)) {
      call = telemetry.startCall(PROVIDER, REQUEST_MODEL, "chat", INPUT_BOUND, MAX_OUTPUT);
    }
    // Finished outside the scope (another thread, say): the tags are those of the start.
    call.finish("chatcmpl-1", RESPONSE_MODEL, CALL);

    assertThat(call.tags().team()).isEqualTo("nlp");
    assertThat(call.tags().org()).isEqualTo("acme");
    assertUsd(finops.snapshot().where("team", "nlp").total().cost(), CALL_COST);
    assertUsd(finops.snapshot().where("team", "nlp").where("org", "acme").total().cost(), CALL_COST);
  }

  @Test
  void the_tags_given_to_start_call_go_over_the_ambient_ones() {
    FinOpsTelemetry telemetry = telemetryBuilder().defaultTags(Tags.builder().org("acme").team("platform").build())
        .build();
    try (Scope s = CostContext.withTags(Tags.builder().team("nlp").project("search").build())) {
      start(telemetry, Tags.builder().project("rerank").build()).finish("chatcmpl-1", RESPONSE_MODEL, CALL);
    }

    assertThat(finops.snapshot().entries()).singleElement().satisfies(e -> {
      assertThat(e.tags()).isEqualTo(Tags.builder().org("acme").team("nlp").project("rerank").build());
      assertUsd(e.cost(), CALL_COST);
    });
  }

  // ---- budgets -------------------------------------------------------------------------------

  @Test
  void the_estimate_is_reserved_at_start_and_settled_exactly_at_finish() {
    BudgetManager budgets = nlpBudget("1");
    FinOpsTelemetry telemetry = telemetryBuilder().budgets(budgets).build();

    ModelCall call = start(telemetry, NLP);

    assertBudget(budgets, "0", ESTIMATE);
    assertThat(call.throttleDelay()).isEqualTo(Duration.ZERO);

    call.finish("chatcmpl-1", RESPONSE_MODEL, CALL);

    assertBudget(budgets, CALL_COST, "0");
    assertThat(budgets.stats().settled()).isEqualTo(1);
    // Recorded through the reservation, not a second time as unreserved spend.
    assertThat(budgets.stats().unreservedRecords()).isZero();
  }

  @Test
  void the_ambient_tags_select_the_budget() {
    BudgetManager budgets = nlpBudget("1");
    FinOpsTelemetry telemetry = telemetryBuilder().budgets(budgets).build();

    ModelCall call;
    try (Scope s = CostContext.withTags(NLP)) {
      call = telemetry.startCall(PROVIDER, REQUEST_MODEL, "chat", INPUT_BOUND, MAX_OUTPUT);
    }
    assertBudget(budgets, "0", ESTIMATE);
    call.finish("chatcmpl-1", RESPONSE_MODEL, CALL);

    assertBudget(budgets, CALL_COST, "0");
  }

  @Test
  void a_throttling_budget_gives_the_call_its_delay_and_admission_never_sleeps() {
    BudgetManager budgets = BudgetManager.builder(finops).build();
    budgets.add(Budget.forTeam("nlp").limit(Money.usd("1")).lifetime().throttleAt("0.0001", Duration.ofSeconds(2))
        .build());
    FinOpsTelemetry telemetry = telemetryBuilder().budgets(budgets).build();

    long t0 = System.nanoTime();
    ModelCall call = start(telemetry, NLP);

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    assertThat(call.throttleDelay()).isEqualTo(Duration.ofSeconds(2));
    call.finish("chatcmpl-1", RESPONSE_MODEL, CALL);
    assertBudget(budgets, CALL_COST, "0");
  }

  @Test
  void a_budget_smaller_than_the_estimate_refuses_the_call_before_it_is_sent() {
    BudgetManager budgets = nlpBudget("0.005"); // < 0.00525
    FinOpsTelemetry telemetry = telemetryBuilder().budgets(budgets).build();

    assertThatThrownBy(() -> start(telemetry, NLP)).isInstanceOf(BudgetExceededException.class);

    assertBudget(budgets, "0", "0");
    assertThat(budgets.stats().denied()).isEqualTo(1);
    assertThat(finops.snapshot().entries()).isEmpty();
  }

  @Test
  void unknown_bounds_are_refused_under_the_default_fail_closed_policy() {
    BudgetManager budgets = nlpBudget("100");
    FinOpsTelemetry telemetry = telemetryBuilder().budgets(budgets).build();

    assertThatThrownBy(() -> telemetry.startCall(NLP, PROVIDER, REQUEST_MODEL, "chat", -1, MAX_OUTPUT))
        .isInstanceOf(CostUnknownException.class).hasMessageContaining("bound of its prompt's tokens");
    assertThatThrownBy(() -> telemetry.startCall(NLP, PROVIDER, REQUEST_MODEL, "chat", INPUT_BOUND, -1))
        .isInstanceOf(CostUnknownException.class).hasMessageContaining("maximum output tokens");

    assertBudget(budgets, "0", "0");
    assertThat(budgets.stats().unknownRefused()).isEqualTo(2);
  }

  @Test
  void unknown_bounds_under_fail_open_admit_the_call_and_its_actual_cost_counts() {
    BudgetManager budgets = BudgetManager.builder(finops).build();
    budgets.add(Budget.forTeam("nlp").limit(Money.usd("1")).lifetime().failOpen().build());
    FinOpsTelemetry telemetry = telemetryBuilder().budgets(budgets).build();

    ModelCall call = telemetry.startCall(NLP, PROVIDER, REQUEST_MODEL, "chat", -1, -1);
    assertBudget(budgets, "0", "0");
    call.finish("chatcmpl-1", RESPONSE_MODEL, CALL);

    assertBudget(budgets, CALL_COST, "0");
    assertLedgerTotal(finops, CALL_COST);
  }

  @Test
  void without_a_budget_manager_unknown_bounds_need_no_estimate() {
    FinOpsTelemetry telemetry = telemetry();

    PricedUsage priced = telemetry.startCall(NLP, PROVIDER, REQUEST_MODEL, "chat", -1, -1)
        .finish("chatcmpl-1", RESPONSE_MODEL, CALL);

    assertUsd(priced.total(), CALL_COST);
  }

  @Test
  void a_call_without_usage_records_nothing_and_holds_the_budget_to_its_full_reservation() {
    BudgetManager budgets = nlpBudget("1");
    FinOpsTelemetry telemetry = telemetryBuilder().budgets(budgets).build();
    ModelCall call = start(telemetry, NLP);

    assertThat(call.finish("chatcmpl-1", RESPONSE_MODEL, null)).isNull();

    assertThat(finops.snapshot().entries()).isEmpty();
    assertThat(telemetry.callsWithoutUsage()).isEqualTo(1);
    assertBudget(budgets, ESTIMATE, "0");
    assertThat(budgets.stats().settled()).isEqualTo(1);
    assertThat(budgets.stats().released()).isZero();
  }

  // ---- inside a tracked call -----------------------------------------------------------------

  /** A handler whose method calls a client that an integration instruments with a ModelCall. */
  interface Assistant {
    @CostTracked(model = "gpt-4o", provider = "openai", tags = "team=nlp", maxInputTokens = 100,
        maxOutputTokens = 500)
    void ask(String question);
  }

  @Test
  void inside_a_cost_tracked_call_the_usage_goes_to_the_tracked_handler_which_records_it_once() {
    BudgetManager budgets = nlpBudget("1");
    FinOpsTelemetry telemetry = telemetryBuilder().budgets(budgets).build();
    AtomicReference<PricedUsage> fromFinish = new AtomicReference<>();
    AtomicReference<Duration> delay = new AtomicReference<>();
    Assistant assistant = telemetry.wrap(Assistant.class, question -> {
      ModelCall call = telemetry.startCall(NLP, PROVIDER, REQUEST_MODEL, "chat", INPUT_BOUND, MAX_OUTPUT);
      delay.set(call.throttleDelay());
      // The handler reserved already: the integration's call reserves nothing more.
      assertBudget(budgets, "0", ESTIMATE);
      fromFinish.set(call.finish("chatcmpl-tracked", RESPONSE_MODEL, CALL));
    });

    assistant.ask("q");

    assertThat(fromFinish.get()).isNull(); // reported to the tracked call, recorded by it
    assertThat(delay.get()).isEqualTo(Duration.ZERO);
    assertLedgerTotal(finops, CALL_COST);
    assertThat(finops.snapshot().total().requests()).isEqualTo(1);
    assertUsd(finops.snapshot().where("team", "nlp").total().cost(), CALL_COST);
    assertBudget(budgets, CALL_COST, "0");
    assertThat(budgets.stats().reservations()).isEqualTo(1);
    assertThat(budgets.stats().settled()).isEqualTo(1);
    // The id was claimed: the exporter, seeing the client's span later, would not count it again.
    assertThat(telemetry.record(NLP, PROVIDER, RESPONSE_MODEL, CALL, "chatcmpl-tracked")).isNull();
    assertLedgerTotal(finops, CALL_COST);
  }

  // ---- span ----------------------------------------------------------------------------------

  private static final class Sdk implements AutoCloseable {
    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    final Tracer tracer = provider.get("test-instrumentation");

    SpanData only() {
      assertThat(spans.getFinishedSpanItems()).hasSize(1);
      return spans.getFinishedSpanItems().get(0);
    }

    @Override
    public void close() {
      provider.close();
    }
  }

  @Test
  void the_cost_is_written_on_the_current_gen_ai_span_of_the_start() {
    FinOpsTelemetry telemetry = telemetry();
    try (Sdk sdk = new Sdk()) {
      Span span = sdk.tracer.spanBuilder("chat gpt-4o").setAttribute("gen_ai.operation.name", "chat")
          .setAttribute("gen_ai.request.model", "gpt-4o").startSpan();
      ModelCall call;
      try (Scope s = span.makeCurrent()) {
        call = start(telemetry, NLP);
      }
      call.finish("chatcmpl-1", RESPONSE_MODEL, CALL);
      span.end();

      SpanData out = sdk.only();
      assertThat(out.getAttributes().get(stringKey("finops.cost.amount"))).isEqualTo("0.01");
      assertThat(out.getAttributes().get(stringKey("finops.cost.currency"))).isEqualTo("USD");
      assertThat(out.getAttributes().get(stringKey("finops.cost.source"))).isEqualTo("bundled_catalog");
      assertThat(out.getAttributes().get(stringKey("finops.team"))).isEqualTo("nlp");
      // The instrumentation's own attributes are left alone.
      assertThat(out.getAttributes().get(stringKey("gen_ai.request.model"))).isEqualTo("gpt-4o");
    }
  }

  @Test
  void a_span_that_is_not_a_gen_ai_span_gets_no_cost() {
    FinOpsTelemetry telemetry = telemetry();
    try (Sdk sdk = new Sdk()) {
      Span span = sdk.tracer.spanBuilder("GET /ask").startSpan();
      try (Scope s = span.makeCurrent()) {
        start(telemetry, NLP).finish("chatcmpl-1", RESPONSE_MODEL, CALL);
      }
      span.end();

      SpanData out = sdk.only();
      assertThat(out.getAttributes().get(stringKey("finops.cost.amount"))).isNull();
      assertThat(out.getAttributes().get(stringKey("finops.team"))).isNull();
      assertLedgerTotal(finops, CALL_COST); // recorded all the same
    }
  }

  // ---- metrics listener ----------------------------------------------------------------------

  /** What a listener heard, one line per event. */
  private static final class Heard implements CostMetricsListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<PricedUsage> costs = new CopyOnWriteArrayList<>();

    @Override
    public void cost(Tags tags, PricedUsage priced) {
      costs.add(priced);
      events.add("cost " + tags.team());
    }

    @Override
    public void unpriced(Tags tags) {
      events.add("unpriced " + tags.team());
    }

    @Override
    public void tokens(String operation, String provider, String requestModel, String responseModel, Usage usage) {
      events.add("tokens " + operation + " " + provider + " " + requestModel + " " + responseModel + " "
          + usage.inputTokens() + "/" + usage.outputTokens());
    }
  }

  @Test
  void a_metrics_listener_hears_the_cost_and_the_tokens() {
    Heard heard = new Heard();
    FinOpsTelemetry telemetry = telemetryBuilder().metricsListener(heard).build();

    start(telemetry, NLP).finish("chatcmpl-1", RESPONSE_MODEL, CALL);

    assertThat(heard.events).containsExactly("cost nlp",
        "tokens chat openai gpt-4o gpt-4o-2024-08-06 3000/500");
    assertUsd(heard.costs.get(0).total(), CALL_COST);
  }

  @Test
  void inside_a_tracked_call_the_metrics_listener_hears_the_cost_once() {
    Heard heard = new Heard();
    FinOpsTelemetry telemetry = telemetryBuilder().metricsListener(heard).build();
    Assistant assistant = telemetry.wrap(Assistant.class, question ->
        telemetry.startCall(NLP, PROVIDER, REQUEST_MODEL, "chat", INPUT_BOUND, MAX_OUTPUT)
            .finish("chatcmpl-1", RESPONSE_MODEL, CALL));

    assistant.ask("q");

    assertThat(heard.events).filteredOn(e -> e.startsWith("cost")).containsExactly("cost nlp");
    assertThat(heard.events).filteredOn(e -> e.startsWith("tokens")).hasSize(1);
    assertUsd(heard.costs.get(0).total(), CALL_COST);
  }

  @Test
  void a_metrics_listener_hears_unpriced_usage_of_an_unknown_model_under_record_unpriced() {
    FinOps unpricedFinops = FinOps.builder().clock(clock)
        .pricing(Pricing.builder().unknownModelPolicy(UnknownModelPolicy.RECORD_UNPRICED).build()).build();
    Heard heard = new Heard();
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(unpricedFinops).openTelemetry(OpenTelemetry.noop())
        .metricsListener(heard).build();

    PricedUsage priced = telemetry.startCall(NLP, PROVIDER, "gpt-99-turbo", "chat", INPUT_BOUND, MAX_OUTPUT)
        .finish("chatcmpl-1", "gpt-99-turbo-2030-01-01", CALL);

    assertThat(heard.events).contains("unpriced nlp").noneMatch(e -> e.startsWith("cost"));
    assertThat(priced == null || !priced.isPriced()).isTrue();
    assertThat(unpricedFinops.snapshot().total().unpricedRecords()).isEqualTo(1);
  }
}
