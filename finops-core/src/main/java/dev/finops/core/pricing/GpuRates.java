package dev.finops.core.pricing;

import dev.finops.core.Money;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.GpuPrice;
import dev.finops.core.catalog.OnPremGpu;
import dev.finops.core.catalog.PurchaseOption;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * GPU capacity in the layers: an instance type's hourly rate for a purchase option at a time, its
 * price key per GPU-hour (exact even when the instance rate does not divide by its GPU count), and
 * owned GPUs' on-prem keys.
 */
final class GpuRates {

  private GpuRates() {}

  /** See {@link Pricing#gpuRate}. */
  static Pricing.GpuRate gpuRate(LayerStack s, String provider, String region, String instanceType,
      PurchaseOption option, long epochMillis) {
    for (Pricing.Layer l : s.layers) {
      GpuInstance g = l.catalog().findGpuInstance(provider, region, instanceType);
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
            + ") has no " + option.jsonName() + " price in catalog " + l.catalog().name());
      }
      return new Pricing.GpuRate(g, Money.of(h, p.currency()), option, l, p.validTo());
    }
    List<String> known = new ArrayList<>();
    for (Pricing.Layer l : s.layers) {
      for (GpuInstance g : l.catalog().gpuInstances()) {
        if (NameResolver.editDistance(g.instanceType().toLowerCase(Locale.ROOT),
            instanceType.toLowerCase(Locale.ROOT)) <= 3 && !known.contains(g.instanceType())) {
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
   * See {@link Pricing#gpuKey}: the instance rate over its GPUs, exact; a rate that does not divide
   * ($10 an hour over 3 GPUs) keeps the exact fraction in the key ({@link PriceKey#gpuHourly()}).
   */
  static PriceKey gpuKey(LayerStack s, String provider, String region, String instanceType, PurchaseOption option,
      long epochMillis) {
    Pricing.GpuRate r = gpuRate(s, provider, region, instanceType, option, epochMillis);
    return PriceKey.gpuTime(PriceKey.Kind.GPU, r.instance().provider(), r.instance().region(),
        r.instance().instanceType(), option, r.hourly(), r.instance().gpuCount(), r.source(), r.layer().catalog().name(), r.catalogVersion());
  }

  /** See {@link Pricing#onPremKey}. */
  static PriceKey onPremKey(LayerStack s, String onPremId, long epochMillis) {
    for (Pricing.Layer l : s.layers) {
      OnPremGpu g = l.catalog().findOnPrem(onPremId);
      if (g != null) {
        OnPremGpu.Price p = g.priceAt(epochMillis);
        if (p == null) {
          throw new PricingException("on-prem entry '" + onPremId + "' has no price valid at "
              + Instant.ofEpochMilli(epochMillis));
        }
        return PriceKey.onPrem(g.id(), p.amortizedGpuHourly(), p.energyPerKwh(), l.source(), l.catalog().name(),
            l.catalog().version(), p.currency());
      }
    }
    throw new PricingException("unknown on-prem entry '" + onPremId + "'");
  }
}
