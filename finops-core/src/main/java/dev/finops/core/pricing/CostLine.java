package dev.finops.core.pricing;

import dev.finops.core.Money;
import dev.finops.core.UsageBucket;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One bucket of a priced usage: the quantity in base units, the unit price per the bucket's pricing
 * unit (per 1M tokens, per request, per GPU-hour, per kWh) and the exact cost.
 */
public final class CostLine {
  private final UsageBucket bucket;
  private final long quantity;
  private final BigDecimal unitPrice;
  private final Money cost;

  public CostLine(UsageBucket bucket, long quantity, BigDecimal unitPrice, Money cost) {
    this.bucket = Objects.requireNonNull(bucket);
    this.quantity = quantity;
    this.unitPrice = unitPrice;
    this.cost = cost;
  }

  public UsageBucket bucket() {
    return bucket;
  }

  public long quantity() {
    return quantity;
  }

  /** Price per pricing unit of the bucket, after tiers and multipliers; {@code null} if unpriced. */
  public BigDecimal unitPrice() {
    return unitPrice;
  }

  /** Exact cost of the line; {@code null} if unpriced. */
  public Money cost() {
    return cost;
  }

  @Override
  public String toString() {
    return bucket.jsonName() + ": " + quantity + " x " + (unitPrice == null ? "?" : unitPrice.toPlainString())
        + "/" + bucket.unit().pricingName() + " = " + (cost == null ? "unpriced" : cost.toString());
  }
}
