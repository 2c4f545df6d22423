package dev.finops.core.ledger;

import dev.finops.core.Usage;
import dev.finops.core.pricing.PriceKey;

/**
 * The quantities one account recorded at one price key, kept in time slots: a minute slot for
 * recent records, compacted into hour and day slots as they age (see {@link Retention}). Records
 * for the newest slot take no lock; creating a slot, late records for older slots (the add
 * included, so compaction cannot merge the slot away under it) and compaction synchronize on the
 * row. A writer that read the head just before a newer slot replaced it, and compaction merged it
 * away, is refused by the sealed slot and adds under the lock instead: no record is lost, whatever
 * the clock does.
 */
final class Row {

  static final long MINUTE = 60_000L;
  static final long HOUR = 3_600_000L;
  static final long DAY = 86_400_000L;

  /** A time slot [start, end) with its counters; newest first. */
  static final class Slot {
    final long start;
    final long end;
    final StripedCounters counters = new StripedCounters();
    volatile Slot older;

    Slot(long start, long end, Slot older) {
      this.start = start;
      this.end = end;
      this.older = older;
    }

    long length() {
      return end - start;
    }
  }

  final PriceKey key;
  private volatile Slot head;

  Row(PriceKey key, long epochMillis) {
    this.key = key;
    long start = Math.floorDiv(epochMillis, MINUTE) * MINUTE;
    this.head = new Slot(start, start + MINUTE, null);
  }

  /** Adds one record of {@code usage} to the slot holding {@code epochMillis}. */
  void add(long epochMillis, Usage usage) {
    add(epochMillis, usage, null);
  }

  /**
   * Adds one record of {@code usage}, with a caller-supplied cost when it is not {@code null}, to the
   * slot holding {@code epochMillis}. The head slot takes it lock-free; when that slot was replaced and
   * merged away meanwhile (it refuses: {@link StripedCounters#seal}), or the time is in an older slot,
   * the add is made under the row's lock, which compaction holds while it merges.
   */
  void add(long epochMillis, Usage usage, java.math.BigDecimal suppliedCost) {
    Slot h = head;
    if (epochMillis >= h.start && epochMillis < h.end && h.counters.add(usage, suppliedCost)) {
      return;
    }
    synchronized (this) {
      landed(slotAt(epochMillis).counters.add(usage, suppliedCost));
    }
  }

  /** Adds {@code quantity} of one bucket as one record to the slot holding {@code epochMillis}. */
  void add(long epochMillis, int bucketOrdinal, long quantity) {
    Slot h = head;
    if (epochMillis >= h.start && epochMillis < h.end && h.counters.add(bucketOrdinal, quantity)) {
      return;
    }
    synchronized (this) {
      landed(slotAt(epochMillis).counters.add(bucketOrdinal, quantity));
    }
  }

  /** Under the lock every slot in the chain is open: compaction seals only what it unlinks, holding it. */
  private static void landed(boolean added) {
    if (!added) {
      throw new IllegalStateException("finops ledger: a linked slot refused an add (a bug)");
    }
  }

  private synchronized Slot slotAt(long t) {
    Slot h = head;
    if (t >= h.end) {
      long start = Math.floorDiv(t, MINUTE) * MINUTE;
      Slot n = new Slot(start, start + MINUTE, h);
      head = n;
      return n;
    }
    // A late record: find the slot that holds t, or insert a minute slot for it.
    Slot newer = null;
    for (Slot s = h; s != null; s = s.older) {
      if (t >= s.start && t < s.end) {
        return s;
      }
      if (t >= s.end) {
        break;
      }
      newer = s;
    }
    long start = Math.floorDiv(t, MINUTE) * MINUTE;
    Slot older = newer.older;
    long end = Math.min(start + MINUTE, newer.start);
    if (older != null) {
      start = Math.max(start, older.end);
    }
    Slot n = new Slot(start, end, older);
    newer.older = n;
    return n;
  }

  Slot head() {
    return head;
  }

  /**
   * Merges slots older than the retention's horizons into coarser ones: minute slots into hours,
   * hour slots into days, day slots into one slot for everything older. Slots newer than {@code
   * now - Retention.SETTLE} are never touched, so a writer holding a recent slot cannot lose an add.
   */
  synchronized void compact(long now, Retention r) {
    Slot keep = head;
    // Measured from the newest slot too: with back-dated records (a replay), the slot just before the
    // head may still have a writer in flight although it is long past by the wall clock.
    long horizon = Math.min(now, keep.start) - Retention.SETTLE;
    while (keep.older != null && keep.older.end > horizon) {
      keep = keep.older;
    }
    Slot link = keep;
    Slot s = keep.older;
    while (s != null) {
      // Consecutive slots that fall in the same coarser bucket become one slot.
      long granule = r.granuleFor(now - s.end);
      long bucket = bucketOf(s.start, granule);
      Slot groupEnd = s.older;
      int members = 1;
      while (groupEnd != null && bucketOf(groupEnd.start, r.granuleFor(now - groupEnd.end)) == bucket
          && r.granuleFor(now - groupEnd.end) == granule) {
        groupEnd = groupEnd.older;
        members++;
      }
      // Data older than the day horizon goes to one slot of everything older, starting at MIN_VALUE.
      boolean everythingOlder = granule == Long.MAX_VALUE;
      Slot result;
      if (members == 1 && (!everythingOlder || s.start == Long.MIN_VALUE)) {
        result = s;
      } else {
        long lo = s.start;
        WideSums sum = new WideSums(StripedCounters.width());
        java.math.BigDecimal supplied = java.math.BigDecimal.ZERO;
        for (Slot m = s; m != groupEnd; m = m.older) {
          lo = m.start;
          m.counters.seal(); // writers that read this slot earlier land now, or add to the merged slot
          m.counters.addTo(sum);
          supplied = supplied.add(m.counters.supplied());
        }
        result = new Slot(everythingOlder ? Long.MIN_VALUE : lo, s.end, null);
        result.counters.addSupplied(supplied);
        for (int i = 0; i < sum.width(); i++) {
          if (sum.fitsLong(i)) {
            result.counters.addRaw(i, sum.get(i));
          } else {
            result.counters.addRaw(i, sum.exact(i));
          }
        }
      }
      result.older = groupEnd;
      link.older = result;
      link = result;
      s = groupEnd;
    }
  }

  private static long bucketOf(long start, long granule) {
    return granule == Long.MAX_VALUE ? Long.MIN_VALUE : Math.floorDiv(start, granule);
  }
}
