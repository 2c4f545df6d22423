package dev.finops.core.budget;

import dev.finops.core.Money;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * Renewable time-slice reservations for open-ended GPU work (a training run has no natural upper
 * bound). The lease reserves one slice ({@code rate × slice}) when it starts; from half-way through a
 * slice, {@link #renewIfDue()} (called at every step boundary) reserves the next one, so at most two
 * slices are held at once. When a renewal is refused, the lease calls its {@link Terminable} once and
 * reserves nothing more; the work is expected to stop at its next step boundary. {@link #close()}
 * settles the exact cost of the time used, {@code ceil(rate × elapsed)}, slice by slice (the total is
 * rounded up once, not per slice), and releases the unused rest.
 *
 * <p><b>Overshoot bound.</b> Time up to the end {@code e} of the last reserved slice is reserved. A
 * renewal is first tried at the first step boundary {@code t} at or after {@code e − slice/2}, so
 * {@code t < e − slice/2 + step}. If it is refused and the work stops at {@code t_stop}, the budget is
 * exceeded by at most {@code rate × max(0, t_stop − e)}. With {@link RunGuard} the run stops at that
 * same boundary ({@code t_stop = t}), so the overshoot is below {@code rate × max(0, step − slice/2)}:
 * zero when steps are no longer than half a slice, and less than {@code rate × slice} while steps are
 * shorter than 1.5 slices. Work that only stops one step later adds {@code rate × step}. A stall past all
 * reserved time is settled when noticed, as an overrun. Over all running leases, the overshoot is the
 * sum of these. If the process dies, its open slices expire and settle to their full amount.
 *
 * <p><b>The last slice.</b> When a full slice is refused, the lease does not give up the budget left:
 * it reserves a last, shorter slice of what the refusing budget still has room for (and, if a tighter
 * budget of the chain refuses that, of what that one has room for). It then stops the work at the
 * first step boundary from which one more step, as long as the last one, would pass the end of the
 * reserved time: with steps of even length the budget is used to within one step, and not exceeded;
 * a step longer than the one before it exceeds it by at most {@code rate × (step − previous step)}.
 *
 * <p>Amounts are pico-units of the manager's currency; the rate is rounded up to the pico per hour.
 * Thread-safe (methods synchronize on the lease: they are called once per step).
 */
public final class Lease implements AutoCloseable {
  private final BudgetManager manager;
  private final BudgetScope scope;
  private final long ratePicoPerHour;
  private final long sliceMillis;
  private final long renewAheadMillis;
  private final Terminable onDenied;
  private final long startNanos;

  // slice offsets are milliseconds since the start
  private Reservation current;
  private long currentEnd;
  private Reservation next;
  private long nextEnd;
  private long settledPico;
  private boolean denied;
  private boolean closed;
  /** The reserved time ends with a last, shorter slice: no renewal after it. */
  private boolean last;
  /** The refusal of a full slice that made the last one. */
  private BudgetException lastRefusal;
  private long lastCallMillis = -1;
  private long stepMillis;

  Lease(BudgetManager manager, BudgetScope scope, long ratePicoPerHour, Duration slice, Terminable onDenied) {
    Objects.requireNonNull(slice, "slice");
    if (slice.toMillis() < 1) {
      throw new IllegalArgumentException("slice must be at least 1 ms, got " + slice);
    }
    if (ratePicoPerHour < 0) {
      throw new IllegalArgumentException("rate must not be negative: " + ratePicoPerHour);
    }
    this.manager = manager;
    this.scope = scope;
    this.ratePicoPerHour = ratePicoPerHour;
    this.sliceMillis = slice.toMillis();
    this.renewAheadMillis = sliceMillis / 2;
    this.onDenied = Objects.requireNonNull(onDenied, "onDenied");
    this.startNanos = manager.clock().monotonicNanos();
    this.current = reserveSlice(sliceMillis);
    this.currentEnd = sliceMillis;
  }

  /** The rate the lease reserves and settles at, per hour. */
  public Money ratePerHour() {
    return Pico.money(ratePicoPerHour, manager.currency());
  }

  /** The length of one slice. */
  public Duration slice() {
    return Duration.ofMillis(sliceMillis);
  }

  /** True once a renewal was refused. */
  public synchronized boolean isDenied() {
    return denied;
  }

  /** How far from the lease's start its time is reserved. */
  public synchronized Duration reservedThrough() {
    return Duration.ofMillis(next != null ? nextEnd : currentEnd);
  }

  /** The cost settled so far. */
  public synchronized Money settled() {
    return Pico.money(settledPico, manager.currency());
  }

  /**
   * Call at each step boundary: moves into the next slice when the current one has run out, and
   * reserves the next slice when less than half of the current one is left.
   *
   * @return false if the lease was refused (now or before) or is closed: stop the work
   */
  public synchronized boolean renewIfDue() {
    if (closed) {
      return false;
    }
    long e = elapsedMillis();
    if (lastCallMillis >= 0) {
      stepMillis = e - lastCallMillis;
    }
    lastCallMillis = e;
    advance(e);
    if (denied) {
      return false;
    }
    if (last) {
      long end = next != null ? nextEnd : currentEnd;
      if (e + Math.max(1, stepMillis) <= end) {
        return true;
      }
      denied = true;
      manager.leaseDenied(scope, lastRefusal);
      onDenied.terminate("budget " + lastRefusal.scope() + " has no room for another step of GPU time for "
          + scope.tags() + ": " + lastRefusal.getMessage());
      return false;
    }
    if (next != null || e < currentEnd - renewAheadMillis) {
      return true;
    }
    try {
      if (e >= currentEnd) {
        // Stalled past all reserved time: settle through now (the gap is an overrun), start afresh.
        Reservation fresh = reserveSlice(sliceMillis);
        settleThrough(current, e);
        current = fresh;
        currentEnd = e + sliceMillis;
      } else {
        next = reserveSlice(currentEnd + sliceMillis - e);
        nextEnd = currentEnd + sliceMillis;
      }
      return true;
    } catch (BudgetException refused) {
      if (e < currentEnd && reserveLastSlice(e, refused)) {
        return true;
      }
      denied = true;
      manager.leaseDenied(scope, refused);
      onDenied.terminate("budget " + refused.scope() + " refused to renew the GPU lease for " + scope.tags() + ": "
          + refused.getMessage());
      return false;
    }
  }

  /** Settles the time used (exactly, rounded up once) and releases the rest. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long e = elapsedMillis();
    advance(e);
    settleThrough(current, e);
    if (next != null) {
      next.release();
    }
  }

  private void advance(long e) {
    if (next != null && e >= currentEnd) {
      settleThrough(current, currentEnd);
      current = next;
      currentEnd = nextEnd;
      next = null;
    }
  }

  private long elapsedMillis() {
    return (manager.clock().monotonicNanos() - startNanos) / 1_000_000L;
  }

  /** A reservation of one slice that expires {@code coverMillis} plus the TTL from now. */
  private Reservation reserveSlice(long coverMillis) {
    long amount = CostEstimator.slicePico(ratePicoPerHour, Duration.ofMillis(sliceMillis));
    return manager.admit(scope, amount, null, coverMillis, true);
  }

  /**
   * After a full slice was refused at {@code e}: reserves a last slice of the time the refusing
   * budget has room for, retrying with a tighter budget's room when one refuses that; false when
   * there is no room for a millisecond.
   */
  private boolean reserveLastSlice(long e, BudgetException refused) {
    BudgetException why = refused;
    for (int tries = 0; tries < 8 && why instanceof BudgetExceededException; tries++) {
      BudgetExceededException full = (BudgetExceededException) why;
      long room = Pico.floor(full.limit().minus(full.spent()).minus(full.reserved()));
      long millis = ratePicoPerHour == 0 ? sliceMillis
          : BigInteger.valueOf(room).multiply(BigInteger.valueOf(Pico.MILLIS_PER_HOUR))
              .divide(BigInteger.valueOf(ratePicoPerHour)).min(BigInteger.valueOf(sliceMillis)).longValue();
      if (millis < 1) {
        return false;
      }
      try {
        next = manager.admit(scope, Pico.mulDivCeil(ratePicoPerHour, millis, Pico.MILLIS_PER_HOUR), null,
            currentEnd + millis - e, true);
        nextEnd = currentEnd + millis;
        last = true;
        lastRefusal = refused;
        return true;
      } catch (BudgetException tighter) {
        why = tighter;
      }
    }
    return false;
  }

  /** Settles {@code r} to the cost of the time from the last settlement through {@code untilMillis}. */
  private void settleThrough(Reservation r, long untilMillis) {
    long total = Pico.mulDivCeil(ratePicoPerHour, untilMillis, Pico.MILLIS_PER_HOUR);
    long amount = Math.max(0, total - settledPico);
    if (!r.settlePico(amount) && amount > r.amountPico) {
      // The slice expired (settled to its full amount) while the work ran on: count the rest.
      manager.recordPico(scope, amount - r.amountPico);
    }
    settledPico = Math.max(settledPico, total);
  }

  @Override
  public String toString() {
    return "Lease{" + scope.tags() + ", " + ratePerHour() + "/h, slice " + slice() + (denied ? ", denied" : "") + "}";
  }
}
