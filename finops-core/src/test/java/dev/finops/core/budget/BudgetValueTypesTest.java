package dev.finops.core.budget;

import static dev.finops.core.budget.BudgetFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.ManualClock;
import dev.finops.core.Tags;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** BudgetStatus and BudgetEvent are values: two readings of an unchanged budget at one instant are equal. */
class BudgetValueTypesTest {

  private final ManualClock clock = ManualClock.at(BudgetFixtures.T0);
  private final BudgetManager budgets = BudgetFixtures.manager(clock).build();
  private final Tags nlp = Tags.builder().team("nlp").build();

  private void spend(String amount) {
    budgets.reserve(nlp, Estimate.of(usd(amount))).settle(usd(amount));
  }

  @Test
  void statusesAtOneInstantAreEqualAndDifferOnceSpendOrTimeMoves() {
    budgets.add(Budget.forTeam("nlp").limit(usd("100")).daily(ZoneOffset.UTC).build());
    spend("10");

    BudgetStatus a = budgets.statuses(nlp).get(0);
    BudgetStatus b = budgets.statuses(nlp).get(0);
    assertThat(a).isNotSameAs(b).isEqualTo(b).hasSameHashCodeAs(b);

    clock.advance(Duration.ofMillis(1));
    assertThat(budgets.statuses(nlp).get(0)).as("a later instant").isNotEqualTo(a);
    BudgetStatus now = budgets.statuses(nlp).get(0);
    spend("0.000000000001");
    assertThat(budgets.statuses(nlp).get(0)).as("a pico-unit more spent").isNotEqualTo(now);
  }

  @Test
  void eventsWithEqualParts() {
    budgets.add(Budget.forTeam("nlp").limit(usd("100")).daily(ZoneOffset.UTC).build());
    BudgetStatus s = budgets.statuses(nlp).get(0);

    BudgetEvent e1 = new BudgetEvent(BudgetEvent.Type.THRESHOLD, new BigDecimal("0.5"), s, "half");
    BudgetEvent e2 = new BudgetEvent(BudgetEvent.Type.THRESHOLD, new BigDecimal("0.50"), s, "half");

    assertThat(e1).isEqualTo(e2).hasSameHashCodeAs(e2);
    assertThat(e1).isNotEqualTo(new BudgetEvent(BudgetEvent.Type.THRESHOLD, new BigDecimal("0.8"), s, "half"));
  }
}
