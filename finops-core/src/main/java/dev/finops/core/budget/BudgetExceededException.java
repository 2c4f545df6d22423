package dev.finops.core.budget;

import dev.finops.core.Money;

/**
 * DENY: a reservation would take a budget window's spend plus reservations past its limit. Nothing was
 * reserved on any budget of the chain. The figures are those of the refusing window when it refused
 * (read right after, so concurrent work may have moved them a little).
 */
public final class BudgetExceededException extends BudgetException {
  private final BudgetStatus status;
  private final Money requested;

  BudgetExceededException(BudgetStatus status, Money requested) {
    super(status.budget(), "budget " + status.scope() + ", window " + status.window()
        + (status.periodStart() == null || status.window().isRolling() ? "" : " from " + status.periodStart())
        + ": limit " + status.limit() + ", spent " + status.spent() + ", reserved " + status.reserved()
        + "; refused a reservation of " + requested);
    this.status = status;
    this.requested = requested;
  }

  /** The refusing window's figures. */
  public BudgetStatus status() {
    return status;
  }

  public Window window() {
    return status.window();
  }

  public Money limit() {
    return status.limit();
  }

  /** Settled spend in the window. */
  public Money spent() {
    return status.spent();
  }

  /** Open reservations in the window. */
  public Money reserved() {
    return status.reserved();
  }

  /** The amount that was refused. */
  public Money requested() {
    return requested;
  }
}
