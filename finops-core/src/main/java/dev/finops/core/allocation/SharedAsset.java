package dev.finops.core.allocation;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.internal.Decimals;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.training.Hardware;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A shared asset's cost over a window, to be split among its tenants by {@link SharedCostAllocator}:
 * a GPU node, an inference endpoint, a cluster. Its cost comes from a bill line ({@link
 * #builder(String, ChargeCosts)}) or from catalog prices ({@link #onHardware}); its GPU capacity
 * (GPU-milliseconds the asset could have served in the window) is what tells used from idle. The
 * remaining fields describe it in FOCUS exports. Immutable.
 *
 * <p>Without a capacity nothing is idle: the whole cost is split among the tenants.
 */
public final class SharedAsset {

  private static final long MILLIS_PER_HOUR = UsageBucket.GPU_TIME.unit().basePerPricingUnit();

  private final String id;
  private final String name;
  private final String type;
  private final String provider;
  private final String serviceCategory;
  private final String serviceSubcategory;
  private final String serviceName;
  private final String skuId;
  private final String skuPriceId;
  private final Instant start;
  private final Instant end;
  private final ChargeCosts costs;
  private final Long capacityGpuMillis;
  private final BigDecimal pricingQuantity;
  private final String pricingUnit;
  private final Tags tags;

  private SharedAsset(Builder b, Long capacity) {
    this.id = b.id;
    this.name = b.name == null ? b.id : b.name;
    this.type = b.type;
    this.provider = b.provider;
    this.serviceCategory = b.serviceCategory;
    this.serviceSubcategory = b.serviceSubcategory;
    this.serviceName = b.serviceName;
    this.skuId = b.skuId == null ? b.id : b.skuId;
    this.skuPriceId = b.skuPriceId == null ? skuId + "/" + b.costs.category().focusName() : b.skuPriceId;
    this.start = b.start;
    this.end = b.end;
    this.costs = b.costs;
    this.capacityGpuMillis = capacity;
    if (b.pricingQuantity != null) {
      this.pricingQuantity = b.pricingQuantity;
      this.pricingUnit = b.pricingUnit;
    } else if (capacity != null) {
      this.pricingQuantity = Decimals.quotient(capacity, MILLIS_PER_HOUR);
      this.pricingUnit = "GPU-Hours";
    } else {
      this.pricingQuantity = BigDecimal.ONE;
      this.pricingUnit = "Units";
    }
    this.tags = b.tags;
  }

  /**
   * An asset whose costs are known (a bill line, an amortized server): {@code id} names it (FOCUS
   * ResourceId).
   */
  public static Builder builder(String id, ChargeCosts costs) {
    return new Builder(id, costs);
  }

  /** An asset of one standard cost; see {@link #builder(String, ChargeCosts)}. */
  public static Builder builder(String id, Money cost) {
    return new Builder(id, ChargeCosts.standard(cost));
  }

  /**
   * An asset priced from the catalogs: {@code hardware} (instances bought on demand, on spot or
   * committed; owned GPUs) over [start, end). The cost is its GPUs' time at the purchase option's rate
   * per GPU-hour, the list cost the same time on demand; the capacity is GPUs × the window.
   *
   * @throws dev.finops.core.pricing.PricingException if the catalogs do not price the hardware then
   * @throws IllegalArgumentException if the window is empty
   */
  public static Builder onHardware(String id, Hardware hardware, Pricing pricing, Instant start, Instant end) {
    Objects.requireNonNull(hardware, "hardware");
    Objects.requireNonNull(pricing, "pricing");
    checkWindow(start, end);
    long at = start.toEpochMilli();
    PriceKey key = hardware.priceKey(pricing, at);
    PriceKey onDemand = hardware.option() == PurchaseOption.ON_DEMAND || key.kind() != PriceKey.Kind.GPU
        ? key : hardware.withOption(PurchaseOption.ON_DEMAND).priceKey(pricing, at);
    long gpuMillis = Math.multiplyExact(end.toEpochMilli() - at, (long) hardware.gpus(pricing, at));
    long[] q = new long[UsageBucket.COUNT];
    q[UsageBucket.GPU_TIME.ordinal()] = gpuMillis;
    Money cost = key.cost(q);
    ChargeCosts costs = key.kind() == PriceKey.Kind.ON_PREM
        ? ChargeCosts.of(PricingCategory.OTHER, cost, cost, cost, cost)
        : ChargeCosts.forPurchase(hardware.option(), onDemand.cost(q), cost, BigDecimal.ZERO);
    String provider = key.provider() == null ? "custom" : key.provider();
    String sku = provider + "/" + key.resource();
    return new Builder(id, costs)
        .window(start, end)
        .capacityGpuMillis(gpuMillis)
        .type(key.kind() == PriceKey.Kind.GPU ? "GPU Instance" : "GPU Server")
        .provider(provider)
        .service("Compute", key.kind() == PriceKey.Kind.GPU ? "Virtual Machines" : "Other (Compute)",
            provider + " GPU capacity")
        .sku(sku, sku + "/" + hardware.option().jsonName()
            + (key.catalogVersion() == null ? "" : "@" + key.catalogVersion()));
  }

  private static void checkWindow(Instant start, Instant end) {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("the window must end after it starts: " + start + " .. " + end);
    }
  }

  /** FOCUS ResourceId. */
  public String id() {
    return id;
  }

  /** FOCUS ResourceName (the id unless given). */
  public String name() {
    return name;
  }

  /** FOCUS ResourceType. */
  public String type() {
    return type;
  }

  /** Who provides the asset (FOCUS ServiceProviderName and HostProviderName). */
  public String provider() {
    return provider;
  }

  public String serviceCategory() {
    return serviceCategory;
  }

  public String serviceSubcategory() {
    return serviceSubcategory;
  }

  public String serviceName() {
    return serviceName;
  }

  public String skuId() {
    return skuId;
  }

  public String skuPriceId() {
    return skuPriceId;
  }

  /** Start of the window (inclusive), or {@code null} when not given. */
  public Instant start() {
    return start;
  }

  /** End of the window (exclusive), or {@code null} when not given. */
  public Instant end() {
    return end;
  }

  public ChargeCosts costs() {
    return costs;
  }

  /** GPU-milliseconds the asset could serve in the window, or {@code null} when unknown (nothing is idle). */
  public Long capacityGpuMillis() {
    return capacityGpuMillis;
  }

  /** FOCUS PricingQuantity of the whole asset: GPU-hours of capacity, else what was given, else 1. */
  public BigDecimal pricingQuantity() {
    return pricingQuantity;
  }

  /** FOCUS PricingUnit of {@link #pricingQuantity()} ({@code "GPU-Hours"}, {@code "Units"}). */
  public String pricingUnit() {
    return pricingUnit;
  }

  /** The asset's tags (FOCUS Tags). */
  public Tags tags() {
    return tags;
  }

  @Override
  public String toString() {
    return "SharedAsset{" + id + ", " + costs + (capacityGpuMillis == null ? "" : ", capacity_gpu_ms="
        + capacityGpuMillis) + "}";
  }

  /** Configures a {@link SharedAsset}. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private final ChargeCosts costs;
    private String name;
    private String type = "Shared Asset";
    private String provider = "Internal";
    private String serviceCategory = "Compute";
    private String serviceSubcategory = "Other (Compute)";
    private String serviceName = "Shared GPU capacity";
    private String skuId;
    private String skuPriceId;
    private Instant start;
    private Instant end;
    private Long capacityGpuMillis;
    private Integer gpus;
    private BigDecimal pricingQuantity;
    private String pricingUnit;
    private Tags tags = Tags.EMPTY;

    private Builder(String id, ChargeCosts costs) {
      this.id = text("id", id);
      this.costs = Objects.requireNonNull(costs, "costs");
    }

    public Builder name(String name) {
      this.name = text("name", name);
      return this;
    }

    public Builder type(String type) {
      this.type = text("type", type);
      return this;
    }

    public Builder provider(String provider) {
      this.provider = text("provider", provider);
      return this;
    }

    /** FOCUS ServiceCategory, ServiceSubcategory and ServiceName. */
    public Builder service(String category, String subcategory, String serviceName) {
      this.serviceCategory = text("service category", category);
      this.serviceSubcategory = text("service subcategory", subcategory);
      this.serviceName = text("service name", serviceName);
      return this;
    }

    /** FOCUS SkuId and SkuPriceId. */
    public Builder sku(String skuId, String skuPriceId) {
      this.skuId = text("sku id", skuId);
      this.skuPriceId = text("sku price id", skuPriceId);
      return this;
    }

    /** The window [start, end) the cost covers (FOCUS ChargePeriodStart and ChargePeriodEnd). */
    public Builder window(Instant start, Instant end) {
      checkWindow(start, end);
      this.start = start;
      this.end = end;
      return this;
    }

    /** GPU-milliseconds the asset could serve in the window. */
    public Builder capacityGpuMillis(long gpuMillis) {
      if (gpuMillis <= 0) {
        throw new IllegalArgumentException("capacity must be positive: " + gpuMillis + " GPU-ms");
      }
      this.capacityGpuMillis = gpuMillis;
      this.gpus = null;
      return this;
    }

    /** The capacity as GPUs × the window (set the window too). */
    public Builder gpus(int gpus) {
      if (gpus < 1) {
        throw new IllegalArgumentException("gpus must be at least 1: " + gpus);
      }
      this.gpus = gpus;
      this.capacityGpuMillis = null;
      return this;
    }

    /** FOCUS PricingQuantity and PricingUnit of the whole asset (default: GPU-hours of capacity, else 1 Units). */
    public Builder pricing(BigDecimal quantity, String unit) {
      Objects.requireNonNull(quantity, "quantity");
      if (quantity.signum() < 0) {
        throw new IllegalArgumentException("pricing quantity must not be negative: " + quantity.toPlainString());
      }
      this.pricingQuantity = quantity;
      this.pricingUnit = text("pricing unit", unit);
      return this;
    }

    public Builder tags(Tags tags) {
      this.tags = Objects.requireNonNull(tags, "tags");
      return this;
    }

    private static String text(String field, String value) {
      Objects.requireNonNull(value, field);
      if (value.isBlank()) {
        throw new IllegalArgumentException("asset " + field + " must not be blank");
      }
      return value;
    }

    /** @throws IllegalStateException if {@link #gpus} was given without a window */
    public SharedAsset build() {
      Long capacity = capacityGpuMillis;
      if (gpus != null) {
        if (start == null) {
          throw new IllegalStateException("asset '" + id + "': gpus(" + gpus + ") needs a window for the capacity");
        }
        capacity = Math.multiplyExact(end.toEpochMilli() - start.toEpochMilli(), (long) gpus);
      }
      return new SharedAsset(this, capacity);
    }
  }
}
