package dev.finops.core.catalog;

import java.util.Objects;

/**
 * A price that replaces a version's listed price during a window of the day, in UTC: from {@link
 * #fromSecondOfDay()} (inclusive) to {@link #toSecondOfDay()} (exclusive, at most 86,400). DeepSeek,
 * for example, has charged standard prices from 00:30 to 16:30 UTC and off-peak prices the rest of the
 * day. A window does not wrap past midnight; a night window is two windows. Immutable.
 */
public final class TimeOfDayPrice {
  /** Seconds in a day; the largest allowed end of a window. */
  public static final int SECONDS_PER_DAY = 86_400;

  private final int fromSecondOfDay;
  private final int toSecondOfDay;
  private final ModelPrice price;

  /**
   * @param price the window's prices: base, context tiers and service tiers, with the same validity
   *     and currency as the version it belongs to, and no windows of its own
   */
  public TimeOfDayPrice(int fromSecondOfDay, int toSecondOfDay, ModelPrice price) {
    if (fromSecondOfDay < 0 || toSecondOfDay > SECONDS_PER_DAY || fromSecondOfDay >= toSecondOfDay) {
      throw new IllegalArgumentException("time-of-day window must satisfy 0 <= from < to <= 86400 seconds, got "
          + fromSecondOfDay + ".." + toSecondOfDay);
    }
    this.price = Objects.requireNonNull(price, "price");
    if (!price.timeOfDay().isEmpty()) {
      throw new IllegalArgumentException("a time-of-day price cannot have windows of its own");
    }
    this.fromSecondOfDay = fromSecondOfDay;
    this.toSecondOfDay = toSecondOfDay;
  }

  /** Start of the window, seconds after midnight UTC, inclusive. */
  public int fromSecondOfDay() {
    return fromSecondOfDay;
  }

  /** End of the window, seconds after midnight UTC, exclusive (86,400 for midnight). */
  public int toSecondOfDay() {
    return toSecondOfDay;
  }

  /** The prices in force during the window. */
  public ModelPrice price() {
    return price;
  }

  /** {@code HH:MM[:SS]} of a second of the day (24:00 for the end of the day). */
  public static String format(int secondOfDay) {
    int h = secondOfDay / 3600;
    int m = secondOfDay / 60 % 60;
    int s = secondOfDay % 60;
    return s == 0 ? String.format("%02d:%02d", h, m) : String.format("%02d:%02d:%02d", h, m, s);
  }

  @Override
  public String toString() {
    return format(fromSecondOfDay) + "-" + format(toSecondOfDay) + " UTC " + price.base();
  }
}
