package dev.finops.core.ledger;

import dev.finops.core.UsageBucket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Lock-free counters for one (account, price, time bucket): one cell per usage bucket plus a record
 * count. Writers add with atomic instructions and never block; contended writers spread over
 * stripes (one row of cells each), like {@link java.util.concurrent.atomic.LongAdder}, so two threads
 * recording to the same account do not fight over one cache line. Readers sum the stripes.
 */
final class StripedCounters {

  static final int RECORDS = UsageBucket.COUNT; // index of the record count
  /** Index of the cost the caller supplied (provider-reported), in pico-units of the currency. */
  static final int SUPPLIED = UsageBucket.COUNT + 1;
  private static final int WIDTH = UsageBucket.COUNT + 2;
  private static final int MAX_STRIPES = Math.max(2, Integer.highestOneBit(
      Math.max(1, Runtime.getRuntime().availableProcessors() - 1)) << 1);

  private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle STRIPES;

  static {
    try {
      STRIPES = MethodHandles.lookup().findVarHandle(StripedCounters.class, "stripes", long[][].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // accessed through STRIPES
  private volatile long[][] stripes = {new long[WIDTH]};

  /** Adds one record of {@code quantities} (indexed by bucket ordinal); never blocks. */
  void add(dev.finops.core.Usage usage) {
    long[] cells = cellsForThisThread();
    for (int i = 0; i < UsageBucket.COUNT; i++) {
      long q = usage.get(i);
      if (q != 0) {
        CELL.getAndAdd(cells, i, q);
      }
    }
  }

  /** Adds one record of {@code usage} whose cost the caller supplied ({@code suppliedPico}). */
  void add(dev.finops.core.Usage usage, long suppliedPico) {
    add(usage);
    CELL.getAndAdd(stripes[0], SUPPLIED, suppliedPico);
  }

  /** Adds {@code quantity} to one bucket as one record. */
  void add(int bucketOrdinal, long quantity) {
    long[] cells = cellsForThisThread();
    if (quantity != 0) {
      CELL.getAndAdd(cells, bucketOrdinal, quantity);
    }
  }

  /**
   * Picks this thread's stripe and counts the record there. A failed compare-and-set on the record
   * count means another thread is writing the same stripe: the stripes are doubled (up to about the
   * number of processors) and the record goes to this thread's stripe in the new set.
   */
  private long[] cellsForThisThread() {
    int probe = mix(Thread.currentThread().hashCode());
    long[][] s = stripes;
    long[] cells = s[probe & (s.length - 1)];
    long c = (long) CELL.getVolatile(cells, RECORDS);
    if (CELL.compareAndSet(cells, RECORDS, c, c + 1)) {
      return cells;
    }
    if (s.length < MAX_STRIPES) {
      long[][] grown = new long[s.length << 1][];
      System.arraycopy(s, 0, grown, 0, s.length);
      for (int i = s.length; i < grown.length; i++) {
        grown[i] = new long[WIDTH];
      }
      // Losing this race is fine: the winner's array keeps every existing stripe.
      STRIPES.compareAndSet(this, s, grown);
      s = stripes;
      cells = s[probe & (s.length - 1)];
    }
    CELL.getAndAdd(cells, RECORDS, 1L);
    return cells;
  }

  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    return h ^ (h >>> 13);
  }

  /** Adds to one cell of the first stripe without counting a record (compaction). */
  void addRaw(int index, long value) {
    CELL.getAndAdd(stripes[0], index, value);
  }

  /** The sum of all stripes: quantities by bucket ordinal, then the record count. */
  long[] sum() {
    long[] out = new long[WIDTH];
    addTo(out);
    return out;
  }

  /** Adds the sum of all stripes into {@code out} (length bucket count + 1). */
  void addTo(long[] out) {
    for (long[] cells : stripes) {
      for (int i = 0; i < WIDTH; i++) {
        out[i] += (long) CELL.getVolatile(cells, i);
      }
    }
  }

  static int width() {
    return WIDTH;
  }
}
