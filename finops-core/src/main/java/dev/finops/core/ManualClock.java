package dev.finops.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to, for tests and simulations. Wall time and monotonic time
 * advance together. Thread-safe.
 */
public final class ManualClock implements Clock {
  private final AtomicLong wallMillis;
  private final AtomicLong nanos = new AtomicLong();

  private ManualClock(long wallMillis) {
    this.wallMillis = new AtomicLong(wallMillis);
  }

  /** A clock showing {@code start}. */
  public static ManualClock at(Instant start) {
    return new ManualClock(start.toEpochMilli());
  }

  /** A clock showing {@code epochMillis}. */
  public static ManualClock atEpochMillis(long epochMillis) {
    return new ManualClock(epochMillis);
  }

  @Override
  public long wallTimeMillis() {
    return wallMillis.get();
  }

  @Override
  public long monotonicNanos() {
    return nanos.get();
  }

  public Instant instant() {
    return Instant.ofEpochMilli(wallMillis.get());
  }

  /** Moves both clocks forward; a negative amount is an error (time does not go back). */
  public ManualClock advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a clock does not go back: " + d);
    }
    wallMillis.addAndGet(d.toMillis());
    nanos.addAndGet(d.toNanos());
    return this;
  }

  public ManualClock advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  /** Sets the wall clock (the monotonic clock moves forward by the same amount, or not at all). */
  public ManualClock setWallTime(Instant instant) {
    long target = instant.toEpochMilli();
    long prev = wallMillis.getAndSet(target);
    if (target > prev) {
      nanos.addAndGet((target - prev) * 1_000_000L);
    }
    return this;
  }

  @Override
  public String toString() {
    return "ManualClock{" + instant() + "}";
  }
}
