package dev.finops.core.training;

import dev.finops.core.Money;

/** A run's attempts, interruptions, restart overhead and lost work for its report. Immutable. */
final class AttemptFigures {
  final int attempts;
  final int notices;
  final long lostGpuMillis;
  final long restartGpuMillis;
  final Money lostWorkCost;
  final Money restartCost;
  final Money onDemandCost; // null when unknown

  AttemptFigures(int attempts, int notices, long lostGpuMillis, long restartGpuMillis, Money lostWorkCost,
      Money restartCost, Money onDemandCost) {
    this.attempts = attempts;
    this.notices = notices;
    this.lostGpuMillis = lostGpuMillis;
    this.restartGpuMillis = restartGpuMillis;
    this.lostWorkCost = lostWorkCost;
    this.restartCost = restartCost;
    this.onDemandCost = onDemandCost;
  }

  /** One attempt, never interrupted, no on-demand comparison. */
  static AttemptFigures single(Money zero) {
    return new AttemptFigures(1, 0, 0, 0, zero, zero, null);
  }
}
