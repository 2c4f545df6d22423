package dev.finops.advisor;

import dev.finops.core.Money;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.GpuPrice;
import dev.finops.core.catalog.PurchaseOption;
import java.math.BigDecimal;

/** What the advisors share: the month they price savings over, and the price of one GPU-hour. */
public final class Advisor {

  /** Hours in the month savings are priced over: 8,760 / 12. */
  public static final int HOURS_PER_MONTH = 730;

  private Advisor() {}

  /**
   * The exact price of one GPU-hour of {@code instance} bought as {@code option}, in force at {@code
   * epochMillis}: the instance's hourly price divided by its GPU count.
   *
   * @throws IllegalArgumentException if the catalog has no such price then
   */
  public static Money perGpuHour(GpuInstance instance, PurchaseOption option, long epochMillis) {
    GpuPrice price = instance.priceAt(epochMillis);
    if (price == null) {
      throw new IllegalArgumentException(instance + " has no price at " + java.time.Instant.ofEpochMilli(epochMillis));
    }
    BigDecimal hourly = price.hourly(option);
    if (hourly == null) {
      throw new IllegalArgumentException(instance + " has no " + option.jsonName() + " price");
    }
    return Money.of(hourly, price.currency()).dividedBy(instance.gpuCount());
  }

  /** {@code perHour × HOURS_PER_MONTH}, exact. */
  public static Money monthly(Money perHour) {
    return perHour.times(HOURS_PER_MONTH);
  }
}
