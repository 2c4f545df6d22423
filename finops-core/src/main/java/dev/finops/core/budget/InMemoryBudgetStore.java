package dev.finops.core.budget;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The lock-free in-process {@link BudgetStore}: each counter's used amount is one long changed by
 * compare-and-set, its reserved amount a {@link LongAdder}.
 *
 * <p><b>Why used never passes a limit through {@link #tryReserve}.</b> The only operation that makes
 * used grow while checking the limit is {@code tryAdd}: a CAS from {@code u} to {@code u + a} that
 * is attempted only when {@code u + a <= limit}, and that fails if used changed since it was read. So
 * every successful increment, at the instant it happens, leaves {@code used <= limit}. Every other
 * change made on the reservation path lowers used: the rollback of the increments already applied
 * when a later counter of the chain refuses (all-or-nothing; the counters are taken in the order the
 * manager gives, which is one global order), a settlement below the reservation, a release, and a
 * rolling window's aged sub-buckets. Lowering used never breaks {@code used <= limit}. Hence, by
 * induction over the changes to one counter, spent + reserved never exceeds its limit through
 * reservations. A rollback can make a concurrent reservation see a counter fuller than it ends up and
 * be refused (a conservative, spurious refusal); it can never make one admitted past the limit.
 *
 * <p>Reads are not a consistent snapshot of used and reserved together: between a reservation's
 * increment of used and of reserved, spent (used − reserved) reads high by the amount, for a moment.
 */
final class InMemoryBudgetStore implements BudgetStore {

  InMemoryBudgetStore() {}

  @Override
  public Counter counter(CounterSpec spec) {
    return spec.window().isRolling() ? new RollingCounter(spec) : new MemCounter(spec);
  }

  @Override
  public int tryReserve(Counter[] counters, long amountPico, long atMillis) {
    if (amountPico < 0) {
      throw new IllegalArgumentException("a reservation must not be negative: " + amountPico);
    }
    if (amountPico == 0) {
      return -1;
    }
    for (int i = 0; i < counters.length; i++) {
      MemCounter c = (MemCounter) counters[i];
      c.age(atMillis);
      if (!c.tryAdd(amountPico)) {
        for (int j = 0; j < i; j++) {
          ((MemCounter) counters[j]).addUsed(-amountPico); // roll back: only ever lowers used
        }
        return i;
      }
    }
    for (Counter counter : counters) {
      MemCounter c = (MemCounter) counter;
      c.reserved.add(amountPico);
      c.attribute(amountPico, atMillis);
    }
    return -1;
  }

  @Override
  public void adjust(Counter[] counters, long usedDeltaPico, long reservedDeltaPico, long reservedAtMillis,
      long nowMillis) {
    for (Counter counter : counters) {
      MemCounter c = (MemCounter) counter;
      if (reservedDeltaPico != 0) {
        c.reserved.add(reservedDeltaPico);
      }
      if (usedDeltaPico > 0) {
        c.age(nowMillis);
        c.addUsed(usedDeltaPico); // used first, then the sub-bucket: a reader sees more, never less
        c.attribute(usedDeltaPico, nowMillis);
      } else if (usedDeltaPico < 0 && c.detach(-usedDeltaPico, reservedAtMillis)) {
        c.addUsed(usedDeltaPico); // the sub-bucket first, then used: same reason
      }
    }
  }

  @Override
  public Reading read(Counter counter, long nowMillis) {
    MemCounter c = (MemCounter) counter;
    c.age(nowMillis);
    long reserved = c.reserved.sum();
    return new Reading(c.used, reserved);
  }

  @Override
  public long readUsed(Counter counter, long nowMillis) {
    MemCounter c = (MemCounter) counter;
    c.age(nowMillis);
    return c.used;
  }

  /** A lifetime window's counter, or one calendar period's. */
  static class MemCounter implements Counter {
    private static final VarHandle USED;

    static {
      try {
        USED = MethodHandles.lookup().findVarHandle(MemCounter.class, "used", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final String key;
    private final long limit;
    volatile long used; // settled + reserved, pico
    final LongAdder reserved = new LongAdder();

    MemCounter(CounterSpec spec) {
      this.key = spec.key();
      this.limit = spec.limitPico();
    }

    @Override
    public String key() {
      return key;
    }

    @Override
    public long limitPico() {
      return limit;
    }

    /** Adds {@code amount} (positive) if used stays at or below the limit. */
    final boolean tryAdd(long amount) {
      long ceiling = limit - amount; // limit > 0 and amount >= 0: no overflow
      for (;;) {
        long u = used;
        if (u > ceiling) {
          return false;
        }
        if (USED.compareAndSet(this, u, u + amount)) {
          return true;
        }
      }
    }

    /** Adds {@code delta} to used unconditionally, saturating at {@link Long#MAX_VALUE}. */
    final void addUsed(long delta) {
      if (delta < 0) {
        USED.getAndAdd(this, delta);
        return;
      }
      for (;;) {
        long u = used;
        long v = u + delta;
        if (v < u) {
          v = Long.MAX_VALUE;
        }
        if (USED.compareAndSet(this, u, v)) {
          return;
        }
      }
    }

    /** Drops what has left a rolling window by {@code nowMillis}. */
    void age(long nowMillis) {}

    /** Puts an amount used already holds in the sub-bucket of {@code atMillis}. */
    void attribute(long amount, long atMillis) {}

    /**
     * Takes {@code amount} out of the sub-bucket of {@code atMillis}; false if that sub-bucket has left
     * the window (used must then not be lowered: the amount already left it).
     */
    boolean detach(long amount, long atMillis) {
      return true;
    }

    @Override
    public String toString() {
      return key + "{used=" + used + ", reserved=" + reserved.sum() + ", limit=" + limit + "}";
    }
  }

  /**
   * A rolling window: used is the sum of the live sub-buckets of width {@code w}. At a time in
   * sub-bucket {@code n}, sub-buckets {@code n-K .. n} are live (K = the window's sub-bucket count), so
   * an amount stays counted for at least the window's length. Sub-buckets live in a ring of K+2 slots;
   * a slot that leaves the window is sealed once (its amount swapped for {@link #SEALED}) and its
   * amount taken off used by whoever seals it: the thread that advances {@code sealedThrough}, or a
   * writer that needs the ring slot back.
   *
   * <p>Order of updates, so that a reader never sees less than the live sub-buckets hold: an increase
   * goes to used first and to its sub-bucket second; a decrease leaves its sub-bucket first and used
   * second. An amount whose sub-bucket was sealed while it was being written is put back into used
   * and moved to the newest sub-bucket (it then counts a little longer than its time: conservative).
   */
  static final class RollingCounter extends MemCounter {
    static final long SEALED = Long.MIN_VALUE;

    /** One sub-bucket: its index (epoch millis / width) and its amount, or {@link #SEALED}. */
    static final class Slot extends AtomicLong {
      final long bucket;

      Slot(long bucket) {
        this.bucket = bucket;
      }
    }

    private final long width;
    private final int live;
    private final AtomicReferenceArray<Slot> ring;
    private final AtomicLong sealedThrough;

    RollingCounter(CounterSpec spec) {
      super(spec);
      this.width = spec.window().bucketMillis();
      this.live = spec.window().subBuckets() + 1;
      this.ring = new AtomicReferenceArray<>(live + 1);
      long start = spec.periodStartMillis() == Long.MIN_VALUE ? 0 : spec.periodStartMillis();
      this.sealedThrough = new AtomicLong(Math.floorDiv(start, width) - live);
    }

    @Override
    void age(long nowMillis) {
      long target = Math.floorDiv(nowMillis, width) - live; // sub-buckets <= target have left
      for (;;) {
        long s = sealedThrough.get();
        if (s >= target) {
          return;
        }
        if (sealedThrough.compareAndSet(s, target)) {
          for (int i = 0; i < ring.length(); i++) {
            Slot slot = ring.get(i);
            if (slot != null && slot.bucket <= target) {
              seal(slot);
            }
          }
          return;
        }
      }
    }

    private void seal(Slot slot) {
      long x = slot.getAndSet(SEALED);
      if (x != SEALED && x != 0) {
        addUsed(-x);
      }
    }

    /** The slot of sub-bucket {@code b}, made if need be; null if a newer sub-bucket holds its place. */
    private Slot slotFor(long b) {
      int idx = (int) Math.floorMod(b, (long) ring.length());
      for (;;) {
        Slot cur = ring.get(idx);
        if (cur != null && cur.bucket == b) {
          return cur;
        }
        if (cur != null && cur.bucket > b) {
          return null;
        }
        if (cur != null) {
          seal(cur); // at least K+2 sub-buckets older than b: out of the window
        }
        Slot fresh = new Slot(b);
        if (ring.compareAndSet(idx, cur, fresh)) {
          return fresh;
        }
      }
    }

    @Override
    void attribute(long amount, long atMillis) {
      long b = Math.floorDiv(atMillis, width);
      for (;;) {
        long s = sealedThrough.get();
        if (b <= s) {
          b = s + live; // its sub-bucket already left: count it in the newest instead
        }
        Slot slot = slotFor(b);
        if (slot == null) {
          b = sealedThrough.get() + live;
          continue;
        }
        long v = slot.get();
        if (v == SEALED) {
          b = Math.max(b + 1, sealedThrough.get() + live);
          continue;
        }
        if (slot.compareAndSet(v, v + amount)) {
          if (sealedThrough.get() >= b) {
            // Sealed (or about to be) while we wrote: take the slot out ourselves, then put this amount
            // back in used and in a live sub-bucket.
            seal(slot);
            addUsed(amount);
            b = sealedThrough.get() + live;
            continue;
          }
          return;
        }
      }
    }

    @Override
    boolean detach(long amount, long atMillis) {
      long b = Math.floorDiv(atMillis, width);
      if (b <= sealedThrough.get()) {
        return false;
      }
      Slot slot = ring.get((int) Math.floorMod(b, (long) ring.length()));
      if (slot == null || slot.bucket != b) {
        return false;
      }
      for (;;) {
        long v = slot.get();
        if (v == SEALED) {
          return false;
        }
        if (slot.compareAndSet(v, v - amount)) {
          return true;
        }
      }
    }

    /** The sum of the unsealed sub-buckets (equals used when no update is in flight); for tests. */
    long liveSum() {
      long sum = 0;
      for (int i = 0; i < ring.length(); i++) {
        Slot slot = ring.get(i);
        if (slot != null) {
          long v = slot.get();
          if (v != SEALED) {
            sum += v;
          }
        }
      }
      return sum;
    }
  }
}
