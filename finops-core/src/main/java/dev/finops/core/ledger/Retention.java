package dev.finops.core.ledger;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the ledger keeps time buckets at each resolution. Totals are kept forever; only the time
 * resolution coarsens: minute buckets for {@link #minutes()}, then hour buckets up to {@link
 * #hours()}, then day buckets up to {@link #days()}, then one bucket for everything older. The
 * defaults (6 hours, 7 days, 90 days) keep a day of a busy process to a few hundred slots per
 * account and price.
 */
public final class Retention {

  /** Slots younger than this are never compacted, so no in-flight writer can miss its slot. */
  static final long SETTLE = Row.HOUR;

  private final Duration minutes;
  private final Duration hours;
  private final Duration days;

  private Retention(Duration minutes, Duration hours, Duration days) {
    this.minutes = minutes;
    this.hours = hours;
    this.days = days;
  }

  public static Retention defaults() {
    return new Retention(Duration.ofHours(6), Duration.ofDays(7), Duration.ofDays(90));
  }

  /**
   * @throws IllegalArgumentException if the horizons are not increasing or the minute horizon is
   *     under one hour
   */
  public static Retention of(Duration minutes, Duration hours, Duration days) {
    Objects.requireNonNull(minutes, "minutes");
    Objects.requireNonNull(hours, "hours");
    Objects.requireNonNull(days, "days");
    if (minutes.toMillis() < SETTLE) {
      throw new IllegalArgumentException("minute retention must be at least 1 hour, got " + minutes);
    }
    if (hours.compareTo(minutes) < 0 || days.compareTo(hours) < 0) {
      throw new IllegalArgumentException("retention horizons must not decrease: minutes " + minutes + ", hours "
          + hours + ", days " + days);
    }
    return new Retention(minutes, hours, days);
  }

  public Duration minutes() {
    return minutes;
  }

  public Duration hours() {
    return hours;
  }

  public Duration days() {
    return days;
  }

  /** The slot length for data this old: minute, hour, day, or everything ({@code Long.MAX_VALUE}). */
  long granuleFor(long ageMillis) {
    if (ageMillis < minutes.toMillis()) {
      return Row.MINUTE;
    }
    if (ageMillis < hours.toMillis()) {
      return Row.HOUR;
    }
    if (ageMillis < days.toMillis()) {
      return Row.DAY;
    }
    return Long.MAX_VALUE;
  }

  /** Equal when every component is equal. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Retention)) {
      return false;
    }
    Retention o = (Retention) other;
    return Objects.equals(minutes, o.minutes)
        && Objects.equals(hours, o.hours)
        && Objects.equals(days, o.days);
  }

  @Override
  public int hashCode() {
    return Objects.hash(minutes, hours, days);
  }
}
