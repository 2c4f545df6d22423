package dev.finops.core.budget;

import dev.finops.core.Money;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A budget registered with a manager: its lines (one per window), burn rate and open reservations. */
final class BudgetState {
  final Budget budget;
  final BudgetLine[] lines;
  final RateMeter rate = new RateMeter();
  /** Open reservations on this budget; maintained only when it throttles concurrency. */
  final AtomicInteger inFlight;

  BudgetState(Budget budget, BudgetStore store, long nowMillis) {
    this.budget = budget;
    this.inFlight = budget.maxConcurrent() > 0 ? new AtomicInteger() : null;
    this.lines = new BudgetLine[budget.limits().size()];
    int i = 0;
    for (Map.Entry<Window, Money> e : budget.limits().entrySet()) {
      lines[i++] = new BudgetLine(this, e.getKey(), e.getValue(), store, nowMillis);
    }
  }

  @Override
  public String toString() {
    return budget.scope();
  }
}
