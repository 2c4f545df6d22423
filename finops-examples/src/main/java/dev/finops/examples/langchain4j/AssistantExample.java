package dev.finops.examples.langchain4j;

import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.fake.FakeModelServer;
import dev.finops.langchain4j.FinOpsChatModelListener;
import dev.finops.otel.CostContext;
import dev.finops.otel.FinOpsTelemetry;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.TokenStream;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A LangChain4j AI service whose every model call is priced exactly and charged to a team, offline.
 *
 * <p>The example starts a {@link FakeModelServer} (a local server that answers like OpenAI's and
 * Anthropic's APIs, with known usage: no API key, no network) and points LangChain4j's own {@code
 * OpenAiChatModel}, {@code OpenAiStreamingChatModel} and {@code AnthropicChatModel} at it. A {@link
 * FinOpsChatModelListener} on each model records every call, synchronous or streamed, from the usage
 * LangChain4j reads off the response (cached tokens included); {@link CostContext#withTags} charges
 * the calls to team {@code support}, whose budget reserves an upper bound before each call and
 * settles it to the exact cost after.
 *
 * <p>Each OpenAI answer reports 3,000 prompt tokens (2,000 of them cached) and 500 completion tokens
 * of gpt-4o-2024-08-06: 1,000 × $2.50 + 2,000 × $1.25 + 500 × $10.00 per million = exactly $0.0100.
 * The Anthropic answer (claude-sonnet-4-5) costs $0.012975.
 *
 * <pre>
 * mvn -q -B -DskipTests package
 * java -Dsun.net.httpserver.nodelay=true \
 *     -cp "finops-examples/target/finops-examples-0.1.0-SNAPSHOT.jar:finops-examples/target/lib/*" \
 *     dev.finops.examples.langchain4j.AssistantExample
 * </pre>
 */
public final class AssistantExample {

  /** Who pays: every call below is made under these tags. */
  public static final Tags SUPPORT = Tags.builder().team("support").project("helpdesk").build();

  /** The team's budget: lifetime, notified at half. */
  public static final Money TEAM_LIMIT = Money.usd("1.00");

  /** The answers are short; this bound is what the budget reserves for the output of each call. */
  private static final int MAX_OUTPUT_TOKENS = 1_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final String SYSTEM = "You are the helpdesk assistant. Answer in one sentence.";

  /** The AI service: LangChain4j implements it over a chat model. */
  public interface Assistant {
    @SystemMessage(SYSTEM)
    String answer(String question);
  }

  /** The same service, streamed. */
  public interface StreamingAssistant {
    @SystemMessage(SYSTEM)
    TokenStream answer(String question);
  }

  /** One call: how it was made and what it cost (the ledger's growth across it). */
  public record Call(int number, String model, String mode, String question, String answer, Money cost) {}

  /** What the example did: its calls, the team's ledger totals and the team's budget status. */
  public record Result(List<Call> calls, LedgerSnapshot.Totals teamTotals, BudgetStatus budget,
      long budgetDenials, long listenerProblems) {}

  private AssistantExample() {}

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** Runs the example, printing to {@code out}. */
  @SuppressWarnings("try") // the tag scope is opened for its effect
  public static Result run(PrintStream out) throws IOException, InterruptedException {
    try (FakeModelServer server = FakeModelServer.start()) {
      FinOps finops = FinOps.builder().build(); // bundled catalog, system clock
      BudgetManager budgets = BudgetManager.builder(finops).build();
      Budget teamBudget = Budget.forTeam("support").limit(TEAM_LIMIT).lifetime().notifyAt("0.5").build();
      budgets.add(teamBudget);
      // The OpenTelemetry of the process (the agent's, if any): without one, spans and metrics are no-ops and the
      // ledger still records.
      try (FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).budgets(budgets).build()) {
        FinOpsChatModelListener listener = new FinOpsChatModelListener(telemetry);

        // LangChain4j's own models, pointed at the fake server, each with the finops listener. maxTokens is the
        // output bound the budget reserves for.
        List<ChatModelListener> listeners = List.of(listener);
        Assistant gpt = AiServices.create(Assistant.class, OpenAiChatModel.builder()
            .baseUrl(server.openAiBaseUrl()).apiKey("offline").modelName("gpt-4o").maxTokens(MAX_OUTPUT_TOKENS)
            .timeout(TIMEOUT).listeners(listeners).build());
        StreamingAssistant gptStreaming = AiServices.create(StreamingAssistant.class, OpenAiStreamingChatModel.builder()
            .baseUrl(server.openAiBaseUrl()).apiKey("offline").modelName("gpt-4o").maxTokens(MAX_OUTPUT_TOKENS)
            .timeout(TIMEOUT).listeners(listeners).build());
        Assistant claude = AiServices.create(Assistant.class, AnthropicChatModel.builder()
            .baseUrl(server.baseUrl() + "/v1/").apiKey("offline").modelName("claude-sonnet-4-5")
            .maxTokens(MAX_OUTPUT_TOKENS).timeout(TIMEOUT).listeners(listeners).build());

        out.println("LangChain4j AI service on a local fake model server (" + server.baseUrl()
            + "): no API key, no network");
        out.println();
        out.printf("%-4s  %-28s  %-9s  %s%n", "call", "model", "mode", "cost (USD)");
        List<Call> calls = new ArrayList<>();
        CostMeter meter = new CostMeter(finops);
        try (Scope team = CostContext.withTags(SUPPORT)) {
          calls.add(meter.call(calls.size() + 1, "sync", "How do I reset my password?", gpt::answer));
          calls.add(meter.call(calls.size() + 1, "sync", "Can I export my invoices as CSV?", gpt::answer));
          calls.add(meter.call(calls.size() + 1, "sync", "Which plans include SSO?", gpt::answer));
          calls.add(meter.call(calls.size() + 1, "streaming", "Why was I charged twice?",
              q -> stream(gptStreaming.answer(q))));
          calls.add(meter.call(calls.size() + 1, "streaming", "How do I close my account?",
              q -> stream(gptStreaming.answer(q))));
          calls.add(meter.call(calls.size() + 1, "sync", "Review the answer about refunds.", claude::answer));
        }
        for (Call c : calls) {
          out.printf("%-4d  %-28s  %-9s  %s%n", c.number(), c.model(), c.mode(), usd(c.cost()));
        }

        LedgerSnapshot.Totals totals = finops.snapshot().where("team", "support").total();
        out.println();
        out.println("ledger, team=support project=helpdesk: " + totals.requests() + " calls, "
            + totals.inputTokens() + " input tokens (" + totals.quantity(UsageBucket.CACHE_READ)
            + " cache reads), " + totals.outputTokens() + " output tokens, " + usd(totals.cost()) + " USD");
        for (Map.Entry<String, Money> byModel : costByModel(finops.snapshot().where("team", "support")).entrySet()) {
          out.println("  " + byModel.getKey() + ": " + usd(byModel.getValue()) + " USD");
        }
        BudgetStatus status = budgets.status(teamBudget).get(0);
        out.println("budget " + status.scope() + " " + status.window() + ": spent " + usd(status.spent())
            + " of " + usd(status.limit()) + " USD, " + usd(status.reserved()) + " reserved, "
            + usd(status.remaining()) + " left");
        return new Result(List.copyOf(calls), totals, status, listener.budgetDenials(), listener.problems());
      }
    }
  }

  /**
   * Streams the answer and waits for it. The listener has recorded the call when the complete response
   * arrives: LangChain4j calls listeners before the handler's {@code onCompleteResponse}.
   */
  private static String stream(TokenStream tokens) throws InterruptedException {
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    StringBuilder text = new StringBuilder();
    tokens.onPartialResponse(text::append)
        .onCompleteResponse(done::complete)
        .onError(done::completeExceptionally)
        .start();
    try {
      done.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the streamed call failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the streamed call did not complete in 30 s", e);
    }
    return text.toString();
  }

  /** Cost per priced model (the catalog's model id, e.g. the dated snapshot the response named). */
  private static Map<String, Money> costByModel(LedgerSnapshot snapshot) {
    Map<String, Money> out = new TreeMap<>();
    for (LedgerSnapshot.Entry e : snapshot.entries()) {
      out.merge(e.key().provider() + "/" + e.key().resource(), e.cost(), Money::plus);
    }
    return out;
  }

  /** The exact amount, with at least 4 decimal places ("0.0100", "0.012975"). */
  static String usd(Money m) {
    BigDecimal exact = m.isTerminating() ? m.exactAmount() : m.amount(Money.PRESENTATION_SCALE);
    return exact.setScale(Math.max(4, exact.stripTrailingZeros().scale())).toPlainString();
  }

  /** A question to an assistant. */
  @FunctionalInterface
  private interface Ask {
    String ask(String question) throws InterruptedException;
  }

  /** Measures each call's cost as the growth of the team's ledger total across it. */
  private static final class CostMeter {
    private final FinOps finops;

    CostMeter(FinOps finops) {
      this.finops = finops;
    }

    Call call(int number, String mode, String question, Ask assistant) throws InterruptedException {
      Map<String, Money> before = costByModel(finops.snapshot().where("team", "support"));
      String answer = assistant.ask(question);
      Map<String, Money> after = costByModel(finops.snapshot().where("team", "support"));
      Money cost = Money.zero(Money.USD);
      String model = "";
      for (Map.Entry<String, Money> e : after.entrySet()) {
        Money grew = e.getValue().minus(before.getOrDefault(e.getKey(), Money.zero(Money.USD)));
        if (!grew.isZero()) {
          cost = cost.plus(grew);
          model = e.getKey().substring(e.getKey().indexOf('/') + 1);
        }
      }
      return new Call(number, model, mode, question, answer, cost);
    }
  }
}
