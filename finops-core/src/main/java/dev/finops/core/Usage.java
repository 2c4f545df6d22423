package dev.finops.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * Quantities consumed by one unit of work (a model call, a slice of GPU time), in the canonical
 * {@link UsageBucket buckets}, plus the service tier it was billed under. Immutable and thread-safe.
 *
 * <p>Quantities are non-negative longs in each bucket's base unit. Build one with {@link #builder()}
 * for exclusive counts, or with {@link TokenConventions} from provider or OpenTelemetry counts.
 */
public final class Usage {

  /** The service tier of ordinary, interactive requests. */
  public static final String STANDARD_TIER = "standard";

  private static final Usage EMPTY = new Usage(new long[UsageBucket.COUNT], STANDARD_TIER);

  private final long[] quantities;
  private final String serviceTier;

  private Usage(long[] quantities, String serviceTier) {
    this.quantities = quantities;
    this.serviceTier = serviceTier;
  }

  public static Usage empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Shorthand for a plain text call: uncached input and output tokens, exclusive counts. */
  public static Usage ofTokens(long inputUncached, long output) {
    return builder().add(UsageBucket.INPUT_UNCACHED, inputUncached).add(UsageBucket.OUTPUT, output).build();
  }

  /** The quantity in {@code bucket}, in its base unit. */
  public long get(UsageBucket bucket) {
    return quantities[bucket.ordinal()];
  }

  /** The quantity at a bucket's ordinal; the allocation-free loop form. */
  public long get(int bucketOrdinal) {
    return quantities[bucketOrdinal];
  }

  /** {@code "standard"}, {@code "batch"}, {@code "flex"}, {@code "priority"} or a provider's own name. */
  public String serviceTier() {
    return serviceTier;
  }

  /** All prompt-side tokens: uncached input, cache reads and writes, audio and image input. */
  public long inputTokens() {
    return quantities[UsageBucket.INPUT_UNCACHED.ordinal()]
        + quantities[UsageBucket.CACHE_READ.ordinal()]
        + quantities[UsageBucket.CACHE_WRITE_5M.ordinal()]
        + quantities[UsageBucket.CACHE_WRITE_1H.ordinal()]
        + quantities[UsageBucket.INPUT_AUDIO.ordinal()]
        + quantities[UsageBucket.INPUT_IMAGE.ordinal()];
  }

  /** All completion-side tokens: output, reasoning, audio and image output. */
  public long outputTokens() {
    return quantities[UsageBucket.OUTPUT.ordinal()]
        + quantities[UsageBucket.OUTPUT_REASONING.ordinal()]
        + quantities[UsageBucket.OUTPUT_AUDIO.ordinal()]
        + quantities[UsageBucket.OUTPUT_IMAGE.ordinal()];
  }

  public long totalTokens() {
    return inputTokens() + outputTokens();
  }

  public boolean isEmpty() {
    for (long q : quantities) {
      if (q != 0) {
        return false;
      }
    }
    return true;
  }

  /** This usage plus {@code other}, bucket by bucket; the service tier of this one is kept. */
  public Usage plus(Usage other) {
    long[] sum = quantities.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] = Math.addExact(sum[i], other.quantities[i]);
    }
    return new Usage(sum, serviceTier);
  }

  /** A copy billed under another service tier. */
  public Usage withServiceTier(String tier) {
    return new Usage(quantities, Builder.checkTier(tier));
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Usage)) {
      return false;
    }
    Usage other = (Usage) o;
    return Arrays.equals(quantities, other.quantities) && serviceTier.equals(other.serviceTier);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(quantities) + serviceTier.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Usage{");
    boolean first = true;
    for (UsageBucket b : UsageBucket.values()) {
      long q = quantities[b.ordinal()];
      if (q != 0) {
        if (!first) {
          sb.append(", ");
        }
        sb.append(b.jsonName()).append('=').append(q);
        first = false;
      }
    }
    if (!STANDARD_TIER.equals(serviceTier)) {
      sb.append(first ? "" : ", ").append("tier=").append(serviceTier);
    }
    return sb.append('}').toString();
  }

  /** Collects exclusive quantities. Not thread-safe. */
  public static final class Builder {
    private final long[] quantities = new long[UsageBucket.COUNT];
    private String serviceTier = STANDARD_TIER;

    private Builder() {}

    /**
     * Adds {@code quantity} base units to {@code bucket}.
     *
     * @throws IllegalArgumentException naming the bucket if the quantity is negative
     */
    public Builder add(UsageBucket bucket, long quantity) {
      Objects.requireNonNull(bucket, "bucket");
      if (quantity < 0) {
        throw new IllegalArgumentException(
            "usage field '" + bucket.jsonName() + "' must not be negative, got " + quantity);
      }
      quantities[bucket.ordinal()] = Math.addExact(quantities[bucket.ordinal()], quantity);
      return this;
    }

    public Builder inputUncached(long tokens) {
      return add(UsageBucket.INPUT_UNCACHED, tokens);
    }

    public Builder cacheRead(long tokens) {
      return add(UsageBucket.CACHE_READ, tokens);
    }

    public Builder cacheWrite5m(long tokens) {
      return add(UsageBucket.CACHE_WRITE_5M, tokens);
    }

    public Builder cacheWrite1h(long tokens) {
      return add(UsageBucket.CACHE_WRITE_1H, tokens);
    }

    public Builder output(long tokens) {
      return add(UsageBucket.OUTPUT, tokens);
    }

    public Builder reasoning(long tokens) {
      return add(UsageBucket.OUTPUT_REASONING, tokens);
    }

    public Builder requests(long count) {
      return add(UsageBucket.REQUESTS, count);
    }

    /** GPU time in GPU-milliseconds (wall milliseconds × GPUs). */
    public Builder gpuMillis(long gpuMillis) {
      return add(UsageBucket.GPU_TIME, gpuMillis);
    }

    /** Energy in millijoules. */
    public Builder energyMillijoules(long millijoules) {
      return add(UsageBucket.ENERGY, millijoules);
    }

    public Builder serviceTier(String tier) {
      this.serviceTier = checkTier(tier);
      return this;
    }

    static String checkTier(String tier) {
      Objects.requireNonNull(tier, "serviceTier");
      if (tier.isBlank()) {
        throw new IllegalArgumentException("usage field 'service_tier' must not be blank");
      }
      return tier.toLowerCase(java.util.Locale.ROOT);
    }

    public Usage build() {
      return new Usage(quantities.clone(), serviceTier);
    }
  }
}
