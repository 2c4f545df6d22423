package dev.finops.core.budget;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The burn rate of one budget: settled spend (settlements, expired reservations and recordings) added
 * to one-minute buckets of the injected clock's wall time (one clock read serves the settlement and
 * the meter); the rate is an exponentially weighted
 * moving average over the last {@value #HORIZON_MINUTES} complete minutes, with weight {@code 1/8} for
 * each new minute (a time constant of about 8 minutes), in exact long arithmetic on pico-units (each
 * step rounds toward negative infinity, so the average is low by less than a pico-unit per minute per
 * step). The current, incomplete minute is not in the average: the rate lags by up to a minute.
 * Writers take no lock; an add costs one compare-and-set, plus one allocation per minute.
 */
final class RateMeter {
  static final long MINUTE_MILLIS = 60_000L;
  static final int HORIZON_MINUTES = 60;
  private static final int SLOTS = 64; // > HORIZON_MINUTES + 1

  /** One minute's settled spend. */
  private static final class Bucket extends AtomicLong {
    final long minute;

    Bucket(long minute) {
      this.minute = minute;
    }
  }

  private final AtomicReferenceArray<Bucket> ring = new AtomicReferenceArray<>(SLOTS);

  /** Adds {@code pico} of settled spend at {@code nowMillis}. */
  void add(long nowMillis, long pico) {
    if (pico == 0) {
      return;
    }
    long minute = Math.floorDiv(nowMillis, MINUTE_MILLIS);
    int idx = (int) Math.floorMod(minute, (long) SLOTS);
    for (;;) {
      Bucket b = ring.get(idx);
      if (b != null && b.minute == minute) {
        long v;
        do {
          v = b.get();
        } while (!b.compareAndSet(v, Pico.addSaturated(v, pico))); // a minute past 2^63 pico saturates, never wraps
        return;
      }
      if (b != null && b.minute > minute) {
        return; // a caller more than an hour late: outside the average anyway
      }
      if (ring.compareAndSet(idx, b, new Bucket(minute))) {
        continue;
      }
    }
  }

  /** The average spend per hour, in pico-units, at {@code nowMillis}. */
  long perHour(long nowMillis) {
    long current = Math.floorDiv(nowMillis, MINUTE_MILLIS);
    long ewma = 0;
    for (long m = current - HORIZON_MINUTES; m < current; m++) {
      Bucket b = ring.get((int) Math.floorMod(m, (long) SLOTS));
      long x = b != null && b.minute == m ? b.get() : 0;
      ewma += Math.floorDiv(x - ewma, 8);
    }
    return Pico.mulDivCeil(Math.max(0, ewma), 60, 1);
  }
}
