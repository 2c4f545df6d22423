package dev.finops.core.budget;

import dev.finops.core.Clock;
import dev.finops.core.CurrencyMismatchException;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import java.time.Duration;
import java.util.Currency;

/**
 * GPU time leased in slices ({@link Lease}) for a {@link BudgetManager}: starting a lease, and the
 * TERMINATE event of the budget that refused a renewal.
 */
final class Leases {
  private final BudgetManager manager;
  private final Clock clock;
  private final Currency currency;
  private final BudgetCounters counters;
  private final BudgetEvents events;

  Leases(BudgetManager manager, Clock clock, Currency currency, BudgetCounters counters, BudgetEvents events) {
    this.manager = manager;
    this.clock = clock;
    this.currency = currency;
    this.counters = counters;
    this.events = events;
  }

  /** See {@link BudgetManager#lease}. */
  Lease lease(Tags tags, Money ratePerHour, Duration slice, Terminable onDenied) {
    if (!ratePerHour.currency().equals(currency)) {
      throw new CurrencyMismatchException(currency, ratePerHour.currency());
    }
    return new Lease(manager, manager.scope(tags), Pico.ceil(ratePerHour), slice, onDenied);
  }

  /** A lease in {@code scope} could not renew: a TERMINATE event for the budget that refused. */
  void denied(BudgetScope scope, BudgetException refusal) {
    counters.terminations.increment();
    long now = clock.wallTimeMillis();
    for (BudgetLine.Period p : scope.chain(now).periods) {
      boolean window = !(refusal instanceof BudgetExceededException)
          || p.line.window.equals(((BudgetExceededException) refusal).window());
      if (p.line.owner.budget == refusal.budget() && window) {
        events.emit(BudgetEvent.Type.TERMINATE, null, p, now, "a GPU lease for " + scope.tags()
            + " could not be renewed (" + refusal.getMessage() + "); its work is asked to stop");
        return;
      }
    }
  }
}
