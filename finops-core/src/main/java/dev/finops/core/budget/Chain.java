package dev.finops.core.budget;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The budgets that apply to one tag set, resolved at one time: every window's current period and
 * counter, sorted by line key (the one global order in which counters are reserved). Immutable;
 * valid until the earliest period end or until budgets are added or removed.
 */
final class Chain {
  static final BudgetLine.Period[] NO_PERIODS = new BudgetLine.Period[0];

  final long stamp;
  final long validUntil;
  final BudgetLine.Period[] periods;
  final BudgetStore.Counter[] counters;
  final BudgetState[] budgets;
  /** The first budget that refuses work of unknown cost, or {@code null}. */
  final BudgetState failClosed;
  final boolean delays;
  final BudgetState[] concurrencyLimited;

  private Chain(long stamp, List<BudgetState> budgets, long nowMillis) {
    this.stamp = stamp;
    this.budgets = budgets.toArray(new BudgetState[0]);
    List<BudgetLine.Period> ps = new ArrayList<>();
    List<BudgetState> limited = new ArrayList<>();
    BudgetState closed = null;
    boolean anyDelay = false;
    for (BudgetState b : budgets) {
      for (BudgetLine l : b.lines) {
        ps.add(l.periodAt(nowMillis));
        anyDelay |= l.delayTriggers.length > 0;
      }
      if (b.inFlight != null) {
        limited.add(b);
      }
      if (closed == null && b.budget.unknownCostPolicy() == UnknownCostPolicy.FAIL_CLOSED) {
        closed = b;
      }
    }
    ps.sort(Comparator.comparing(p -> p.line.key));
    this.periods = ps.toArray(NO_PERIODS);
    this.counters = new BudgetStore.Counter[periods.length];
    long until = Long.MAX_VALUE;
    for (int i = 0; i < periods.length; i++) {
      counters[i] = periods[i].counter;
      until = Math.min(until, periods[i].end);
    }
    this.validUntil = until;
    this.failClosed = closed;
    this.delays = anyDelay;
    this.concurrencyLimited = limited.toArray(new BudgetState[0]);
  }

  static Chain of(long stamp, List<BudgetState> budgets, long nowMillis) {
    return new Chain(stamp, budgets, nowMillis);
  }

  boolean isEmpty() {
    return periods.length == 0;
  }
}
