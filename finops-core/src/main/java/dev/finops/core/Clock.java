package dev.finops.core;

/**
 * The one source of time in finops: wall-clock milliseconds (for effective-dated prices, time
 * buckets and budget windows) and monotonic nanoseconds (for durations). The builders default to
 * {@link #shared()}; inject a {@link ManualClock} in tests; nothing in finops reads the system time
 * directly. Implementations must be thread-safe.
 */
public interface Clock {

  /** Milliseconds since the epoch, UTC. */
  long wallTimeMillis();

  /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
  long monotonicNanos();

  /** The system clock: a {@link System#currentTimeMillis()} call (15 to 25 ns on a VM) per read. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }

  /**
   * The default clock of {@code FinOps}, {@code Ledger} and {@code BudgetManager} builders: one per
   * JVM, whose wall time one daemon thread named {@code finops-clock} refreshes every millisecond, so
   * that a read is a memory load instead of a system call. It lags the system clock by up to a
   * millisecond (more while the machine is too busy to run the thread on time): enough for the
   * ledger's minute slots, effective dating and budget windows. Monotonic time is {@link
   * System#nanoTime()}. The thread starts at the first call of this method, not before, and runs
   * until {@link #stopShared()} or the JVM's end.
   */
  static Clock shared() {
    return SharedClock.INSTANCE.start();
  }

  /**
   * Stops the thread of {@link #shared()} (for a container that unloads the application, or a test
   * that counts threads): the shared clock then reads the system clock on every call, and a later
   * {@link #shared()} starts the thread again.
   */
  static void stopShared() {
    SharedClock.INSTANCE.stop();
  }

  /**
   * A clock that reads the system clock once per {@code resolution} on a shared daemon thread
   * ({@code finops-coarse-clock}) and answers from memory: about a nanosecond per read instead of
   * the 15 to 25 ns of a system clock call, at the price of up to {@code resolution} of lag. Enough
   * for the ledger's minute slots and effective dating. {@link #shared()} is this at 1 ms, one per
   * JVM; use this for another resolution. The thread runs while this clock is reachable.
   *
   * @param resolution how often the time is refreshed; 1 to 1,000 milliseconds
   */
  static Clock coarse(java.time.Duration resolution) {
    return CoarseClock.of(resolution);
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
