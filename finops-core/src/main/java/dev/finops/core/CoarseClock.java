package dev.finops.core;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** See {@link Clock#coarse(Duration)}. One daemon thread per clock; reads are two volatile loads. */
final class CoarseClock implements Clock {

  private final long periodNanos;
  private volatile long wallMillis = System.currentTimeMillis();
  private volatile long nanos = System.nanoTime();

  private CoarseClock(long periodNanos) {
    this.periodNanos = periodNanos;
  }

  static CoarseClock of(Duration resolution) {
    long ms = resolution.toMillis();
    if (ms < 1 || ms > 1_000) {
      throw new IllegalArgumentException("coarse clock resolution must be 1 to 1000 ms, got " + resolution);
    }
    CoarseClock clock = new CoarseClock(resolution.toNanos());
    Thread t = new Thread(new Ticker(new java.lang.ref.WeakReference<>(clock), clock.periodNanos),
        "finops-coarse-clock");
    t.setDaemon(true);
    t.start();
    return clock;
  }

  /** Refreshes the clock until it is no longer reachable. */
  private static final class Ticker implements Runnable {
    private final java.lang.ref.WeakReference<CoarseClock> ref;
    private final long periodNanos;

    Ticker(java.lang.ref.WeakReference<CoarseClock> ref, long periodNanos) {
      this.ref = ref;
      this.periodNanos = periodNanos;
    }

    @Override
    public void run() {
      while (true) {
        CoarseClock c = ref.get();
        if (c == null) {
          return;
        }
        c.wallMillis = System.currentTimeMillis();
        c.nanos = System.nanoTime();
        c = null; // do not keep the clock reachable while parked
        LockSupport.parkNanos(periodNanos);
      }
    }
  }

  @Override
  public long wallTimeMillis() {
    return wallMillis;
  }

  @Override
  public long monotonicNanos() {
    return nanos;
  }

  @Override
  public String toString() {
    return "Clock.coarse(" + Duration.ofNanos(periodNanos) + ")";
  }
}
