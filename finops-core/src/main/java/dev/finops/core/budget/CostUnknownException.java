package dev.finops.core.budget;

/**
 * The cost of the work could not be estimated (unknown model, no price) and a budget of the chain is
 * {@link UnknownCostPolicy#FAIL_CLOSED fail-closed}. Nothing was reserved.
 */
public final class CostUnknownException extends BudgetException {
  private final String reason;

  CostUnknownException(Budget budget, String reason) {
    super(budget, "budget " + budget.scope() + " refuses work of unknown cost (fail-closed): " + reason);
    this.reason = reason;
  }

  /** Why the cost is unknown. */
  public String reason() {
    return reason;
  }
}
