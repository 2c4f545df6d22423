package dev.finops.core.spot;

import dev.finops.core.Money;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * What running on spot saved, after the interruptions took their share. For a run (or a plan):
 *
 * <ul>
 *   <li>{@link #spotCost()}: what it cost on spot, every attempt's GPU time included;
 *   <li>{@link #lostWorkCost()}: the part of it spent on work an interruption threw away (GPU time
 *       after the point the next attempt resumed from, usually the last checkpoint);
 *   <li>{@link #restartCost()}: the part spent restarting (a resumed attempt's GPU time before its
 *       first step: boot, loading the checkpoint);
 *   <li>{@link #onDemandCost()}: what the same work would have cost on demand, uninterrupted: the
 *       useful GPU time (all of it less lost work and restarts) at the on-demand rate;
 *   <li>{@link #netSavings()} = on-demand cost − spot cost, and {@link #grossSavings()} = on-demand
 *       cost − (spot cost − lost work − restarts): the discount before the interruptions' toll.
 * </ul>
 *
 * Amounts are exact {@link Money}. Immutable.
 */
public final class SpotEconomics {

  private final Money spotCost;
  private final Money onDemandCost;
  private final Money lostWorkCost;
  private final Money restartCost;

  private SpotEconomics(Money spotCost, Money onDemandCost, Money lostWorkCost, Money restartCost) {
    this.spotCost = spotCost;
    this.onDemandCost = onDemandCost;
    this.lostWorkCost = lostWorkCost;
    this.restartCost = restartCost;
  }

  /**
   * @param spotCost what the run cost on spot, lost work and restarts included
   * @param onDemandCost the useful work at the on-demand rate
   * @param lostWorkCost the part of {@code spotCost} spent on lost work
   * @param restartCost the part of {@code spotCost} spent restarting
   */
  public static SpotEconomics of(Money spotCost, Money onDemandCost, Money lostWorkCost, Money restartCost) {
    Objects.requireNonNull(spotCost, "spotCost");
    Objects.requireNonNull(onDemandCost, "onDemandCost");
    Objects.requireNonNull(lostWorkCost, "lostWorkCost");
    Objects.requireNonNull(restartCost, "restartCost");
    spotCost.minus(onDemandCost).minus(lostWorkCost).minus(restartCost); // same currency, or throws
    return new SpotEconomics(spotCost, onDemandCost, lostWorkCost, restartCost);
  }

  public Money spotCost() {
    return spotCost;
  }

  public Money onDemandCost() {
    return onDemandCost;
  }

  public Money lostWorkCost() {
    return lostWorkCost;
  }

  public Money restartCost() {
    return restartCost;
  }

  /** On-demand cost − (spot cost − lost work − restarts): what the spot discount saved on the useful work. */
  public Money grossSavings() {
    return onDemandCost.minus(spotCost.minus(lostWorkCost).minus(restartCost));
  }

  /** On-demand cost − spot cost: what spot saved, net of lost work and restarts (negative: spot cost more). */
  public Money netSavings() {
    return onDemandCost.minus(spotCost);
  }

  /** Net savings ÷ on-demand cost, HALF_EVEN at {@code scale} (0.6 = 60%); {@code null} if the on-demand cost is zero. */
  public BigDecimal netSavingsFraction(int scale) {
    return onDemandCost.isZero() ? null : netSavings().ratio(onDemandCost, scale);
  }

  @Override
  public String toString() {
    return "SpotEconomics{spot=" + spotCost + ", on_demand=" + onDemandCost + ", lost_work=" + lostWorkCost
        + ", restarts=" + restartCost + ", net_savings=" + netSavings() + "}";
  }

  /** Equal when every component is equal. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof SpotEconomics)) {
      return false;
    }
    SpotEconomics o = (SpotEconomics) other;
    return Objects.equals(spotCost, o.spotCost)
        && Objects.equals(onDemandCost, o.onDemandCost)
        && Objects.equals(lostWorkCost, o.lostWorkCost)
        && Objects.equals(restartCost, o.restartCost);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spotCost, onDemandCost, lostWorkCost, restartCost);
  }
}
