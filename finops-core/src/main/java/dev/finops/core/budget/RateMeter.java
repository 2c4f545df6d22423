package dev.finops.core.budget;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The burn rate of one budget: settled spend (settlements, expired reservations and recordings) added
 * to one-minute buckets of the injected clock's monotonic time; the rate is an exponentially weighted
 * moving average over the last {@value #HORIZON_MINUTES} complete minutes, with weight {@code 1/8} for
 * each new minute (a time constant of about 8 minutes), in exact long arithmetic on pico-units (each
 * step rounds toward negative infinity, so the average is low by less than a pico-unit per minute per
 * step). The current, incomplete minute is not in the average: the rate lags by up to a minute.
 * Writers take no lock; an add costs one compare-and-set, plus one allocation per minute.
 */
final class RateMeter {
  static final long MINUTE_NANOS = 60_000_000_000L;
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

  /** Adds {@code pico} of settled spend at monotonic time {@code nowNanos}. */
  void add(long nowNanos, long pico) {
    if (pico == 0) {
      return;
    }
    long minute = Math.floorDiv(nowNanos, MINUTE_NANOS);
    int idx = (int) Math.floorMod(minute, (long) SLOTS);
    for (;;) {
      Bucket b = ring.get(idx);
      if (b != null && b.minute == minute) {
        b.addAndGet(pico);
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

  /** The average spend per hour, in pico-units, at monotonic time {@code nowNanos}. */
  long perHour(long nowNanos) {
    long current = Math.floorDiv(nowNanos, MINUTE_NANOS);
    long ewma = 0;
    for (long m = current - HORIZON_MINUTES; m < current; m++) {
      Bucket b = ring.get((int) Math.floorMod(m, (long) SLOTS));
      long x = b != null && b.minute == m ? b.get() : 0;
      ewma += Math.floorDiv(x - ewma, 8);
    }
    return Math.max(0, Pico.mulDivCeil(Math.max(0, ewma), 60, 1));
  }
}
