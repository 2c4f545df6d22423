package dev.finops.core.budget;

import dev.finops.core.Clock;
import dev.finops.core.Money;
import dev.finops.core.pricing.PricedUsage;
import java.time.Duration;
import java.util.Currency;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a reservation (settled, released, expired) and spend without one: the store's counters,
 * the manager's counts, burn rates and the thresholds on settled spend (NOTIFY and TERMINATE), each
 * fired once per period when reached and, in a rolling window, re-armed below.
 */
final class Settlement {
  private static final Logger log = LoggerFactory.getLogger(BudgetManager.class);

  private final Clock clock;
  private final BudgetStore store;
  private final Currency currency;
  private final Duration ttl;
  private final BudgetCounters counters;
  private final BudgetEvents events;
  private final Set<String> loggedOnce = ConcurrentHashMap.newKeySet();

  Settlement(Clock clock, BudgetStore store, Currency currency, Duration ttl, BudgetCounters counters,
      BudgetEvents events) {
    this.clock = clock;
    this.store = store;
    this.currency = currency;
    this.ttl = ttl;
    this.counters = counters;
    this.events = events;
  }

  boolean settle(Reservation r, long actualPico) {
    if (!r.finish(Reservation.SETTLED)) {
      counters.lateFinishes.increment();
      return false;
    }
    Chain c = r.chain;
    if (!c.isEmpty()) {
      long now = clock.wallTimeMillis();
      store.commit(c.counters, r.amountPico, actualPico, r.reservedAtMillis, now);
      Admission.releasePermits(c);
      afterSpend(c, actualPico, now);
    }
    if (actualPico > r.amountPico) {
      counters.overrunPico.add(actualPico - r.amountPico);
    }
    counters.settled.increment();
    return true;
  }

  boolean settleUnpriced(Reservation r) {
    counters.unpricedSettlements.increment();
    return settle(r, r.amountPico);
  }

  boolean release(Reservation r) {
    if (!r.finish(Reservation.RELEASED)) {
      counters.lateFinishes.increment();
      return false;
    }
    Chain c = r.chain;
    if (!c.isEmpty()) {
      store.release(c.counters, r.amountPico, r.reservedAtMillis, clock.wallTimeMillis());
      Admission.releasePermits(c);
    }
    counters.released.increment();
    return true;
  }

  /** Settles an overdue reservation to its full amount; true if this call ended it. */
  boolean expire(Reservation r) {
    if (!r.finish(Reservation.EXPIRED)) {
      return false;
    }
    Chain c = r.chain;
    long now = clock.wallTimeMillis();
    store.commit(c.counters, r.amountPico, r.amountPico, r.reservedAtMillis, now);
    Admission.releasePermits(c);
    counters.expired.increment();
    afterSpend(c, r.amountPico, now);
    if (!events.unheard()) {
      for (BudgetLine.Period p : c.periods) {
        events.emit(BudgetEvent.Type.RESERVATION_EXPIRED, null, p, now, "reservation #" + r.id() + " of "
            + r.amount() + " was still open after " + ttl + "; settled to its full amount");
      }
    }
    return true;
  }

  void recordUnreserved(BudgetScope scope, PricedUsage priced) {
    if (!priced.isPriced()) {
      recordProblem("unpriced", "usage of " + priced.requestedModel() + " for " + scope.tags()
          + " could not be priced and was not counted against budgets (" + priced.unpricedReason() + ")");
    } else if (!priced.currency().equals(currency)) {
      recordProblem("currency", "usage priced in " + priced.currency() + " for " + scope.tags()
          + " was not counted against budgets in " + currency);
    } else {
      recordPico(scope, priced.hasFixedPointTotal() ? priced.totalPico() : Pico.ceil(priced.total()));
    }
  }

  void recordUnreserved(BudgetScope scope, Money cost) {
    if (!cost.currency().equals(currency)) {
      recordProblem("currency", "a cost in " + cost.currency() + " for " + scope.tags()
          + " was not counted against budgets in " + currency);
    } else if (cost.signum() < 0) {
      recordProblem("negative", "a negative cost " + cost + " for " + scope.tags() + " was not counted");
    } else {
      recordPico(scope, Pico.ceil(cost));
    }
  }

  /** Spend without a reservation, in pico-units. */
  void recordPico(BudgetScope scope, long pico) {
    long now = clock.wallTimeMillis();
    Chain c = scope.chain(now);
    if (c.isEmpty() || pico == 0) {
      return;
    }
    store.record(c.counters, pico, now);
    counters.unreservedRecords.increment();
    counters.unreservedPico.add(pico);
    afterSpend(c, pico, now);
  }

  private void recordProblem(String kind, String message) {
    counters.recordProblems.increment();
    if (loggedOnce.add(kind)) {
      log.warn("finops budgets: {}. Further occurrences are counted, not logged.", message);
    }
  }

  /** Burn rates and the thresholds on settled spend, after {@code amount} was added to it. */
  private void afterSpend(Chain c, long amount, long now) {
    if (amount > 0) {
      for (BudgetState b : c.budgets) {
        b.rate.add(now, amount);
      }
    }
    for (BudgetLine.Period p : c.periods) {
      if (p.line.spentMask != 0) {
        checkSpent(p, now);
      }
    }
  }

  /**
   * Fires the thresholds the period's settled spend has reached. The one reading that decides a
   * crossing is the one its event reports: a rolling window read again could have aged below it.
   */
  private void checkSpent(BudgetLine.Period p, long now) {
    BudgetLine l = p.line;
    int flags = p.flags.get();
    boolean rolling = l.window.isRolling();
    if ((!rolling && (flags & l.spentMask) == l.spentMask) || l.current() != p) {
      return; // all fired, or a past period
    }
    BudgetStore.Reading reading = store.read(p.counter, now);
    long spent = reading.spentPico();
    long[] t = l.notifyTriggers;
    for (int i = 0; i < t.length; i++) {
      crossing(p, 1 << i, spent >= t[i], rolling, flags, l.owner.budget.notifyBasisPoints()[i], reading, now);
    }
    if (l.terminateTrigger != BudgetLine.NEVER) {
      crossing(p, BudgetLine.Period.TERMINATED, spent >= l.terminateTrigger, rolling, flags,
          l.owner.budget.terminateBasisPoints(), reading, now);
    }
  }

  /** Fires the threshold of {@code bit} once when reached; a rolling window re-arms it below. */
  private void crossing(BudgetLine.Period p, int bit, boolean reached, boolean rolling, int flags, int basisPoints,
      BudgetStore.Reading reading, long now) {
    if (reached) {
      if ((flags & bit) == 0 && p.markOnce(bit)) {
        if (bit == BudgetLine.Period.TERMINATED) {
          events.terminate(p, basisPoints, reading, now);
        } else {
          events.emit(BudgetEvent.Type.THRESHOLD, Budget.fraction(basisPoints), p, reading, now,
              "settled spend reached " + BudgetEvents.percent(basisPoints) + " of the limit");
        }
      }
    } else if (rolling && (flags & bit) != 0) {
      p.clear(bit);
    }
  }
}
