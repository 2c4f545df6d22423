package dev.finops.core.budget;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The lock-free in-process {@link BudgetStore}: each counter's used and spent amounts are longs changed
 * by compare-and-set.
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
 * <p><b>Rolling windows: a reservation's spend counts from when it was reserved.</b> The part of a
 * settlement that the reservation held ({@code min(actual, reserved)}) goes into spent's sub-bucket of
 * the reservation, the very sub-bucket its used amount sits in, so the two leave the window together;
 * only what was not reserved ({@code actual − reserved}, or a recording) counts from the settlement. A
 * reservation settled or expired after its sub-bucket has left the window therefore books nothing in
 * it but that excess: the window already counted the amount for its full length and then let it go
 * (used no longer holds it), and booking it again now would count it twice, in spent (firing NOTIFY and
 * TERMINATE on it) and, had it gone back into used, in admission. Per sub-bucket spent is then never
 * above used, so spent + reserved is used, and the bound above holds for both figures.
 *
 * <p><b>Saturation.</b> A single cost can reach {@link Long#MAX_VALUE} pico-units ({@link Pico#ceil}
 * saturates there); every increase of used, spent and a sub-bucket stops at {@link Long#MAX_VALUE}
 * instead of wrapping negative, and every decrease stops at zero (it can reach zero only after a
 * saturation lost part of what it takes back; a negative used would admit past the limit).
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
    for (Counter c : counters) {
      ((MemCounter) c).attributeUsed(amountPico, atMillis);
    }
    return -1;
  }

  @Override
  public void adjust(Counter[] counters, long usedDeltaPico, long spentDeltaPico, long reservedAtMillis,
      long nowMillis) {
    if (spentDeltaPico < 0) {
      throw new IllegalArgumentException("settled spend only grows: " + spentDeltaPico);
    }
    // The settled spend the reservation held counts from the reservation, the rest from now.
    long unreserved = Math.min(spentDeltaPico, Math.max(0, usedDeltaPico));
    long reserved = spentDeltaPico - unreserved;
    for (Counter counter : counters) {
      MemCounter c = (MemCounter) counter;
      c.age(nowMillis);
      if (usedDeltaPico > 0) {
        c.addUsed(usedDeltaPico); // the total first, then the sub-bucket: a reader sees more, never less
        c.attributeUsed(usedDeltaPico, nowMillis);
      } else if (usedDeltaPico < 0 && c.detachUsed(-usedDeltaPico, reservedAtMillis)) {
        c.addUsed(usedDeltaPico); // the sub-bucket first, then the total: same reason
      }
      if (reserved > 0) {
        c.addSpent(reserved);
        c.attributeReservedSpent(reserved, reservedAtMillis);
      }
      if (unreserved > 0) {
        c.addSpent(unreserved);
        c.attributeSpent(unreserved, nowMillis);
      }
    }
  }

  @Override
  public Reading read(Counter counter, long nowMillis) {
    MemCounter c = (MemCounter) counter;
    c.age(nowMillis);
    long spent = c.spent;
    return new Reading(c.used, spent);
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
    private static final VarHandle SPENT;

    static {
      try {
        USED = MethodHandles.lookup().findVarHandle(MemCounter.class, "used", long.class);
        SPENT = MethodHandles.lookup().findVarHandle(MemCounter.class, "spent", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final String key;
    private final long limit;
    volatile long used; // settled + reserved, pico
    volatile long spent; // settled, pico

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

    /** Adds {@code delta} to used unconditionally, saturating ({@link #saturatedSum}). */
    final void addUsed(long delta) {
      for (;;) {
        long u = used;
        if (USED.compareAndSet(this, u, saturatedSum(u, delta))) {
          return;
        }
      }
    }

    /** Adds {@code delta} to spent, saturating ({@link #saturatedSum}). */
    final void addSpent(long delta) {
      for (;;) {
        long s = spent;
        if (SPENT.compareAndSet(this, s, saturatedSum(s, delta))) {
          return;
        }
      }
    }

    /** Drops what has left a rolling window by {@code nowMillis}. */
    void age(long nowMillis) {}

    /** Puts an amount used already holds in the sub-bucket of {@code atMillis}. */
    void attributeUsed(long amount, long atMillis) {}

    /**
     * Takes {@code amount} out of used's sub-bucket of {@code atMillis}; false if that sub-bucket has
     * left the window (used must then not be lowered: the amount already left it).
     */
    boolean detachUsed(long amount, long atMillis) {
      return true;
    }

    /** Puts an amount spent already holds in the sub-bucket of {@code atMillis}. */
    void attributeSpent(long amount, long atMillis) {}

    /**
     * Puts an amount spent already holds, settled on a reservation, in the sub-bucket of {@code
     * reservedAtMillis}; takes it back out of spent if that sub-bucket has left the window.
     */
    void attributeReservedSpent(long amount, long reservedAtMillis) {}

    @Override
    public String toString() {
      return key + "{used=" + used + ", spent=" + spent + ", limit=" + limit + "}";
    }
  }

  /** A rolling window: used and spent each a {@link RollingSum} over the window's sub-buckets. */
  static final class RollingCounter extends MemCounter {
    final RollingSum usedSum;
    final RollingSum spentSum;

    RollingCounter(CounterSpec spec) {
      super(spec);
      long start = spec.periodStartMillis() == Long.MIN_VALUE ? 0 : spec.periodStartMillis();
      Window w = spec.window();
      this.usedSum = new RollingSum(w, start) {
        @Override
        void addTotal(long delta) {
          addUsed(delta);
        }
      };
      this.spentSum = new RollingSum(w, start) {
        @Override
        void addTotal(long delta) {
          addSpent(delta);
        }
      };
    }

    @Override
    void age(long nowMillis) {
      usedSum.age(nowMillis);
      spentSum.age(nowMillis);
    }

    @Override
    void attributeUsed(long amount, long atMillis) {
      usedSum.attribute(amount, atMillis);
    }

    @Override
    boolean detachUsed(long amount, long atMillis) {
      return usedSum.detach(amount, atMillis);
    }

    @Override
    void attributeSpent(long amount, long atMillis) {
      spentSum.attribute(amount, atMillis);
    }

    @Override
    void attributeReservedSpent(long amount, long reservedAtMillis) {
      spentSum.attributeOrDrop(amount, reservedAtMillis);
    }
  }

  /**
   * {@code total + delta}, saturating: an increase stops at {@link Long#MAX_VALUE}, a decrease at zero
   * (without an earlier saturation, a decrease only takes back what an increase put in).
   */
  static long saturatedSum(long total, long delta) {
    long sum = total + delta;
    if (delta >= 0) {
      return sum < total ? Long.MAX_VALUE : sum;
    }
    return Math.max(0, sum);
  }

  /**
   * A total kept as the sum of the live sub-buckets of width {@code w}: at a time in sub-bucket {@code
   * n}, sub-buckets {@code n-K .. n} are live (K = the window's sub-bucket count), so an amount stays
   * counted for at least the window's length and at most one sub-bucket longer. Sub-buckets live in a
   * ring of K+2 slots; a slot that leaves the window is sealed once (its amount swapped for {@link
   * #SEALED}) and its amount taken off the total by whoever seals it: the thread that advances {@code
   * sealedThrough}, or a writer that needs the ring slot back.
   *
   * <p>Order of updates, so that a reader never sees less than the live sub-buckets hold: an increase
   * goes to the total first and to its sub-bucket second; a decrease leaves its sub-bucket first and
   * the total second. An amount whose sub-bucket was sealed while it was being written is put back
   * into the total and moved to the newest sub-bucket (it then counts a little longer: conservative).
   */
  abstract static class RollingSum {
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

    RollingSum(Window window, long startMillis) {
      this.width = window.bucketMillis();
      this.live = window.subBuckets() + 1;
      this.ring = new AtomicReferenceArray<>(live + 1);
      this.sealedThrough = new AtomicLong(Math.floorDiv(startMillis, width) - live);
    }

    /** Changes the total the sub-buckets add up to. */
    abstract void addTotal(long delta);

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
        addTotal(-x);
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

    /** Puts {@code amount}, already in the total, in the sub-bucket of {@code atMillis}. */
    void attribute(long amount, long atMillis) {
      long b = Math.floorDiv(atMillis, width);
      for (;;) {
        long s = sealedThrough.get();
        if (b <= s) {
          b = s + live; // its sub-bucket already left: count it in the newest instead
        }
        Slot slot = slotFor(b);
        long v = slot == null ? SEALED : slot.get();
        if (v == SEALED) {
          b = Math.max(b + 1, sealedThrough.get() + live);
          continue;
        }
        if (slot.compareAndSet(v, saturatedSum(v, amount))) {
          if (sealedThrough.get() >= b) {
            // Sealed (or about to be) while we wrote: take the slot out ourselves, then put this amount
            // back in the total and in a live sub-bucket.
            seal(slot);
            addTotal(amount);
            b = sealedThrough.get() + live;
            continue;
          }
          return;
        }
      }
    }

    /**
     * Puts {@code amount}, already in the total, in the sub-bucket of {@code atMillis}, or, if that
     * sub-bucket has left the window (or leaves it while we write), takes it back out of the total.
     */
    void attributeOrDrop(long amount, long atMillis) {
      long b = Math.floorDiv(atMillis, width);
      Slot slot = b <= sealedThrough.get() ? null : slotFor(b);
      for (;;) {
        long v = slot == null ? SEALED : slot.get();
        if (v == SEALED) {
          addTotal(-amount);
          return;
        }
        if (slot.compareAndSet(v, saturatedSum(v, amount))) {
          if (sealedThrough.get() >= b) {
            seal(slot); // left while we wrote: whoever seals the slot takes this amount out with it
          }
          return;
        }
      }
    }

    /** Takes {@code amount} out of the sub-bucket of {@code atMillis}; false if it has left the window. */
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
        if (slot.compareAndSet(v, saturatedSum(v, -amount))) {
          return true;
        }
      }
    }

    /** The sum of the unsealed sub-buckets (equals the total when no update is in flight); for tests. */
    long liveSum() {
      long sum = 0;
      for (int i = 0; i < ring.length(); i++) {
        Slot slot = ring.get(i);
        long v = slot == null ? SEALED : slot.get();
        if (v != SEALED) {
          sum += v;
        }
      }
      return sum;
    }
  }
}
