package dev.finops.core.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * Owned hardware: an amortized cost per GPU-hour (purchase price over service life, hosting
 * included as the catalog author chooses) plus the price of electricity per kWh. Immutable.
 */
public final class OnPremGpu {

  /** One validity window of an on-prem price. */
  public static final class Price implements EffectiveDated {
    private final Instant validFrom;
    private final Instant validTo;
    private final Currency currency;
    private final BigDecimal amortizedGpuHourly;
    private final BigDecimal energyPerKwh;

    public Price(Instant validFrom, Instant validTo, Currency currency, BigDecimal amortizedGpuHourly,
        BigDecimal energyPerKwh) {
      this.validFrom = Objects.requireNonNull(validFrom, "validFrom");
      this.validTo = validTo;
      this.currency = Objects.requireNonNull(currency, "currency");
      this.amortizedGpuHourly = Objects.requireNonNull(amortizedGpuHourly, "amortizedGpuHourly");
      this.energyPerKwh = Objects.requireNonNull(energyPerKwh, "energyPerKwh");
    }

    @Override
    public Instant validFrom() {
      return validFrom;
    }

    @Override
    public Instant validTo() {
      return validTo;
    }

    public Currency currency() {
      return currency;
    }

    public BigDecimal amortizedGpuHourly() {
      return amortizedGpuHourly;
    }

    public BigDecimal energyPerKwh() {
      return energyPerKwh;
    }

  }

  private final String id;
  private final String accelerator;
  private final int gpuCount;
  private final String source;
  private final List<Price> prices;
  private final String notes;

  public OnPremGpu(String id, String accelerator, int gpuCount, String source, List<Price> prices) {
    this(id, accelerator, gpuCount, source, prices, null);
  }

  /** As above, with free-text {@code notes} kept for display and for writing the catalog back. */
  public OnPremGpu(String id, String accelerator, int gpuCount, String source, List<Price> prices, String notes) {
    this.notes = notes;
    this.id = Objects.requireNonNull(id, "id");
    this.accelerator = Objects.requireNonNull(accelerator, "accelerator");
    if (gpuCount <= 0) {
      throw new IllegalArgumentException("gpus must be positive: " + gpuCount);
    }
    this.gpuCount = gpuCount;
    this.source = source;
    this.prices = List.copyOf(prices);
    if (this.prices.isEmpty()) {
      throw new IllegalArgumentException("on-prem entry " + id + " has no prices");
    }
  }

  /** Free-text notes of the entry, or {@code null}. */
  public String notes() {
    return notes;
  }

  public String id() {
    return id;
  }

  public String accelerator() {
    return accelerator;
  }

  public int gpuCount() {
    return gpuCount;
  }

  public String source() {
    return source;
  }

  public List<Price> prices() {
    return prices;
  }

  public Price priceAt(long epochMillis) {
    return EffectiveDated.at(prices, epochMillis);
  }

  public Price latest() {
    return prices.get(prices.size() - 1);
  }
}
