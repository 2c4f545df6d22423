package dev.finops.core.budget;

import java.util.Objects;

/**
 * Where budget counters live: the service provider interface behind {@link BudgetManager}. The default,
 * {@link #inMemory()}, is lock-free and in-process. A store shared across processes plugs in here
 * without changing any caller: {@link BudgetManager}, {@link BudgetScope} and {@link Reservation} only
 * ever go through these methods.
 *
 * <p><b>Counters.</b> One counter per (budget, window, calendar period), named by a {@link CounterSpec}
 * key such as {@code team=nlp/daily(Europe/Paris)/2026-03-29} (lifetime and rolling windows have one
 * counter for good). A counter holds, in pico-units (10<sup>-12</sup>) of the budget's currency,
 * <em>used</em> = settled spend + open reservations (what admission compares with the limit) and
 * <em>spent</em> = settled spend (what NOTIFY and TERMINATE thresholds compare with it); the open
 * reservations are their difference. Each is one number, so each reads exactly; the pair is not read
 * as one snapshot. {@link BudgetManager} asks for a counter once per period and shares the handle;
 * a store may return a new handle for each call (the in-memory store does) or the same one.
 *
 * <p><b>The contract that makes overshoot zero.</b> {@link #tryReserve} is all-or-nothing over the
 * counters it is given: either every counter's used grows by the amount and each stays at or below
 * its limit, or nothing changes and the index of a counter that had no room is returned. No other
 * operation makes used grow past a limit except {@link #adjust} with a positive used delta, which the
 * manager issues only for cost that was not reserved (actual above the estimate, recording without a
 * reservation, work admitted with an unknown cost). The manager passes the counters of one
 * reservation in one fixed global order (sorted by key), so an implementation that takes the
 * counters one by one sees every reservation in the same order.
 *
 * <p><b>A shared store (Redis, say).</b> A {@link Counter} is then a key name; {@link #tryReserve} is
 * one Lua script over all the keys ({@code KEYS} = the counters, all in one hash slot, e.g. with a
 * {@code {org}} hash tag): it reads every {@code used}, returns the first index whose {@code used +
 * amount > limit}, and otherwise {@code INCRBY}s them all, atomically, as Redis runs scripts whole.
 * {@link #adjust} is a second script (or {@code INCRBY}s in a {@code MULTI}); a calendar period's keys
 * expire a while after the period ends ({@link CounterSpec#periodEndMillis()}); a rolling window keeps
 * one key per sub-bucket and sums the live ones in the script. Exactly-once settlement stays in the
 * process that holds the {@link Reservation} (a reservation is settled, released or expired by one
 * state transition there); a store that must also survive the process can key each reservation by
 * {@link Reservation#id()} with a TTL. Nothing else changes for callers.
 *
 * <p>Implementations must be thread-safe; the manager calls them from many threads at once and never
 * holds a lock around them.
 */
public interface BudgetStore {

  /** What a counter is: its key, its limit and the window (and period) it counts. */
  final class CounterSpec {
    private final String key;
    private final long limitPico;
    private final Window window;
    private final long periodStartMillis;
    private final long periodEndMillis;

    /**
     * @param key unique name of the counter ({@code team=nlp/daily(Europe/Paris)/2026-03-29})
     * @param limitPico the limit, in pico-units, positive
     * @param window the window the counter counts
     * @param periodStartMillis start of the calendar period; for a rolling window, when the counter was
     *     made; {@link Long#MIN_VALUE} for a lifetime window
     * @param periodEndMillis end of the calendar period (exclusive); {@link Long#MAX_VALUE} otherwise
     */
    public CounterSpec(String key, long limitPico, Window window, long periodStartMillis, long periodEndMillis) {
      this.key = Objects.requireNonNull(key, "key");
      this.window = Objects.requireNonNull(window, "window");
      if (limitPico <= 0) {
        throw new IllegalArgumentException("limit must be positive: " + limitPico);
      }
      this.limitPico = limitPico;
      this.periodStartMillis = periodStartMillis;
      this.periodEndMillis = periodEndMillis;
    }

    public String key() {
      return key;
    }

    public long limitPico() {
      return limitPico;
    }

    public Window window() {
      return window;
    }

    public long periodStartMillis() {
      return periodStartMillis;
    }

    public long periodEndMillis() {
      return periodEndMillis;
    }

    @Override
    public String toString() {
      return key + " (limit " + limitPico + " pico)";
    }
  }

  /** A store's handle on one counter. */
  interface Counter {
    /** The key of the {@link CounterSpec} it was made from. */
    String key();

    /** The limit, in pico-units. */
    long limitPico();
  }

  /** One counter's figures at a moment, in pico-units. */
  final class Reading {
    private final long usedPico;
    private final long spentPico;

    public Reading(long usedPico, long spentPico) {
      this.usedPico = usedPico;
      this.spentPico = spentPico;
    }

    /** Settled spend plus open reservations: what admission compares with the limit. */
    public long usedPico() {
      return usedPico;
    }

    /** Settled spend. */
    public long spentPico() {
      return spentPico;
    }

    /**
     * Open reservations: used − spent, at least 0 (the two are read one after the other, so under
     * concurrent updates the difference is approximate for a moment).
     */
    public long reservedPico() {
      return Math.max(0, usedPico - spentPico);
    }

    @Override
    public String toString() {
      return "Reading{used=" + usedPico + ", spent=" + spentPico + "}";
    }
  }

  /** The lock-free in-process store. */
  static BudgetStore inMemory() {
    return new InMemoryBudgetStore();
  }

  /** A handle on the counter described by {@code spec}, starting at zero when new. */
  Counter counter(CounterSpec spec);

  /**
   * Reserves {@code amountPico} on every counter, all or nothing: succeeds only if each counter's used
   * plus the amount stays at or below its limit, and then adds the amount to each counter's used. A
   * zero amount always succeeds and changes nothing.
   *
   * @param counters the counters, in the manager's fixed global order (sorted by key); not modified
   * @param amountPico the amount, non-negative
   * @param atMillis when the reservation is made (the sub-bucket of a rolling window)
   * @return -1 on success, else the index of a counter that had no room (and nothing changed)
   */
  int tryReserve(Counter[] counters, long amountPico, long atMillis);

  /**
   * Adds {@code usedDeltaPico} to every counter's used and {@code spentDeltaPico} to its spent,
   * unconditionally (it may take used past the limit), each saturating at {@link Long#MAX_VALUE}. A
   * rolling window takes a decrease of used out of the sub-bucket of {@code reservedAtMillis} (nothing if
   * that sub-bucket has left the window) and puts increases in the sub-bucket of {@code nowMillis}. Of
   * the spent delta, the part the reservation held ({@code spentDelta − max(0, usedDelta)}, at least 0)
   * counts from the reservation: it goes into the sub-bucket of {@code reservedAtMillis}, and nowhere if
   * that sub-bucket has left the window (the reservation's used amount left with it, so a late
   * settlement or expiry is not counted a second time); the rest goes into the sub-bucket of {@code
   * nowMillis}. So a window's spent never holds what its used no longer does.
   *
   * @param spentDeltaPico the settled spend to add, non-negative
   */
  void adjust(Counter[] counters, long usedDeltaPico, long spentDeltaPico, long reservedAtMillis, long nowMillis);

  /** Settles a reservation of {@code reservedPico} to its actual cost: used += actual − reserved, spent += actual. */
  default void commit(Counter[] counters, long reservedPico, long actualPico, long reservedAtMillis, long nowMillis) {
    adjust(counters, actualPico - reservedPico, actualPico, reservedAtMillis, nowMillis);
  }

  /** Releases a reservation of {@code reservedPico} unused: used −= reserved. */
  default void release(Counter[] counters, long reservedPico, long reservedAtMillis, long nowMillis) {
    adjust(counters, -reservedPico, 0, reservedAtMillis, nowMillis);
  }

  /** Records spend that had no reservation: used += actual, spent += actual (past the limit if need be). */
  default void record(Counter[] counters, long actualPico, long nowMillis) {
    adjust(counters, actualPico, actualPico, nowMillis, nowMillis);
  }

  /** A counter's figures at {@code nowMillis} (a rolling window drops what has left it first). */
  Reading read(Counter counter, long nowMillis);

  /**
   * A counter's used amount (spend plus reservations) at {@code nowMillis}, for admission-time checks
   * such as throttling; by default from {@link #read}.
   */
  default long readUsed(Counter counter, long nowMillis) {
    return read(counter, nowMillis).usedPico();
  }
}
