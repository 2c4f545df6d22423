package dev.finops.core.catalog;

/**
 * A long-context price tier: when a request's input tokens (uncached, cache reads and writes, audio
 * and image input) exceed {@link #aboveInputTokens()}, the whole request is repriced at {@link
 * #prices()}, as providers do (for example above 200,000 input tokens). Buckets the tier does not
 * declare keep the base price.
 */
public final class ContextTier {
  private final long aboveInputTokens;
  private final BucketPrices prices;

  public ContextTier(long aboveInputTokens, BucketPrices prices) {
    if (aboveInputTokens <= 0) {
      throw new IllegalArgumentException("above_input_tokens must be positive: " + aboveInputTokens);
    }
    this.aboveInputTokens = aboveInputTokens;
    this.prices = java.util.Objects.requireNonNull(prices, "prices");
  }

  /** The threshold; the tier applies to requests with strictly more input tokens. */
  public long aboveInputTokens() {
    return aboveInputTokens;
  }

  /** The tier's declared prices (before merging with the base). */
  public BucketPrices prices() {
    return prices;
  }
}
