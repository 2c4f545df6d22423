package dev.finops.core.budget;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Expiry of reservations left open past their deadline, without a background thread: a partial sweep
 * every {@value BudgetManager#SWEEP_EVERY} reservations, a full one at least every TTL/8 of clock time
 * when there is traffic (admissions and status reads), and one on {@link BudgetManager#expireOverdue()}.
 * One sweeper at a time ({@link OpenReservations}).
 */
final class Sweeper {
  private static final int PARTIAL_SWEEP_VISITS = 2 * BudgetManager.SWEEP_EVERY;

  private final OpenReservations open = new OpenReservations();
  private final long intervalMillis;
  private final AtomicLong nextSweepMillis;
  private final Predicate<Reservation> expire;

  /**
   * @param expire settles an overdue reservation to its full amount; true if that call ended it
   */
  Sweeper(long ttlMillis, long nowMillis, Predicate<Reservation> expire) {
    this.intervalMillis = Math.max(1, ttlMillis / 8);
    this.nextSweepMillis = new AtomicLong(nowMillis + intervalMillis);
    this.expire = expire;
  }

  /** Tracks a reservation just admitted (the {@code id}-th), and sweeps when one is due. */
  void admitted(Reservation r, long id, long now) {
    open.add(r);
    if ((id & (BudgetManager.SWEEP_EVERY - 1)) == 0) {
      sweep(now, false);
    }
    sweepIfDue(now);
  }

  /** A full sweep if TTL/8 has passed since the last one. */
  void sweepIfDue(long now) {
    long next = nextSweepMillis.get();
    if (now - next >= 0 && nextSweepMillis.compareAndSet(next, now + intervalMillis)) {
      sweep(now, true);
    }
  }

  /**
   * A full sweep visits every reservation admitted before it started; a partial one the new ones and a
   * bounded number of those still open from earlier sweeps, so the structure holds about as many
   * entries as there are open reservations.
   *
   * @return how many reservations this call expired
   */
  int sweep(long now, boolean full) {
    return open.sweep(now, full, PARTIAL_SWEEP_VISITS, expire);
  }
}
