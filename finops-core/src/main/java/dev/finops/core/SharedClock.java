package dev.finops.core;

import java.util.concurrent.locks.LockSupport;

/**
 * See {@link Clock#shared()}: the JVM's one coarse wall clock, the default of every finops builder.
 * Wall time is a field one daemon thread ({@code finops-clock}) refreshes every millisecond; monotonic
 * time is {@link System#nanoTime()}, unchanged (durations keep their resolution; nothing on a hot path
 * reads it). Stopped, the clock reads the system clock on every call, so a clock handed out before keeps
 * working.
 */
final class SharedClock implements Clock {
  static final SharedClock INSTANCE = new SharedClock();
  static final String THREAD_NAME = "finops-clock";
  private static final long PERIOD_NANOS = 1_000_000L;
  /** The wall time a stopped clock holds: read the system clock instead. */
  private static final long STOPPED = Long.MIN_VALUE;

  private volatile long wallMillis = STOPPED;
  private volatile boolean running;
  private Thread ticker; // guarded by this

  private SharedClock() {}

  /** Starts the refreshing thread unless it runs already. */
  synchronized SharedClock start() {
    if (ticker == null) {
      wallMillis = System.currentTimeMillis();
      running = true;
      Thread t = new Thread(this::tick, THREAD_NAME);
      t.setDaemon(true);
      t.start();
      ticker = t;
    }
    return this;
  }

  /** Stops the thread and waits for it; reads then go to the system clock. */
  synchronized void stop() {
    Thread t = ticker;
    if (t == null) {
      return;
    }
    running = false;
    LockSupport.unpark(t);
    boolean interrupted = false;
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    ticker = null;
    wallMillis = STOPPED;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** True while the refreshing thread runs. */
  synchronized boolean isRunning() {
    return ticker != null;
  }

  private void tick() {
    while (running) {
      wallMillis = System.currentTimeMillis();
      LockSupport.parkNanos(PERIOD_NANOS);
    }
  }

  @Override
  public long wallTimeMillis() {
    long t = wallMillis;
    return t != STOPPED ? t : System.currentTimeMillis();
  }

  @Override
  public long monotonicNanos() {
    return System.nanoTime();
  }

  @Override
  public String toString() {
    return "Clock.shared()";
  }
}
