package dev.finops.core.pricing;

import dev.finops.core.Money;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.ModelEntry;
import dev.finops.core.catalog.ModelPrice;
import java.time.Instant;
import java.util.Currency;
import java.util.function.Supplier;

/**
 * The computation of a price once a model is resolved: the price key of a usage at a time (version,
 * time-of-day slot, long-context tier, service tier), the exact total in fixed-point pico-units with
 * the exact-decimal path beyond a long, and what the {@link UnknownModelPolicy} does with usage the
 * catalogs cannot price (throw, record unpriced, or price at the fallback price).
 */
final class PricePaths {
  private final UnknownModelPolicy policy;
  private final BucketPrices fallbackPrices;
  private final Currency fallbackCurrency;
  private final UnpricedTracker tracker;

  PricePaths(UnknownModelPolicy policy, BucketPrices fallbackPrices, Currency fallbackCurrency,
      UnpricedTracker tracker) {
    this.policy = policy;
    this.fallbackPrices = fallbackPrices;
    this.fallbackCurrency = fallbackCurrency;
    this.tracker = tracker;
  }

  /** The key for usage of a resolved model at a time, or {@code null} if no price is valid then. */
  PriceKey keyFor(Pricing.Match m, Usage usage, long epochMillis) {
    int version = m.versionAt(epochMillis);
    if (version < 0) {
      return null;
    }
    ModelPrice mp = m.entry().prices().get(version);
    String tier = usage.serviceTier();
    if (!mp.knowsServiceTier(tier)) {
      tracker.noteUnknownServiceTier(m.entry(), tier);
    }
    int slot = mp.timeSlot(epochMillis);
    return m.key(version, slot, mp.slot(slot).contextTierIndex(usage.inputTokens()), tier);
  }

  /** The key for usage the catalogs cannot price, per the policy (never throws). */
  PriceKey unpricedKeyFor(String provider, String model, String reason) {
    if (policy == UnknownModelPolicy.FALLBACK_PRICE) {
      tracker.note(provider, model, reason, "priced with the fallback price");
      return tracker.fallbackKey(provider, model);
    }
    tracker.note(provider, model, reason, "recorded unpriced; quantities are kept");
    return tracker.unpricedKey(provider, model);
  }

  static PricingException noPriceAt(ModelEntry entry, long epochMillis) {
    Instant end = entry.latest().validTo();
    return new PricingException("model '" + entry.id() + "' (" + entry.provider() + ") has no price valid at "
        + Instant.ofEpochMilli(epochMillis) + "; prices run from " + entry.prices().get(0).validFrom()
        + (end == null ? "" : " to " + end));
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
    Money slow = fixed ? null : exactTotal(usage, key);
    return new PricedUsage(model, key, usage, total, slow, null);
  }

  /** The exact total of every priced bucket (the key's own exact GPU rate included). */
  private static Money exactTotal(Usage usage, PriceKey key) {
    Money sum = Money.zero(key.currency());
    for (int i = 0; i < UsageBucket.COUNT; i++) {
      long q = usage.get(i);
      if (q != 0) {
        sum = sum.plus(key.cost(UsageBucket.ofOrdinal(i), q));
      }
    }
    return sum;
  }

  /** Usage the catalogs cannot price: thrown, recorded unpriced, or priced at the fallback price. */
  PricedUsage unpriced(String provider, String model, Usage usage, Supplier<PricingException> failure,
      String reason) {
    switch (policy) {
      case FAIL:
        throw failure.get();
      case FALLBACK_PRICE: {
        tracker.note(provider, model, reason, "priced with the fallback price");
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
        return new PricedUsage(model, tracker.fallbackKey(provider, model), usage, total, slow, reason);
      }
      default:
        tracker.note(provider, model, reason, "recorded unpriced; quantities are kept");
        return new PricedUsage(model, tracker.unpricedKey(provider, model), usage, 0, null, reason);
    }
  }
}
