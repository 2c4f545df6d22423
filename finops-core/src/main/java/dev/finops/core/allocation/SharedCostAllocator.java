package dev.finops.core.allocation;

import dev.finops.core.Money;
import dev.finops.core.internal.Decimals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Splits a {@link SharedAsset}'s cost over a window among the tenants that used it, and places the
 * idle part by an {@link IdlePolicy}, so that allocated + shared + idle = the asset cost exactly.
 * Immutable and thread-safe: configure one with {@link #builder()}, then share it.
 *
 * <pre>{@code
 * SharedAsset node = SharedAsset.builder("gpu-node-7", Money.usd("98.32"))
 *     .window(start, end).gpus(8).build();
 * SharedCostAllocation a = SharedCostAllocator.builder()
 *     .split(Split.proportional(Split.Metric.GPU_TIME))
 *     .idle(IdlePolicy.SEPARATE)
 *     .build()
 *     .allocate(node, records);
 * }</pre>
 *
 * <h2>The method</h2>
 *
 * <ol>
 *   <li>Records are added up per tenant ({@link TenantUsage}); tenants are ordered by name, so the
 *       result does not depend on the order of the records.
 *   <li>The asset's effective cost is expressed in whole units of {@code 10^-scale} (default {@value
 *       Allocation#DEFAULT_SCALE}; 2 for cents), rounded HALF_EVEN once.
 *   <li><b>Idle.</b> With a capacity, the tenants' GPU time is measured against it: charged GPU time
 *       (wall time × {@link GpuFraction}), or utilized GPU time when the split weighs it. The cost is
 *       divided into used and idle in the ratio used : (capacity − used). Usage above the capacity
 *       (an oversubscribed time-sliced GPU) leaves nothing idle. Without a capacity nothing is idle.
 *   <li><b>Split.</b> The used part is divided among the tenants by the {@link Split}'s weights.
 *   <li><b>Idle policy.</b> {@link IdlePolicy#SHARE}: the idle part is divided by the same weights
 *       (each line's shared cost); {@link IdlePolicy#OWNER}: it goes to the owner's line (a tenant
 *       whose records say {@code owner}, or {@link Builder#owner}; an owner without usage gets a line
 *       of its own); {@link IdlePolicy#SEPARATE}: it stays on the {@value
 *       SharedCostAllocation#IDLE_TENANT} line (present whenever the asset has a capacity).
 *   <li>The list, contracted and billed costs are divided in proportion to the lines' effective
 *       costs, and so are the lines' ratios (to 1, in units of {@code 10^-ratioScale}) and the
 *       asset's pricing quantity.
 * </ol>
 *
 * <p>Every division is {@link Allocation}'s largest-remainder apportionment: each part is within one
 * unit of its exact share, the parts add up exactly, ties go to the earlier line, and all-zero
 * weights divide evenly. The same input always gives the same result.
 */
public final class SharedCostAllocator {

  /** Decimal places of the lines' ratios unless {@link Builder#ratioScale} says otherwise. */
  public static final int DEFAULT_RATIO_SCALE = 12;

  private static final BigInteger BASIS_POINTS = BigInteger.valueOf(10_000);
  private static final BigInteger MILLIS_PER_SECOND = BigInteger.valueOf(1_000);

  private final Split split;
  private final IdlePolicy idlePolicy;
  private final String owner;
  private final Allocation allocation;
  private final int ratioScale;

  private SharedCostAllocator(Builder b) {
    this.split = b.split;
    this.idlePolicy = b.idlePolicy;
    this.owner = b.owner;
    this.allocation = Allocation.atScale(b.scale);
    this.ratioScale = b.ratioScale;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Split split() {
    return split;
  }

  public IdlePolicy idlePolicy() {
    return idlePolicy;
  }

  /** Decimal places of the smallest unit of the amounts. */
  public int scale() {
    return allocation.scale();
  }

  /**
   * Splits the asset's cost among the tenants of {@code records} (iterated once).
   *
   * @throws IllegalArgumentException if there are no records, the asset has a capacity but no record
   *     has GPU time, {@link IdlePolicy#OWNER} has no owner or records name two owners, or a custom
   *     metric is negative
   */
  public SharedCostAllocation allocate(SharedAsset asset, Iterable<? extends UsageRecord> records) {
    Objects.requireNonNull(asset, "asset");
    Objects.requireNonNull(records, "records");
    List<TenantUsage> tenants = addUp(records, asset);
    String ownerName = ownerOf(tenants, asset);
    BigInteger[] weights = split.weights(tenants);
    Money effective = asset.costs().effective();
    BigInteger units = allocation.units(effective);

    // Idle: the cost not covered by used GPU time, when the capacity is known.
    Idle idle = idle(asset, tenants, units);
    List<BigInteger> allocated = Allocation.apportion(idle.usedUnits, Arrays.asList(weights));
    List<BigInteger> shared = idlePolicy == IdlePolicy.SHARE
        ? Allocation.apportion(idle.idleUnits, Arrays.asList(weights)) : null;

    // Lines: tenants, an owner without usage, the idle line.
    List<TenantUsage> lineUsage = new ArrayList<>(tenants);
    boolean ownerWithoutUsage = idlePolicy == IdlePolicy.OWNER
        && tenants.stream().noneMatch(t -> t.tenant().equals(ownerName));
    if (ownerWithoutUsage) {
      lineUsage.add(TenantUsage.none(ownerName, true));
    }
    boolean idleLine = idlePolicy == IdlePolicy.SEPARATE && asset.capacityGpuMillis() != null;
    if (idleLine) {
      lineUsage.add(TenantUsage.none(SharedCostAllocation.IDLE_TENANT, false));
    }
    int n = lineUsage.size();
    BigInteger[] a = new BigInteger[n];
    BigInteger[] s = new BigInteger[n];
    BigInteger[] i = new BigInteger[n];
    List<BigInteger> totals = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      boolean tenant = k < tenants.size();
      a[k] = tenant ? allocated.get(k) : BigInteger.ZERO;
      s[k] = tenant && shared != null ? shared.get(k) : BigInteger.ZERO;
      boolean takesIdle = idlePolicy == IdlePolicy.OWNER ? lineUsage.get(k).tenant().equals(ownerName)
          : idleLine && k == n - 1;
      i[k] = takesIdle ? idle.idleUnits : BigInteger.ZERO;
      totals.add(a[k].add(s[k]).add(i[k]));
    }

    ChargeCosts assetCosts = asset.costs();
    List<BigInteger> list = Allocation.apportion(allocation.units(assetCosts.list()), totals);
    List<BigInteger> contracted = Allocation.apportion(allocation.units(assetCosts.contracted()), totals);
    List<BigInteger> billed = Allocation.apportion(allocation.units(assetCosts.billed()), totals);
    List<BigInteger> ratios = Allocation.apportion(BigInteger.TEN.pow(ratioScale), totals);
    int quantityScale = Math.max(Decimals.QUANTITY_SCALE, asset.pricingQuantity().stripTrailingZeros().scale());
    List<BigInteger> pricing = Allocation.apportion(
        asset.pricingQuantity().setScale(quantityScale).unscaledValue(), totals);

    List<SharedCostAllocation.Line> lines = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      TenantUsage u = lineUsage.get(k);
      boolean isIdle = idleLine && k == n - 1;
      ChargeCosts costs = ChargeCosts.of(assetCosts.category(), money(list.get(k), effective),
          money(contracted.get(k), effective), money(billed.get(k), effective), money(totals.get(k), effective));
      lines.add(new SharedCostAllocation.Line(u, isIdle, money(a[k], effective), money(s[k], effective),
          money(i[k], effective), costs, Decimals.strip(new BigDecimal(ratios.get(k), ratioScale)),
          isIdle ? idle.idleGpuSeconds : k < tenants.size() ? Decimals.strip(split.quantity(u)) : BigDecimal.ZERO,
          isIdle ? Split.Metric.GPU_TIME.unit() : split.unit(),
          Decimals.strip(new BigDecimal(pricing.get(k), quantityScale))));
    }
    return new SharedCostAllocation(asset, split, idlePolicy, ownerName, allocation.scale(),
        allocation.roundToUnit(effective), money(idle.idleUnits, effective), idle.usedGpuSeconds, lines);
  }

  private Money money(BigInteger units, Money like) {
    return Money.of(new BigDecimal(units, allocation.scale()), like.currency());
  }

  private static List<TenantUsage> addUp(Iterable<? extends UsageRecord> records, SharedAsset asset) {
    Map<String, TenantUsage.Accumulator> byTenant = new HashMap<>();
    for (UsageRecord r : records) {
      Objects.requireNonNull(r, "usage record");
      TenantUsage.Accumulator acc = byTenant.get(r.tenant());
      if (acc == null) {
        acc = new TenantUsage.Accumulator(r.tenant());
        byTenant.put(r.tenant(), acc);
      }
      acc.add(r);
    }
    if (byTenant.isEmpty()) {
      throw new IllegalArgumentException("no usage records to allocate asset '" + asset.id() + "' to");
    }
    List<TenantUsage> tenants = new ArrayList<>(byTenant.size());
    for (TenantUsage.Accumulator acc : byTenant.values()) {
      tenants.add(acc.finish());
    }
    tenants.sort(Comparator.comparing(TenantUsage::tenant));
    return tenants;
  }

  private String ownerOf(List<TenantUsage> tenants, SharedAsset asset) {
    String named = owner;
    if (named == null) {
      for (TenantUsage t : tenants) {
        if (t.isOwner()) {
          if (named != null) {
            throw new IllegalArgumentException("usage records name two owners of asset '" + asset.id() + "': '"
                + named + "' and '" + t.tenant() + "'");
          }
          named = t.tenant();
        }
      }
    }
    if (named == null && idlePolicy == IdlePolicy.OWNER) {
      throw new IllegalArgumentException("idle policy 'owner' needs an owner of asset '" + asset.id()
          + "': mark one tenant's records as owner, or configure the allocator's owner");
    }
    return named;
  }

  /** The cost in units split into used and idle, and the GPU-seconds behind them. */
  private static final class Idle {
    final BigInteger usedUnits;
    final BigInteger idleUnits;
    final BigDecimal usedGpuSeconds; // null without a capacity
    final BigDecimal idleGpuSeconds;

    Idle(BigInteger usedUnits, BigInteger idleUnits, BigDecimal usedGpuSeconds, BigDecimal idleGpuSeconds) {
      this.usedUnits = usedUnits;
      this.idleUnits = idleUnits;
      this.usedGpuSeconds = usedGpuSeconds;
      this.idleGpuSeconds = idleGpuSeconds;
    }
  }

  private Idle idle(SharedAsset asset, List<TenantUsage> tenants, BigInteger units) {
    Long capacity = asset.capacityGpuMillis();
    if (capacity == null) {
      return new Idle(units, BigInteger.ZERO, null, null);
    }
    boolean utilized = split.metric() == Split.Metric.UTILIZED_GPU_TIME;
    // used and capacity over one denominator: GPU-ms × lcm (× 10,000 for utilized time).
    BigInteger denominator = Split.commonDenominator(tenants);
    if (utilized) {
      denominator = denominator.multiply(BASIS_POINTS);
    }
    BigInteger used = BigInteger.ZERO;
    long rawMillis = 0;
    for (BigInteger w : Split.gpuWeights(tenants, utilized)) {
      used = used.add(w);
    }
    for (TenantUsage t : tenants) {
      rawMillis = Math.addExact(rawMillis, t.rawGpuMillis());
    }
    if (rawMillis == 0) {
      throw new IllegalArgumentException("asset '" + asset.id() + "' has a GPU capacity, but no usage record has GPU "
          + "time to measure it against");
    }
    BigInteger cap = BigInteger.valueOf(capacity).multiply(denominator);
    BigInteger spare = cap.subtract(used).max(BigInteger.ZERO);
    BigInteger perSecond = denominator.multiply(MILLIS_PER_SECOND);
    BigDecimal usedSeconds = Decimals.quotient(new BigDecimal(used), perSecond);
    BigDecimal idleSeconds = Decimals.quotient(new BigDecimal(spare), perSecond);
    if (spare.signum() == 0) {
      return new Idle(units, BigInteger.ZERO, usedSeconds, idleSeconds);
    }
    List<BigInteger> parts = Allocation.apportion(units, List.of(used, spare));
    return new Idle(parts.get(0), parts.get(1), usedSeconds, idleSeconds);
  }

  @Override
  public String toString() {
    return "SharedCostAllocator{" + split + ", idle=" + idlePolicy.cliName() + ", scale=" + scale() + "}";
  }

  /** Configures a {@link SharedCostAllocator}. Not thread-safe. */
  public static final class Builder {
    private Split split = Split.proportional(Split.Metric.GPU_TIME);
    private IdlePolicy idlePolicy = IdlePolicy.SEPARATE;
    private String owner;
    private int scale = Allocation.DEFAULT_SCALE;
    private int ratioScale = DEFAULT_RATIO_SCALE;

    private Builder() {}

    /** How the used cost is divided (default: in proportion to GPU time). */
    public Builder split(Split split) {
      this.split = Objects.requireNonNull(split, "split");
      return this;
    }

    /** Where the idle cost goes (default {@link IdlePolicy#SEPARATE}). */
    public Builder idle(IdlePolicy policy) {
      this.idlePolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The asset's owner, charged idle cost under {@link IdlePolicy#OWNER}; overrides owner marks in records. */
    public Builder owner(String tenant) {
      Objects.requireNonNull(tenant, "tenant");
      this.owner = UsageRecord.builder(tenant).build().tenant(); // same rules as a record's tenant
      return this;
    }

    /** Amounts in units of {@code 10^-scale} of the currency (default {@value Allocation#DEFAULT_SCALE}; 2 for cents). */
    public Builder scale(int scale) {
      Allocation.atScale(scale); // validates
      this.scale = scale;
      return this;
    }

    /** Decimal places of the lines' ratios (default {@value SharedCostAllocator#DEFAULT_RATIO_SCALE}). */
    public Builder ratioScale(int ratioScale) {
      if (ratioScale < 0 || ratioScale > 30) {
        throw new IllegalArgumentException("ratioScale must be 0 to 30: " + ratioScale);
      }
      this.ratioScale = ratioScale;
      return this;
    }

    public SharedCostAllocator build() {
      return new SharedCostAllocator(this);
    }
  }
}
