package dev.finops.core.budget;

import dev.finops.core.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Currency;
import java.util.Objects;

/**
 * One window of one budget at a moment: limit, settled spend, open reservations, what remains, the burn
 * rate and when, at that rate, the limit would be reached. Immutable. Amounts are exact {@link Money}
 * (whole pico-units of the currency).
 *
 * <p>Spent and used are each read exactly; reserved is their difference, so under concurrent updates
 * it may be off for a moment (it is never negative).
 */
public final class BudgetStatus {
  private final Budget budget;
  private final Window window;
  private final Instant periodStart;
  private final Instant periodEnd;
  private final Money limit;
  private final Money used;
  private final Money spent;
  private final Money reserved;
  private final Money remaining;
  private final Money burnRatePerHour;
  private final Instant projectedExhaustion;
  private final Instant at;
  private final long limitPico;
  private final long usedPico;

  private BudgetStatus(BudgetLine.Period period, BudgetStore.Reading reading, long ratePicoPerHour, long nowMillis) {
    BudgetLine line = period.line;
    Currency currency = line.owner.budget.currency();
    this.budget = line.owner.budget;
    this.window = line.window;
    if (window.isRolling()) {
      this.periodStart = Instant.ofEpochMilli(nowMillis - window.lengthMillis());
      this.periodEnd = Instant.ofEpochMilli(nowMillis);
    } else {
      this.periodStart = period.start == Long.MIN_VALUE ? null : Instant.ofEpochMilli(period.start);
      this.periodEnd = period.end == Long.MAX_VALUE ? null : Instant.ofEpochMilli(period.end);
    }
    this.limitPico = line.limitPico;
    this.usedPico = reading.usedPico();
    long spentPico = Math.max(0, Math.min(reading.spentPico(), usedPico));
    this.limit = line.limit;
    this.used = Pico.money(usedPico, currency);
    this.spent = Pico.money(spentPico, currency);
    this.reserved = Pico.money(usedPico - spentPico, currency);
    long remainingPico = limitPico - usedPico;
    this.remaining = Pico.money(remainingPico, currency);
    this.burnRatePerHour = Pico.money(ratePicoPerHour, currency);
    if (ratePicoPerHour <= 0) {
      this.projectedExhaustion = null;
    } else if (remainingPico <= 0) {
      this.projectedExhaustion = Instant.ofEpochMilli(nowMillis);
    } else {
      long ms = Pico.mulDivCeil(remainingPico, Pico.MILLIS_PER_HOUR, ratePicoPerHour);
      this.projectedExhaustion = Instant.ofEpochMilli(Pico.addSaturated(Math.max(0, nowMillis), ms));
    }
    this.at = Instant.ofEpochMilli(nowMillis);
  }

  static BudgetStatus of(BudgetLine.Period period, BudgetStore.Reading reading, long ratePicoPerHour, long nowMillis) {
    return new BudgetStatus(period, reading, ratePicoPerHour, nowMillis);
  }

  public Budget budget() {
    return budget;
  }

  /** {@code team=nlp}. */
  public String scope() {
    return budget.scope();
  }

  public Window window() {
    return window;
  }

  /**
   * Start of the calendar period (for a rolling window: {@code at − length}); {@code null} for a
   * lifetime window.
   */
  public Instant periodStart() {
    return periodStart;
  }

  /** End of the calendar period, exclusive (for a rolling window: {@code at}); {@code null} for lifetime. */
  public Instant periodEnd() {
    return periodEnd;
  }

  public Money limit() {
    return limit;
  }

  /** Settled spend in the window. */
  public Money spent() {
    return spent;
  }

  /** Open reservations in the window. */
  public Money reserved() {
    return reserved;
  }

  /** Spent plus reserved: what admission compares with the limit. */
  public Money used() {
    return used;
  }

  /** Limit − used; negative when spend recorded without reservation went past the limit. */
  public Money remaining() {
    return remaining;
  }

  /** Used ÷ limit, rounded HALF_EVEN to 4 places (0.8123 = 81.23%). */
  public BigDecimal usedFraction() {
    return BigDecimal.valueOf(usedPico).divide(BigDecimal.valueOf(limitPico), 4, RoundingMode.HALF_EVEN);
  }

  /**
   * The budget's spend rate per hour: an exponentially weighted moving average of settled spend per
   * minute (weight 1/8 per minute, over the last hour, on the injected clock), times 60.
   */
  public Money burnRatePerHour() {
    return burnRatePerHour;
  }

  /**
   * When the window's limit would be reached at the current burn rate ({@code at + remaining ÷ rate});
   * {@link #at()} if it already is; {@code null} when the rate is zero. It may lie after {@link
   * #periodEnd()}: the window then resets first.
   */
  public Instant projectedExhaustion() {
    return projectedExhaustion;
  }

  /** When the figures were read. */
  public Instant at() {
    return at;
  }

  @Override
  public String toString() {
    return "BudgetStatus{" + scope() + " " + window + ": limit " + limit + ", spent " + spent + ", reserved "
        + reserved + ", remaining " + remaining + ", burn " + burnRatePerHour + "/h"
        + (projectedExhaustion == null ? "" : ", exhausted at " + projectedExhaustion) + "}";
  }

  /** Equal when it is the same budget (a budget is an entity: compared by identity) and window, with equal figures at the same instant. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof BudgetStatus)) {
      return false;
    }
    BudgetStatus o = (BudgetStatus) other;
    return Objects.equals(budget, o.budget)
        && Objects.equals(window, o.window)
        && Objects.equals(periodStart, o.periodStart)
        && Objects.equals(periodEnd, o.periodEnd)
        && Objects.equals(limit, o.limit)
        && Objects.equals(used, o.used)
        && Objects.equals(spent, o.spent)
        && Objects.equals(reserved, o.reserved)
        && Objects.equals(remaining, o.remaining)
        && Objects.equals(burnRatePerHour, o.burnRatePerHour)
        && Objects.equals(projectedExhaustion, o.projectedExhaustion)
        && Objects.equals(at, o.at);
  }

  @Override
  public int hashCode() {
    return Objects.hash(budget, window, periodStart, periodEnd, limit, used, spent, reserved, remaining,
        burnRatePerHour, projectedExhaustion, at);
  }
}
