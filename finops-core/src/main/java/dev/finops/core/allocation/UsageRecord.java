package dev.finops.core.allocation;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What one tenant used of a shared asset, as input to {@link SharedCostAllocator}: GPU time on its
 * device (a whole GPU or a {@link GpuFraction fraction} of one), its measured utilization, tokens,
 * requests, a custom weight, and whether the tenant owns the asset. A tenant may have many records;
 * the allocator adds them up. Immutable and thread-safe.
 *
 * <p><b>Units.</b> GPU time is in GPU-milliseconds of wall time on the record's device (a whole GPU,
 * or the slice); the tenant is charged for {@code gpuMillis × fraction}. Utilization is in basis
 * points (0 to 10,000 = 0% to 100%) of that device over that time, or absent when not measured.
 * Tokens and requests are counts; the weight is any non-negative decimal, meaningful only relative to
 * the other tenants' weights.
 */
public final class UsageRecord {

  /** Marks a record whose utilization was not measured. */
  private static final int UNMEASURED = -1;

  private final String tenant;
  private final long gpuMillis;
  private final GpuFraction fraction;
  private final int utilizationBasisPoints;
  private final long tokens;
  private final long requests;
  private final BigDecimal weight; // null: not given
  private final boolean owner;

  private UsageRecord(Builder b) {
    this.tenant = b.tenant;
    this.gpuMillis = b.gpuMillis;
    this.fraction = b.fraction;
    this.utilizationBasisPoints = b.utilizationBasisPoints;
    this.tokens = b.tokens;
    this.requests = b.requests;
    this.weight = b.weight;
    this.owner = b.owner;
  }

  /**
   * Starts a record for {@code tenant} (a team, a namespace, a customer).
   *
   * @throws IllegalArgumentException if the tenant is blank, longer than 256 characters, or the
   *     reserved {@value SharedCostAllocation#IDLE_TENANT}
   */
  public static Builder builder(String tenant) {
    return new Builder(tenant);
  }

  public String tenant() {
    return tenant;
  }

  /** Wall GPU-milliseconds on the record's device (before the fraction). */
  public long gpuMillis() {
    return gpuMillis;
  }

  /** The share of the GPU the device is ({@link GpuFraction#WHOLE} unless given). */
  public GpuFraction fraction() {
    return fraction;
  }

  public boolean hasUtilization() {
    return utilizationBasisPoints != UNMEASURED;
  }

  /** Measured utilization in basis points (0..10,000), or -1 when not measured. */
  public int utilizationBasisPoints() {
    return utilizationBasisPoints;
  }

  public long tokens() {
    return tokens;
  }

  public long requests() {
    return requests;
  }

  /** The custom weight, or {@code null} when none was given. */
  public BigDecimal weight() {
    return weight;
  }

  /** True if the record marks its tenant as the asset's owner (who is charged idle under {@link IdlePolicy#OWNER}). */
  public boolean owner() {
    return owner;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("UsageRecord{").append(tenant);
    if (gpuMillis != 0) {
      sb.append(", gpu_ms=").append(gpuMillis);
    }
    if (!fraction.isWhole()) {
      sb.append(", fraction=").append(fraction);
    }
    if (hasUtilization()) {
      sb.append(", utilization_bp=").append(utilizationBasisPoints);
    }
    if (tokens != 0) {
      sb.append(", tokens=").append(tokens);
    }
    if (requests != 0) {
      sb.append(", requests=").append(requests);
    }
    if (weight != null) {
      sb.append(", weight=").append(weight.toPlainString());
    }
    return sb.append(owner ? ", owner}" : "}").toString();
  }

  /** Builds a {@link UsageRecord}; every setter names its field in its error. Not thread-safe. */
  public static final class Builder {
    private final String tenant;
    private long gpuMillis;
    private GpuFraction fraction = GpuFraction.WHOLE;
    private int utilizationBasisPoints = UNMEASURED;
    private long tokens;
    private long requests;
    private BigDecimal weight;
    private boolean owner;

    private Builder(String tenant) {
      Objects.requireNonNull(tenant, "tenant");
      if (tenant.isBlank() || tenant.length() > 256) {
        throw new IllegalArgumentException("usage field 'tenant' must be 1 to 256 characters and not blank, got '"
            + tenant + "'");
      }
      if (tenant.equals(SharedCostAllocation.IDLE_TENANT)) {
        throw new IllegalArgumentException("usage field 'tenant': '" + tenant + "' is reserved for the idle line");
      }
      this.tenant = tenant;
    }

    /** GPU time in GPU-milliseconds of wall time on the record's device. */
    public Builder gpuMillis(long millis) {
      this.gpuMillis = nonNegative("gpu_millis", millis);
      return this;
    }

    /**
     * GPU time in GPU-seconds, exact to the millisecond ({@code 12.5}).
     *
     * @throws IllegalArgumentException if negative or finer than a millisecond
     */
    public Builder gpuSeconds(BigDecimal seconds) {
      Objects.requireNonNull(seconds, "seconds");
      if (seconds.signum() < 0) {
        throw new IllegalArgumentException("usage field 'gpu_seconds' must not be negative, got " + seconds.toPlainString());
      }
      try {
        this.gpuMillis = seconds.movePointRight(3).longValueExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "usage field 'gpu_seconds' must be whole milliseconds (at most 3 decimals), got " + seconds.toPlainString());
      }
      return this;
    }

    /** The share of a GPU the device is (a MIG slice, a time-slicing replica). */
    public Builder fraction(GpuFraction fraction) {
      this.fraction = Objects.requireNonNull(fraction, "fraction");
      return this;
    }

    /**
     * Measured utilization in basis points, 0 to 10,000.
     *
     * @throws IllegalArgumentException outside that range
     */
    public Builder utilizationBasisPoints(int basisPoints) {
      if (basisPoints < 0 || basisPoints > 10_000) {
        throw new IllegalArgumentException(
            "usage field 'utilization' must be between 0 and 10000 basis points, got " + basisPoints);
      }
      this.utilizationBasisPoints = basisPoints;
      return this;
    }

    /**
     * Measured utilization as a fraction, 0 to 1, to the basis point ({@code 0.4}, {@code 0.8125}).
     *
     * @throws IllegalArgumentException outside [0, 1] or finer than a basis point
     */
    public Builder utilization(BigDecimal fraction) {
      Objects.requireNonNull(fraction, "fraction");
      if (fraction.signum() < 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
        throw new IllegalArgumentException(
            "usage field 'utilization' must be between 0 and 1, got " + fraction.toPlainString());
      }
      try {
        return utilizationBasisPoints(fraction.movePointRight(4).intValueExact());
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "usage field 'utilization' has at most 4 decimals (basis points), got " + fraction.toPlainString());
      }
    }

    public Builder tokens(long tokens) {
      this.tokens = nonNegative("tokens", tokens);
      return this;
    }

    public Builder requests(long requests) {
      this.requests = nonNegative("requests", requests);
      return this;
    }

    /** A custom weight for {@link Split#weighted()}; any non-negative decimal. */
    public Builder weight(BigDecimal weight) {
      Objects.requireNonNull(weight, "weight");
      if (weight.signum() < 0) {
        throw new IllegalArgumentException("usage field 'weight' must not be negative, got " + weight.toPlainString());
      }
      this.weight = weight;
      return this;
    }

    /** Marks the tenant as the asset's owner. */
    public Builder owner(boolean owner) {
      this.owner = owner;
      return this;
    }

    private static long nonNegative(String field, long value) {
      if (value < 0) {
        throw new IllegalArgumentException("usage field '" + field + "' must not be negative, got " + value);
      }
      return value;
    }

    public UsageRecord build() {
      return new UsageRecord(this);
    }
  }
}
