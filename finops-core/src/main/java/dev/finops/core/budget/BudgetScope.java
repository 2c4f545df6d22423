package dev.finops.core.budget;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.pricing.PricedUsage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The budgets of one tag set, bound once for the hot path (like a ledger {@link
 * dev.finops.core.ledger.Account}): {@link BudgetManager#scope(Tags)} resolves which budgets apply
 * (a run's, its experiment's, its team's, its org's), and each call here reuses that resolution until
 * a calendar window rolls over or budgets are added or removed. Thread-safe; reserving takes no lock.
 */
public final class BudgetScope {
  private final BudgetManager manager;
  private final Tags tags;
  private volatile Chain chain;

  BudgetScope(BudgetManager manager, Tags tags) {
    this.manager = manager;
    this.tags = tags;
  }

  public Tags tags() {
    return tags;
  }

  /** The budgets that apply to these tags. */
  /** True when no budget applies to these tags now: reserving would hold nothing (and allocates nothing). */
  public boolean isEmpty() {
    return chain(manager.clock().wallTimeMillis()).isEmpty();
  }

  public List<Budget> budgets() {
    List<Budget> out = new ArrayList<>();
    for (BudgetState b : chain(manager.clock().wallTimeMillis()).budgets) {
      out.add(b.budget);
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Reserves an upper bound of the work's cost on every budget of the chain, all or nothing.
   *
   * @throws BudgetExceededException if a window of a budget has no room (nothing is reserved anywhere)
   * @throws BudgetThrottledException if a throttled budget already has its maximum of open reservations
   * @throws CostUnknownException if the estimate is unknown and a budget is fail-closed
   * @throws dev.finops.core.CurrencyMismatchException if the estimate is in another currency
   */
  public Reservation reserve(Estimate estimate) {
    Objects.requireNonNull(estimate, "estimate");
    if (estimate.isKnown() && !estimate.currency().equals(manager.currency())) {
      throw new dev.finops.core.CurrencyMismatchException(manager.currency(), estimate.currency());
    }
    return manager.admit(this, estimate.pico(), estimate.unknownReason(), 0, true);
  }

  /**
   * As {@link #reserve(Estimate)}, but answers {@code null} instead of throwing when a budget refuses
   * (DENY, THROTTLE by concurrency, or an unknown cost on a fail-closed budget): for callers that expect
   * refusals often and want neither an exception nor a status read per refusal. Refusals are counted
   * and the LIMIT_REACHED and THROTTLED events still fire.
   */
  public Reservation tryReserve(Estimate estimate) {
    Objects.requireNonNull(estimate, "estimate");
    if (estimate.isKnown() && !estimate.currency().equals(manager.currency())) {
      throw new dev.finops.core.CurrencyMismatchException(manager.currency(), estimate.currency());
    }
    return manager.admit(this, estimate.pico(), estimate.unknownReason(), 0, false);
  }

  /** {@link #tryReserve(Estimate)} of an amount in pico-units of the manager's currency. */
  public Reservation tryReservePico(long upperBoundPico) {
    checkAmount(upperBoundPico);
    return manager.admit(this, upperBoundPico, null, 0, false);
  }

  /** {@link #reserve(Estimate)} of an amount (rounded up to the pico). */
  public Reservation reserve(Money upperBound) {
    return reserve(Estimate.of(upperBound));
  }

  /** {@link #reserve(Estimate)} of an amount in pico-units of the manager's currency; the hot path. */
  public Reservation reservePico(long upperBoundPico) {
    checkAmount(upperBoundPico);
    return manager.admit(this, upperBoundPico, null, 0, true);
  }

  private static void checkAmount(long pico) {
    if (pico < 0) {
      throw new IllegalArgumentException("a reservation must not be negative: " + pico);
    }
  }

  /**
   * Records spend that had no reservation (a call made outside the admission path, a cost reported
   * afterwards). It counts against every budget of the chain even past a limit, which is therefore
   * exceeded by at most the sum of such recordings; they are counted in {@link
   * BudgetManager.Stats#unreservedRecords()}. Never throws for accounting problems: usage that could not
   * be priced, or is in another currency, is counted and logged once, and not recorded.
   */
  public void record(PricedUsage priced) {
    manager.recordUnreserved(this, priced);
  }

  /** As {@link #record(PricedUsage)} for a cost (rounded up to the pico). */
  public void record(Money cost) {
    manager.recordUnreserved(this, cost);
  }

  /** The status of every window of every budget that applies, in the chain's order. */
  public List<BudgetStatus> statuses() {
    return manager.statuses(chain(manager.clock().wallTimeMillis()));
  }

  /** The resolved chain at {@code nowMillis}, rebuilt when budgets changed or a period ended. */
  Chain chain(long nowMillis) {
    Chain c = chain;
    if (c == null || c.stamp != manager.stamp() || nowMillis >= c.validUntil) {
      c = manager.resolve(tags, nowMillis);
      chain = c;
    }
    return c;
  }

  @Override
  public String toString() {
    return "BudgetScope{" + tags + "}";
  }
}
