package dev.finops.core.budget;

/**
 * Work refused by a budget: {@link BudgetExceededException} (DENY), {@link BudgetThrottledException}
 * (THROTTLE by concurrency) or {@link CostUnknownException} (a fail-closed budget and no estimate).
 * Unchecked; thrown only by admission ({@link BudgetScope#reserve}), never by recording or settling.
 */
public abstract class BudgetException extends RuntimeException {
  private final Budget budget;

  BudgetException(Budget budget, String message) {
    super(message);
    this.budget = budget;
  }

  /** The budget that refused. */
  public Budget budget() {
    return budget;
  }

  /** Its scope, {@code team=nlp}. */
  public String scope() {
    return budget.scope();
  }
}
