package dev.finops.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;

/**
 * One OpenAI gpt-4o call on the bundled catalog (from 2024-08-06: uncached input $2.50, cached input
 * $1.25, output $10 per 1M tokens), and exact money assertions for it.
 */
final class Gpt4o {
  static final String PROVIDER = "openai";
  static final String REQUEST_MODEL = "gpt-4o";
  static final String RESPONSE_MODEL = "gpt-4o-2024-08-06";

  /** 3,000 input tokens of which 2,000 cached, 500 output: 0.0025 + 0.0025 + 0.005 = $0.0100. */
  static final Usage CALL = TokenConventions.fromInclusive(3_000, 500, 2_000, 0, 0);
  static final String CALL_COST = "0.0100";

  /** The reservation of {@code startCall(..., 100, 500)}: 100 × $2.50 + 500 × $10 per 1M = $0.00525. */
  static final long INPUT_BOUND = 100;
  static final long MAX_OUTPUT = 500;
  static final String ESTIMATE = "0.00525";

  private Gpt4o() {}

  /** Asserts {@code actual} is exactly {@code expected} US dollars, whatever the decimal scale. */
  static void assertUsd(Money actual, String expected) {
    assertThat(actual).isNotNull();
    assertThat(actual.currency()).isEqualTo(Money.USD);
    assertThat(actual.exactAmount()).isEqualByComparingTo(expected);
  }

  static void assertLedgerTotal(FinOps finops, String expected) {
    assertUsd(finops.snapshot().total().cost(), expected);
  }

  /** The only budget status of {@code budgets}. */
  static BudgetStatus onlyStatus(BudgetManager budgets) {
    assertThat(budgets.statuses()).hasSize(1);
    return budgets.statuses().get(0);
  }

  static void assertBudget(BudgetManager budgets, String spent, String reserved) {
    BudgetStatus s = onlyStatus(budgets);
    assertUsd(s.spent(), spent);
    assertUsd(s.reserved(), reserved);
  }
}
