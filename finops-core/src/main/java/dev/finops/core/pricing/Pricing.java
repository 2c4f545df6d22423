package dev.finops.core.pricing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.finops.core.Money;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.CatalogException;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.GpuPrice;
import dev.finops.core.catalog.ModelEntry;
import dev.finops.core.catalog.ModelPrice;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.catalog.PriceSource;
import dev.finops.core.catalog.PurchaseOption;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class Pricing {

  private static final Logger log = LoggerFactory.getLogger(Pricing.class);
  private static final int MAX_TRACKED_UNPRICED = 1_000;
  private static final String OTHER = "(other)";

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

  private static final Match NO_MATCH = new Match(null, null);

  /** Layers plus the resolution caches that belong to them; replaced as a whole. */
  private final class State {
    final List<Layer> layers;
    final Cache<String, Match> anyProvider;
    final ConcurrentHashMap<String, Cache<String, Match>> byProvider = new ConcurrentHashMap<>();
    final Cache<String, List<String>> closest;

    State(List<Layer> layers) {
      this.layers = List.copyOf(layers);
      this.anyProvider = newCache();
      this.closest = Caffeine.newBuilder().maximumSize(cacheSize).build();
    }

    Cache<String, Match> cacheFor(String provider) {
      if (provider == null) {
        return anyProvider;
      }
      Cache<String, Match> c = byProvider.get(provider);
      if (c == null) {
        c = byProvider.computeIfAbsent(provider, p -> newCache());
      }
      return c;
    }
  }

  private final UnknownModelPolicy policy;
  private final BucketPrices fallbackPrices;
  private final Currency fallbackCurrency;
  private final int cacheSize;
  private final Map<String, String[]> deployments; // "provider/name" lower case -> {provider, model}
  private final PriceCatalog bundled;
  private volatile PriceCatalog overrides;
  private volatile List<PriceCatalog> userCatalogs;
  private volatile State state;
  private final ConcurrentHashMap<String, LongAdder> unpriced = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, PriceKey> unpricedKeys = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, PriceKey> fallbackKeys = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> unknownServiceTiers = new ConcurrentHashMap<>();

  private Pricing(Builder b) {
    this.policy = b.policy;
    this.fallbackPrices = b.fallbackPrices;
    this.fallbackCurrency = b.fallbackCurrency;
    this.cacheSize = b.cacheSize;
    this.deployments = Map.copyOf(b.deployments);
    this.bundled = b.bundled;
    this.overrides = b.overrides;
    this.userCatalogs = List.copyOf(b.userCatalogs);
    this.state = new State(layers());
  }

  /** The bundled catalog only, failing on unknown models. */
  public static Pricing bundled() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  private Cache<String, Match> newCache() {
    return Caffeine.newBuilder().maximumSize(cacheSize).build();
  }

  private List<Layer> layers() {
    List<Layer> layers = new ArrayList<>();
    if (overrides != null) {
      layers.add(new Layer(overrides, PriceSource.OVERRIDE));
    }
    for (PriceCatalog c : userCatalogs) {
      layers.add(new Layer(c, PriceSource.USER_CATALOG));
    }
    if (bundled != null) {
      layers.add(new Layer(bundled, PriceSource.BUNDLED_CATALOG));
    }
    return layers;
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
    if (policy == UnknownModelPolicy.FALLBACK_PRICE) {
      note(provider, model, reason, "priced with the fallback price");
      return fallbackKey(provider, model);
    }
    note(provider, model, reason, "recorded unpriced; quantities are kept");
    return unpricedKey(provider, model);
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
    this.state = new State(layers());
  }

  /** Replaces the override layer atomically ({@code null} removes it). */
  public synchronized void replaceOverrides(PriceCatalog overrideCatalog) {
    this.overrides = overrideCatalog;
    this.state = new State(layers());
  }

  // ---- resolution ----------------------------------------------------------------------------

  /**
   * Resolves a raw model name (e.g. {@code gpt-4o-2024-08-06} or {@code openai/gpt-4o}) to a catalog
   * entry; {@code null} if no layer knows it. {@code provider} may be {@code null}.
   */
  public Match resolve(String provider, String model) {
    Objects.requireNonNull(model, "model");
    State s = state;
    String p = provider == null ? null : provider.toLowerCase(Locale.ROOT);
    Cache<String, Match> cache = s.cacheFor(p);
    Match m = cache.getIfPresent(model);
    if (m == null) {
      m = cache.get(model, k -> lookup(s.layers, p, k));
    }
    return m.entry == null ? null : m;
  }

  /** The candidates, {@code provider/id}, if {@code model} without a provider is ambiguous; else empty. */
  public List<String> ambiguity(String provider, String model) {
    if (resolve(provider, model) != null) {
      return List.of();
    }
    Match m = state.cacheFor(provider == null ? null : provider.toLowerCase(Locale.ROOT)).getIfPresent(model);
    if (m == null || m.candidates == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (ModelEntry e : m.candidates) {
      out.add(e.provider() + "/" + e.id());
    }
    return out;
  }

  /** The exception for a name no layer resolves: ambiguous, or unknown with the closest known names. */
  PricingException notResolved(String provider, String model) {
    List<String> candidates = ambiguity(provider, model);
    return candidates.isEmpty() ? new UnknownModelException(provider, model, closest(provider, model))
        : new AmbiguousModelException(model, candidates);
  }

  private Match lookup(List<Layer> layers, String provider, String raw) {
    String name = raw.trim();
    String[] deployment = deployments.get((provider == null ? "" : provider + "/") + name.toLowerCase(Locale.ROOT));
    if (deployment != null) {
      return lookup(layers, deployment[0], deployment[1]);
    }
    return lookupPrefixed(layers, provider, name);
  }

  /** Bedrock's cross-region inference prefixes ({@code us.anthropic.claude-...}). */
  private static final java.util.regex.Pattern CROSS_REGION =
      java.util.regex.Pattern.compile("(?i)(?:us|eu|apac|global|us-gov|jp|au|ca)\\.([a-z0-9-]+\\..+)");

  /**
   * A region or data-zone segment ({@code us-gov-west-1/}, {@code eu/}): prices differ there, so the
   * name is not shortened to the model's standard price.
   */
  private static final java.util.regex.Pattern REGION_SEGMENT =
      java.util.regex.Pattern.compile("us|eu|apac|global|[a-z]{2}(?:-gov)?-[a-z]+-\\d+");

  /**
   * The name without one routing prefix users write and catalogs leave out: {@code models/}
   * (Google), {@code accounts/<account>/models/} (Fireworks), a Bedrock cross-region prefix, or a
   * leading {@code provider/} segment that names no catalog provider ({@code bedrock/}, {@code
   * azure/}); {@code null} if it has none.
   */
  static String withoutRoutingPrefix(List<Layer> layers, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.startsWith("models/")) {
      return name.substring("models/".length());
    }
    if (lower.startsWith("accounts/")) {
      int models = lower.indexOf("/models/");
      return models > 0 ? name.substring(models + "/models/".length()) : null;
    }
    int slash = name.indexOf('/');
    if (slash > 0 && slash < name.length() - 1 && !anyHasProvider(layers, lower.substring(0, slash))
        && !REGION_SEGMENT.matcher(lower.substring(0, slash)).matches()) {
      return name.substring(slash + 1);
    }
    java.util.regex.Matcher m = CROSS_REGION.matcher(name);
    return m.matches() ? m.group(1) : null;
  }

  private static Match lookupPrefixed(List<Layer> layers, String provider, String name) {
    int slash = name.indexOf('/');
    if (slash > 0) {
      // "openai/gpt-4o": strip a known provider prefix (but keep ids that contain slashes).
      String prefix = name.substring(0, slash).toLowerCase(Locale.ROOT);
      String rest = name.substring(slash + 1);
      if ((provider == null || provider.equals(prefix)) && anyHasProvider(layers, prefix)) {
        Match m = lookupShortening(layers, prefix, rest);
        if (m != NO_MATCH) {
          return m;
        }
      }
    }
    return lookupShortening(layers, provider, name);
  }

  /** The name as given, else without its routing prefix (the name shrinks, so this ends). */
  private static Match lookupShortening(List<Layer> layers, String provider, String name) {
    Match m = lookupName(layers, provider, name);
    if (m == NO_MATCH) {
      String shorter = withoutRoutingPrefix(layers, name);
      if (shorter != null) {
        return lookupPrefixed(layers, provider, shorter);
      }
    }
    return m;
  }

  /**
   * Providers that make the models they sell: a name without a provider that one of them prices
   * resolves to that vendor's own price rather than a reseller's ({@code gpt-4o} to OpenAI, not to
   * Azure or OpenRouter; {@code claude-sonnet-4-5} to Anthropic).
   */
  static final java.util.Set<String> MODEL_VENDORS = java.util.Set.of("openai", "anthropic", "google", "mistral",
      "deepseek", "xai", "cohere", "moonshot", "voyage", "perplexity", "zhipuai", "minimax", "ai21");

  /**
   * Among entries of several providers for one name: the single model vendor's entry, else the first
   * entry when all charge the same, else {@code null} (ambiguous).
   */
  private static ModelEntry unambiguous(List<ModelEntry> all) {
    ModelEntry vendor = null;
    for (ModelEntry m : all) {
      if (MODEL_VENDORS.contains(m.provider())) {
        if (vendor != null && !vendor.provider().equals(m.provider())) {
          vendor = null;
          break;
        }
        vendor = vendor == null ? m : vendor;
      }
    }
    if (vendor != null) {
      return vendor;
    }
    for (ModelEntry other : all) {
      if (!other.samePrices(all.get(0))) {
        return null;
      }
    }
    return all.get(0);
  }

  private static boolean anyHasProvider(List<Layer> layers, String provider) {
    for (Layer l : layers) {
      if (l.catalog.hasProvider(provider)) {
        return true;
      }
    }
    return false;
  }

  private static Match lookupName(List<Layer> layers, String provider, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (Layer l : layers) {
      ModelEntry e = l.catalog.findExact(provider, lower);
      if (e != null) {
        if (provider == null) {
          List<ModelEntry> all = l.catalog.findAllExact(lower);
          if (all.size() > 1) {
            ModelEntry chosen = unambiguous(all);
            if (chosen == null) {
              return new Match(null, null, all); // several providers, different prices: ambiguous
            }
            return new Match(chosen, l);
          }
        }
        return new Match(e, l);
      }
    }
    for (Layer l : layers) {
      ModelEntry e = l.catalog.findByPattern(provider, name);
      if (e != null) {
        return new Match(e, l);
      }
    }
    return NO_MATCH;
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
      return unpriced(provider, model, usage, () -> notResolved(provider, model), "unknown model");
    }
    ModelEntry entry = m.entry;
    PriceKey key = keyFor(m, usage, epochMillis);
    if (key == null) {
      return unpriced(entry.provider(), model, usage, () -> noPriceAt(entry, epochMillis),
          "no price valid at the usage time");
    }
    return priceWith(model, key, usage);
  }

  /** The key for usage of a resolved model at a time, or {@code null} if no price is valid then. */
  PriceKey keyFor(Match m, Usage usage, long epochMillis) {
    int version = m.versionAt(epochMillis);
    if (version < 0) {
      return null;
    }
    ModelPrice mp = m.entry.prices().get(version);
    String tier = usage.serviceTier();
    if (!mp.knowsServiceTier(tier)) {
      noteUnknownServiceTier(m.entry, tier);
    }
    int slot = mp.timeSlot(epochMillis);
    return m.key(version, slot, mp.slot(slot).contextTierIndex(usage.inputTokens()), tier);
  }

  static PricingException noPriceAt(ModelEntry entry, long epochMillis) {
    return new PricingException("model '" + entry.id() + "' (" + entry.provider() + ") has no price valid at "
        + Instant.ofEpochMilli(epochMillis) + "; prices run from " + entry.prices().get(0).validFrom()
        + describeEnd(entry));
  }

  /**
   * Prices usage with a known key (from a {@link PricedUsage#priceKey()}, a bound model or a GPU
   * rate); allocates only the result.
   */
  PricedUsage priceWith(String model, PriceKey key, Usage usage) {
    BucketPrices rates = key.rates();
    // Fast path: exact fixed-point longs.
    long total = 0;
    boolean fixed = true;
    for (int i = 0; i < UsageBucket.COUNT; i++) {
      long q = usage.get(i);
      if (q == 0) {
        continue;
      }
      long pico = rates.picoPerBaseUnit(i);
      if (pico == BucketPrices.NOT_FIXED) {
        if (rates.price(i) == null) {
          UsageBucket b = UsageBucket.ofOrdinal(i);
          return unpriced(key.provider(), model, usage, () -> new PricingException("model '" + key.resource() + "' ("
              + key.provider() + ") has no price for bucket '" + b.jsonName() + "' (quantity " + q + ")"),
              "no price for bucket " + b.jsonName());
        }
        fixed = false;
        continue;
      }
      if (fixed) {
        // q >= 0 and pico >= 0, so the product overflowed iff its high word is set or it went negative.
        long lo = q * pico;
        long sum = total + lo;
        if (Math.multiplyHigh(q, pico) != 0 || lo < 0 || sum < 0) {
          fixed = false; // beyond 9.2 million currency units: take the exact decimal path
        } else {
          total = sum;
        }
      }
    }
    Money slow = fixed ? null : exactTotal(usage, rates, key.currency());
    return new PricedUsage(model, key, usage, total, slow, null);
  }

  private static String describeEnd(ModelEntry e) {
    Instant end = e.latest().validTo();
    return end == null ? "" : " to " + end;
  }

  private static Money exactTotal(Usage usage, BucketPrices rates, Currency currency) {
    Money sum = Money.zero(currency);
    for (int i = 0; i < UsageBucket.COUNT; i++) {
      long q = usage.get(i);
      if (q != 0) {
        sum = sum.plus(rates.cost(UsageBucket.ofOrdinal(i), q, currency));
      }
    }
    return sum;
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

  private PricedUsage unpriced(String provider, String model, Usage usage, Supplier<PricingException> failure,
      String reason) {
    switch (policy) {
      case FAIL:
        throw failure.get();
      case FALLBACK_PRICE: {
        note(provider, model, reason, "priced with the fallback price");
        long total = 0;
        boolean fixed = true;
        for (int i = 0; i < UsageBucket.COUNT && fixed; i++) {
          long q = usage.get(i);
          if (q != 0) {
            long pico = fallbackPrices.picoPerBaseUnit(i);
            if (pico == BucketPrices.NOT_FIXED) {
              fixed = false;
            } else {
              try {
                total = Math.addExact(total, Math.multiplyExact(q, pico));
              } catch (ArithmeticException overflow) {
                fixed = false;
              }
            }
          }
        }
        Money slow = null;
        if (!fixed) {
          slow = Money.zero(fallbackCurrency);
          for (int i = 0; i < UsageBucket.COUNT; i++) {
            long q = usage.get(i);
            if (q != 0) {
              Money c = fallbackPrices.cost(UsageBucket.ofOrdinal(i), q, fallbackCurrency);
              if (c == null) {
                throw new PricingException("fallback price has no price for bucket '"
                    + UsageBucket.ofOrdinal(i).jsonName() + "' needed by model '" + model + "'");
              }
              slow = slow.plus(c);
            }
          }
        }
        return new PricedUsage(model, fallbackKey(provider, model), usage, total, slow, reason);
      }
      default:
        note(provider, model, reason, "recorded unpriced; quantities are kept");
        return new PricedUsage(model, unpricedKey(provider, model), usage, 0, null, reason);
    }
  }

  /** One key per unpriced model name (bounded like the counters), so the ledger can group them. */
  private PriceKey unpricedKey(String provider, String model) {
    return boundedKey(unpricedKeys, provider, model,
        (p, m) -> PriceKey.unpriced(p, m, Usage.STANDARD_TIER, fallbackCurrency));
  }

  private PriceKey fallbackKey(String provider, String model) {
    return boundedKey(fallbackKeys, provider, model,
        (p, m) -> new PriceKey(PriceKey.Kind.MODEL, p, m, null, 0, null, null, fallbackPrices,
            PriceSource.FALLBACK, null, null, fallbackCurrency));
  }

  private static PriceKey boundedKey(ConcurrentHashMap<String, PriceKey> keys, String provider, String model,
      java.util.function.BiFunction<String, String, PriceKey> factory) {
    String k = (provider == null ? "" : provider + "/") + model;
    PriceKey key = keys.get(k);
    if (key != null) {
      return key;
    }
    if (keys.size() >= MAX_TRACKED_UNPRICED) {
      return keys.computeIfAbsent(OTHER, x -> factory.apply(null, OTHER));
    }
    return keys.computeIfAbsent(k, x -> factory.apply(provider, model));
  }

  private void note(String provider, String model, String reason, String outcome) {
    String key = (provider == null ? "" : provider + "/") + model;
    LongAdder counter = unpriced.get(key);
    if (counter == null) {
      if (unpriced.size() >= MAX_TRACKED_UNPRICED) {
        key = OTHER;
      }
      LongAdder fresh = new LongAdder();
      counter = unpriced.putIfAbsent(key, fresh);
      if (counter == null) {
        counter = fresh;
        log.warn("finops: cannot price '{}' ({}); {}. Further occurrences are counted, not logged.", key, reason,
            outcome);
      }
    }
    counter.increment();
  }

  private void noteUnknownServiceTier(ModelEntry entry, String tier) {
    String key = entry.provider() + "/" + entry.id() + "@" + tier;
    LongAdder c = unknownServiceTiers.get(key);
    if (c == null) {
      if (unknownServiceTiers.size() >= MAX_TRACKED_UNPRICED) {
        key = OTHER;
      }
      LongAdder fresh = new LongAdder();
      c = unknownServiceTiers.putIfAbsent(key, fresh);
      if (c == null) {
        c = fresh;
        log.warn("finops: model {} has no price for service tier '{}'; standard prices applied", entry, tier);
      }
    }
    c.increment();
  }

  /** How many usages could not be priced (or took the fallback price), per {@code provider/model}. */
  public Map<String, Long> unpricedCounts() {
    Map<String, Long> m = new TreeMap<>();
    unpriced.forEach((k, v) -> m.put(k, v.sum()));
    return Collections.unmodifiableMap(m);
  }

  /** How many usages named a service tier their model has no multiplier for, per model and tier. */
  public Map<String, Long> unknownServiceTierCounts() {
    Map<String, Long> m = new TreeMap<>();
    unknownServiceTiers.forEach((k, v) -> m.put(k, v.sum()));
    return Collections.unmodifiableMap(m);
  }

  /**
   * Up to three known ids closest to {@code model} (edit distance), closest first. Worked out once per
   * name and catalog state (cached like resolutions), so a repeated unknown name costs no scan.
   */
  public List<String> closest(String provider, String model) {
    return state.closest.get((provider == null ? "" : provider) + "\u0000" + model,
        k -> computeClosest(provider, model));
  }

  private List<String> computeClosest(String provider, String model) {
    String target = model.toLowerCase(Locale.ROOT);
    Map<String, Integer> best = new LinkedHashMap<>();
    for (Layer l : state.layers) {
      for (ModelEntry e : l.catalog.models()) {
        if (provider != null && !provider.equalsIgnoreCase(e.provider())) {
          continue;
        }
        List<String> names = new ArrayList<>(e.aliases());
        names.add(0, e.id());
        for (String n : names) {
          int d = editDistance(target, n.toLowerCase(Locale.ROOT));
          if (n.toLowerCase(Locale.ROOT).startsWith(target) || target.startsWith(n.toLowerCase(Locale.ROOT))) {
            d = Math.min(d, Math.abs(n.length() - target.length()) / 2);
          }
          best.merge(n, d, Math::min);
        }
      }
    }
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(best.entrySet());
    sorted.sort(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < sorted.size() && out.size() < 3; i++) {
      if (sorted.get(i).getValue() <= Math.max(3, target.length() / 2)) {
        out.add(sorted.get(i).getKey());
      }
    }
    return List.copyOf(out);
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  // ---- GPU capacity --------------------------------------------------------------------------

  /** A GPU instance's price as found in the layers. */
  public static final class GpuRate {
    private final GpuInstance instance;
    private final Money hourly;
    private final PurchaseOption option;
    private final Layer layer;

    GpuRate(GpuInstance instance, Money hourly, PurchaseOption option, Layer layer) {
      this.instance = instance;
      this.hourly = hourly;
      this.option = option;
      this.layer = layer;
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
  }

  /**
   * The hourly price of a GPU instance type at a time, searched through the layers in precedence
   * order; {@code provider} and {@code region} may be {@code null}.
   *
   * @throws PricingException naming the instance if no layer prices it for that option and time
   */
  public GpuRate gpuRate(String provider, String region, String instanceType, PurchaseOption option,
      long epochMillis) {
    for (Layer l : state.layers) {
      GpuInstance g = l.catalog.findGpuInstance(provider, region, instanceType);
      if (g == null) {
        continue;
      }
      GpuPrice p = g.priceAt(epochMillis);
      if (p == null) {
        throw new PricingException("instance type '" + instanceType + "' has no price valid at "
            + Instant.ofEpochMilli(epochMillis));
      }
      BigDecimal h = p.hourly(option);
      if (h == null) {
        throw new PricingException("instance type '" + instanceType + "' (" + g.provider() + ", " + g.region()
            + ") has no " + option.jsonName() + " price in catalog " + l.catalog.name());
      }
      return new GpuRate(g, Money.of(h, p.currency()), option, l);
    }
    List<String> known = new ArrayList<>();
    for (Layer l : state.layers) {
      for (GpuInstance g : l.catalog.gpuInstances()) {
        if (editDistance(g.instanceType().toLowerCase(Locale.ROOT), instanceType.toLowerCase(Locale.ROOT)) <= 3
            && !known.contains(g.instanceType())) {
          known.add(g.instanceType());
        }
      }
    }
    throw new PricingException("unknown instance type '" + instanceType + "'"
        + (provider == null ? "" : " of provider '" + provider + "'")
        + (region == null ? "" : " in region '" + region + "'")
        + (known.isEmpty() ? "" : "; closest known: " + String.join(", ", known.subList(0, Math.min(3, known.size())))));
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

  /**
   * A key pricing {@link UsageBucket#GPU_TIME} at a catalog instance's rate per GPU-hour (instance
   * rate ÷ GPUs per instance) for a purchase option at a time.
   *
   * @throws PricingException naming the instance if no layer prices it for that option and time
   */
  public PriceKey gpuKey(String provider, String region, String instanceType, PurchaseOption option,
      long epochMillis) {
    GpuRate r = gpuRate(provider, region, instanceType, option, epochMillis);
    BigDecimal perGpu = r.hourly().exactAmount().divide(BigDecimal.valueOf(r.instance().gpuCount()),
        java.math.MathContext.DECIMAL128);
    BigDecimal check = perGpu.multiply(BigDecimal.valueOf(r.instance().gpuCount()));
    if (check.compareTo(r.hourly().exactAmount()) != 0) {
      // Keep the instance rate exact: price per instance-hour spread over GPU-ms of the instance.
      throw new PricingException("instance rate " + r.hourly() + " of " + instanceType
          + " does not divide exactly by its " + r.instance().gpuCount() + " GPUs");
    }
    return PriceKey.gpuTime(PriceKey.Kind.GPU, r.instance().provider(), r.instance().region(),
        r.instance().instanceType(), option,
        perGpu.stripTrailingZeros(), r.source(), r.layer.catalog.name(), r.catalogVersion(), r.hourly().currency());
  }

  /**
   * A key pricing owned GPUs of a catalog on-prem entry: GPU time at the amortized rate per GPU-hour
   * and energy per kWh.
   *
   * @throws PricingException naming the entry if no layer has it at that time
   */
  public PriceKey onPremKey(String onPremId, long epochMillis) {
    for (Layer l : state.layers) {
      dev.finops.core.catalog.OnPremGpu g = l.catalog.findOnPrem(onPremId);
      if (g != null) {
        dev.finops.core.catalog.OnPremGpu.Price p = g.priceAt(epochMillis);
        if (p == null) {
          throw new PricingException("on-prem entry '" + onPremId + "' has no price valid at "
              + Instant.ofEpochMilli(epochMillis));
        }
        return PriceKey.onPrem(g.id(), p.amortizedGpuHourly(), p.energyPerKwh(), l.source, l.catalog.name(),
            l.catalog.version(), p.currency());
      }
    }
    throw new PricingException("unknown on-prem entry '" + onPremId + "'");
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
