package dev.finops.core.pricing;

import dev.finops.core.Usage;

/**
 * A model resolved once for the hot path (see {@link Pricing#bind}). {@link #key} picks the price key
 * for a usage and a time with no lookup and no allocation; after a catalog reload the model is
 * resolved again on next use. Thread-safe.
 */
public final class BoundModel {
  private final Pricing pricing;
  private final String provider;
  private final String model;
  /** The resolution and the catalog state it was made against, published together. */
  private static final class Resolved {
    final Object stamp;
    final Pricing.Match match;

    Resolved(Object stamp, Pricing.Match match) {
      this.stamp = stamp;
      this.match = match;
    }
  }

  private volatile Resolved resolved;

  BoundModel(Pricing pricing, String provider, String model) {
    this.pricing = pricing;
    this.provider = provider;
    this.model = model;
    refresh();
  }

  private Pricing.Match refresh() {
    Object s = pricing.stateStamp();
    Pricing.Match m = pricing.resolve(provider, model);
    resolved = new Resolved(s, m); // one write: a stale match never sits beside a fresh stamp
    return m;
  }

  private Pricing.Match current() {
    Resolved r = resolved;
    return r.stamp == pricing.stateStamp() ? r.match : refresh();
  }

  /** The provider as given to {@link Pricing#bind}. */
  public String provider() {
    return provider;
  }

  /** The model name as given to {@link Pricing#bind}. */
  public String model() {
    return model;
  }

  /**
   * The price key for {@code usage} at {@code epochMillis}. Never throws for accounting problems: a
   * model that became unknown (after a reload) or has no price at that time gets the unpriced or
   * fallback key of the pricing's {@link UnknownModelPolicy}, counted and logged once.
   */
  public PriceKey key(Usage usage, long epochMillis) {
    Pricing.Match m = current();
    if (m == null) {
      return pricing.unpricedKeyFor(provider, model, "unknown model");
    }
    PriceKey k = pricing.keyFor(m, usage, epochMillis);
    return k != null ? k : pricing.unpricedKeyFor(m.entry().provider(), model, "no price valid at the usage time");
  }

  /**
   * Prices {@code usage} at {@code epochMillis}, with the same rules as {@link Pricing#price(String,
   * String, Usage, long)}.
   */
  public PricedUsage price(Usage usage, long epochMillis) {
    Pricing.Match m = current();
    if (m == null) {
      return pricing.price(provider, model, usage, epochMillis);
    }
    PriceKey k = pricing.keyFor(m, usage, epochMillis);
    return k != null ? pricing.priceWith(model, k, usage) : pricing.price(provider, model, usage, epochMillis);
  }

  @Override
  public String toString() {
    return "BoundModel{" + (provider == null ? "" : provider + "/") + model + "}";
  }
}
