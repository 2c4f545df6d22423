package dev.finops.core.allocation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How {@link SharedCostAllocator} divides an asset's allocated cost among tenants: in proportion to
 * a usage {@link Metric}, evenly, by the records' custom weights, or by a metric the caller computes.
 * Only the ratios of the tenants' weights matter; they are compared exactly. Immutable.
 *
 * <p>When every tenant weighs zero (nobody sent a token), the cost is split evenly, as {@link
 * Allocation} does.
 */
public final class Split {

  /** A usage quantity to split in proportion to. */
  public enum Metric {
    /** GPU time charged: wall GPU-seconds × {@link GpuFraction}. OpenCost's GPU allocation. */
    GPU_TIME("gpu_seconds", "GPU-Seconds"),
    /** GPU time weighted by measured utilization: what the tenant kept busy. */
    UTILIZED_GPU_TIME("utilized_gpu_seconds", "GPU-Seconds"),
    /** Tokens. */
    TOKENS("tokens", "Tokens"),
    /** Requests. */
    REQUESTS("requests", "Requests");

    private final String metricName;
    private final String unit;

    Metric(String metricName, String unit) {
      this.metricName = metricName;
      this.unit = unit;
    }

    /** The name in usage files and the CLI ({@code "gpu_seconds"}). */
    public String metricName() {
      return metricName;
    }

    /** The FOCUS unit of the quantity ({@code "GPU-Seconds"}). */
    public String unit() {
      return unit;
    }

    /** The metric with this name, or {@code null}. */
    public static Metric byName(String name) {
      for (Metric m : values()) {
        if (m.metricName.equals(name)) {
          return m;
        }
      }
      return null;
    }
  }

  /** The kinds of split. */
  public enum Kind {
    PROPORTIONAL,
    EVEN,
    WEIGHTED,
    CUSTOM
  }

  private static final Split EVEN = new Split(Kind.EVEN, null, "even", "Tenants", null);
  private static final Split WEIGHTED = new Split(Kind.WEIGHTED, null, "weighted", "Units", null);

  private final Kind kind;
  private final Metric metric;
  private final String name;
  private final String unit;
  private final Function<TenantUsage, BigDecimal> custom;

  private Split(Kind kind, Metric metric, String name, String unit, Function<TenantUsage, BigDecimal> custom) {
    this.kind = kind;
    this.metric = metric;
    this.name = name;
    this.unit = unit;
    this.custom = custom;
  }

  /** In proportion to a usage metric (GPU time, utilized GPU time, tokens, requests). */
  public static Split proportional(Metric metric) {
    Objects.requireNonNull(metric, "metric");
    return new Split(Kind.PROPORTIONAL, metric, "proportional:" + metric.metricName, metric.unit, null);
  }

  /** The same share for every tenant. */
  public static Split even() {
    return EVEN;
  }

  /** By the tenants' custom weights ({@link UsageRecord.Builder#weight}); a tenant without one weighs zero. */
  public static Split weighted() {
    return WEIGHTED;
  }

  /**
   * By a metric the caller computes per tenant (bytes of egress, seats, a quota).
   *
   * @param name what the metric is, for reports and FOCUS ({@code "egress_gb"})
   * @param unit its unit ({@code "GB"})
   * @param metric the tenant's quantity; non-negative, never {@code null}
   */
  public static Split custom(String name, String unit, Function<TenantUsage, BigDecimal> metric) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(metric, "metric");
    return new Split(Kind.CUSTOM, null, "custom:" + name, unit, metric);
  }

  public Kind kind() {
    return kind;
  }

  /** The metric of a proportional split, else {@code null}. */
  public Metric metric() {
    return metric;
  }

  /** {@code "proportional:gpu_seconds"}, {@code "even"}, {@code "weighted"}, {@code "custom:NAME"}. */
  public String name() {
    return name;
  }

  /** The unit of {@link #quantity}. */
  public String unit() {
    return unit;
  }

  /**
   * What a tenant weighs under this split, in {@link #unit()}: its metric, 1 for an even split, its
   * weight.
   *
   * @throws IllegalArgumentException if a custom metric is null or negative for the tenant
   */
  public BigDecimal quantity(TenantUsage usage) {
    switch (kind) {
      case EVEN:
        return BigDecimal.ONE;
      case WEIGHTED:
        return usage.weight();
      case CUSTOM:
        return customQuantity(usage);
      default:
        switch (metric) {
          case GPU_TIME:
            return usage.gpuSeconds();
          case UTILIZED_GPU_TIME:
            return usage.utilizedGpuSeconds();
          case TOKENS:
            return BigDecimal.valueOf(usage.tokens());
          default:
            return BigDecimal.valueOf(usage.requests());
        }
    }
  }

  private BigDecimal customQuantity(TenantUsage usage) {
    BigDecimal q = custom.apply(usage);
    if (q == null || q.signum() < 0) {
      throw new IllegalArgumentException("custom metric '" + name + "' must be a non-negative number for tenant '"
          + usage.tenant() + "', got " + (q == null ? "null" : q.toPlainString()));
    }
    return q;
  }

  /** True if the split weighs GPU time ({@link Metric#GPU_TIME} or {@link Metric#UTILIZED_GPU_TIME}). */
  boolean weighsGpuTime() {
    return metric == Metric.GPU_TIME || metric == Metric.UTILIZED_GPU_TIME;
  }

  /**
   * Exact integer weights with the ratios of the tenants' quantities. GPU times are brought to one
   * common denominator first, so fractional GPUs weigh exactly their fraction.
   */
  BigInteger[] weights(List<TenantUsage> tenants) {
    BigInteger[] out = new BigInteger[tenants.size()];
    if (kind == Kind.EVEN) {
      java.util.Arrays.fill(out, BigInteger.ONE);
      return out;
    }
    if (kind == Kind.PROPORTIONAL) {
      switch (metric) {
        case GPU_TIME:
          return gpuWeights(tenants, false);
        case UTILIZED_GPU_TIME:
          return gpuWeights(tenants, true);
        case TOKENS:
          for (int i = 0; i < out.length; i++) {
            out[i] = BigInteger.valueOf(tenants.get(i).tokens());
          }
          return out;
        default:
          for (int i = 0; i < out.length; i++) {
            out[i] = BigInteger.valueOf(tenants.get(i).requests());
          }
          return out;
      }
    }
    List<BigDecimal> decimals = new ArrayList<>(tenants.size());
    for (TenantUsage t : tenants) {
      decimals.add(quantity(t));
    }
    return Allocation.integerWeights(decimals);
  }

  /** GPU times (or utilized GPU times) over the least common denominator of the tenants'. */
  static BigInteger[] gpuWeights(List<TenantUsage> tenants, boolean utilized) {
    BigInteger lcm = commonDenominator(tenants);
    BigInteger[] out = new BigInteger[tenants.size()];
    for (int i = 0; i < out.length; i++) {
      TenantUsage t = tenants.get(i);
      BigInteger factor = lcm.divide(BigInteger.valueOf(t.denominator()));
      out[i] = (utilized ? t.utilizedNumerator() : t.gpuNumerator()).multiply(factor);
    }
    return out;
  }

  /** The least common multiple of the tenants' GPU-time denominators. */
  static BigInteger commonDenominator(List<TenantUsage> tenants) {
    BigInteger lcm = BigInteger.ONE;
    for (TenantUsage t : tenants) {
      BigInteger d = BigInteger.valueOf(t.denominator());
      if (!lcm.mod(d).equals(BigInteger.ZERO)) {
        lcm = lcm.multiply(d).divide(lcm.gcd(d));
      }
    }
    return lcm;
  }

  @Override
  public String toString() {
    return name;
  }
}
