package dev.finops.otel;

import static dev.finops.otel.Fixtures.MINI_CALL;
import static dev.finops.otel.Fixtures.MINI_CALL_COST;
import static dev.finops.otel.Fixtures.usd;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
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
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.budget.CostUnknownException;
import dev.finops.core.pricing.UnknownModelException;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code @CostTracked} handlers wrapped with a proxy: spans, usage, ledger, budgets. */
@SuppressWarnings("try") // scopes opened for their side effect, as OpenTelemetry does
class CostTrackedTest {

  @RegisterExtension
  static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  /** A provider response as an application's client returns it. */
  record Reply(String text, long promptTokens, long cachedTokens, long completionTokens, String model) {}

  interface Assistant {
    @CostTracked(model = "gpt-4o-mini", provider = "openai", tags = {"team=nlp", "project=search"},
        maxInputTokens = 4_000, maxOutputTokens = 1_000)
    Reply ask(String question);

    @CostTracked(model = "gpt-4o-mini", provider = "openai", tags = "team=nlp")
    String askReportingInside(String question);

    @CostTracked(model = "gpt-4o-mini", provider = "openai", tags = "team=nlp", maxInputTokens = 4_000,
        maxOutputTokens = 1_000)
    CompletableFuture<Reply> askLater(String question);

    @CostTracked(model = "gpt-4o-mini", provider = "openai", tags = "team=nlp", maxInputTokens = 4_000,
        maxOutputTokens = 1_000)
    Reply failing(String question) throws IOException;

    String untracked(String s);
  }

  /** Answers every question with {@link Fixtures#MINI_CALL}'s counts. */
  static final class FakeAssistant implements Assistant {
    int calls;

    @Override
    public Reply ask(String question) {
      calls++;
      return new Reply("answer", 3_000, 2_000, 500, "gpt-4o-mini-2024-07-18");
    }

    @Override
    public String askReportingInside(String question) {
      calls++;
      CostContext.current().addUsage(TokenConventions.fromInclusive(1_000, 100, 0, 0, 0))
          .addUsage(TokenConventions.fromInclusive(2_000, 400, 2_000, 0, 0));
      return "answer";
    }

    @Override
    public CompletableFuture<Reply> askLater(String question) {
      calls++;
      return CompletableFuture.supplyAsync(() -> ask(question));
    }

    @Override
    public Reply failing(String question) throws IOException {
      calls++;
      throw new IOException("connection reset");
    }

    @Override
    public String untracked(String s) {
      return s.toUpperCase();
    }
  }

  private final ManualClock clock = Fixtures.clock();
  private final FinOps finops = Fixtures.finops(clock);
  private final FakeAssistant impl = new FakeAssistant();

  private FinOpsTelemetry.Builder telemetry() {
    return FinOpsTelemetry.builder(finops).openTelemetry(otel.getOpenTelemetry())
        .usageExtractor(Reply.class, new UsageExtractor<Reply>() {
          @Override
          public Usage usage(Reply r) {
            return TokenConventions.fromInclusive(r.promptTokens(), r.completionTokens(), r.cachedTokens(), 0, 0);
          }

          @Override
          public String responseModel(Reply r) {
            return r.model();
          }
        });
  }

  private BudgetManager budgets() {
    return BudgetManager.builder(finops).build();
  }

  private SpanData onlySpan() {
    assertThat(otel.getSpans()).hasSize(1);
    return otel.getSpans().get(0);
  }

  @Test
  void a_call_is_one_client_span_with_usage_cost_and_attribution_and_is_recorded_in_the_ledger() {
    Assistant assistant = telemetry().build().wrap(Assistant.class, impl);

    Reply reply = assistant.ask("what does it cost?");

    assertThat(reply.text()).isEqualTo("answer");
    assertThat(onlySpan()).hasName("chat gpt-4o-mini").hasKind(SpanKind.CLIENT)
        .hasAttributesSatisfyingExactly(Fixtures.miniCallAttributes(
            equalTo(stringKey("gen_ai.operation.name"), "chat"),
            equalTo(stringKey("gen_ai.response.model"), "gpt-4o-mini-2024-07-18")));
    assertThat(Fixtures.teamTotal(finops.snapshot(), "nlp")).isEqualTo(usd(MINI_CALL_COST));
  }

  @Test
  void usage_reported_inside_the_call_wins_and_ambient_tags_attribute_the_call_to_a_run() {
    Assistant assistant = telemetry().build().wrap(Assistant.class, impl);

    try (Scope s = CostContext.withTags(Tags.builder().experiment("rerank").run("run-7").build())) {
      assistant.askReportingInside("q");
    }

    // 1,000 + 2,000 input (2,000 cached), 100 + 400 output: the same bill as MINI_CALL.
    assertThat(onlySpan()).hasAttribute(stringKey("finops.cost.amount"), MINI_CALL_COST)
        .hasAttribute(stringKey("finops.run"), "run-7")
        .hasAttribute(stringKey("finops.experiment"), "rerank")
        .hasAttribute(stringKey("finops.team"), "nlp");
    assertThat(finops.snapshot().where("run", "run-7").total().cost()).isEqualTo(usd(MINI_CALL_COST));
    assertThat(CostContext.current().isActive()).isFalse();
  }

  @Test
  void with_a_budget_the_call_reserves_first_then_settles_to_the_actual_cost() {
    BudgetManager budgets = budgets();
    budgets.add(Budget.forTeam("nlp").limit(usd("1")).build());
    Assistant assistant = telemetry().budgets(budgets).build().wrap(Assistant.class, impl);

    assistant.ask("q");

    BudgetStatus status = budgets.statuses().get(0);
    assertThat(status.spent()).isEqualTo(usd(MINI_CALL_COST));
    assertThat(status.reserved()).isEqualTo(Money.zero(Money.USD));
    assertThat(budgets.stats().settled()).isEqualTo(1);
  }

  @Test
  void a_denied_call_does_not_run_leaves_no_spend_and_ends_its_span_with_the_error() {
    BudgetManager budgets = budgets();
    // The reservation bound: 4,000 input and 1,000 output tokens of gpt-4o-mini = 0.0012 > 0.001.
    budgets.add(Budget.forTeam("nlp").limit(usd("0.001")).build());
    Assistant assistant = telemetry().budgets(budgets).build().wrap(Assistant.class, impl);

    assertThatThrownBy(() -> assistant.ask("q")).isInstanceOf(BudgetExceededException.class);

    assertThat(impl.calls).isZero();
    assertThat(finops.snapshot().entries()).isEmpty();
    BudgetStatus status = budgets.statuses().get(0);
    assertThat(status.spent()).isEqualTo(Money.zero(Money.USD));
    assertThat(status.reserved()).isEqualTo(Money.zero(Money.USD));
    SpanData span = onlySpan();
    assertThat(span).hasName("chat gpt-4o-mini")
        .hasStatusSatisfying(st -> st.hasCode(StatusCode.ERROR))
        .hasAttribute(stringKey("error.type"), BudgetExceededException.class.getName())
        .hasAttribute(stringKey("finops.team"), "nlp");
    assertThat(span.getEvents()).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo("exception");
      assertThat(e.getAttributes().get(stringKey("exception.type"))).isEqualTo(BudgetExceededException.class.getName());
    });
    assertThat(span.getAttributes().get(stringKey("finops.cost.amount"))).isNull();
    assertThat(span.getAttributes().get(longKey("gen_ai.usage.input_tokens"))).isNull();
  }

  @Test
  void without_a_bound_a_fail_closed_budget_refuses_and_the_message_says_why() {
    BudgetManager budgets = budgets();
    budgets.add(Budget.forTeam("nlp").limit(usd("100")).build());
    Assistant assistant = telemetry().budgets(budgets).build().wrap(Assistant.class, impl);

    assertThatThrownBy(() -> assistant.askReportingInside("q")).isInstanceOf(CostUnknownException.class)
        .hasMessageContaining("askReportingInside gives no maxInputTokens/maxOutputTokens");
    assertThat(impl.calls).isZero();
  }

  @Test
  void a_call_estimator_bounds_methods_without_token_bounds() {
    BudgetManager budgets = budgets();
    budgets.add(Budget.forTeam("nlp").limit(usd("100")).build());
    Assistant assistant = telemetry().budgets(budgets)
        .callEstimator((method, args, model, estimator) -> estimator.llmCall(model, 4_000, 1_000))
        .build().wrap(Assistant.class, impl);

    assistant.askReportingInside("q");

    assertThat(budgets.statuses().get(0).spent()).isEqualTo(usd(MINI_CALL_COST));
  }

  @Test
  void a_failing_call_releases_its_reservation_and_records_the_exception_on_the_span() {
    BudgetManager budgets = budgets();
    budgets.add(Budget.forTeam("nlp").limit(usd("1")).build());
    Assistant assistant = telemetry().budgets(budgets).build().wrap(Assistant.class, impl);

    assertThatThrownBy(() -> assistant.failing("q")).isInstanceOf(IOException.class).hasMessage("connection reset");

    assertThat(budgets.stats().released()).isEqualTo(1);
    assertThat(budgets.statuses().get(0).used()).isEqualTo(Money.zero(Money.USD));
    assertThat(onlySpan()).hasStatusSatisfying(st -> st.hasCode(StatusCode.ERROR))
        .hasAttribute(stringKey("error.type"), "java.io.IOException");
  }

  @Test
  void an_asynchronous_call_is_finished_when_its_future_completes() {
    Assistant assistant = telemetry().build().wrap(Assistant.class, impl);

    Reply reply = assistant.askLater("q").join();

    assertThat(reply.text()).isEqualTo("answer");
    // The inner ask(...) on the fake is a plain call, not through the proxy: one span.
    assertThat(onlySpan()).hasAttribute(stringKey("finops.cost.amount"), MINI_CALL_COST);
    assertThat(Fixtures.ledgerTotal(finops)).isEqualTo(usd(MINI_CALL_COST));
  }

  @Test
  void untracked_and_object_methods_pass_straight_through() {
    Assistant assistant = telemetry().build().wrap(Assistant.class, impl);

    assertThat(assistant.untracked("x")).isEqualTo("X");
    Assistant other = telemetry().build().wrap(Assistant.class, impl);
    // identity: a proxy equals itself only, not another proxy of the same handler nor the handler
    assertThat(assistant.equals(assistant)).isTrue();
    assertThat(assistant.equals(other)).isFalse();
    assertThat(assistant.equals(impl)).isFalse();
    assertThat(assistant.hashCode()).isEqualTo(System.identityHashCode(assistant));
    assertThat(assistant.toString()).startsWith("CostTracked(");
    assertThat(otel.getSpans()).isEmpty();
  }

  @Test
  void a_call_with_no_usage_holds_the_budget_to_its_reservation_never_to_zero() {
    BudgetManager budgets = budgets();
    budgets.add(Budget.forTeam("nlp").limit(usd("1")).build());
    // No extractor for Reply: the call runs, but nothing says what it consumed.
    Assistant assistant = FinOpsTelemetry.builder(finops).openTelemetry(otel.getOpenTelemetry()).budgets(budgets)
        .build().wrap(Assistant.class, impl);

    assistant.ask("q");

    assertThat(budgets.statuses().get(0).spent()).isEqualTo(usd("0.0012"));
    assertThat(finops.snapshot().entries()).isEmpty();
  }

  interface Misconfigured {
    @CostTracked(model = "gpt-4o-mini", tags = "team")
    String badTag();
  }

  interface UnknownModel {
    @CostTracked(model = "gpt-99-turbo", provider = "openai")
    String ask();
  }

  @Test
  void configuration_fails_fast_when_wrapping() {
    FinOpsTelemetry telemetry = telemetry().build();

    assertThatThrownBy(() -> telemetry.wrap(Misconfigured.class, () -> "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Misconfigured.badTag").hasMessageContaining("'team' is not a key=value pair");
    assertThatThrownBy(() -> telemetry.wrap(UnknownModel.class, () -> "x"))
        .isInstanceOf(UnknownModelException.class).hasMessageContaining("gpt-99-turbo");
    assertThatThrownBy(() -> telemetry.wrap(FakeAssistant.class, impl))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not an interface");
  }
}
