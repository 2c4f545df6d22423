package dev.finops.core.allocation;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One request served by a self-hosted inference endpoint, as input to {@link EndpointCostAllocator}:
 * its id, token counts, and optionally a caller-supplied complexity weight and its latency.
 * Immutable and thread-safe.
 *
 * <p>Token counts are non-negative; input counts every prompt-side token, output every
 * completion-side one. The complexity weight is any non-negative decimal, meaningful only relative
 * to the other requests of the same window. Latency is in milliseconds, non-negative.
 */
public final class EndpointRequest {
  private final String id;
  private final long inputTokens;
  private final long outputTokens;
  private final BigDecimal complexity; // null: not given
  private final long latencyMillis; // -1: not given

  private EndpointRequest(String id, long inputTokens, long outputTokens, BigDecimal complexity, long latencyMillis) {
    this.id = id;
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    this.complexity = complexity;
    this.latencyMillis = latencyMillis;
  }

  /**
   * A request with its token counts, no complexity weight and no latency.
   *
   * @throws IllegalArgumentException naming the field if the id is blank or a count is negative
   */
  public static EndpointRequest of(String id, long inputTokens, long outputTokens) {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("request field 'id' must not be blank");
    }
    requireNonNegative(id, "input_tokens", inputTokens);
    requireNonNegative(id, "output_tokens", outputTokens);
    return new EndpointRequest(id, inputTokens, outputTokens, null, -1);
  }

  /**
   * This request with a caller-supplied complexity weight, used by {@link
   * EndpointCostAllocator#byComplexity()}.
   *
   * @throws IllegalArgumentException if the weight is negative
   */
  public EndpointRequest withComplexity(BigDecimal weight) {
    Objects.requireNonNull(weight, "weight");
    if (weight.signum() < 0) {
      throw new IllegalArgumentException(
          "request '" + id + "' field 'complexity' must not be negative, got " + weight.toPlainString());
    }
    return new EndpointRequest(id, inputTokens, outputTokens, weight, latencyMillis);
  }

  /** This request with a caller-supplied complexity weight; see {@link #withComplexity(BigDecimal)}. */
  public EndpointRequest withComplexity(long weight) {
    return withComplexity(BigDecimal.valueOf(weight));
  }

  /**
   * This request with its latency in milliseconds.
   *
   * @throws IllegalArgumentException if the latency is negative
   */
  public EndpointRequest withLatencyMillis(long millis) {
    requireNonNegative(id, "latency_ms", millis);
    return new EndpointRequest(id, inputTokens, outputTokens, complexity, millis);
  }

  private static void requireNonNegative(String id, String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(
          "request '" + id + "' field '" + field + "' must not be negative, got " + value);
    }
  }

  public String id() {
    return id;
  }

  public long inputTokens() {
    return inputTokens;
  }

  public long outputTokens() {
    return outputTokens;
  }

  /**
   * Input plus output tokens.
   *
   * @throws ArithmeticException if the sum overflows a long
   */
  public long totalTokens() {
    return Math.addExact(inputTokens, outputTokens);
  }

  /** The caller-supplied complexity weight, if one was given. */
  public Optional<BigDecimal> complexity() {
    return Optional.ofNullable(complexity);
  }

  /** The latency in milliseconds, if it was given. */
  public OptionalLong latencyMillis() {
    return latencyMillis < 0 ? OptionalLong.empty() : OptionalLong.of(latencyMillis);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EndpointRequest)) {
      return false;
    }
    EndpointRequest other = (EndpointRequest) o;
    return id.equals(other.id)
        && inputTokens == other.inputTokens
        && outputTokens == other.outputTokens
        && latencyMillis == other.latencyMillis
        && (complexity == null ? other.complexity == null
            : other.complexity != null && complexity.compareTo(other.complexity) == 0);
  }

  @Override
  public int hashCode() {
    int h = id.hashCode();
    h = 31 * h + Long.hashCode(inputTokens);
    h = 31 * h + Long.hashCode(outputTokens);
    h = 31 * h + Long.hashCode(latencyMillis);
    return 31 * h + (complexity == null ? 0 : complexity.stripTrailingZeros().hashCode());
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("EndpointRequest{").append(id)
        .append(", input=").append(inputTokens)
        .append(", output=").append(outputTokens);
    if (complexity != null) {
      sb.append(", complexity=").append(complexity.toPlainString());
    }
    if (latencyMillis >= 0) {
      sb.append(", latency_ms=").append(latencyMillis);
    }
    return sb.append('}').toString();
  }
}
