package dev.finops.core.pricing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.catalog.PriceSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The catalog layers of a {@link Pricing} in precedence order (overrides, user catalogs in the order
 * given, the bundled catalog) with the resolution caches that belong to them. Immutable as to its
 * layers; a reload replaces the whole stack, so a cached resolution never outlives its layers.
 */
final class LayerStack {
  final List<Pricing.Layer> layers;
  private final int cacheSize;
  private final Cache<String, Pricing.Match> anyProvider;
  private final ConcurrentHashMap<String, Cache<String, Pricing.Match>> byProvider = new ConcurrentHashMap<>();
  /** Per {@code provider NUL name}: the closest known names of an unknown one. */
  final Cache<String, List<String>> closest;

  private LayerStack(List<Pricing.Layer> layers, int cacheSize) {
    this.layers = List.copyOf(layers);
    this.cacheSize = cacheSize;
    this.anyProvider = newCache();
    this.closest = Caffeine.newBuilder().maximumSize(cacheSize).build();
  }

  /** The layers of {@code overrides} (or none), {@code userCatalogs} and {@code bundled} (or none). */
  static LayerStack of(PriceCatalog overrides, List<PriceCatalog> userCatalogs, PriceCatalog bundled, int cacheSize) {
    List<Pricing.Layer> layers = new ArrayList<>();
    if (overrides != null) {
      layers.add(new Pricing.Layer(overrides, PriceSource.OVERRIDE));
    }
    for (PriceCatalog c : userCatalogs) {
      layers.add(new Pricing.Layer(c, PriceSource.USER_CATALOG));
    }
    if (bundled != null) {
      layers.add(new Pricing.Layer(bundled, PriceSource.BUNDLED_CATALOG));
    }
    return new LayerStack(layers, cacheSize);
  }

  private Cache<String, Pricing.Match> newCache() {
    return Caffeine.newBuilder().maximumSize(cacheSize).build();
  }

  /** The resolution cache of names given with {@code provider} (lower case; {@code null}: none given). */
  Cache<String, Pricing.Match> cacheFor(String provider) {
    if (provider == null) {
      return anyProvider;
    }
    Cache<String, Pricing.Match> c = byProvider.get(provider);
    if (c == null) {
      c = byProvider.computeIfAbsent(provider, p -> newCache());
    }
    return c;
  }

  /** True if any layer prices models of {@code provider}. */
  boolean anyHasProvider(String provider) {
    return anyHasProvider(layers, provider);
  }

  static boolean anyHasProvider(List<Pricing.Layer> layers, String provider) {
    for (Pricing.Layer l : layers) {
      if (l.catalog().hasProvider(provider)) {
        return true;
      }
    }
    return false;
  }
}
