package dev.finops.core;

/**
 * The one source of time in finops: wall-clock milliseconds (for effective-dated prices, time
 * buckets and budget windows) and monotonic nanoseconds (for durations). Inject {@link #system()} in
 * production and a {@link ManualClock} in tests; nothing in finops reads the system time directly.
 * Implementations must be thread-safe.
 */
public interface Clock {

  /** Milliseconds since the epoch, UTC. */
  long wallTimeMillis();

  /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
  long monotonicNanos();

  /** The system clock. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }

  /** The system clock: {@link System#currentTimeMillis()} and {@link System#nanoTime()}. */
  final class SystemClock implements Clock {
    static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {}

    @Override
    public long wallTimeMillis() {
      return System.currentTimeMillis();
    }

    @Override
    public long monotonicNanos() {
      return System.nanoTime();
    }

    @Override
    public String toString() {
      return "Clock.system()";
    }
  }
}
