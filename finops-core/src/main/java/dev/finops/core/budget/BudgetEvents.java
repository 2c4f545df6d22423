package dev.finops.core.budget;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BudgetManager}'s events: the statuses they carry, the listeners they go to, and the
 * running work a TERMINATE asks to stop. An event reports the window as its caller saw it: a caller
 * that decided on a {@link BudgetStore.Reading} (a threshold crossed) passes that reading, so a
 * rolling window aged in between by a concurrent read never shows below the threshold it reports.
 */
final class BudgetEvents {
  private static final Logger log = LoggerFactory.getLogger(BudgetManager.class);

  private final BudgetStore store;
  private final List<BudgetListener> listeners;
  private final BudgetCounters counters;
  /** Running work registered for TERMINATE. */
  final CopyOnWriteArrayList<BudgetManager.Registration> terminables = new CopyOnWriteArrayList<>();

  BudgetEvents(BudgetStore store, List<BudgetListener> listeners, BudgetCounters counters) {
    this.store = store;
    this.listeners = List.copyOf(listeners);
    this.counters = counters;
  }

  /** True when no listener would see an event (so its status need not be read). */
  boolean unheard() {
    return listeners.isEmpty();
  }

  /** The status of a period now, read from the store. */
  BudgetStatus status(BudgetLine.Period p, long now) {
    return status(p, store.read(p.counter, now), now);
  }

  /** The status of a period from a reading already taken. */
  static BudgetStatus status(BudgetLine.Period p, BudgetStore.Reading reading, long now) {
    return BudgetStatus.of(p, reading, p.line.owner.rate.perHour(now), now);
  }

  /** An event with the period's status read now (nothing is read without listeners). */
  void emit(BudgetEvent.Type type, BigDecimal threshold, BudgetLine.Period p, long now, String what) {
    if (!listeners.isEmpty()) {
      emit(type, threshold, p, store.read(p.counter, now), now, what);
    }
  }

  /** An event with the period's status from {@code reading}, the figures the caller decided on. */
  void emit(BudgetEvent.Type type, BigDecimal threshold, BudgetLine.Period p, BudgetStore.Reading reading, long now,
      String what) {
    if (!listeners.isEmpty()) {
      BudgetStatus st = status(p, reading, now);
      emit(new BudgetEvent(type, threshold, st, describe(st) + ": " + what));
    }
  }

  void emit(BudgetEvent event) {
    for (BudgetListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("finops budgets: a listener failed on {}", event, e);
      }
    }
  }

  /**
   * A TERMINATE threshold was reached at {@code reading}: counts it, emits the event and asks the
   * running work of the budget's scope to stop.
   */
  void terminate(BudgetLine.Period p, int basisPoints, BudgetStore.Reading reading, long now) {
    counters.terminations.increment();
    BudgetStatus st = status(p, reading, now);
    String reason = describe(st) + ": settled spend reached " + percent(basisPoints)
        + " of the limit; running work in the scope is asked to stop";
    emit(new BudgetEvent(BudgetEvent.Type.TERMINATE, Budget.fraction(basisPoints), st, reason));
    stopWork(p.line.owner.budget, reason);
  }

  /** Asks the running work under the budget's scope to stop; a failing callback is logged. */
  void stopWork(Budget budget, String reason) {
    for (BudgetManager.Registration reg : terminables) {
      if (budget.appliesTo(reg.tags())) {
        try {
          reg.target().terminate(reason);
        } catch (RuntimeException e) {
          log.warn("finops budgets: a terminate callback for {} failed", reg.tags(), e);
        }
      }
    }
  }

  static String describe(BudgetStatus st) {
    return "budget " + st.scope() + ", window " + st.window() + " (spent " + st.spent() + ", reserved "
        + st.reserved() + " of " + st.limit() + ")";
  }

  static String percent(int basisPoints) {
    return Budget.fraction(basisPoints).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
  }
}
