package dev.finops.core.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Objects;

/**
 * Hourly prices of one instance type over a validity window: on-demand (list), a typical spot price
 * and a committed (reserved / savings-plan, amortized) price; spot and committed may be absent.
 */
public final class GpuPrice implements EffectiveDated {
  private final Instant validFrom;
  private final Instant validTo;
  private final Currency currency;
  private final BigDecimal onDemandHourly;
  private final BigDecimal spotHourly;
  private final BigDecimal committedHourly;

  public GpuPrice(
      Instant validFrom, Instant validTo, Currency currency, BigDecimal onDemandHourly, BigDecimal spotHourly,
      BigDecimal committedHourly) {
    this.validFrom = Objects.requireNonNull(validFrom, "validFrom");
    this.validTo = validTo;
    if (validTo != null && !validTo.isAfter(validFrom)) {
      throw new IllegalArgumentException("valid_to " + validTo + " must be after valid_from " + validFrom);
    }
    this.currency = Objects.requireNonNull(currency, "currency");
    this.onDemandHourly = Objects.requireNonNull(onDemandHourly, "onDemandHourly");
    this.spotHourly = spotHourly;
    this.committedHourly = committedHourly;
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

  public BigDecimal onDemandHourly() {
    return onDemandHourly;
  }

  /** Typical spot price per instance-hour, or {@code null}. */
  public BigDecimal spotHourly() {
    return spotHourly;
  }

  /** Amortized committed price per instance-hour, or {@code null}. */
  public BigDecimal committedHourly() {
    return committedHourly;
  }

  /** The hourly price for a purchase option, or {@code null} if the catalog has none. */
  public BigDecimal hourly(PurchaseOption option) {
    switch (option) {
      case SPOT:
        return spotHourly;
      case COMMITTED:
        return committedHourly;
      default:
        return onDemandHourly;
    }
  }

}
