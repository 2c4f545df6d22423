package dev.finops.core.budget;

/**
 * Receives {@link BudgetEvent}s. Called synchronously on the thread whose settlement, reservation or
 * sweep caused the event, so it must be quick and must not block (hand the event to a queue for
 * anything slow: a chat message, an e-mail). An exception thrown by a listener is logged and swallowed;
 * it never reaches the work being accounted.
 */
@FunctionalInterface
public interface BudgetListener {
  void onEvent(BudgetEvent event);
}
