package dev.finops.core.budget;

import static dev.finops.core.budget.BudgetFixtures.RUN;
import static dev.finops.core.budget.BudgetFixtures.T0;
import static dev.finops.core.budget.BudgetFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import org.junit.jupiter.api.Test;

/** The manager's counts: overrun and unreserved spend past 64 bits of pico-units. */
class BudgetStatsTest {

  private static final Money MAX = Pico.money(Long.MAX_VALUE, Money.USD);

  private final ManualClock clock = ManualClock.at(T0);
  private final BudgetManager budgets = BudgetManager.builder().clock(clock).build();

  /** Two settlements 9M over their reservation: the sum passes Long.MAX_VALUE pico-units and saturates. */
  @Test
  void overrun_saturates_instead_of_wrapping() {
    budgets.reserve(RUN, Estimate.of(usd("1"))).settle(usd("9000001"));
    assertThat(budgets.stats().overrun()).isEqualTo(usd("9000000"));

    budgets.reserve(RUN, Estimate.of(usd("1"))).settle(usd("9000001"));
    budgets.reserve(RUN, Estimate.of(usd("1"))).settle(usd("1"));

    assertThat(budgets.stats().overrun()).isEqualTo(MAX);
    assertThat(budgets.stats().settled()).isEqualTo(3);
  }

  @Test
  void unreserved_spend_saturates_instead_of_wrapping() {
    budgets.add(Budget.forTeam("nlp").limit(usd("1000")).build());
    BudgetScope scope = budgets.scope(RUN);
    scope.record(usd("5000000"));
    assertThat(budgets.stats().unreserved()).isEqualTo(usd("5000000"));

    scope.record(usd("5000000"));
    scope.record(usd("5000000"));

    assertThat(budgets.stats().unreserved()).isEqualTo(MAX);
    assertThat(budgets.stats().unreservedRecords()).isEqualTo(3);
  }
}
