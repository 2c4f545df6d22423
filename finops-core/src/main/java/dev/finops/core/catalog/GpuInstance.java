package dev.finops.core.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A cloud instance type with accelerators and its effective-dated hourly prices. Immutable.
 */
public final class GpuInstance {
  private final String provider;
  private final String region;
  private final String instanceType;
  private final String accelerator;
  private final int gpuCount;
  private final String source;
  private final List<GpuPrice> prices;
  private final String notes;

  public GpuInstance(
      String provider, String region, String instanceType, String accelerator, int gpuCount, String source,
      List<GpuPrice> prices) {
    this(provider, region, instanceType, accelerator, gpuCount, source, prices, null);
  }

  /** As above, with free-text {@code notes} kept for display and for writing the catalog back. */
  public GpuInstance(String provider, String region, String instanceType, String accelerator, int gpuCount,
      String source, List<GpuPrice> prices, String notes) {
    this.notes = notes;
    this.provider = Objects.requireNonNull(provider, "provider");
    this.region = Objects.requireNonNull(region, "region");
    this.instanceType = Objects.requireNonNull(instanceType, "instanceType");
    this.accelerator = Objects.requireNonNull(accelerator, "accelerator");
    if (gpuCount <= 0) {
      throw new IllegalArgumentException("gpus must be positive: " + gpuCount);
    }
    this.gpuCount = gpuCount;
    this.source = source;
    this.prices = List.copyOf(prices);
    if (this.prices.isEmpty()) {
      throw new IllegalArgumentException("instance " + instanceType + " has no prices");
    }
    for (int i = 1; i < this.prices.size(); i++) {
      GpuPrice prev = this.prices.get(i - 1);
      GpuPrice next = this.prices.get(i);
      if (!next.validFrom().isAfter(prev.validFrom()) || prev.validTo() == null
          || prev.validTo().isAfter(next.validFrom())) {
        throw new IllegalArgumentException("instance " + instanceType + ": price valid from "
            + prev.validFrom() + " overlaps the price valid from " + next.validFrom());
      }
    }
  }

  /** Free-text notes of the entry, or {@code null}. */
  public String notes() {
    return notes;
  }

  public String provider() {
    return provider;
  }

  public String region() {
    return region;
  }

  public String instanceType() {
    return instanceType;
  }

  /** Accelerator model, e.g. {@code A100-40GB}, {@code H100-80GB}. */
  public String accelerator() {
    return accelerator;
  }

  /** Accelerators per instance. */
  public int gpuCount() {
    return gpuCount;
  }

  public String source() {
    return source;
  }

  public List<GpuPrice> prices() {
    return prices;
  }

  /** The price in force at {@code epochMillis}, or {@code null}. */
  public GpuPrice priceAt(long epochMillis) {
    return EffectiveDated.at(prices, epochMillis);
  }

  public GpuPrice latest() {
    return prices.get(prices.size() - 1);
  }

  @Override
  public String toString() {
    return provider + "/" + region + "/" + instanceType;
  }
}
