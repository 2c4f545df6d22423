package dev.finops.core.budget;

import dev.finops.core.Clock;
import dev.finops.core.Money;
import java.time.Duration;
import java.util.Currency;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission of work against a scope's budgets: concurrency permits, the all-or-nothing reservation in
 * the store, throttle delays, refusals (DENY) and their events. Admitted reservations go to the
 * {@link Sweeper}, which expires them when overdue.
 */
final class Admission {
  private final BudgetManager manager;
  private final Clock clock;
  private final BudgetStore store;
  private final Currency currency;
  private final long ttlMillis;
  private final BudgetCounters counters;
  private final BudgetEvents events;
  private final Sweeper sweeper;
  private final AtomicLong ids = new AtomicLong();

  Admission(BudgetManager manager, Clock clock, BudgetStore store, Currency currency, long ttlMillis,
      BudgetCounters counters, BudgetEvents events, Sweeper sweeper) {
    this.manager = manager;
    this.clock = clock;
    this.store = store;
    this.currency = currency;
    this.ttlMillis = ttlMillis;
    this.counters = counters;
    this.events = events;
    this.sweeper = sweeper;
  }

  /** Reservations admitted so far. */
  long admitted() {
    return ids.get();
  }

  /**
   * Reserves {@code amount} (ignored when {@code unknownReason} is set) on the scope's chain. A refusal
   * throws a {@link BudgetException} when {@code throwing}, and otherwise answers {@code null}.
   */
  Reservation admit(BudgetScope scope, long amountPico, String unknownReason, long extraTtlMillis, boolean throwing) {
    long now = clock.wallTimeMillis();
    Chain c = scope.chain(now);
    boolean known = unknownReason == null;
    long amount = amountPico;
    if (c.isEmpty()) {
      return new Reservation(manager, c, ids.incrementAndGet(), known ? amount : 0, now, Long.MAX_VALUE, 0, known);
    }
    if (!known) {
      if (c.failClosed != null) {
        counters.unknownRefused.increment();
        if (!throwing) {
          return null;
        }
        throw new CostUnknownException(c.failClosed.budget, unknownReason);
      }
      counters.unknownAdmitted.increment();
      amount = 0;
    }
    BudgetState throttledBy = acquirePermits(c, now);
    if (throttledBy != null) {
      if (!throwing) {
        return null;
      }
      throw new BudgetThrottledException(throttledBy.budget);
    }
    int refused = store.tryReserve(c.counters, amount, now);
    if (refused >= 0) {
      releasePermits(c);
      return refused(c.periods[refused], amount, now, throwing);
    }
    long delay = c.delays ? throttleDelay(c, now) : 0;
    long id = ids.incrementAndGet();
    Reservation r = new Reservation(manager, c, id, amount, now, now + ttlMillis + extraTtlMillis, delay, known);
    sweeper.admitted(r, id, now);
    return r;
  }

  /** Takes a permit of each concurrency-limited budget; the budget that refused, or null. */
  private BudgetState acquirePermits(Chain c, long now) {
    BudgetState[] limited = c.concurrencyLimited;
    for (int i = 0; i < limited.length; i++) {
      BudgetState b = limited[i];
      BudgetLine.Period throttledBy = concurrencyThrottled(c, b, now);
      for (;;) {
        int n = b.inFlight.get();
        if (throttledBy != null && n >= b.budget.maxConcurrent()) {
          for (int j = 0; j < i; j++) {
            limited[j].inFlight.decrementAndGet();
          }
          counters.throttled.increment();
          if (throttledBy.markOnce(BudgetLine.Period.THROTTLED)) {
            events.emit(BudgetEvent.Type.THROTTLED, null, throttledBy, now,
                "at most " + b.budget.maxConcurrent() + " reservations may be open at once; refused one more");
          }
          return b;
        }
        if (b.inFlight.compareAndSet(n, n + 1)) {
          break;
        }
      }
    }
    return null;
  }

  private BudgetLine.Period concurrencyThrottled(Chain c, BudgetState b, long now) {
    for (BudgetLine.Period p : c.periods) {
      if (p.line.owner == b && store.readUsed(p.counter, now) >= p.line.concurrencyTrigger) {
        return p;
      }
    }
    return null;
  }

  /** Gives back the concurrency permits a reservation on {@code c} took. */
  static void releasePermits(Chain c) {
    for (BudgetState b : c.concurrencyLimited) {
      b.inFlight.decrementAndGet();
    }
  }

  private long throttleDelay(Chain c, long now) {
    long delay = 0;
    for (BudgetLine.Period p : c.periods) {
      long[] t = p.line.delayTriggers;
      if (t.length == 0) {
        continue;
      }
      long used = store.readUsed(p.counter, now);
      for (int i = t.length - 1; i >= 0; i--) {
        if (used >= t[i]) {
          Duration d = p.line.owner.budget.delays()[i];
          delay = Math.max(delay, d.toNanos());
          if (p.markOnce(BudgetLine.Period.THROTTLED)) {
            delayEvent(p, i, d, now);
          }
          break;
        }
      }
    }
    return delay;
  }

  /**
   * The THROTTLED event of the {@code i}-th delay threshold. The decision read only used; the event's
   * status is read now, and if a rolling window aged below the threshold in between (a concurrent read
   * at a later time), the event is not sent and the period re-armed: an event never reports a window
   * below its own threshold.
   */
  private void delayEvent(BudgetLine.Period p, int i, Duration d, long now) {
    if (events.unheard()) {
      return;
    }
    BudgetStore.Reading reading = store.read(p.counter, now);
    if (reading.usedPico() < p.line.delayTriggers[i]) {
      p.clear(BudgetLine.Period.THROTTLED);
      return;
    }
    int bp = p.line.owner.budget.delayBasisPoints()[i];
    events.emit(BudgetEvent.Type.THROTTLED, Budget.fraction(bp), p, reading, now, "spend plus reservations reached "
        + BudgetEvents.percent(bp) + " of the limit; admissions now wait " + d);
  }

  /** DENY: throws, or answers null; the status is read only for an exception or the period's first event. */
  private Reservation refused(BudgetLine.Period p, long amount, long now, boolean throwing) {
    counters.denied.increment();
    boolean first = p.markOnce(BudgetLine.Period.LIMIT_REACHED);
    if (!throwing && (!first || events.unheard())) {
      return null;
    }
    BudgetStatus st = events.status(p, now);
    Money requested = Pico.money(amount, currency);
    if (first) {
      events.emit(new BudgetEvent(BudgetEvent.Type.LIMIT_REACHED, null, st, BudgetEvents.describe(st)
          + ": limit reached; refused a reservation of " + requested));
    }
    if (!throwing) {
      return null;
    }
    throw new BudgetExceededException(st, requested);
  }
}
