package dev.finops.core.allocation;

import dev.finops.core.Money;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A shared asset's cost split among its tenants by {@link SharedCostAllocator}: one {@link Line} per
 * tenant (sorted by name), then the owner's line if the owner had no usage, then the {@value
 * #IDLE_TENANT} line under {@link IdlePolicy#SEPARATE}. Immutable and thread-safe.
 *
 * <p><b>Conservation.</b> Every amount is a whole number of units of {@code 10^-}{@link #scale()};
 * over all lines, allocated + shared + idle = {@link #total()}, the asset's effective cost rounded
 * HALF_EVEN to that unit once. The list, contracted and billed costs of the lines likewise add up to
 * the asset's, each rounded once; the lines' {@link Line#ratio() ratios} add up to exactly 1, and
 * their pricing quantities to the asset's. An instance that would break this is never created.
 */
public final class SharedCostAllocation {

  /** The tenant name of the line that keeps idle cost apart ({@link IdlePolicy#SEPARATE}). */
  public static final String IDLE_TENANT = "__idle__";

  /** One tenant's share of the asset (or the idle line). Immutable. */
  public static final class Line {
    private final TenantUsage usage;
    private final boolean idleLine;
    private final Money allocated;
    private final Money shared;
    private final Money idle;
    private final ChargeCosts costs;
    private final BigDecimal ratio;
    private final BigDecimal quantity;
    private final String quantityUnit;
    private final BigDecimal pricingQuantity;

    Line(TenantUsage usage, boolean idleLine, Money allocated, Money shared, Money idle, ChargeCosts costs,
        BigDecimal ratio, BigDecimal quantity, String quantityUnit, BigDecimal pricingQuantity) {
      this.usage = usage;
      this.idleLine = idleLine;
      this.allocated = allocated;
      this.shared = shared;
      this.idle = idle;
      this.costs = costs;
      this.ratio = ratio;
      this.quantity = quantity;
      this.quantityUnit = quantityUnit;
      this.pricingQuantity = pricingQuantity;
    }

    /** The tenant, or {@value SharedCostAllocation#IDLE_TENANT}. */
    public String tenant() {
      return usage.tenant();
    }

    /** True for the {@value SharedCostAllocation#IDLE_TENANT} line. */
    public boolean isIdleLine() {
      return idleLine;
    }

    /** The tenant's usage added up (empty for the idle line and an owner without records). */
    public TenantUsage usage() {
      return usage;
    }

    /** The tenant's share of the used (non-idle) cost, by the split. */
    public Money allocated() {
      return allocated;
    }

    /** The tenant's share of the idle cost under {@link IdlePolicy#SHARE}; zero otherwise. */
    public Money shared() {
      return shared;
    }

    /** Idle cost charged to this line: the owner's under {@link IdlePolicy#OWNER}, the idle line's. */
    public Money idle() {
      return idle;
    }

    /** Allocated + shared + idle: the line's effective cost. */
    public Money total() {
      return costs.effective();
    }

    /** The line's list, contracted, billed and effective costs (each column split like the effective cost). */
    public ChargeCosts costs() {
      return costs;
    }

    /** The line's share of the asset (FOCUS AllocatedRatio); the lines' ratios add up to exactly 1. */
    public BigDecimal ratio() {
      return ratio;
    }

    /** What the line weighed in {@link #quantityUnit()}: the split's quantity, or idle GPU-seconds. */
    public BigDecimal quantity() {
      return quantity;
    }

    public String quantityUnit() {
      return quantityUnit;
    }

    /** The line's share of the asset's pricing quantity (same ratios as the costs). */
    public BigDecimal pricingQuantity() {
      return pricingQuantity;
    }

    @Override
    public String toString() {
      return tenant() + ": allocated=" + allocated + ", shared=" + shared + ", idle=" + idle;
    }
  }

  private final SharedAsset asset;
  private final Split split;
  private final IdlePolicy idlePolicy;
  private final String owner;
  private final int scale;
  private final Money total;
  private final Money idleCost;
  private final BigDecimal usedGpuSeconds;
  private final List<Line> lines;

  SharedCostAllocation(SharedAsset asset, Split split, IdlePolicy idlePolicy, String owner, int scale, Money total,
      Money idleCost, BigDecimal usedGpuSeconds, List<Line> lines) {
    this.asset = asset;
    this.split = split;
    this.idlePolicy = idlePolicy;
    this.owner = owner;
    this.scale = scale;
    this.total = total;
    this.idleCost = idleCost;
    this.usedGpuSeconds = usedGpuSeconds;
    this.lines = Collections.unmodifiableList(lines);
    Money sum = Money.zero(total.currency());
    for (Line l : lines) {
      sum = sum.plus(l.allocated).plus(l.shared).plus(l.idle);
    }
    if (!sum.equals(total)) { // cannot happen with largest-remainder apportionment
      throw new IllegalStateException("allocation does not conserve cost: lines add up to " + sum + ", expected " + total);
    }
  }

  public SharedAsset asset() {
    return asset;
  }

  public Split split() {
    return split;
  }

  public IdlePolicy idlePolicy() {
    return idlePolicy;
  }

  /** The owner charged idle cost, or {@code null} when none was named. */
  public String owner() {
    return owner;
  }

  /** Decimal places of the smallest unit every amount is a whole number of. */
  public int scale() {
    return scale;
  }

  /** The asset's effective cost rounded HALF_EVEN to the unit once: what the lines add up to. */
  public Money total() {
    return total;
  }

  /** The lines: tenants by name, then an owner without usage, then the idle line. */
  public List<Line> lines() {
    return lines;
  }

  /** The line of {@code tenant}, or {@code null}. */
  public Line line(String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    for (Line l : lines) {
      if (l.tenant().equals(tenant)) {
        return l;
      }
    }
    return null;
  }

  /** The idle cost: the asset cost no tenant's usage covers, before the idle policy places it. */
  public Money idleCost() {
    return idleCost;
  }

  /** The sum of the lines' allocated costs. */
  public Money allocatedTotal() {
    return sum(Column.ALLOCATED);
  }

  /** The sum of the lines' shared idle costs. */
  public Money sharedTotal() {
    return sum(Column.SHARED);
  }

  /** The sum of the idle cost charged to lines (the owner's, the idle line's). */
  public Money idleTotal() {
    return sum(Column.IDLE);
  }

  private enum Column { ALLOCATED, SHARED, IDLE }

  private Money sum(Column c) {
    Money s = Money.zero(total.currency());
    for (Line l : lines) {
      s = s.plus(c == Column.ALLOCATED ? l.allocated : c == Column.SHARED ? l.shared : l.idle);
    }
    return s;
  }

  /**
   * The GPU-seconds the tenants used against the capacity (utilized GPU time when the split weighs
   * it, else charged GPU time), exact or 12 places; {@code null} when the asset has no capacity.
   */
  public BigDecimal usedGpuSeconds() {
    return usedGpuSeconds;
  }

  /** Allocated + shared + idle over all lines equals {@link #total()}: always true (checked on creation). */
  public boolean isConserved() {
    return allocatedTotal().plus(sharedTotal()).plus(idleTotal()).equals(total);
  }

  /** {@code "proportional:gpu_seconds/idle:separate"}: the method, for FOCUS AllocatedMethodId. */
  public String methodId() {
    return split.name() + "/idle:" + idlePolicy.cliName();
  }

  @Override
  public String toString() {
    return "SharedCostAllocation{" + asset.id() + ", " + methodId() + ", total=" + total + ", lines=" + lines.size()
        + "}";
  }
}
