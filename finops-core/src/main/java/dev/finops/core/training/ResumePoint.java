package dev.finops.core.training;

/**
 * Where a resumed training run restarts its work from, which decides how much of an interrupted
 * attempt's GPU time was lost: the GPU time after that point is redone by the next attempt.
 */
public enum ResumePoint {
  /** From the last checkpoint ({@link TrainingRun#checkpoint()}): a training loop that reloads its weights. */
  LAST_CHECKPOINT("last_checkpoint"),
  /** From the last step: a job whose every step is durable (the journal itself is its state). */
  LAST_STEP("last_step");

  private final String jsonName;

  ResumePoint(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }
}
