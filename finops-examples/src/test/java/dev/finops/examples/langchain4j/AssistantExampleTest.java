package dev.finops.examples.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Money;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The LangChain4j example, run in-process: every call and the totals at the exact cost the fake server's
 * usage comes to under the bundled catalog's prices, worked out here from the token counts.
 */
class AssistantExampleTest {

  /** Dollars for {@code tokens} at {@code perMillion} dollars per million tokens. */
  private static BigDecimal cost(long tokens, String perMillion) {
    return new BigDecimal(perMillion).multiply(BigDecimal.valueOf(tokens)).movePointLeft(6);
  }

  /** gpt-4o-2024-08-06: 1,000 uncached input at $2.50, 2,000 cached at $1.25, 500 output at $10.00. */
  private static final BigDecimal OPENAI_CALL = cost(1_000, "2.50").add(cost(2_000, "1.25")).add(cost(500, "10.00"));

  /** claude-sonnet-4-5: 1,000 input at $3.00, 2,000 cache reads at $0.30, 500 5-minute writes at $3.75, 500 output at $15.00. */
  private static final BigDecimal ANTHROPIC_CALL = cost(1_000, "3.00").add(cost(2_000, "0.30"))
      .add(cost(500, "3.75")).add(cost(500, "15.00"));

  @Test
  void everyCallIsPricedExactlyAndChargedToTheTeam() throws Exception {
    assertThat(OPENAI_CALL).isEqualByComparingTo("0.01");
    assertThat(ANTHROPIC_CALL).isEqualByComparingTo("0.012975");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AssistantExample.Result r = AssistantExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    List<AssistantExample.Call> calls = r.calls();
    assertThat(calls).extracting(AssistantExample.Call::mode)
        .containsExactly("sync", "sync", "sync", "streaming", "streaming", "sync");
    assertThat(calls).extracting(AssistantExample.Call::answer).containsOnly("The answer is 42.");
    for (AssistantExample.Call c : calls.subList(0, 5)) {
      assertThat(c.model()).isEqualTo("gpt-4o");
      assertThat(c.cost()).isEqualTo(Money.of(OPENAI_CALL, Money.USD));
    }
    assertThat(calls.get(5).model()).isEqualTo("claude-sonnet-4-5");
    assertThat(calls.get(5).cost()).isEqualTo(Money.of(ANTHROPIC_CALL, Money.USD));

    Money expectedTotal = Money.of(OPENAI_CALL.multiply(BigDecimal.valueOf(5)).add(ANTHROPIC_CALL), Money.USD);
    assertThat(r.teamTotals().requests()).isEqualTo(6);
    assertThat(r.teamTotals().cost()).isEqualTo(expectedTotal);
    assertThat(r.teamTotals().hasUnpriced()).isFalse();
    // The budget reserved before each call and settled each to its exact cost.
    assertThat(r.budget().spent()).isEqualTo(expectedTotal);
    assertThat(r.budget().reserved().isZero()).isTrue();
    assertThat(r.budget().remaining()).isEqualTo(AssistantExample.TEAM_LIMIT.minus(expectedTotal));
    assertThat(r.budgetDenials()).isZero();
    assertThat(r.listenerProblems()).isZero();

    // What it prints: each call's exact cost, and the totals.
    assertThat(out.lines().filter(l -> l.matches("[1-5]\\s+gpt-4o\\s+(sync|streaming)\\s+0\\.0100"))).hasSize(5);
    assertThat(out).containsPattern("(?m)^6\\s+claude-sonnet-4-5\\s+sync\\s+0\\.012975$")
        .contains("ledger, team=support project=helpdesk: 6 calls, ")
        .contains(", " + expectedTotal.toPlainString() + " USD\n")
        .contains("openai/gpt-4o: " + OPENAI_CALL.multiply(BigDecimal.valueOf(5)).setScale(4) + " USD")
        .contains("budget team=support lifetime: spent " + expectedTotal.toPlainString() + " of 1.0000 USD");
  }
}
