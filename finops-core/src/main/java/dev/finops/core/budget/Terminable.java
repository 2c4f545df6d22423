package dev.finops.core.budget;

/**
 * Running work that a budget's TERMINATE action can stop: {@code TrainingRun::requestStop}, or any
 * callback that cancels a job. Called on the thread that crossed the threshold (or failed to renew a
 * lease); it must only signal the work and return quickly, not wait for it to stop.
 */
@FunctionalInterface
public interface Terminable {
  /** Asks the work to stop, for {@code reason} (which names the budget, window and figures). */
  void terminate(String reason);
}
