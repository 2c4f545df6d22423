package dev.finops.jcstress;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetScope;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.budget.Reservation;
import java.time.Duration;
import java.time.Instant;

/** A manager on a manual clock with one team budget of 1,000 pico-units (TTL one minute). */
final class Budgets {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-02T10:00:00Z"));
  final BudgetManager manager = BudgetManager.builder().clock(clock).reservationTtl(Duration.ofMinutes(1)).build();
  private final BudgetScope scope;

  Budgets() {
    manager.add(Budget.forTeam("nlp").limit(Money.ofPico(1_000, Money.USD)).build());
    scope = manager.scope(Tags.builder().team("nlp").build());
  }

  Reservation reserve(long pico) {
    return scope.reservePico(pico);
  }

  /** Moves the clock past every open reservation's deadline. */
  void passTtl() {
    clock.advance(Duration.ofMinutes(2));
  }

  /** Spent + 1000 × reserved, in pico-units. */
  int spentPlusReservedTimes1000() {
    BudgetStatus s = scope.statuses().get(0);
    return pico(s.spent()) + 1000 * pico(s.reserved());
  }

  private static int pico(Money m) {
    return Math.toIntExact(m.toPico(java.math.RoundingMode.UNNECESSARY));
  }
}
