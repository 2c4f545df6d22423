package dev.finops.core.budget;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A non-negative running total of pico-units that saturates at {@link Long#MAX_VALUE} instead of
 * wrapping negative, as a budget counter's spent and used do ({@link InMemoryBudgetStore#saturatedSum}):
 * one compare-and-set per addition, none for a zero.
 */
final class SaturatingSum {
  private static final VarHandle SUM;

  static {
    try {
      SUM = MethodHandles.lookup().findVarHandle(SaturatingSum.class, "sum", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile long sum;

  /** Adds {@code delta}, non-negative, stopping at {@link Long#MAX_VALUE}. */
  void add(long delta) {
    if (delta == 0) {
      return;
    }
    for (;;) {
      long s = sum;
      if (s == Long.MAX_VALUE || SUM.compareAndSet(this, s, InMemoryBudgetStore.saturatedSum(s, delta))) {
        return;
      }
    }
  }

  /** The total, at most {@link Long#MAX_VALUE}. */
  long get() {
    return sum;
  }
}
