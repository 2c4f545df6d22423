package dev.finops.core.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One effective-dated price of a model: valid from {@link #validFrom()} (inclusive) to {@link
 * #validTo()} (exclusive, {@code null} for open-ended), in one currency, with optional long-context
 * tiers and service-tier multipliers. Immutable; the combinations of context tier and service tier
 * are compiled once, when the catalog is loaded, so pricing does no set-up work.
 */
public final class ModelPrice implements EffectiveDated {
  private final Instant validFrom;
  private final Instant validTo;
  private final long fromMillis;
  private final long toMillis; // Long.MAX_VALUE when open-ended
  private final Currency currency;
  private final BucketPrices base;
  private final List<ContextTier> contextTiers;
  private final Map<String, BigDecimal> serviceTierMultipliers;
  private final List<TimeOfDayPrice> timeOfDay;
  private final long[] windowFromMs; // time-of-day windows in milliseconds after midnight UTC
  private final long[] windowToMs;

  // [0] = base, [i] = base overlaid with context tier i-1
  private final BucketPrices[] standard;
  private final Map<String, BucketPrices[]> byServiceTier;

  public ModelPrice(
      Instant validFrom,
      Instant validTo,
      Currency currency,
      BucketPrices base,
      List<ContextTier> contextTiers,
      Map<String, BigDecimal> serviceTierMultipliers) {
    this(validFrom, validTo, currency, base, contextTiers, serviceTierMultipliers, List.of());
  }

  /**
   * A price with time-of-day windows: during each window (UTC) the window's prices replace {@code
   * base} and {@code contextTiers}. Windows must be sorted and must not overlap.
   */
  public ModelPrice(
      Instant validFrom,
      Instant validTo,
      Currency currency,
      BucketPrices base,
      List<ContextTier> contextTiers,
      Map<String, BigDecimal> serviceTierMultipliers,
      List<TimeOfDayPrice> timeOfDay) {
    this.validFrom = Objects.requireNonNull(validFrom, "validFrom");
    this.validTo = validTo;
    if (validTo != null && !validTo.isAfter(validFrom)) {
      throw new IllegalArgumentException("valid_to " + validTo + " must be after valid_from " + validFrom);
    }
    this.fromMillis = validFrom.toEpochMilli();
    this.toMillis = validTo == null ? Long.MAX_VALUE : validTo.toEpochMilli();
    this.currency = Objects.requireNonNull(currency, "currency");
    this.base = Objects.requireNonNull(base, "base");
    this.contextTiers = List.copyOf(contextTiers);
    for (int i = 1; i < this.contextTiers.size(); i++) {
      if (this.contextTiers.get(i).aboveInputTokens() <= this.contextTiers.get(i - 1).aboveInputTokens()) {
        throw new IllegalArgumentException("context tiers must be in strictly ascending order of above_input_tokens");
      }
    }
    this.serviceTierMultipliers = Collections.unmodifiableMap(new LinkedHashMap<>(serviceTierMultipliers));
    this.standard = compile(BigDecimal.ONE);
    Map<String, BucketPrices[]> tiers = new HashMap<>();
    for (Map.Entry<String, BigDecimal> e : this.serviceTierMultipliers.entrySet()) {
      if (e.getValue().signum() <= 0) {
        throw new IllegalArgumentException("service tier multiplier '" + e.getKey() + "' must be positive");
      }
      tiers.put(e.getKey(), compile(e.getValue()));
    }
    this.byServiceTier = tiers;
    this.timeOfDay = List.copyOf(timeOfDay);
    this.windowFromMs = new long[this.timeOfDay.size()];
    this.windowToMs = new long[this.timeOfDay.size()];
    for (int i = 0; i < windowFromMs.length; i++) {
      TimeOfDayPrice w = this.timeOfDay.get(i);
      if (i > 0 && w.fromSecondOfDay() < this.timeOfDay.get(i - 1).toSecondOfDay()) {
        throw new IllegalArgumentException("time-of-day windows must be sorted and must not overlap: "
            + this.timeOfDay.get(i - 1) + " and " + w);
      }
      if (!w.price().currency().equals(currency)) {
        throw new IllegalArgumentException("time-of-day window " + w + " must be in the version's currency " + currency);
      }
      windowFromMs[i] = w.fromSecondOfDay() * 1000L;
      windowToMs[i] = w.toSecondOfDay() * 1000L;
    }
  }

  private BucketPrices[] compile(BigDecimal multiplier) {
    BucketPrices[] out = new BucketPrices[contextTiers.size() + 1];
    out[0] = base;
    for (int i = 0; i < contextTiers.size(); i++) {
      out[i + 1] = base.overlay(contextTiers.get(i).prices());
    }
    if (multiplier.compareTo(BigDecimal.ONE) != 0) {
      for (int i = 0; i < out.length; i++) {
        out[i] = out[i].times(multiplier);
      }
    }
    return out;
  }

  @Override
  public Instant validFrom() {
    return validFrom;
  }

  /** Exclusive end, or {@code null} while the price is current. */
  @Override
  public Instant validTo() {
    return validTo;
  }

  public Currency currency() {
    return currency;
  }

  public BucketPrices base() {
    return base;
  }

  public List<ContextTier> contextTiers() {
    return contextTiers;
  }

  public Map<String, BigDecimal> serviceTierMultipliers() {
    return serviceTierMultipliers;
  }

  /** Time-of-day windows (UTC) with their own prices; empty for most models. */
  public List<TimeOfDayPrice> timeOfDay() {
    return timeOfDay;
  }

  /**
   * The time-of-day slot in force at {@code epochMillis}: 0 for this price, i for window i-1 (the hot
   * path: no allocation, no scan for a model without windows).
   */
  public int timeSlot(long epochMillis) {
    if (windowFromMs.length == 0) {
      return 0;
    }
    long ms = Math.floorMod(epochMillis, 86_400_000L);
    for (int i = 0; i < windowFromMs.length; i++) {
      if (ms >= windowFromMs[i] && ms < windowToMs[i]) {
        return i + 1;
      }
    }
    return 0;
  }

  /** The number of time-of-day slots: one more than the windows. */
  public int timeSlotCount() {
    return windowFromMs.length + 1;
  }

  /** The prices of a time-of-day slot: this for 0, window i-1's for i. */
  public ModelPrice slot(int timeSlot) {
    return timeSlot == 0 ? this : timeOfDay.get(timeSlot - 1).price();
  }

  /** True if {@code o} has the same validity, currency, prices, tiers and windows. */
  public boolean samePrices(ModelPrice o) {
    if (!validFrom.equals(o.validFrom) || !java.util.Objects.equals(validTo, o.validTo)
        || !currency.equals(o.currency) || !base.sameAs(o.base) || contextTiers.size() != o.contextTiers.size()
        || !serviceTierMultipliers.equals(o.serviceTierMultipliers) || timeOfDay.size() != o.timeOfDay.size()) {
      return false;
    }
    for (int i = 0; i < contextTiers.size(); i++) {
      if (contextTiers.get(i).aboveInputTokens() != o.contextTiers.get(i).aboveInputTokens()
          || !contextTiers.get(i).prices().sameAs(o.contextTiers.get(i).prices())) {
        return false;
      }
    }
    for (int i = 0; i < timeOfDay.size(); i++) {
      TimeOfDayPrice a = timeOfDay.get(i);
      TimeOfDayPrice b = o.timeOfDay.get(i);
      if (a.fromSecondOfDay() != b.fromSecondOfDay() || a.toSecondOfDay() != b.toSecondOfDay()
          || !a.price().samePrices(b.price())) {
        return false;
      }
    }
    return true;
  }

  /** True if the price is in force at {@code epochMillis} (the hot path: no {@code Instant} math). */
  @Override
  public boolean isValidAt(long epochMillis) {
    return fromMillis <= epochMillis && epochMillis < toMillis;
  }

  /** The start of validity in epoch milliseconds. */
  public long validFromMillis() {
    return fromMillis;
  }

  /** Index of the context tier for {@code inputTokens}: 0 for the base price, i for tier i-1. */
  public int contextTierIndex(long inputTokens) {
    if (contextTiers.isEmpty()) {
      return 0;
    }
    int idx = 0;
    for (int i = 0; i < contextTiers.size(); i++) {
      if (inputTokens > contextTiers.get(i).aboveInputTokens()) {
        idx = i + 1;
      } else {
        break;
      }
    }
    return idx;
  }

  /** True if {@code serviceTier} is the standard tier or has a multiplier here. */
  public boolean knowsServiceTier(String serviceTier) {
    return dev.finops.core.Usage.STANDARD_TIER.equals(serviceTier) || byServiceTier.containsKey(serviceTier);
  }

  /**
   * The effective prices for a context tier index and a service tier; an unknown service tier gets
   * the standard prices (callers count that).
   */
  public BucketPrices effective(int contextTierIndex, String serviceTier) {
    if (serviceTier == null || dev.finops.core.Usage.STANDARD_TIER.equals(serviceTier)) {
      return standard[contextTierIndex];
    }
    BucketPrices[] t = byServiceTier.get(serviceTier);
    return (t == null ? standard : t)[contextTierIndex];
  }
}
