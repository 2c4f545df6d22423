package dev.finops.core.training;

/**
 * A piecewise-constant utilization series: each sample (basis points, 0..10000) holds from its time
 * until the next sample; the last holds until "now". Keeps only running sums, exact in longs
 * (basis points × milliseconds). Not thread-safe; the owner synchronizes.
 */
final class UtilizationSeries {
  private long lastTime = Long.MIN_VALUE;
  private int lastValue;
  private long weighted; // Σ bp × ms over closed intervals
  private long covered; // Σ ms over closed intervals

  void add(long epochMillis, int basisPoints) {
    if (lastTime != Long.MIN_VALUE) {
      if (epochMillis < lastTime) {
        return; // out of order: ignore rather than rewrite history
      }
      long dt = epochMillis - lastTime;
      weighted = Math.addExact(weighted, Math.multiplyExact(dt, (long) lastValue));
      covered += dt;
    }
    lastTime = epochMillis;
    lastValue = basisPoints;
  }

  boolean isEmpty() {
    return lastTime == Long.MIN_VALUE;
  }

  /** Σ bp × ms up to {@code now}. */
  long weightedSum(long now) {
    if (lastTime == Long.MIN_VALUE || now <= lastTime) {
      return weighted;
    }
    return weighted + (now - lastTime) * lastValue;
  }

  /** Milliseconds covered by samples up to {@code now}. */
  long coveredMillis(long now) {
    if (lastTime == Long.MIN_VALUE) {
      return 0;
    }
    return covered + Math.max(0, now - lastTime);
  }
}
