package dev.finops.core.budget;

/**
 * What a budget does with work whose cost cannot be estimated before it runs (an unknown model, a
 * model with no price at that time, a hardware type no catalog prices).
 */
public enum UnknownCostPolicy {
  /**
   * Admit the work with nothing reserved; its actual cost counts when it is settled. The budget can
   * then go over its limit by that cost: the overshoot is the sum of the actual costs of work admitted
   * this way while the budget was near its limit (counted in {@link BudgetManager.Stats#unknownAdmitted()}).
   */
  FAIL_OPEN,
  /** Refuse the work with a {@link CostUnknownException} naming the budget and the reason (the default). */
  FAIL_CLOSED
}
