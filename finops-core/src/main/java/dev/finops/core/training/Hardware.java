package dev.finops.core.training;

import dev.finops.core.Money;
import dev.finops.core.catalog.OnPremGpu;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.catalog.PriceSource;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import java.time.Instant;
import java.util.Objects;

/**
 * What a training run (or an inference endpoint) runs on, and so what its GPU time costs: a catalog
 * instance type bought on demand, on spot or committed; owned (on-prem) GPUs from the catalog; or a
 * number of GPUs at a custom hourly rate per GPU. Immutable.
 */
public final class Hardware {

  private enum Kind { INSTANCE, ON_PREM, CUSTOM }

  private final Kind kind;
  private final String provider;
  private final String region;
  private final String name; // instance type, on-prem id or a label
  private final int count; // instances, or GPUs for on-prem/custom
  private final PurchaseOption option;
  private final Money perGpuHour; // custom only

  private Hardware(Kind kind, String provider, String region, String name, int count, PurchaseOption option,
      Money perGpuHour) {
    if (count < 1) {
      throw new IllegalArgumentException("hardware count must be at least 1: " + count);
    }
    this.kind = kind;
    this.provider = provider;
    this.region = region;
    this.name = Objects.requireNonNull(name, "name");
    this.count = count;
    this.option = option;
    this.perGpuHour = perGpuHour;
  }

  /**
   * {@code count} instances of a catalog instance type; {@code provider} and {@code region} may be
   * {@code null} (the first catalog entry of that type is used).
   */
  public static Hardware instances(String provider, String region, String instanceType, int count,
      PurchaseOption option) {
    return new Hardware(Kind.INSTANCE, provider, region, instanceType, count, Objects.requireNonNull(option), null);
  }

  /** {@code gpus} owned GPUs of a catalog on-prem entry (amortized cost per GPU-hour). */
  public static Hardware onPrem(String onPremId, int gpus) {
    return new Hardware(Kind.ON_PREM, "on_prem", null, onPremId, gpus, PurchaseOption.COMMITTED, null);
  }

  /** {@code gpus} GPUs at a custom rate per GPU-hour (a negotiated price, a neocloud quote). */
  public static Hardware customRate(String label, int gpus, Money perGpuHour) {
    Objects.requireNonNull(perGpuHour, "perGpuHour");
    if (perGpuHour.signum() < 0) {
      throw new IllegalArgumentException("hourly rate must not be negative: " + perGpuHour);
    }
    return new Hardware(Kind.CUSTOM, "custom", null, label, gpus, PurchaseOption.ON_DEMAND, perGpuHour);
  }

  /** The same hardware bought another way (a what-if: this run on spot, on demand). */
  public Hardware withOption(PurchaseOption other) {
    return new Hardware(kind, provider, region, name, count, other, perGpuHour);
  }

  public String name() {
    return name;
  }

  public PurchaseOption option() {
    return option;
  }

  /** Total GPUs (instances × GPUs per instance, resolved against the catalog). */
  public int gpus(Pricing pricing, long epochMillis) {
    if (kind == Kind.INSTANCE) {
      return count * pricing.gpuRate(provider, region, name, PurchaseOption.ON_DEMAND, epochMillis)
          .instance().gpuCount();
    }
    return count;
  }

  /** The price key of this hardware's GPU time at a time. */
  public PriceKey priceKey(Pricing pricing, long epochMillis) {
    switch (kind) {
      case INSTANCE:
        return pricing.gpuKey(provider, region, name, option, epochMillis);
      case ON_PREM:
        return pricing.onPremKey(name, epochMillis);
      default:
        return PriceKey.gpuTime(PriceKey.Kind.CUSTOM, provider, name, option, perGpuHour.exactAmount(),
            PriceSource.OVERRIDE, null, null, perGpuHour.currency());
    }
  }

  /**
   * When the price this hardware has at {@code epochMillis} stops being in force (a dated catalog
   * change; exclusive), or {@link Long#MAX_VALUE} while it is current or the rate is the caller's own.
   */
  long priceValidUntil(Pricing pricing, long epochMillis) {
    Instant to = null;
    switch (kind) {
      case INSTANCE:
        to = pricing.gpuRate(provider, region, name, option, epochMillis).validTo();
        break;
      case ON_PREM:
        for (Pricing.Layer l : pricing.catalogLayers()) {
          OnPremGpu g = l.catalog().findOnPrem(name);
          if (g != null) {
            OnPremGpu.Price p = g.priceAt(epochMillis);
            to = p == null ? null : p.validTo();
            break;
          }
        }
        break;
      default:
        break;
    }
    return to == null ? Long.MAX_VALUE : to.toEpochMilli();
  }

  @Override
  public String toString() {
    switch (kind) {
      case INSTANCE:
        return count + " x " + name + " (" + option.jsonName() + ")";
      case ON_PREM:
        return count + " on-prem GPUs (" + name + ")";
      default:
        return count + " GPUs at " + perGpuHour + "/GPU-hour (" + name + ")";
    }
  }

  /** Equal when every component is equal. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Hardware)) {
      return false;
    }
    Hardware o = (Hardware) other;
    return Objects.equals(kind, o.kind)
        && Objects.equals(provider, o.provider)
        && Objects.equals(region, o.region)
        && Objects.equals(name, o.name)
        && count == o.count
        && Objects.equals(option, o.option)
        && Objects.equals(perGpuHour, o.perGpuHour);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, provider, region, name, count, option, perGpuHour);
  }
}
