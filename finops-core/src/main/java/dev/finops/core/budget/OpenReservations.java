package dev.finops.core.budget;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The reservations a manager admitted that may still be open, for expiry. Admission pushes the
 * reservation itself on a lock-free stack (one compare-and-set, no node: the reservation is its own
 * link); a sweep takes the whole stack with one atomic swap, drops what was finished meanwhile (nearly
 * everything: most reservations settle within their call), expires what is overdue and moves what is
 * still open to a queue only sweeps touch (one sweeper at a time), of which a partial sweep visits a
 * bounded number. So admission never waits on sweeps and a finished reservation costs a sweep one read.
 */
final class OpenReservations {
  private final AtomicReference<Reservation> fresh = new AtomicReference<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  /** Open reservations seen by an earlier sweep; touched only by the sweeper holding {@link #sweeping}. */
  private final ArrayDeque<Reservation> aged = new ArrayDeque<>();

  void add(Reservation r) {
    Reservation head;
    do {
      head = fresh.get();
      r.nextOpen = head;
    } while (!fresh.compareAndSet(head, r));
  }

  /**
   * Drops finished reservations and hands each overdue one to {@code expire} (true when it expired it).
   * A full sweep visits every reservation added before it started; a partial one every new one and at
   * most {@code agedVisits} of those kept from earlier sweeps. Returns how many expired, 0 when another
   * sweep is running.
   */
  int sweep(long nowMillis, boolean full, int agedVisits, Predicate<Reservation> expire) {
    if (!sweeping.compareAndSet(false, true)) {
      return 0;
    }
    int expired = 0;
    try {
      // Those still open go back to the end: visit each at most once (all of them in a full sweep).
      int visits = full ? aged.size() : Math.min(agedVisits, aged.size());
      for (int i = 0; i < visits; i++) {
        Reservation r = aged.pollFirst();
        if (r == null) {
          break;
        }
        expired += keepOrExpire(r, nowMillis, expire);
      }
      Reservation r = fresh.getAndSet(null);
      while (r != null) {
        Reservation next = r.nextOpen;
        r.nextOpen = null;
        expired += keepOrExpire(r, nowMillis, expire);
        r = next;
      }
    } finally {
      sweeping.set(false);
    }
    return expired;
  }

  private int keepOrExpire(Reservation r, long nowMillis, Predicate<Reservation> expire) {
    if (!r.isOpen()) {
      return 0;
    }
    if (nowMillis - r.deadlineMillis >= 0) {
      return expire.test(r) ? 1 : 0;
    }
    aged.addLast(r);
    return 0;
  }
}
