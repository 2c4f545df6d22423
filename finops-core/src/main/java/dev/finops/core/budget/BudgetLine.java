package dev.finops.core.budget;

import dev.finops.core.Money;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One window of one registered budget: its limit and action triggers in pico-units, and the counter of
 * its current period. A calendar window rolls to a new period (a new counter) the first time it is used
 * at or after the current period's end; a lifetime or rolling window keeps one counter.
 */
final class BudgetLine {
  /** No trigger. */
  static final long NEVER = Long.MAX_VALUE;

  final BudgetState owner;
  final Window window;
  final long limitPico;
  final Money limit;
  /** {@code team=nlp/daily(Europe/Paris)}: unique, and the global order of counters. */
  final String key;
  final long[] notifyTriggers;
  final long terminateTrigger;
  final long[] delayTriggers;
  final long concurrencyTrigger;
  /** The period flags of the triggers on settled spend (NOTIFY and TERMINATE). */
  final int spentMask;

  private final BudgetStore store;
  private final AtomicReference<Period> current;

  BudgetLine(BudgetState owner, Window window, Money limit, BudgetStore store, long nowMillis) {
    Budget b = owner.budget;
    this.owner = owner;
    this.window = window;
    this.limit = limit;
    this.limitPico = Pico.ofLimit(limit, "limit");
    this.key = b.scope() + "/" + window;
    this.store = store;
    int[] notify = b.notifyBasisPoints();
    this.notifyTriggers = new long[notify.length];
    for (int i = 0; i < notify.length; i++) {
      notifyTriggers[i] = Pico.trigger(limitPico, notify[i]);
    }
    this.terminateTrigger = b.terminateBasisPoints() == 0 ? NEVER : Pico.trigger(limitPico, b.terminateBasisPoints());
    int[] delay = b.delayBasisPoints();
    this.delayTriggers = new long[delay.length];
    for (int i = 0; i < delay.length; i++) {
      delayTriggers[i] = Pico.trigger(limitPico, delay[i]);
    }
    this.concurrencyTrigger = b.maxConcurrent() == 0 ? NEVER : Pico.trigger(limitPico, b.concurrencyBasisPoints());
    this.spentMask = (1 << notify.length) - 1 | (terminateTrigger == NEVER ? 0 : Period.TERMINATED);
    this.current = new AtomicReference<>(newPeriod(nowMillis));
  }

  /** The period in force at {@code nowMillis}, rolling over if the current one has ended. */
  Period periodAt(long nowMillis) {
    for (;;) {
      Period p = current.get();
      if (nowMillis < p.end) {
        return p; // including a clock that went back: periods never roll backwards
      }
      Period next = newPeriod(nowMillis);
      if (current.compareAndSet(p, next)) {
        return next;
      }
    }
  }

  /** The current period, without rolling over. */
  Period current() {
    return current.get();
  }

  private Period newPeriod(long nowMillis) {
    long start;
    long end;
    String counterKey;
    if (window.isCalendar()) {
      long[] span = window.periodAt(nowMillis);
      start = span[0];
      end = span[1];
      counterKey = key + "/" + Instant.ofEpochMilli(start).atZone(window.zone()).toLocalDate();
    } else {
      start = window.isRolling() ? nowMillis : Long.MIN_VALUE;
      end = Long.MAX_VALUE;
      counterKey = key;
    }
    BudgetStore.Counter counter = store.counter(new BudgetStore.CounterSpec(counterKey, limitPico, window, start, end));
    return new Period(this, start, end, counter);
  }

  /** One calendar period of a line (the only one of a lifetime or rolling window) and its counter. */
  static final class Period {
    static final int TERMINATED = 1 << 20;
    static final int LIMIT_REACHED = 1 << 21;
    static final int THROTTLED = 1 << 22;

    final BudgetLine line;
    final long start;
    final long end;
    final BudgetStore.Counter counter;
    /** Bits 0..15: NOTIFY thresholds fired; and the flags above, each set once per period. */
    final AtomicInteger flags = new AtomicInteger();

    Period(BudgetLine line, long start, long end, BudgetStore.Counter counter) {
      this.line = line;
      this.start = start;
      this.end = end;
      this.counter = counter;
    }

    /** Sets {@code bit}; true for the one caller that set it. */
    boolean markOnce(int bit) {
      for (;;) {
        int f = flags.get();
        if ((f & bit) != 0) {
          return false;
        }
        if (flags.compareAndSet(f, f | bit)) {
          return true;
        }
      }
    }

    /** Clears {@code bit} (a rolling window re-arms a threshold its spend fell back below). */
    void clear(int bit) {
      flags.getAndUpdate(f -> f & ~bit);
    }

    @Override
    public String toString() {
      return counter.key();
    }
  }
}
