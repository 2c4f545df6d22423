package dev.finops.core.budget;

/**
 * THROTTLE by concurrency: the budget has reached its {@link Budget#throttleConcurrencyThreshold()
 * throttle threshold} and already has {@link Budget#maxConcurrent()} reservations open. Nothing was
 * reserved; retry when some of the open work has finished.
 */
public final class BudgetThrottledException extends BudgetException {
  private final int maxConcurrent;

  BudgetThrottledException(Budget budget) {
    super(budget, "budget " + budget.scope() + " is throttled past "
        + budget.throttleConcurrencyThreshold().toPlainString() + " of its limit: at most "
        + budget.maxConcurrent() + " reservations may be open at once");
    this.maxConcurrent = budget.maxConcurrent();
  }

  /** The concurrency permitted while throttled. */
  public int maxConcurrent() {
    return maxConcurrent;
  }
}
