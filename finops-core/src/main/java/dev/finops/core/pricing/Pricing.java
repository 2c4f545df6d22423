package dev.finops.core.pricing;

import dev.finops.core.Money;
import dev.finops.core.Usage;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.CatalogException;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.ModelEntry;
import dev.finops.core.catalog.ModelPrice;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.catalog.PriceSource;
import dev.finops.core.catalog.PurchaseOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Prices usage against layered catalogs. Thread-safe; pricing takes no lock.
 *
 * <p>Layers have a fixed precedence, recorded on every result: a caller-supplied cost ({@link
 * #priceReported}) &gt; overrides &gt; user catalogs (in the order given) &gt; the bundled catalog.
 * A raw model name resolves first to an exact id or alias (searched through the layers in
 * precedence order), then to the first matching pattern, layer by layer; a {@code provider/} prefix
 * on the name is understood. Resolutions are cached in a bounded Caffeine cache. Usage is priced with
 * the entry's price valid at the usage's timestamp, its long-context tier and service tier.
 *
 * <pre>{@code
 * Pricing pricing = Pricing.builder().unknownModelPolicy(UnknownModelPolicy.RECORD_UNPRICED).build();
 * PricedUsage p = pricing.price("openai", "gpt-4o-2024-08-06",
 *     TokenConventions.fromInclusive(1200, 300, 1000, 0, 0), Instant.now());
 * p.total();          // exact Money
 * p.source();         // BUNDLED_CATALOG
 * p.catalogVersion(); // "2026-11-28"
 * }</pre>
 *
 * <p>This class is the facade of package-private parts with one responsibility each: the {@code
 * LayerStack} (layers and their caches, replaced whole on a reload), the {@code NameResolver}, the
 * {@code PricePaths} (keys, exact totals, the unknown-model policy), the {@code UnpricedTracker} and
 * the {@code GpuRates}.
 */
public final class Pricing {

  /**
   * A resolved model: the entry, the layer it came from, and the price keys of every (version,
   * context tier, service tier) combination, built once so pricing allocates none.
   */
  public static final class Match {
    private final ModelEntry entry;
    private final Layer layer;
    private final List<ModelEntry> candidates; // non-null only for an ambiguous name
    private final PriceKey[][][] standardKeys; // [version][time-of-day slot][context tier]
    private final Map<String, PriceKey[][][]> tierKeys; // service tier -> [version][slot][context tier]

    Match(ModelEntry entry, Layer layer) {
      this(entry, layer, null);
    }

    Match(ModelEntry entry, Layer layer, List<ModelEntry> candidates) {
      this.entry = entry;
      this.layer = layer;
      this.candidates = candidates;
      if (entry == null) {
        this.standardKeys = null;
        this.tierKeys = Map.of();
        return;
      }
      List<ModelPrice> versions = entry.prices();
      this.standardKeys = new PriceKey[versions.size()][][];
      Map<String, PriceKey[][][]> tiers = new java.util.HashMap<>();
      for (int v = 0; v < versions.size(); v++) {
        ModelPrice mp = versions.get(v);
        standardKeys[v] = keys(mp, Usage.STANDARD_TIER);
        for (String tier : mp.serviceTierMultipliers().keySet()) {
          tiers.computeIfAbsent(tier, t -> new PriceKey[versions.size()][][])[v] = keys(mp, tier);
        }
      }
      this.tierKeys = tiers;
    }

    private PriceKey[][] keys(ModelPrice mp, String serviceTier) {
      PriceKey[][] out = new PriceKey[mp.timeSlotCount()][];
      for (int s = 0; s < out.length; s++) {
        ModelPrice sp = mp.slot(s);
        out[s] = new PriceKey[sp.contextTiers().size() + 1];
        for (int c = 0; c < out[s].length; c++) {
          out[s][c] = new PriceKey(PriceKey.Kind.MODEL, entry.provider(), entry.id(), sp, c, serviceTier, null,
              sp.effective(c, serviceTier), layer.source, layer.catalog.name(), layer.catalog.version(),
              sp.currency());
        }
      }
      return out;
    }

    /** The key for a version index, time-of-day slot, context tier and service tier (standard when unknown). */
    PriceKey key(int version, int timeSlot, int contextTier, String serviceTier) {
      if (!Usage.STANDARD_TIER.equals(serviceTier)) {
        PriceKey[][][] t = tierKeys.get(serviceTier);
        if (t != null && t[version] != null) {
          return t[version][timeSlot][contextTier];
        }
      }
      return standardKeys[version][timeSlot][contextTier];
    }

    /** Index of the version valid at {@code epochMillis}, or -1. */
    int versionAt(long epochMillis) {
      return dev.finops.core.catalog.EffectiveDated.indexAt(entry.prices(), epochMillis);
    }

    public ModelEntry entry() {
      return entry;
    }

    /** The entries of an ambiguous name, or {@code null}. */
    List<ModelEntry> candidates() {
      return candidates;
    }

    public Layer layer() {
      return layer;
    }
  }

  /** One catalog with its place in the precedence order. */
  public static final class Layer {
    private final PriceCatalog catalog;
    private final PriceSource source;

    Layer(PriceCatalog catalog, PriceSource source) {
      this.catalog = catalog;
      this.source = source;
    }

    public PriceCatalog catalog() {
      return catalog;
    }

    public PriceSource source() {
      return source;
    }
  }

  private final UnknownModelPolicy policy;
  private final int cacheSize;
  private final PriceCatalog bundled;
  private volatile PriceCatalog overrides;
  private volatile List<PriceCatalog> userCatalogs;
  /** The layers and their caches; replaced whole, read once per resolution. */
  private volatile LayerStack state;
  private final NameResolver names;
  private final UnpricedTracker unpriced;
  private final PricePaths paths;

  private Pricing(Builder b) {
    this.policy = b.policy;
    this.cacheSize = b.cacheSize;
    this.bundled = b.bundled;
    this.overrides = b.overrides;
    this.userCatalogs = List.copyOf(b.userCatalogs);
    this.state = LayerStack.of(overrides, userCatalogs, bundled, cacheSize);
    this.names = new NameResolver(b.deployments);
    this.unpriced = new UnpricedTracker(b.fallbackPrices, b.fallbackCurrency);
    this.paths = new PricePaths(policy, b.fallbackPrices, b.fallbackCurrency, unpriced);
  }

  /** The bundled catalog only, failing on unknown models. */
  public static Pricing bundled() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Changes whenever the layers change; bound models re-resolve when it does. */
  Object stateStamp() {
    return state;
  }

  /**
   * Resolves a model once for the hot path, like an OpenTelemetry bound instrument: {@link
   * BoundModel#key} then needs no lookup and no allocation. A bound model follows catalog reloads.
   *
   * @throws UnknownModelException under {@link UnknownModelPolicy#FAIL} if no layer knows the model
   */
  public BoundModel bind(String provider, String model) {
    Match m = resolve(provider, model);
    if (m == null && policy == UnknownModelPolicy.FAIL) {
      throw notResolved(provider, model);
    }
    return new BoundModel(this, provider, model);
  }

  /** The key for usage the catalogs cannot price, per the policy (never throws). */
  PriceKey unpricedKeyFor(String provider, String model, String reason) {
    return paths.unpricedKeyFor(provider, model, reason);
  }

  /** The layers in precedence order, highest first. */
  public List<Layer> catalogLayers() {
    return state.layers;
  }

  public UnknownModelPolicy unknownModelPolicy() {
    return policy;
  }

  /**
   * Replaces the user catalogs with catalogs loaded from {@code files}, atomically: every file is
   * loaded first, and if any fails the previous catalogs stay in force and the {@link
   * CatalogException} (naming the file, line, column and field) is thrown.
   */
  public void reloadUserCatalogs(List<java.nio.file.Path> files) {
    List<PriceCatalog> loaded = new ArrayList<>();
    for (java.nio.file.Path f : files) {
      loaded.add(PriceCatalog.load(f));
    }
    replaceUserCatalogs(loaded);
  }

  /** Replaces the user catalogs atomically. */
  public synchronized void replaceUserCatalogs(List<PriceCatalog> catalogs) {
    this.userCatalogs = List.copyOf(catalogs);
    this.state = LayerStack.of(overrides, userCatalogs, bundled, cacheSize);
  }

  /** Replaces the override layer atomically ({@code null} removes it). */
  public synchronized void replaceOverrides(PriceCatalog overrideCatalog) {
    this.overrides = overrideCatalog;
    this.state = LayerStack.of(overrides, userCatalogs, bundled, cacheSize);
  }

  // ---- resolution ----------------------------------------------------------------------------

  /**
   * Resolves a raw model name (e.g. {@code gpt-4o-2024-08-06} or {@code openai/gpt-4o}) to a catalog
   * entry; {@code null} if no layer knows it. {@code provider} may be {@code null}.
   */
  public Match resolve(String provider, String model) {
    return names.resolve(state, provider, model);
  }

  /** The candidates, {@code provider/id}, if {@code model} without a provider is ambiguous; else empty. */
  public List<String> ambiguity(String provider, String model) {
    return names.ambiguity(state, provider, model);
  }

  /** The exception for a name no layer resolves: ambiguous, or unknown with the closest known names. */
  PricingException notResolved(String provider, String model) {
    return names.notResolved(state, provider, model);
  }

  /**
   * Up to three known ids closest to {@code model} (edit distance), closest first. Worked out once per
   * name and catalog state (cached like resolutions), so a repeated unknown name costs no scan.
   */
  public List<String> closest(String provider, String model) {
    return names.closest(state, provider, model);
  }

  // ---- pricing -------------------------------------------------------------------------------

  /** Prices usage at an instant. */
  public PricedUsage price(String provider, String model, Usage usage, Instant at) {
    return price(provider, model, usage, at.toEpochMilli());
  }

  /**
   * Prices usage of a model at a time (epoch milliseconds; the price valid then applies).
   *
   * @throws UnknownModelException under {@link UnknownModelPolicy#FAIL} when no layer knows the model
   * @throws PricingException under {@link UnknownModelPolicy#FAIL} when the model has no price at
   *     that time or none for a bucket with a quantity
   */
  public PricedUsage price(String provider, String model, Usage usage, long epochMillis) {
    Objects.requireNonNull(usage, "usage");
    Match m = resolve(provider, model);
    if (m == null) {
      return paths.unpriced(provider, model, usage, () -> notResolved(provider, model), "unknown model");
    }
    ModelEntry entry = m.entry;
    PriceKey key = paths.keyFor(m, usage, epochMillis);
    if (key == null) {
      return paths.unpriced(entry.provider(), model, usage, () -> PricePaths.noPriceAt(entry, epochMillis),
          "no price valid at the usage time");
    }
    return paths.priceWith(model, key, usage);
  }

  /** The key for usage of a resolved model at a time, or {@code null} if no price is valid then. */
  PriceKey keyFor(Match m, Usage usage, long epochMillis) {
    return paths.keyFor(m, usage, epochMillis);
  }

  /**
   * Prices usage with a known key (from a {@link PricedUsage#priceKey()}, a bound model or a GPU
   * rate); allocates only the result.
   */
  PricedUsage priceWith(String model, PriceKey key, Usage usage) {
    return paths.priceWith(model, key, usage);
  }

  /**
   * Records a cost the provider reported (or the caller computed) as the price of this usage: it wins
   * over every catalog, and the result says so ({@link PriceSource#CALLER_SUPPLIED}).
   */
  public PricedUsage priceReported(String provider, String model, Usage usage, Money reportedCost) {
    Objects.requireNonNull(reportedCost, "reportedCost");
    if (reportedCost.signum() < 0) {
      throw new IllegalArgumentException("reported cost must not be negative: " + reportedCost);
    }
    Match m = resolve(provider, model);
    String prov = m != null ? m.entry.provider() : provider;
    String id = m != null ? m.entry.id() : model;
    return new PricedUsage(model, PriceKey.callerSupplied(prov, id, reportedCost.currency()), usage, 0, reportedCost,
        null);
  }

  /** How many usages could not be priced (or took the fallback price), per {@code provider/model}. */
  public Map<String, Long> unpricedCounts() {
    return unpriced.unpricedCounts();
  }

  /** How many usages named a service tier their model has no multiplier for, per model and tier. */
  public Map<String, Long> unknownServiceTierCounts() {
    return unpriced.unknownServiceTierCounts();
  }

  /**
   * The key this pricing gives a model at a time, for re-pricing recorded quantities: the same
   * service tier and, where the target has it, the same long-context tier index (else its highest).
   * Unknown models or times get the unpriced (or fallback) key, counted; never an exception.
   */
  public PriceKey modelKey(String provider, String model, String serviceTier, int contextTier, long epochMillis) {
    Match m = resolve(provider, model);
    if (m == null) {
      return unpricedKeyFor(provider, model, "unknown model");
    }
    int v = m.versionAt(epochMillis);
    if (v < 0) {
      return unpricedKeyFor(m.entry.provider(), model, "no price valid at the usage time");
    }
    ModelPrice mp = m.entry.prices().get(v);
    int slot = mp.timeSlot(epochMillis);
    int ctx = Math.min(Math.max(contextTier, 0), mp.slot(slot).contextTiers().size());
    return m.key(v, slot, ctx, serviceTier == null ? Usage.STANDARD_TIER : serviceTier);
  }

  // ---- GPU capacity --------------------------------------------------------------------------

  /** A GPU instance's price as found in the layers. */
  public static final class GpuRate {
    private final GpuInstance instance;
    private final Money hourly;
    private final PurchaseOption option;
    private final Layer layer;
    private final Instant validTo;

    GpuRate(GpuInstance instance, Money hourly, PurchaseOption option, Layer layer, Instant validTo) {
      this.instance = instance;
      this.hourly = hourly;
      this.option = option;
      this.layer = layer;
      this.validTo = validTo;
    }

    public GpuInstance instance() {
      return instance;
    }

    /** Price per instance-hour. */
    public Money hourly() {
      return hourly;
    }

    /** Price per GPU-hour (instance rate ÷ GPUs per instance), exact. */
    public Money gpuHourly() {
      return hourly.dividedBy(instance.gpuCount());
    }

    public PurchaseOption option() {
      return option;
    }

    public PriceSource source() {
      return layer.source;
    }

    public String catalogVersion() {
      return layer.catalog.version();
    }

    /** When this price stops being in force (exclusive; a dated catalog change), or {@code null} while current. */
    public Instant validTo() {
      return validTo;
    }

    Layer layer() {
      return layer;
    }
  }

  /**
   * The hourly price of a GPU instance type at a time, searched through the layers in precedence
   * order; {@code provider} and {@code region} may be {@code null}.
   *
   * @throws PricingException naming the instance if no layer prices it for that option and time
   */
  public GpuRate gpuRate(String provider, String region, String instanceType, PurchaseOption option,
      long epochMillis) {
    return GpuRates.gpuRate(state, provider, region, instanceType, option, epochMillis);
  }

  /**
   * A key pricing {@link dev.finops.core.UsageBucket#GPU_TIME} at a catalog instance's rate per GPU-hour
   * (instance rate ÷ GPUs per instance) for a purchase option at a time. The rate is exact even when
   * the instance rate does not divide by its GPU count ($10 an hour over 3 GPUs): the key keeps the
   * fraction ({@link PriceKey#gpuHourly()}), so the GPU-hours of an instance-hour cost the instance price.
   *
   * @throws PricingException naming the instance if no layer prices it for that option and time
   */
  public PriceKey gpuKey(String provider, String region, String instanceType, PurchaseOption option,
      long epochMillis) {
    return GpuRates.gpuKey(state, provider, region, instanceType, option, epochMillis);
  }

  /**
   * A key pricing owned GPUs of a catalog on-prem entry: GPU time at the amortized rate per GPU-hour
   * and energy per kWh.
   *
   * @throws PricingException naming the entry if no layer has it at that time
   */
  public PriceKey onPremKey(String onPremId, long epochMillis) {
    return GpuRates.onPremKey(state, onPremId, epochMillis);
  }

  /** Configures a {@link Pricing}. */
  public static final class Builder {
    private UnknownModelPolicy policy = UnknownModelPolicy.FAIL;
    private BucketPrices fallbackPrices;
    private Currency fallbackCurrency = Money.USD;
    private int cacheSize = 10_000;
    private final Map<String, String[]> deployments = new java.util.HashMap<>();
    private PriceCatalog bundled;
    private boolean bundledSet;
    private PriceCatalog overrides;
    private final List<PriceCatalog> userCatalogs = new ArrayList<>();

    private Builder() {}

    public Builder unknownModelPolicy(UnknownModelPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Prices for {@link UnknownModelPolicy#FALLBACK_PRICE}, in {@code currency}. */
    public Builder fallbackPrice(BucketPrices prices, Currency currency) {
      this.fallbackPrices = Objects.requireNonNull(prices, "prices");
      this.fallbackCurrency = Objects.requireNonNull(currency, "currency");
      return this;
    }

    /** Replaces the bundled layer ({@code null}: no bundled catalog at all). */
    public Builder bundledCatalog(PriceCatalog catalog) {
      this.bundled = catalog;
      this.bundledSet = true;
      return this;
    }

    /** Adds a user catalog; earlier ones take precedence over later ones. */
    public Builder userCatalog(PriceCatalog catalog) {
      userCatalogs.add(Objects.requireNonNull(catalog, "catalog"));
      return this;
    }

    /** The override layer, above every catalog. */
    public Builder overrides(PriceCatalog catalog) {
      this.overrides = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * Maps a deployment name to the model it serves: usage of {@code provider}/{@code deployment}
     * (Azure OpenAI deployments are named by their owner: {@code azure}, {@code "prod-gpt4o"}) is priced
     * as {@code targetProvider}/{@code targetModel}. The deployment is also found as {@code
     * provider/deployment} when no provider is given. Names are case-insensitive.
     */
    public Builder deployment(String provider, String deployment, String targetProvider, String targetModel) {
      String p = Objects.requireNonNull(provider, "provider").trim().toLowerCase(Locale.ROOT);
      String d = Objects.requireNonNull(deployment, "deployment").trim().toLowerCase(Locale.ROOT);
      if (p.isEmpty() || d.isEmpty()) {
        throw new IllegalArgumentException("deployment and provider must not be blank");
      }
      String[] target = {targetProvider == null ? null : targetProvider.trim().toLowerCase(Locale.ROOT),
          Objects.requireNonNull(targetModel, "targetModel").trim()};
      deployments.put(p + "/" + d, target);
      return this;
    }

    /** Bound of the model-name resolution cache (default 10,000 names per provider key). */
    public Builder resolutionCacheSize(int size) {
      if (size <= 0) {
        throw new IllegalArgumentException("resolution cache size must be positive: " + size);
      }
      this.cacheSize = size;
      return this;
    }

    public Pricing build() {
      if (policy == UnknownModelPolicy.FALLBACK_PRICE && fallbackPrices == null) {
        throw new IllegalStateException("UnknownModelPolicy.FALLBACK_PRICE needs fallbackPrice(...)");
      }
      if (!bundledSet) {
        bundled = PriceCatalog.bundled();
      }
      return new Pricing(this);
    }
  }
}
