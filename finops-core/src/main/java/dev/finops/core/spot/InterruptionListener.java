package dev.finops.core.spot;

/**
 * Told once when an {@link InterruptionWatcher} sees an interruption notice. Runs on the watcher's
 * thread; it should finish well within the cloud's grace period (two minutes on AWS, 30 seconds on
 * GCP). {@code TrainingRun.interruptionListener(checkpointHook)} is the ready-made one for a run.
 */
@FunctionalInterface
public interface InterruptionListener {
  void onInterruption(InterruptionNotice notice);
}
