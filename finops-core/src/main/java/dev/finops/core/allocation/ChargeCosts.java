package dev.finops.core.allocation;

import dev.finops.core.Money;
import dev.finops.core.catalog.GpuPrice;
import dev.finops.core.catalog.PurchaseOption;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * The four FOCUS costs of one charge and its {@link PricingCategory}: list (the on-demand price),
 * contracted (the agreed rate before commitment discounts), billed (what the invoice says now) and
 * effective (amortized: what the usage really cost). Immutable; all amounts exact, in one currency.
 *
 * <p>How the purchase option sets them ({@link #forPurchase}):
 *
 * <table>
 *   <caption>costs by purchase option</caption>
 *   <tr><th>option</th><th>category</th><th>list</th><th>contracted</th><th>billed</th><th>effective</th></tr>
 *   <tr><td>on-demand</td><td>Standard</td><td>cost</td><td>cost</td><td>cost</td><td>cost</td></tr>
 *   <tr><td>spot</td><td>Dynamic</td><td>on-demand cost</td><td>cost</td><td>cost</td><td>cost</td></tr>
 *   <tr><td>committed</td><td>Committed</td><td>on-demand cost</td><td>on-demand cost</td>
 *       <td>cost × (1 − upfront share)</td><td>cost (amortized)</td></tr>
 * </table>
 *
 * <p>For committed capacity the cost is the amortized committed rate × quantity. The part paid up
 * front (the upfront share: 0 for no-upfront, 1 for all-upfront reservations) was billed when the
 * commitment was bought, so the usage's billed cost leaves it out while its effective cost includes
 * it; the purchase itself is a separate charge. {@link #savings()} is list minus effective: what the
 * purchase option saved against on-demand.
 */
public final class ChargeCosts {

  private static final long MILLIS_PER_HOUR = 3_600_000L;

  private final PricingCategory category;
  private final Money list;
  private final Money contracted;
  private final Money billed;
  private final Money effective;

  private ChargeCosts(PricingCategory category, Money list, Money contracted, Money billed, Money effective) {
    this.category = category;
    this.list = list;
    this.contracted = contracted;
    this.billed = billed;
    this.effective = effective;
  }

  /**
   * The four costs as given (a bill line).
   *
   * @throws IllegalArgumentException if an amount is negative
   * @throws dev.finops.core.CurrencyMismatchException if the currencies differ
   */
  public static ChargeCosts of(PricingCategory category, Money list, Money contracted, Money billed, Money effective) {
    Objects.requireNonNull(category, "category");
    check("list", list, effective);
    check("contracted", contracted, effective);
    check("billed", billed, effective);
    check("effective", effective, effective);
    return new ChargeCosts(category, list, contracted, billed, effective);
  }

  private static void check(String name, Money m, Money like) {
    Objects.requireNonNull(m, name);
    Objects.requireNonNull(like, "effective");
    if (m.signum() < 0) {
      throw new IllegalArgumentException(name + " cost must not be negative: " + m);
    }
    m.compareTo(like); // throws CurrencyMismatchException
  }

  /** One cost at the standard rate: all four equal. */
  public static ChargeCosts standard(Money cost) {
    return of(PricingCategory.STANDARD, cost, cost, cost, cost);
  }

  /**
   * The costs of usage bought with {@code option} (see the table above).
   *
   * @param onDemandCost the same usage at the on-demand price, or {@code null} when unknown (then it
   *     is taken to equal {@code cost}, and no savings show)
   * @param cost the usage at the price it was bought at (for committed: the amortized rate)
   * @param upfrontShare for committed: the share of the commitment paid up front, 0 to 1
   * @throws IllegalArgumentException if the upfront share is outside [0, 1]
   */
  public static ChargeCosts forPurchase(PurchaseOption option, Money onDemandCost, Money cost, BigDecimal upfrontShare) {
    Objects.requireNonNull(option, "option");
    Objects.requireNonNull(cost, "cost");
    Objects.requireNonNull(upfrontShare, "upfrontShare");
    if (upfrontShare.signum() < 0 || upfrontShare.compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException("upfront share must be between 0 and 1: " + upfrontShare.toPlainString());
    }
    Money list = onDemandCost == null ? cost : onDemandCost;
    switch (option) {
      case SPOT:
        return of(PricingCategory.DYNAMIC, list, cost, cost, cost);
      case COMMITTED:
        return of(PricingCategory.COMMITTED, list, list, cost.times(BigDecimal.ONE.subtract(upfrontShare)), cost);
      default:
        return standard(cost);
    }
  }

  /**
   * The costs of {@code instances} instances at a catalog price for {@code duration}: the on-demand
   * rate gives the list cost, the option's rate (spot, or the amortized committed rate) the cost.
   *
   * @throws IllegalArgumentException if the catalog has no price for the option, or an argument is out
   *     of range
   */
  public static ChargeCosts gpuInstances(GpuPrice price, PurchaseOption option, int instances, Duration duration,
      BigDecimal upfrontShare) {
    Objects.requireNonNull(price, "price");
    Objects.requireNonNull(duration, "duration");
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1: " + instances);
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + duration);
    }
    BigDecimal rate = price.hourly(option);
    if (rate == null) {
      throw new IllegalArgumentException("the catalog price has no " + option.jsonName() + " rate");
    }
    long instanceMillis = Math.multiplyExact(duration.toMillis(), (long) instances);
    return forPurchase(option, hours(price.onDemandHourly(), instanceMillis, price),
        hours(rate, instanceMillis, price), upfrontShare);
  }

  private static Money hours(BigDecimal hourly, long millis, GpuPrice price) {
    return Money.of(hourly, price.currency()).times(millis).dividedBy(MILLIS_PER_HOUR);
  }

  public PricingCategory category() {
    return category;
  }

  /** ListCost: the usage at the public on-demand price. */
  public Money list() {
    return list;
  }

  /** ContractedCost: at the agreed rate, before commitment discounts. */
  public Money contracted() {
    return contracted;
  }

  /** BilledCost: what is invoiced for this usage (cash basis, no amortization). */
  public Money billed() {
    return billed;
  }

  /** EffectiveCost: amortized, after every discount; what the usage really cost. */
  public Money effective() {
    return effective;
  }

  /** List minus effective: what the purchase option saved against on-demand (zero for on-demand). */
  public Money savings() {
    return list.minus(effective);
  }

  /** {@link #savings()} ÷ list, HALF_EVEN at {@code scale} (0.43 for 43% off); {@code null} when list is zero. */
  public BigDecimal savingsRatio(int scale) {
    return list.isZero() ? null : savings().ratio(list, scale);
  }

  @Override
  public String toString() {
    return category.focusName() + "{list=" + list + ", contracted=" + contracted + ", billed=" + billed
        + ", effective=" + effective + "}";
  }

  /** Equal when every component is equal. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof ChargeCosts)) {
      return false;
    }
    ChargeCosts o = (ChargeCosts) other;
    return Objects.equals(category, o.category)
        && Objects.equals(list, o.list)
        && Objects.equals(contracted, o.contracted)
        && Objects.equals(billed, o.billed)
        && Objects.equals(effective, o.effective);
  }

  @Override
  public int hashCode() {
    return Objects.hash(category, list, contracted, billed, effective);
  }
}
