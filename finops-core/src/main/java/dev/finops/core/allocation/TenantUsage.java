package dev.finops.core.allocation;

import dev.finops.core.internal.Decimals;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * One tenant's usage records added up, exactly: what a {@link Split} weighs and what an allocation
 * line reports. Immutable and thread-safe.
 *
 * <p>GPU time counts each record's wall GPU-milliseconds times its {@link GpuFraction}, so it may
 * not terminate as a decimal (an hour on a 1/7 slice); it is kept as an exact fraction and the
 * decimal accessors round HALF_EVEN to {@value Decimals#QUANTITY_SCALE} places only when it does not
 * terminate. Utilized GPU time weighs each record's GPU time by its measured utilization; records
 * without one count as fully utilized (their GPU time was allocated, which is what is billed).
 */
public final class TenantUsage {

  private static final BigInteger BASIS_POINTS = BigInteger.valueOf(10_000);
  private static final BigInteger MILLIS_PER_SECOND = BigInteger.valueOf(1_000);

  private final String tenant;
  private final long records;
  private final boolean owner;
  private final long rawGpuMillis;
  private final long denominator; // of the GPU-time numerators below
  private final BigInteger gpu; // Σ GPU-ms × fraction × denominator
  private final BigInteger utilized; // Σ GPU-ms × fraction × denominator × basis points (10,000 if unmeasured)
  private final BigInteger measured; // like gpu, over the records with a utilization
  private final BigInteger measuredWeighted; // like utilized, over the records with a utilization
  private final long tokens;
  private final long requests;
  private final BigDecimal weight;

  private TenantUsage(String tenant, long records, boolean owner, long rawGpuMillis, long denominator, BigInteger gpu,
      BigInteger utilized, BigInteger measured, BigInteger measuredWeighted, long tokens, long requests,
      BigDecimal weight) {
    this.tenant = tenant;
    this.records = records;
    this.owner = owner;
    this.rawGpuMillis = rawGpuMillis;
    this.denominator = denominator;
    this.gpu = gpu;
    this.utilized = utilized;
    this.measured = measured;
    this.measuredWeighted = measuredWeighted;
    this.tokens = tokens;
    this.requests = requests;
    this.weight = weight;
  }

  /** A tenant with no usage (an owner without records, the idle line). */
  static TenantUsage none(String tenant, boolean owner) {
    return new TenantUsage(tenant, 0, owner, 0, 1, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO,
        BigInteger.ZERO, 0, 0, BigDecimal.ZERO);
  }

  public String tenant() {
    return tenant;
  }

  /** How many usage records were added up. */
  public long records() {
    return records;
  }

  /** True if a record marked the tenant as the asset's owner. */
  public boolean isOwner() {
    return owner;
  }

  /** Wall GPU-milliseconds on the tenant's devices, before fractions. */
  public long rawGpuMillis() {
    return rawGpuMillis;
  }

  /** GPU-seconds charged: Σ wall seconds × fraction; exact, or HALF_EVEN at 12 places. */
  public BigDecimal gpuSeconds() {
    return Decimals.quotient(new BigDecimal(gpu), BigInteger.valueOf(denominator).multiply(MILLIS_PER_SECOND));
  }

  /** GPU-seconds weighted by measured utilization (unmeasured records count in full); exact, or 12 places. */
  public BigDecimal utilizedGpuSeconds() {
    return Decimals.quotient(new BigDecimal(utilized),
        BigInteger.valueOf(denominator).multiply(MILLIS_PER_SECOND).multiply(BASIS_POINTS));
  }

  /** True if some record carried a measured utilization. */
  public boolean hasMeasuredUtilization() {
    return measured.signum() > 0;
  }

  /**
   * The GPU-time-weighted mean of the measured utilizations (0 to 1), over the records that have one;
   * exact, or 12 places; {@code null} when none was measured (or they had no GPU time).
   */
  public BigDecimal measuredUtilization() {
    if (measured.signum() == 0) {
      return null;
    }
    return Decimals.quotient(new BigDecimal(measuredWeighted), measured.multiply(BASIS_POINTS));
  }

  public long tokens() {
    return tokens;
  }

  public long requests() {
    return requests;
  }

  /** The sum of the records' weights; zero when none was given. */
  public BigDecimal weight() {
    return weight;
  }

  /** GPU time as {@code numerator / denominator} GPU-ms; the exact form the split weighs. */
  BigInteger gpuNumerator() {
    return gpu;
  }

  /** Utilized GPU time as {@code numerator / (denominator × 10,000)} GPU-ms. */
  BigInteger utilizedNumerator() {
    return utilized;
  }

  long denominator() {
    return denominator;
  }

  @Override
  public String toString() {
    return "TenantUsage{" + tenant + ", records=" + records + ", gpu_s=" + gpuSeconds().toPlainString()
        + ", tokens=" + tokens + ", requests=" + requests + (owner ? ", owner" : "") + "}";
  }

  /** Adds up one tenant's records, exactly, with no allocation on the common path. Not thread-safe. */
  static final class Accumulator {
    private final String tenant;
    private long records;
    private boolean owner;
    private long rawGpuMillis;
    private long denominator = 1;
    private final ExactSum gpu = new ExactSum();
    private final ExactSum utilized = new ExactSum();
    private final ExactSum measured = new ExactSum();
    private final ExactSum measuredWeighted = new ExactSum();
    private long tokens;
    private long requests;
    private BigDecimal weight = BigDecimal.ZERO;

    Accumulator(String tenant) {
      this.tenant = tenant;
    }

    void add(UsageRecord r) {
      records++;
      owner |= r.owner();
      tokens = Math.addExact(tokens, r.tokens());
      requests = Math.addExact(requests, r.requests());
      if (r.weight() != null) {
        weight = weight.add(r.weight());
      }
      long ms = r.gpuMillis();
      if (ms == 0) {
        return;
      }
      rawGpuMillis = Math.addExact(rawGpuMillis, ms);
      GpuFraction f = r.fraction();
      if (denominator % f.denominator() != 0) {
        widen(f.denominator());
      }
      long multiplier = Math.multiplyExact(f.numerator(), denominator / f.denominator());
      gpu.add(ms, multiplier);
      int bp = r.hasUtilization() ? r.utilizationBasisPoints() : 10_000;
      utilized.add(ms, Math.multiplyExact(multiplier, (long) bp));
      if (r.hasUtilization()) {
        measured.add(ms, multiplier);
        measuredWeighted.add(ms, Math.multiplyExact(multiplier, (long) bp));
      }
    }

    /** Moves the sums to the least common multiple of the denominator and {@code d}. */
    private void widen(long d) {
      long g = BigInteger.valueOf(denominator).gcd(BigInteger.valueOf(d)).longValueExact();
      long factor = d / g;
      denominator = Math.multiplyExact(denominator, factor);
      gpu.scale(factor);
      utilized.scale(factor);
      measured.scale(factor);
      measuredWeighted.scale(factor);
    }

    TenantUsage finish() {
      return new TenantUsage(tenant, records, owner, rawGpuMillis, denominator, gpu.value(), utilized.value(),
          measured.value(), measuredWeighted.value(), tokens, requests, weight);
    }
  }

  /** A non-negative sum of products in a long, moving to a BigInteger if it ever overflows. */
  static final class ExactSum {
    private long small;
    private BigInteger big; // null while the sum fits a long

    void add(long a, long b) {
      if (big == null) {
        try {
          small = Math.addExact(small, Math.multiplyExact(a, b));
          return;
        } catch (ArithmeticException overflow) {
          big = BigInteger.valueOf(small);
        }
      }
      big = big.add(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)));
    }

    void scale(long factor) {
      if (big == null) {
        try {
          small = Math.multiplyExact(small, factor);
          return;
        } catch (ArithmeticException overflow) {
          big = BigInteger.valueOf(small);
        }
      }
      big = big.multiply(BigInteger.valueOf(factor));
    }

    BigInteger value() {
      return big != null ? big : BigInteger.valueOf(small);
    }
  }
}
