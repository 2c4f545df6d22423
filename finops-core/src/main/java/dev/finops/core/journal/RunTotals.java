package dev.finops.core.journal;

/**
 * A training run's cumulative figures over all its attempts, as carried by every run record: GPU
 * time, steps, samples, tokens, epochs, checkpoints, the utilization sums, and the GPU time at the
 * last checkpoint and the last step (where a resumed run restarts from, to measure lost work).
 * Immutable.
 */
public final class RunTotals {

  /** Nothing yet. */
  public static final RunTotals ZERO = builder().build();

  private final long gpuMillis;
  private final long steps;
  private final long samples;
  private final long tokens;
  private final long epochs;
  private final long checkpoints;
  private final long utilWeighted;
  private final long utilCoveredMillis;
  private final long gpuMillisAtCheckpoint;
  private final long gpuMillisAtStep;

  private RunTotals(Builder b) {
    this.gpuMillis = b.gpuMillis;
    this.steps = b.steps;
    this.samples = b.samples;
    this.tokens = b.tokens;
    this.epochs = b.epochs;
    this.checkpoints = b.checkpoints;
    this.utilWeighted = b.utilWeighted;
    this.utilCoveredMillis = b.utilCoveredMillis;
    this.gpuMillisAtCheckpoint = b.gpuMillisAtCheckpoint;
    this.gpuMillisAtStep = b.gpuMillisAtStep;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return builder().gpuMillis(gpuMillis).steps(steps).samples(samples).tokens(tokens).epochs(epochs)
        .checkpoints(checkpoints).utilization(utilWeighted, utilCoveredMillis)
        .gpuMillisAtCheckpoint(gpuMillisAtCheckpoint).gpuMillisAtStep(gpuMillisAtStep);
  }

  /** GPU time in GPU-milliseconds, all attempts. */
  public long gpuMillis() {
    return gpuMillis;
  }

  public long steps() {
    return steps;
  }

  public long samples() {
    return samples;
  }

  public long tokens() {
    return tokens;
  }

  public long epochs() {
    return epochs;
  }

  public long checkpoints() {
    return checkpoints;
  }

  /** Σ utilization (basis points) × milliseconds over the measured time. */
  public long utilWeighted() {
    return utilWeighted;
  }

  /** Milliseconds covered by utilization samples. */
  public long utilCoveredMillis() {
    return utilCoveredMillis;
  }

  /** {@link #gpuMillis()} when the last checkpoint was recorded (0 before the first). */
  public long gpuMillisAtCheckpoint() {
    return gpuMillisAtCheckpoint;
  }

  /** {@link #gpuMillis()} when the last step was recorded (0 before the first). */
  public long gpuMillisAtStep() {
    return gpuMillisAtStep;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RunTotals)) {
      return false;
    }
    RunTotals t = (RunTotals) o;
    return gpuMillis == t.gpuMillis && steps == t.steps && samples == t.samples && tokens == t.tokens
        && epochs == t.epochs && checkpoints == t.checkpoints && utilWeighted == t.utilWeighted
        && utilCoveredMillis == t.utilCoveredMillis && gpuMillisAtCheckpoint == t.gpuMillisAtCheckpoint
        && gpuMillisAtStep == t.gpuMillisAtStep;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(gpuMillis, steps, samples, tokens, epochs, checkpoints, utilWeighted,
        utilCoveredMillis, gpuMillisAtCheckpoint, gpuMillisAtStep);
  }

  @Override
  public String toString() {
    return "RunTotals{gpu_ms=" + gpuMillis + ", steps=" + steps + ", samples=" + samples + ", tokens=" + tokens
        + ", epochs=" + epochs + ", checkpoints=" + checkpoints + "}";
  }

  /** Builds {@link RunTotals}. Not thread-safe. */
  public static final class Builder {
    private long gpuMillis;
    private long steps;
    private long samples;
    private long tokens;
    private long epochs;
    private long checkpoints;
    private long utilWeighted;
    private long utilCoveredMillis;
    private long gpuMillisAtCheckpoint;
    private long gpuMillisAtStep;

    private Builder() {}

    public Builder gpuMillis(long v) {
      this.gpuMillis = v;
      return this;
    }

    public Builder steps(long v) {
      this.steps = v;
      return this;
    }

    public Builder samples(long v) {
      this.samples = v;
      return this;
    }

    public Builder tokens(long v) {
      this.tokens = v;
      return this;
    }

    public Builder epochs(long v) {
      this.epochs = v;
      return this;
    }

    public Builder checkpoints(long v) {
      this.checkpoints = v;
      return this;
    }

    /** Σ basis points × ms, and the milliseconds they cover. */
    public Builder utilization(long weighted, long coveredMillis) {
      this.utilWeighted = weighted;
      this.utilCoveredMillis = coveredMillis;
      return this;
    }

    public Builder gpuMillisAtCheckpoint(long v) {
      this.gpuMillisAtCheckpoint = v;
      return this;
    }

    public Builder gpuMillisAtStep(long v) {
      this.gpuMillisAtStep = v;
      return this;
    }

    public RunTotals build() {
      return new RunTotals(this);
    }
  }
}
