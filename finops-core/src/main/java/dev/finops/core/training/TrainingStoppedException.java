package dev.finops.core.training;

/**
 * Thrown by {@link TrainingRun#step} at the first step boundary after {@link TrainingRun#requestStop}
 * (a budget's TERMINATE action, a refused GPU lease), once the step is recorded and the checkpoint hook
 * has run. Unchecked, so a training loop stops even if it does not look for it; the run stays open
 * until closed (try-with-resources books its remaining GPU time).
 */
public final class TrainingStoppedException extends RuntimeException {
  private final String runId;
  private final String reason;

  public TrainingStoppedException(String runId, String reason) {
    super("training run " + runId + " stopped: " + reason);
    this.runId = runId;
    this.reason = reason;
  }

  public String runId() {
    return runId;
  }

  /** Why the run was asked to stop. */
  public String reason() {
    return reason;
  }
}
