package dev.finops.core.pricing;

import dev.finops.core.Usage;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.ModelEntry;
import dev.finops.core.catalog.PriceSource;
import java.util.Collections;
import java.util.Currency;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link Pricing} could not price: a count per {@code provider/model} (logged once each), a
 * count per model and unknown service tier, and one unpriced (or fallback) price key per name so the
 * ledger can group them. Each map is bounded at {@value #MAX_TRACKED} names; past that, new names count
 * under {@value #OTHER}.
 */
final class UnpricedTracker {
  private static final Logger log = LoggerFactory.getLogger(Pricing.class);
  static final int MAX_TRACKED = 1_000;
  static final String OTHER = "(other)";

  private final BucketPrices fallbackPrices;
  private final Currency fallbackCurrency;
  private final ConcurrentHashMap<String, LongAdder> unpriced = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, PriceKey> unpricedKeys = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, PriceKey> fallbackKeys = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> unknownServiceTiers = new ConcurrentHashMap<>();

  UnpricedTracker(BucketPrices fallbackPrices, Currency fallbackCurrency) {
    this.fallbackPrices = fallbackPrices;
    this.fallbackCurrency = fallbackCurrency;
  }

  /** One key per unpriced model name (bounded like the counters), so the ledger can group them. */
  PriceKey unpricedKey(String provider, String model) {
    return boundedKey(unpricedKeys, provider, model,
        (p, m) -> PriceKey.unpriced(p, m, Usage.STANDARD_TIER, fallbackCurrency));
  }

  /** One fallback-priced key per name (bounded). */
  PriceKey fallbackKey(String provider, String model) {
    return boundedKey(fallbackKeys, provider, model,
        (p, m) -> new PriceKey(PriceKey.Kind.MODEL, p, m, null, 0, null, null, fallbackPrices,
            PriceSource.FALLBACK, null, null, fallbackCurrency));
  }

  private static PriceKey boundedKey(ConcurrentHashMap<String, PriceKey> keys, String provider, String model,
      BiFunction<String, String, PriceKey> factory) {
    String k = (provider == null ? "" : provider + "/") + model;
    PriceKey key = keys.get(k);
    if (key != null) {
      return key;
    }
    if (keys.size() >= MAX_TRACKED) {
      return keys.computeIfAbsent(OTHER, x -> factory.apply(null, OTHER));
    }
    return keys.computeIfAbsent(k, x -> factory.apply(provider, model));
  }

  /** Counts a usage of {@code provider/model} that could not be priced; the first is logged. */
  void note(String provider, String model, String reason, String outcome) {
    String first = count(unpriced, (provider == null ? "" : provider + "/") + model);
    if (first != null) {
      log.warn("finops: cannot price '{}' ({}); {}. Further occurrences are counted, not logged.", first, reason,
          outcome);
    }
  }

  /** Counts a usage naming a service tier its model has no multiplier for; the first is logged. */
  void noteUnknownServiceTier(ModelEntry entry, String tier) {
    if (count(unknownServiceTiers, entry.provider() + "/" + entry.id() + "@" + tier) != null) {
      log.warn("finops: model {} has no price for service tier '{}'; standard prices applied", entry, tier);
    }
  }

  /** Counts one under {@code name} (or {@value #OTHER} when full); the key counted if this call added it, else null. */
  private static String count(ConcurrentHashMap<String, LongAdder> counts, String name) {
    String key = name;
    LongAdder counter = counts.get(key);
    String added = null;
    if (counter == null) {
      if (counts.size() >= MAX_TRACKED) {
        key = OTHER;
      }
      LongAdder fresh = new LongAdder();
      counter = counts.putIfAbsent(key, fresh);
      if (counter == null) {
        counter = fresh;
        added = key;
      }
    }
    counter.increment();
    return added;
  }

  /** How many usages could not be priced (or took the fallback price), per {@code provider/model}. */
  Map<String, Long> unpricedCounts() {
    return snapshot(unpriced);
  }

  /** How many usages named a service tier their model has no multiplier for, per model and tier. */
  Map<String, Long> unknownServiceTierCounts() {
    return snapshot(unknownServiceTiers);
  }

  private static Map<String, Long> snapshot(ConcurrentHashMap<String, LongAdder> counts) {
    Map<String, Long> m = new TreeMap<>();
    counts.forEach((k, v) -> m.put(k, v.sum()));
    return Collections.unmodifiableMap(m);
  }
}
