package dev.finops.otel;

/**
 * Under which names the cost of an inference span is written. The GenAI cost attributes are only
 * proposed (semantic-conventions-genai PR #443, open), so they are opt-in.
 */
public enum CostAttributes {
  /**
   * {@code finops.cost.amount} (the exact decimal, as a string), {@code finops.cost.currency}, {@code
   * finops.cost.source}. The default.
   */
  FINOPS,
  /**
   * The proposed {@code gen_ai.usage.cost.amount} (a double, as the proposal types it: the exact amount
   * rounded once to the nearest double), {@code gen_ai.usage.cost.currency} and {@code
   * gen_ai.usage.cost.source} ({@code provider} or {@code local}).
   */
  GEN_AI,
  /** Both sets. */
  BOTH;

  boolean finops() {
    return this != GEN_AI;
  }

  boolean genAi() {
    return this != FINOPS;
  }
}
