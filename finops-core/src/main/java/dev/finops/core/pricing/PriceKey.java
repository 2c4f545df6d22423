package dev.finops.core.pricing;

import dev.finops.core.Money;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.ModelPrice;
import dev.finops.core.catalog.PriceSource;
import dev.finops.core.catalog.PurchaseOption;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Identifies the exact unit prices a quantity was priced with: what was priced (a model, GPU
 * capacity, ...), the effective-dated price version, the long-context tier, the service tier, and
 * where the price came from. The ledger keeps quantities per (account, price key), so costs are
 * derived exactly and a snapshot can be re-priced against another catalog.
 *
 * <p>Keys for catalog prices are created once per catalog entry and reused, so pricing and recording
 * allocate none. Compare keys by identity or {@link #equals}; both agree for catalog keys.
 */
public final class PriceKey {

  /** What kind of thing was priced. */
  public enum Kind {
    /** A model priced per token or request. */
    MODEL,
    /** Cloud GPU capacity priced per GPU-hour. */
    GPU,
    /** Owned GPUs: amortized hardware per GPU-hour plus energy per kWh. */
    ON_PREM,
    /** A rate the caller gave (a custom hourly rate, a negotiated price). */
    CUSTOM,
    /** A cost the caller supplied as a whole; the key carries no unit prices. */
    CALLER_SUPPLIED,
    /** Not priced; quantities only. */
    UNPRICED
  }

  private final Kind kind;
  private final String provider;
  private final String resource;
  private final ModelPrice modelPrice;
  private final int contextTier;
  private final String serviceTier;
  private final PurchaseOption purchaseOption;
  private final BucketPrices rates;
  private final PriceSource source;
  private final String catalogName;
  private final String catalogVersion;
  private final Currency currency;
  /** The exact rate per GPU-hour where {@link #rates} can only hold it rounded (a third of a cent); else null. */
  private final Money exactGpuHourly;
  private final String region;

  PriceKey(Kind kind, String provider, String resource, ModelPrice modelPrice, int contextTier, String serviceTier,
      PurchaseOption purchaseOption, BucketPrices rates, PriceSource source, String catalogName,
      String catalogVersion, Currency currency) {
    this(kind, provider, resource, modelPrice, contextTier, serviceTier, purchaseOption, rates, source, catalogName,
        catalogVersion, currency, null, null);
  }

  private PriceKey(Kind kind, String provider, String resource, ModelPrice modelPrice, int contextTier,
      String serviceTier, PurchaseOption purchaseOption, BucketPrices rates, PriceSource source, String catalogName,
      String catalogVersion, Currency currency, Money exactGpuHourly, String region) {
    this.exactGpuHourly = exactGpuHourly;
    this.region = region;
    this.kind = Objects.requireNonNull(kind, "kind");
    this.provider = provider;
    this.resource = Objects.requireNonNull(resource, "resource");
    this.modelPrice = modelPrice;
    this.contextTier = contextTier;
    this.serviceTier = serviceTier == null ? Usage.STANDARD_TIER : serviceTier;
    this.purchaseOption = purchaseOption;
    this.rates = rates;
    this.source = Objects.requireNonNull(source, "source");
    this.catalogName = catalogName;
    this.catalogVersion = catalogVersion;
    this.currency = Objects.requireNonNull(currency, "currency");
  }

  /**
   * A key for GPU time at an hourly rate per GPU (a custom rate, or a catalog instance's rate divided
   * by its GPUs): {@link UsageBucket#GPU_TIME} priced per GPU-hour.
   */
  public static PriceKey gpuTime(Kind kind, String provider, String resource, PurchaseOption option,
      BigDecimal perGpuHour, PriceSource source, String catalogName, String catalogVersion, Currency currency) {
    return gpuTime(kind, provider, null, resource, option, perGpuHour, source, catalogName, catalogVersion, currency);
  }

  /**
   * As {@link #gpuTime(Kind, String, String, PurchaseOption, BigDecimal, PriceSource, String, String,
   * Currency)}, for capacity in a cloud region ({@code null} when unknown): re-pricing to another
   * purchase option then uses the same region's price.
   */
  public static PriceKey gpuTime(Kind kind, String provider, String region, String resource, PurchaseOption option,
      BigDecimal perGpuHour, PriceSource source, String catalogName, String catalogVersion, Currency currency) {
    Map<UsageBucket, BigDecimal> m = new EnumMap<>(UsageBucket.class);
    m.put(UsageBucket.GPU_TIME, perGpuHour);
    return new PriceKey(kind, provider, resource, null, 0, null, option, BucketPrices.of(m), source, catalogName,
        catalogVersion, currency, null, region);
  }

  /**
   * The places to which {@link #rates} round a rate per GPU-hour that is no terminating decimal (an
   * instance rate over a GPU count it does not divide by); the key itself prices with the exact rate.
   */
  static final int ROUNDED_GPU_RATE_SCALE = 30;

  /**
   * A key for GPU time of an instance priced {@code instanceHourly} with {@code gpus} GPUs: {@link
   * UsageBucket#GPU_TIME} per GPU-hour at {@code instanceHourly ÷ gpus}, exact. When that rate does not
   * terminate ($10 over 3 GPUs), {@link #rates()} holds it rounded HALF_EVEN to {@value
   * #ROUNDED_GPU_RATE_SCALE} places for readers of the decimal, while {@link #gpuHourly()} and every cost
   * this key computes ({@link #cost(long[])}, {@link #cost(UsageBucket, long)}, pricing) use the exact
   * fraction, so the GPUs of an instance-hour re-sum to the instance price.
   */
  static PriceKey gpuTime(Kind kind, String provider, String region, String resource, PurchaseOption option,
      Money instanceHourly, int gpus, PriceSource source, String catalogName, String catalogVersion) {
    Money perGpu = instanceHourly.dividedBy(gpus);
    Currency currency = instanceHourly.currency();
    if (perGpu.isTerminating()) {
      return gpuTime(kind, provider, region, resource, option, perGpu.exactAmount().stripTrailingZeros(), source,
          catalogName, catalogVersion, currency);
    }
    Map<UsageBucket, BigDecimal> m = new EnumMap<>(UsageBucket.class);
    m.put(UsageBucket.GPU_TIME, perGpu.amount(ROUNDED_GPU_RATE_SCALE));
    return new PriceKey(kind, provider, resource, null, 0, null, option, BucketPrices.of(m), source, catalogName,
        catalogVersion, currency, perGpu, region);
  }

  /** A key for owned GPUs: GPU time at the amortized rate per GPU-hour and energy per kWh. */
  public static PriceKey onPrem(String id, BigDecimal amortizedGpuHourly, BigDecimal energyPerKwh,
      PriceSource source, String catalogName, String catalogVersion, Currency currency) {
    Map<UsageBucket, BigDecimal> m = new EnumMap<>(UsageBucket.class);
    m.put(UsageBucket.GPU_TIME, amortizedGpuHourly);
    m.put(UsageBucket.ENERGY, energyPerKwh);
    return new PriceKey(Kind.ON_PREM, "on_prem", id, null, 0, null, PurchaseOption.COMMITTED, BucketPrices.of(m),
        source, catalogName, catalogVersion, currency);
  }

  /** A key with custom unit prices for anything the caller names. */
  public static PriceKey custom(String provider, String resource, BucketPrices rates, Currency currency) {
    return new PriceKey(Kind.CUSTOM, provider, resource, null, 0, null, null, rates, PriceSource.OVERRIDE, null,
        null, currency);
  }

  static PriceKey unpriced(String provider, String model, String serviceTier, Currency currency) {
    return new PriceKey(Kind.UNPRICED, provider, model, null, 0, serviceTier, null, null, PriceSource.UNPRICED,
        null, null, currency);
  }

  static PriceKey callerSupplied(String provider, String model, Currency currency) {
    return new PriceKey(Kind.CALLER_SUPPLIED, provider, model, null, 0, null, null, null,
        PriceSource.CALLER_SUPPLIED, null, null, currency);
  }

  public Kind kind() {
    return kind;
  }

  /** Provider of the priced thing ({@code openai}, {@code aws}); may be {@code null} for custom keys. */
  public String provider() {
    return provider;
  }

  /** The cloud region of GPU capacity ({@code us-east-1}); {@code null} when unknown or not a cloud key. */
  public String region() {
    return region;
  }

  /** The model id, instance type or on-prem id. */
  public String resource() {
    return resource;
  }

  /** The effective-dated model price, for {@link Kind#MODEL} keys; otherwise {@code null}. */
  public ModelPrice modelPrice() {
    return modelPrice;
  }

  /** 0 for base prices, i for the i-th long-context tier. */
  public int contextTier() {
    return contextTier;
  }

  public String serviceTier() {
    return serviceTier;
  }

  /** On-demand, spot or committed for GPU keys; {@code null} otherwise. */
  public PurchaseOption purchaseOption() {
    return purchaseOption;
  }

  /** The effective unit prices; {@code null} for unpriced and caller-supplied keys. */
  public BucketPrices rates() {
    return rates;
  }

  public PriceSource source() {
    return source;
  }

  public String catalogName() {
    return catalogName;
  }

  public String catalogVersion() {
    return catalogVersion;
  }

  public Currency currency() {
    return currency;
  }

  /**
   * The exact price of a GPU-hour under this key, or {@code null} if it does not price {@link
   * UsageBucket#GPU_TIME}. It may not terminate (an instance rate over a GPU count it does not divide by),
   * where {@code rates().price(GPU_TIME)} is a rounding of it.
   */
  public Money gpuHourly() {
    if (exactGpuHourly != null) {
      return exactGpuHourly;
    }
    BigDecimal p = rates == null ? null : rates.price(UsageBucket.GPU_TIME);
    return p == null ? null : Money.of(p, currency);
  }

  /**
   * The exact cost of {@code quantity} base units of {@code bucket} under this key, or {@code null} if
   * the key has no price for it.
   */
  public Money cost(UsageBucket bucket, long quantity) {
    if (rates == null) {
      return null;
    }
    if (exactGpuHourly != null && bucket == UsageBucket.GPU_TIME) {
      return exactGpuHourly.times(quantity).dividedBy(bucket.unit().basePerPricingUnit());
    }
    return rates.cost(bucket, quantity, currency);
  }

  /** True if usage under this key has a cost: unit prices, or a cost the caller supplied. */
  public boolean isPriced() {
    return rates != null || kind == Kind.CALLER_SUPPLIED;
  }

  /**
   * The exact cost of {@code quantities} (indexed by bucket ordinal) at these prices.
   *
   * @throws IllegalStateException if the key has no unit prices or a bucket with a quantity has none
   */
  public Money cost(long[] quantities) {
    if (rates == null) {
      throw new IllegalStateException("price key " + this + " has no unit prices");
    }
    Money sum = Money.zero(currency);
    for (int i = 0; i < quantities.length; i++) {
      long q = quantities[i];
      if (q != 0) {
        Money c = cost(UsageBucket.ofOrdinal(i), q);
        if (c == null) {
          throw new IllegalStateException("price key " + this + " has no price for " + UsageBucket.ofOrdinal(i).jsonName());
        }
        sum = sum.plus(c);
      }
    }
    return sum;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PriceKey)) {
      return false;
    }
    PriceKey k = (PriceKey) o;
    return kind == k.kind && contextTier == k.contextTier && Objects.equals(provider, k.provider)
        && resource.equals(k.resource) && modelPrice == k.modelPrice && serviceTier.equals(k.serviceTier)
        && purchaseOption == k.purchaseOption && Objects.equals(region, k.region) && Objects.equals(rates, k.rates)
        && source == k.source && Objects.equals(catalogVersion, k.catalogVersion) && currency.equals(k.currency)
        && Objects.equals(exactGpuHourly, k.exactGpuHourly);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, provider, resource, contextTier, serviceTier, purchaseOption, source);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(provider == null ? "" : provider + "/").append(resource);
    if (contextTier > 0) {
      sb.append(" tier>").append(modelPrice.contextTiers().get(contextTier - 1).aboveInputTokens());
    }
    if (!Usage.STANDARD_TIER.equals(serviceTier)) {
      sb.append(" @").append(serviceTier);
    }
    if (purchaseOption != null) {
      sb.append(" ").append(purchaseOption.jsonName());
    }
    return sb.append(" [").append(source.jsonName()).append(catalogVersion == null ? "" : " " + catalogVersion)
        .append(']').toString();
  }
}
