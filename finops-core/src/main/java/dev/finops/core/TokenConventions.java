package dev.finops.core;

/**
 * The one place where provider and OpenTelemetry token counts become canonical, exclusive
 * {@link UsageBucket buckets}.
 *
 * <ul>
 *   <li><b>Inclusive</b> (OpenTelemetry GenAI semantic conventions, OpenAI's API): {@code
 *       gen_ai.usage.input_tokens} includes cache reads and cache writes; {@code
 *       gen_ai.usage.output_tokens} includes reasoning tokens.
 *   <li><b>Exclusive</b> (Anthropic's API): {@code input_tokens} counts only uncached input; cache
 *       reads ({@code cache_read_input_tokens}) and writes ({@code cache_creation_input_tokens}) are
 *       reported beside it.
 * </ul>
 *
 * Each conversion rejects impossible counts with an {@link IllegalArgumentException} that names the
 * field.
 */
public final class TokenConventions {

  private TokenConventions() {}

  /**
   * From inclusive counts (OpenTelemetry GenAI, OpenAI). Cache writes are taken as 5-minute writes.
   *
   * @param inputTokens all prompt tokens, cache reads and writes included
   * @param outputTokens all completion tokens, reasoning included
   * @param cacheReadTokens the part of {@code inputTokens} read from the cache
   * @param cacheWriteTokens the part of {@code inputTokens} written to the cache
   * @param reasoningTokens the part of {@code outputTokens} spent reasoning
   */
  public static Usage fromInclusive(
      long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, long reasoningTokens) {
    return fromInclusive(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, 0, reasoningTokens);
  }

  /** As {@link #fromInclusive(long, long, long, long, long)}, with 1-hour cache writes counted apart. */
  public static Usage fromInclusive(
      long inputTokens,
      long outputTokens,
      long cacheReadTokens,
      long cacheWrite5mTokens,
      long cacheWrite1hTokens,
      long reasoningTokens) {
    nonNegative("input_tokens", inputTokens);
    nonNegative("output_tokens", outputTokens);
    nonNegative("cache_read_tokens", cacheReadTokens);
    nonNegative("cache_write_tokens", cacheWrite5mTokens);
    nonNegative("cache_write_1h_tokens", cacheWrite1hTokens);
    nonNegative("reasoning_tokens", reasoningTokens);
    long cached;
    try {
      cached = Math.addExact(Math.addExact(cacheReadTokens, cacheWrite5mTokens), cacheWrite1hTokens);
    } catch (ArithmeticException overflow) {
      cached = -1; // more than any long, so more than input_tokens
    }
    if (cached < 0 || cached > inputTokens) {
      throw new IllegalArgumentException(
          "cache_read_tokens + cache_write_tokens (" + (cached < 0 ? "more than " + Long.MAX_VALUE : cached)
              + ") exceed input_tokens (" + inputTokens
              + "); under the inclusive convention input_tokens includes cached tokens");
    }
    if (reasoningTokens > outputTokens) {
      throw new IllegalArgumentException(
          "reasoning_tokens (" + reasoningTokens + ") exceed output_tokens (" + outputTokens
              + "); under the inclusive convention output_tokens includes reasoning");
    }
    return Usage.builder()
        .inputUncached(inputTokens - cached)
        .cacheRead(cacheReadTokens)
        .cacheWrite5m(cacheWrite5mTokens)
        .cacheWrite1h(cacheWrite1hTokens)
        .output(outputTokens - reasoningTokens)
        .reasoning(reasoningTokens)
        .build();
  }

  /**
   * From exclusive, Anthropic-style counts: {@code input_tokens} excludes cache reads and writes.
   * Anthropic reports no separate reasoning count (thinking is billed as output), so all output goes
   * to {@link UsageBucket#OUTPUT}.
   */
  public static Usage fromExclusive(
      long inputTokens, long outputTokens, long cacheReadTokens, long cacheWrite5mTokens, long cacheWrite1hTokens) {
    nonNegative("input_tokens", inputTokens);
    nonNegative("output_tokens", outputTokens);
    nonNegative("cache_read_input_tokens", cacheReadTokens);
    nonNegative("cache_creation_input_tokens", cacheWrite5mTokens);
    nonNegative("cache_creation_1h_input_tokens", cacheWrite1hTokens);
    return Usage.builder()
        .inputUncached(inputTokens)
        .cacheRead(cacheReadTokens)
        .cacheWrite5m(cacheWrite5mTokens)
        .cacheWrite1h(cacheWrite1hTokens)
        .output(outputTokens)
        .build();
  }

  private static void nonNegative(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("usage field '" + field + "' must not be negative, got " + value);
    }
  }
}
