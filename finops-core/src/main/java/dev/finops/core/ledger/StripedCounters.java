package dev.finops.core.ledger;

import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;

/**
 * Lock-free counters for one (account, price key, time slot): one cell per usage bucket, a record
 * count and a caller-supplied cost. Readers sum all cells and never block writers.
 *
 * <p>Writers mostly do not need atomic instructions. The counters hold a small array of
 * <em>owned</em> cell rows; a thread claims a free row once (one compare-and-set) and from then on
 * is its only writer, so it adds with plain (opaque) stores: no lock prefix, no contention, and two
 * threads recording to the same account write different cache lines. Threads find their row by
 * their identity hash; a thread whose row is owned by another live thread grows the array (up to
 * {@link #MAX_OWNED} rows) or, when it is full, adds atomically to a shared row. A row whose owner
 * has terminated is taken over: a thread's termination happens-before another thread sees {@link
 * Thread#isAlive()} return false, so the dead owner's writes are all visible first. Totals are
 * never lost.
 *
 * <p><b>Sealing.</b> Compaction merges old slots' counters into new ones; a writer that read a slot
 * just before it was merged away must not add into it after its sum was taken. So each add runs in a
 * window the compactor can see: the writer bumps its row's sequence to odd with one atomic add (its own
 * cache line: uncontended, and a full fence), checks {@link #seal() sealed}, adds, and sets the sequence
 * even again (a release store); on the shared row it counts itself in and out. {@link #seal()} sets
 * the flag, fences, and waits until no window is open. Either the writer sees the seal and adds nothing
 * (it answers false, and the caller adds to the merged slot instead), or the compactor sees its window
 * and waits for the add to land before summing.
 *
 * <p><b>No wrap.</b> Quantities are non-negative, so a cell whose sum would pass {@link Long#MAX_VALUE}
 * shows as a negative long: the writer checks that (one predictable branch) and adds such a quantity to
 * an exact {@link BigInteger} spill instead (copy-on-write, off the hot path). Sums are read as {@link
 * WideSums}: totals stay exact past 64 bits.
 */
final class StripedCounters {

  static final int RECORDS = UsageBucket.COUNT; // index of the record count
  private static final int WIDTH = UsageBucket.COUNT + 1;
  /** After the sums: an owned row's add sequence (odd while an add is under way), the shared row's adds under way. */
  private static final int SEQ = WIDTH;

  /** The most owned rows per counters: four per processor, at least 4, at most 64. */
  static final int MAX_OWNED = Math.min(64, Math.max(4,
      Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4)));

  private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle OWNED;
  private static final VarHandle SHARED;
  private static final VarHandle OWNER;
  private static final VarHandle SUPPLIED;
  private static final VarHandle SPILL;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      OWNED = l.findVarHandle(StripedCounters.class, "owned", Cells[].class);
      SHARED = l.findVarHandle(StripedCounters.class, "shared", long[].class);
      OWNER = l.findVarHandle(Cells.class, "owner", Thread.class);
      SUPPLIED = l.findVarHandle(StripedCounters.class, "supplied", java.math.BigDecimal.class);
      SPILL = l.findVarHandle(StripedCounters.class, "spill", BigInteger[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One row of cells and the thread that owns it (the only thread that writes it). */
  static final class Cells {
    volatile Thread owner;
    final long[] values = new long[WIDTH + 1];
  }

  private volatile Cells[] owned = {new Cells()};
  private volatile long[] shared; // created on first need; atomic adds only
  // Costs the caller supplied, exact and unbounded; rare (off the hot path), so a CAS on a BigDecimal.
  private volatile java.math.BigDecimal supplied;
  // What did not fit in a cell's long, by cell index (null until then); exact, copy-on-write.
  private volatile BigInteger[] spill;
  private volatile boolean sealed;

  /** Adds one record of {@code usage}; never blocks. False, adding nothing, once {@link #seal sealed}. */
  boolean add(Usage usage) {
    return add(usage, null);
  }

  /**
   * Adds one record of {@code usage}, with the cost the caller supplied when it is not {@code null};
   * never blocks. False, adding nothing, once {@link #seal sealed}.
   */
  boolean add(Usage usage, java.math.BigDecimal suppliedCost) {
    long[] v = ownedRow();
    if (v != null) {
      long seq = (long) CELL.getAndAdd(v, SEQ, 1L);
      if (sealed) {
        CELL.setRelease(v, SEQ, seq + 2);
        return false;
      }
      for (int i = 0; i < UsageBucket.COUNT; i++) {
        long q = usage.get(i);
        if (q != 0) {
          addOwned(v, i, q);
        }
      }
      addOwned(v, RECORDS, 1);
      addSupplied(suppliedCost);
      CELL.setRelease(v, SEQ, seq + 2);
      return true;
    }
    long[] s = sharedRow();
    CELL.getAndAdd(s, SEQ, 1L);
    try {
      if (sealed) {
        return false;
      }
      for (int i = 0; i < UsageBucket.COUNT; i++) {
        long q = usage.get(i);
        if (q != 0) {
          addShared(s, i, q);
        }
      }
      addShared(s, RECORDS, 1L);
      addSupplied(suppliedCost);
      return true;
    } finally {
      CELL.getAndAdd(s, SEQ, -1L);
    }
  }

  /**
   * Closes these counters to adds, and waits until every add under way has landed: the sums read
   * after it are final. For compaction, which then merges them into another slot.
   */
  void seal() {
    sealed = true;
    VarHandle.fullFence();
    for (Cells c : owned) {
      while (((long) CELL.getAcquire(c.values, SEQ) & 1) != 0) {
        Thread.onSpinWait();
      }
    }
    long[] s = shared;
    while (s != null && (long) CELL.getAcquire(s, SEQ) != 0) {
      Thread.onSpinWait();
    }
  }

  /** Adds to the caller-supplied cost (nothing for {@code null}); exact, never overflows. */
  void addSupplied(java.math.BigDecimal amount) {
    if (amount == null) {
      return;
    }
    if (amount.signum() == 0) {
      return;
    }
    while (true) {
      java.math.BigDecimal cur = supplied;
      java.math.BigDecimal next = cur == null ? amount : cur.add(amount);
      if (SUPPLIED.compareAndSet(this, cur, next)) {
        return;
      }
    }
  }

  /** The caller-supplied cost recorded here (zero if none). */
  java.math.BigDecimal supplied() {
    java.math.BigDecimal s = supplied;
    return s == null ? java.math.BigDecimal.ZERO : s;
  }

  /** Adds {@code quantity} to one bucket as one record. False, adding nothing, once {@link #seal sealed}. */
  boolean add(int bucketOrdinal, long quantity) {
    long[] v = ownedRow();
    if (v != null) {
      long seq = (long) CELL.getAndAdd(v, SEQ, 1L);
      boolean open = !sealed;
      if (open) {
        addOwned(v, bucketOrdinal, quantity);
        addOwned(v, RECORDS, 1);
      }
      CELL.setRelease(v, SEQ, seq + 2);
      return open;
    }
    long[] s = sharedRow();
    CELL.getAndAdd(s, SEQ, 1L);
    try {
      if (sealed) {
        return false;
      }
      addShared(s, bucketOrdinal, quantity);
      addShared(s, RECORDS, 1L);
      return true;
    } finally {
      CELL.getAndAdd(s, SEQ, -1L);
    }
  }

  /** Adds a non-negative value to a cell of the row this thread alone writes; what would not fit spills. */
  private void addOwned(long[] v, int i, long q) {
    long n = (long) CELL.getOpaque(v, i) + q;
    if (n < 0) {
      addSpill(i, BigInteger.valueOf(q));
    } else {
      CELL.setOpaque(v, i, n);
    }
  }

  /** Adds a non-negative value to a cell of the shared row atomically; what would not fit spills. */
  private void addShared(long[] s, int i, long q) {
    while (true) {
      long cur = (long) CELL.getVolatile(s, i);
      long n = cur + q;
      if (n < 0) {
        addSpill(i, BigInteger.valueOf(q));
        return;
      }
      if (CELL.compareAndSet(s, i, cur, n)) {
        return;
      }
    }
  }

  private void addSpill(int i, BigInteger q) {
    while (true) {
      BigInteger[] cur = spill;
      BigInteger[] next = cur == null ? new BigInteger[WIDTH] : cur.clone();
      next[i] = next[i] == null ? q : next[i].add(q);
      if (SPILL.compareAndSet(this, cur, next)) {
        return;
      }
    }
  }

  /** Adds a non-negative sum to one cell, without counting a record (compaction). */
  void addRaw(int index, long value) {
    if (value != 0) {
      addShared(sharedRow(), index, value);
    }
  }

  /** Adds an exact non-negative sum to one cell, without counting a record (compaction). */
  void addRaw(int index, BigInteger value) {
    if (value.signum() == 0) {
      return;
    }
    if (value.bitLength() < 64) {
      addShared(sharedRow(), index, value.longValue());
    } else {
      addSpill(index, value);
    }
  }

  /** This thread's own row, or {@code null} when every row is owned by another live thread. */
  private long[] ownedRow() {
    Thread me = Thread.currentThread();
    Cells[] cs = owned;
    Cells c = cs[probe(me) & (cs.length - 1)];
    if (c.owner == me) {
      return c.values;
    }
    return claim(me);
  }

  private long[] claim(Thread me) {
    while (true) {
      Cells[] cs = owned;
      Cells c = cs[probe(me) & (cs.length - 1)];
      Thread owner = c.owner;
      if (owner == me) {
        return c.values;
      }
      if ((owner == null || !owner.isAlive()) && OWNER.compareAndSet(c, owner, me)) {
        return c.values;
      }
      if (owner != null && owner != c.owner) {
        continue; // someone else just took it over; look again
      }
      if (cs.length >= MAX_OWNED) {
        return null;
      }
      Cells[] grown = new Cells[cs.length << 1];
      System.arraycopy(cs, 0, grown, 0, cs.length);
      for (int i = cs.length; i < grown.length; i++) {
        grown[i] = new Cells();
      }
      // Losing this race is fine: the winner's array keeps every existing row.
      OWNED.compareAndSet(this, cs, grown);
    }
  }

  private long[] sharedRow() {
    long[] s = shared;
    if (s == null) {
      SHARED.compareAndSet(this, null, new long[WIDTH + 1]);
      s = shared;
    }
    return s;
  }

  private static int probe(Thread t) {
    int h = System.identityHashCode(t);
    return h ^ (h >>> 16);
  }

  /** The exact sum of all rows: quantities by bucket ordinal, then the record count. */
  WideSums sum() {
    WideSums out = new WideSums(WIDTH);
    addTo(out);
    return out;
  }

  /** Adds the exact sum of all rows into {@code out} (width {@link #width()}). */
  void addTo(WideSums out) {
    for (Cells c : owned) {
      for (int i = 0; i < WIDTH; i++) {
        out.add(i, (long) CELL.getOpaque(c.values, i));
      }
    }
    long[] s = shared;
    if (s != null) {
      for (int i = 0; i < WIDTH; i++) {
        out.add(i, (long) CELL.getVolatile(s, i));
      }
    }
    BigInteger[] sp = spill;
    if (sp != null) {
      for (int i = 0; i < WIDTH; i++) {
        if (sp[i] != null) {
          out.add(i, sp[i]);
        }
      }
    }
  }

  static int width() {
    return WIDTH;
  }
}
