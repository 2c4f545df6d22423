package dev.finops.advisor;

import dev.finops.core.Clock;
import dev.finops.core.training.TrainingRun;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link TrainingRun} hook that checkpoints on a schedule, such as the interval {@link
 * SpotRisk#youngDalyInterval} gives: call {@link #afterStep} after every optimizer step; when the interval
 * has passed since the last checkpoint (or the start), it writes one with your code and records it on the
 * run ({@link TrainingRun#checkpoint()}, which moves the resume point). Not thread-safe: one per training
 * loop.
 */
public final class CheckpointSchedule {
  private final long intervalMillis;
  private final Clock clock;
  private final Runnable writeCheckpoint;
  private long lastMillis;
  private long written;

  /**
   * @param interval time between checkpoints (positive)
   * @param clock the run's clock (the {@code FinOps} clock)
   * @param writeCheckpoint code that writes the model's checkpoint; it returns when the checkpoint is durable
   */
  public CheckpointSchedule(Duration interval, Clock clock, Runnable writeCheckpoint) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("checkpoint interval must be positive: " + interval);
    }
    this.intervalMillis = interval.toMillis();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.writeCheckpoint = Objects.requireNonNull(writeCheckpoint, "writeCheckpoint");
    this.lastMillis = clock.wallTimeMillis();
  }

  /** Checkpoints {@code run} if the interval has passed; returns whether it did. */
  public boolean afterStep(TrainingRun run) {
    long now = clock.wallTimeMillis();
    if (now - lastMillis < intervalMillis) {
      return false;
    }
    writeCheckpoint.run();
    run.checkpoint();
    lastMillis = clock.wallTimeMillis();
    written++;
    return true;
  }

  /** Checkpoints written by this schedule. */
  public long written() {
    return written;
  }

  public Duration interval() {
    return Duration.ofMillis(intervalMillis);
  }
}
