package dev.finops.otel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * The response ids of the calls recorded lately, by whichever path saw them first: a bounded,
 * time-windowed set whose expiry costs nothing per id.
 *
 * <p><b>Generations.</b> Ids go into the current generation; when it is a window old, or full, the
 * claim that sees it starts a new one and drops the generations no longer needed whole, for the garbage
 * collector: those all of whose ids are a window old, and those after which at least half the maximum
 * of ids were claimed. So an id is remembered for at least the window unless more than half the maximum
 * of ids are claimed after it, is forgotten at a claim one to two windows later, and never more than
 * about the maximum are held. A new generation is sized for the rate of the last (twice its size when
 * it filled before its window), up to half the maximum: a quiet service holds a few kilobytes, a busy
 * one never waits for a table to grow.
 *
 * <p><b>Fingerprints.</b> An id is kept as a 126-bit fingerprint (two independent 64-bit hashes of its
 * characters, finalized by a 64-bit mixer) in a flat {@code long[]} table with open addressing, not
 * as the id itself: a claim allocates nothing and the set holds no reference for the garbage collector
 * to trace or copy. (A {@code ConcurrentHashMap} of the ids held a node, a string and its bytes per id;
 * at a million unique ids a second that live set made young collections slow and every lookup a cache
 * miss.) Two different ids are taken for one only when both hashes collide: for non-adversarial ids,
 * a chance of the order of 2<sup>-126</sup> per pair, far below any hardware error rate.
 *
 * <p>A claim is a few probes of the current table (one cache line, where the check before it looked
 * already), a look at each older generation's Bloom filter (a few hundred kilobytes at most, which stay
 * in cache), no lock, no clock read (the caller passes the time it has), no allocation beyond an
 * occasional new generation. The current generation has no filter: a filter there would cost each new
 * id a second cache miss (its filter word besides its slot); a generation gets its filter when it is
 * replaced, from one pass over its table. Thread-safe: of concurrent claims of one id, one wins, a
 * generation swap included.
 */
final class RecentIds {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle COUNT;

  static {
    try {
      COUNT = MethodHandles.lookup().findVarHandle(Generation.class, "count", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The bit set on the low half of a slot whose id was released (low halves are positive otherwise):
   * the slot keeps its id, which may claim it again.
   */
  private static final long RELEASED = Long.MIN_VALUE;
  /** The largest generation: 4 Mi ids, a 128 MiB table (a maximum of 8 Mi ids remembered). */
  static final int MAX_PER_GENERATION = 1 << 22;
  /** The smallest generation: 128 ids, a 4 KiB table. */
  private static final int MIN_IDS = 128;

  private final long windowMillis;
  private final int perGeneration;
  private volatile Generation current;

  /** Ids remembered for {@code window}, at most about {@code maxIds} of them; the first generation starts at {@code nowMillis}. */
  RecentIds(Duration window, long maxIds, long nowMillis) {
    this.windowMillis = Math.max(1, window.toMillis());
    this.perGeneration = (int) Math.max(1, Math.min(MAX_PER_GENERATION, maxIds / 2));
    this.current = new Generation(nowMillis, null, Math.min(perGeneration, MIN_IDS));
  }

  /** A blank id ({@code ""}, white space) is no id: {@code null}. */
  static String normalize(String responseId) {
    return responseId == null || responseId.isBlank() ? null : responseId;
  }

  /** True when {@code id} was claimed lately (and not released). Cheap: a dedup check before pricing. */
  boolean isClaimed(String id) {
    return check(id) == null;
  }

  /**
   * The dedup check before pricing: {@code null} when {@code id} was claimed lately, else a token to
   * hand to {@link #claim(String, long, Object)}, which then skips the lookups made here.
   */
  Object check(String id) {
    long hi = hi(id);
    long lo = lo(id);
    Generation g = current;
    for (Generation x = g; x != null; x = x.previous) {
      if (x.find(hi, lo) >= 0) {
        return null;
      }
    }
    return new Checked(id, hi, lo, g);
  }

  /** What a check found: the id's fingerprint (not computed again by the claim) and the generation it saw. */
  private record Checked(String id, long hi, long lo, Generation current) {}

  /**
   * Claims {@code id} for the path asking: true the first time, false when it was claimed lately.
   *
   * @param nowMillis the caller's idea of the time (epoch millis), which drives the generations
   */
  boolean claim(String id, long nowMillis) {
    return claim(id, nowMillis, null);
  }

  /**
   * {@link #claim(String, long)} after {@link #check} answered {@code checked}: while the generation it
   * checked is still the current one, the older generations (checked then, and into which nothing is
   * claimed since) are not looked at again.
   */
  boolean claim(String id, long nowMillis, Object checked) {
    Checked c = checked instanceof Checked k && (k.id == id || k.id.equals(id)) ? k : null;
    long hi = c != null ? c.hi : hi(id);
    long lo = c != null ? c.lo : lo(id);
    Generation g = current;
    if (c == null || g != c.current) {
      for (Generation x = g.previous; x != null; x = x.previous) {
        if (x.find(hi, lo) >= 0) {
          return false;
        }
      }
    }
    int outcome;
    while ((outcome = g.insert(hi, lo)) == Generation.FULL) {
      retire(swap(g, nowMillis)); // filled by concurrent claims past its size: the next one takes it
      g = current;
    }
    if (outcome == Generation.PRESENT) {
      return false;
    }
    // A swap after we read `current` may have let a claim in the newer generation miss ours: the
    // newest generation decides, as it does for everyone else.
    for (Generation now = current; now != g; now = current) {
      int again;
      while ((again = now.insert(hi, lo)) == Generation.FULL) {
        retire(swap(now, nowMillis));
        now = current;
      }
      if (again == Generation.PRESENT) {
        return false;
      }
      g = now;
    }
    if (g.isFull() || nowMillis - g.startMillis >= windowMillis) {
      retire(swap(g, nowMillis));
    }
    return true;
  }

  /** Forgets a claim (the claiming path could not record the call after all), so another path may. */
  void release(String id) {
    long hi = hi(id);
    long lo = lo(id);
    for (Generation x = current; x != null; x = x.previous) {
      x.release(hi, lo);
    }
  }

  /**
   * Replaces {@code full} by a new current generation; returns {@code full}, whose filter the caller
   * then builds outside the lock ({@link #retire}), or {@code null} when another thread swapped it.
   */
  private synchronized Generation swap(Generation full, long nowMillis) {
    if (current != full) {
      return null; // another thread swapped it
    }
    int taken = full.count();
    boolean early = nowMillis - full.startMillis < windowMillis;
    long expected = early ? 2L * full.capacity : taken + taken / 2L;
    Generation next = new Generation(nowMillis, full, (int) Math.min(perGeneration, Math.max(MIN_IDS, expected)));
    // Drop the generations no longer needed: all of whose ids are a window old (claimed before the
    // generation after them started, a window ago), or after which half the maximum were claimed.
    long newer = taken;
    for (Generation g = full; g.previous != null; g = g.previous) {
      if (nowMillis - g.startMillis >= windowMillis || newer >= perGeneration) {
        g.previous = null;
        break;
      }
      newer += g.previous.count();
    }
    current = next;
    return full;
  }

  /**
   * Builds the filter of a generation that is no longer current. Until it is published, lookups probe
   * the generation's table (always right, only slower). An id a late claim puts in the table after the
   * pass read its slot may be missing from the filter; that claim puts the id in the newer generation
   * too (see {@link #claim(String, long, Object)}), where every later lookup finds it.
   */
  private static void retire(Generation replaced) {
    if (replaced != null) {
      replaced.buildFilter();
    }
  }

  // ---- fingerprints -------------------------------------------------------------------------------

  /** The high half: FNV-1a over the characters, mixed; never 0 (0 marks an empty slot). */
  static long hi(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0, n = id.length(); i < n; i++) {
      h = (h ^ id.charAt(i)) * 0x100000001b3L;
    }
    h = mix(h ^ id.length());
    return h == 0 ? 1 : h;
  }

  /** The low half: a polynomial over the characters with another multiplier, mixed; positive, never 0. */
  static long lo(String id) {
    long h = 0x9e3779b97f4a7c15L;
    for (int i = 0, n = id.length(); i < n; i++) {
      h = h * 0xbf58476d1ce4e5b9L + id.charAt(i) + 1;
    }
    return (mix(h + id.length()) >>> 1) | 1;
  }

  /** MurmurHash3's 64-bit finalizer: every input bit flips each output bit with probability about 1/2. */
  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /**
   * One generation: a table of {@code 2 × slots} longs, each slot a fingerprint's high half (0: empty)
   * and low half (0: being written; with {@link #RELEASED} set: released), for {@code capacity} ids in
   * at least twice as many slots. A slot, once its high half is set, keeps its id for the generation's
   * life, so an id is in one slot at most: the first of its probe sequence that was empty or its own.
   */
  private static final class Generation {
    static final int INSERTED = 0;
    static final int PRESENT = 1;
    static final int FULL = 2;

    final long[] table;
    final int mask;
    /**
     * A blocked Bloom filter of the generation's fingerprints, 16 bits per id: one 64-bit word per id,
     * three bits in it; {@code null} while the generation is current. A lookup of an id that was never
     * claimed here (nearly every lookup of an older generation) reads one word of a small array that
     * stays in cache, instead of probing the table, which is megabytes at a busy service's rate and
     * misses the cache each time.
     */
    private volatile long[] filter;
    final int filterMask;
    final int capacity;
    final long startMillis;
    volatile Generation previous;
    @SuppressWarnings("unused") // through COUNT
    private volatile int count;

    Generation(long startMillis, Generation previous, int capacity) {
      int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1; // a power of two ≥ 2 × capacity
      this.table = new long[2 * slots];
      this.mask = slots - 1;
      int words = Integer.highestOneBit(Math.max(1, capacity / 4) * 2 - 1) << 1; // a power of two ≥ capacity/4
      this.filterMask = words - 1;
      this.capacity = capacity;
      this.startMillis = startMillis;
      this.previous = previous;
    }

    int count() {
      return (int) COUNT.getVolatile(this);
    }

    boolean isFull() {
      return count() >= capacity;
    }

    /** Three bits of a filter word, from the high half (the word is chosen by the low half). */
    private static long bits(long hi) {
      return (1L << (hi & 63)) | (1L << ((hi >>> 6) & 63)) | (1L << ((hi >>> 12) & 63));
    }

    private int word(long lo) {
      return (int) (lo >>> 24) & filterMask;
    }

    /** False when the fingerprint was surely never inserted here; true without a filter yet. */
    boolean mightHold(long hi, long lo) {
      long[] f = filter;
      if (f == null) {
        return true;
      }
      long b = bits(hi);
      return (f[word(lo)] & b) == b;
    }

    /** One pass over the table (read as volatile: it sees every claim that saw this generation current). */
    void buildFilter() {
      long[] f = new long[filterMask + 1];
      for (int i = 0; i <= mask; i++) {
        long h = (long) SLOT.getVolatile(table, 2 * i);
        if (h != 0) {
          f[word(low(2 * i + 1) & ~RELEASED)] |= bits(h);
        }
      }
      filter = f;
    }

    /** The slot holding this fingerprint (not released), or -1. */
    int find(long hi, long lo) {
      if (!mightHold(hi, lo)) {
        return -1;
      }
      for (int i = (int) hi & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
        long h = (long) SLOT.getAcquire(table, 2 * i);
        if (h == 0) {
          return -1;
        }
        if (h == hi && low(2 * i + 1) == lo) {
          return i;
        }
      }
      return -1;
    }

    /** Inserts the fingerprint: {@link #INSERTED}, {@link #PRESENT} (claimed already) or {@link #FULL}. */
    int insert(long hi, long lo) {
      for (int i = (int) hi & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
        long h = (long) SLOT.getAcquire(table, 2 * i);
        if (h == 0) {
          if (SLOT.compareAndSet(table, 2 * i, 0L, hi)) {
            SLOT.setRelease(table, 2 * i + 1, lo);
            COUNT.getAndAdd(this, 1);
            return INSERTED;
          }
          h = (long) SLOT.getAcquire(table, 2 * i); // another id took the slot: look at it
        }
        if (h == hi) {
          for (long l = low(2 * i + 1); ; l = low(2 * i + 1)) {
            if (l == lo) {
              return PRESENT;
            }
            if (l != (lo | RELEASED)) {
              break; // another id with the same high half: probe on
            }
            if (SLOT.compareAndSet(table, 2 * i + 1, l, lo)) {
              return INSERTED; // released earlier, claimed again in its slot
            }
          }
        }
      }
      return FULL;
    }

    /** Marks the fingerprint released, if it is here. */
    void release(long hi, long lo) {
      int i = find(hi, lo);
      if (i >= 0) {
        SLOT.compareAndSet(table, 2 * i + 1, lo, lo | RELEASED);
      }
    }

    /** The low half at {@code index}, waiting out the instant between a slot's two writes. */
    private long low(int index) {
      long l;
      while ((l = (long) SLOT.getAcquire(table, index)) == 0) {
        Thread.onSpinWait();
      }
      return l;
    }
  }

  @Override
  public String toString() {
    int held = 0;
    for (Generation g = current; g != null; g = g.previous) {
      held += g.count();
    }
    return "RecentIds{" + held + "}";
  }
}
