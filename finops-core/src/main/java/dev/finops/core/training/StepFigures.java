package dev.finops.core.training;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One optimizer step's throughput: its tokens, its wall time (from the previous step, or the
 * attempt's start), the model FLOPs they took and, from them, achieved TFLOPS per GPU and MFU.
 * Immutable.
 */
public final class StepFigures {
  private final long step;
  private final long tokens;
  private final long nanos;
  private final int gpus;
  private final ModelFlops model;

  StepFigures(long step, long tokens, long nanos, int gpus, ModelFlops model) {
    this.step = step;
    this.tokens = tokens;
    this.nanos = nanos;
    this.gpus = gpus;
    this.model = model;
  }

  /** The step's number in the run, from 1. */
  public long step() {
    return step;
  }

  public long tokens() {
    return tokens;
  }

  /** Wall time of the step in nanoseconds. */
  public long wallNanos() {
    return nanos;
  }

  /** 6 × active parameters × tokens. */
  public BigInteger modelFlops() {
    return model.flops(tokens);
  }

  /** Tokens per second of wall time, HALF_EVEN at {@code scale}; {@code null} for a step that took no time. */
  public BigDecimal tokensPerSecond(int scale) {
    return nanos <= 0 ? null
        : BigDecimal.valueOf(tokens).multiply(BigDecimal.valueOf(1_000_000_000L))
            .divide(BigDecimal.valueOf(nanos), scale, java.math.RoundingMode.HALF_EVEN);
  }

  /** Model TFLOPS achieved per GPU, HALF_EVEN at {@code scale}; {@code null} for a step that took no time. */
  public BigDecimal achievedTflopsPerGpu(int scale) {
    return ModelFlops.achievedTflopsPerGpu(modelFlops(), Math.multiplyExact(nanos, (long) gpus), scale);
  }

  /** Model FLOPs utilization of the step, HALF_EVEN at {@code scale}; {@code null} for a step that took no time. */
  public BigDecimal mfu(int scale) {
    return model.mfu(modelFlops(), Math.multiplyExact(nanos, (long) gpus), scale);
  }

  @Override
  public String toString() {
    return "StepFigures{" + step + ", " + tokens + " tokens in " + nanos + " ns, mfu=" + mfu(4) + "}";
  }

  /** Equal when every component is equal. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof StepFigures)) {
      return false;
    }
    StepFigures o = (StepFigures) other;
    return step == o.step
        && tokens == o.tokens
        && nanos == o.nanos
        && gpus == o.gpus
        && Objects.equals(model, o.model);
  }

  @Override
  public int hashCode() {
    return Objects.hash(step, tokens, nanos, gpus, model);
  }
}
