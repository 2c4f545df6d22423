package dev.finops.core.budget;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;

/**
 * The time over which a budget's limit applies. Immutable; equal windows are the same window (a budget
 * may not define one twice).
 *
 * <ul>
 *   <li>{@link #lifetime()}: everything ever spent against the budget;
 *   <li>{@link #daily(ZoneId)}, {@link #weekly(ZoneId)}, {@link #monthly(ZoneId)}: calendar periods in
 *       the budget's time zone, from the start of the day (of Monday for weeks, ISO-8601; of the 1st for
 *       months) to the start of the next. A day is 23 or 25 hours long when the zone changes to or from
 *       daylight-saving time (Europe/Paris, 2026-03-29 and 2026-10-25). Spend counts in the period in
 *       which it was reserved (or recorded): a reservation made at 23:59 and settled at 00:01 is
 *       yesterday's.
 *   <li>{@link #rolling(Duration)}: the trailing window (the last 24 hours, say), kept as {@value
 *       #DEFAULT_SUB_BUCKETS} time-bucketed sub-counters: an amount counts from its reservation (or
 *       recording) until at least {@code length} and at most {@code length + length/subBuckets} later,
 *       never less (the conservative side).
 * </ul>
 */
public final class Window {

  /** The kind of window. */
  public enum Kind {
    LIFETIME,
    DAILY,
    WEEKLY,
    MONTHLY,
    ROLLING
  }

  /** Sub-counters of a rolling window unless told otherwise. */
  public static final int DEFAULT_SUB_BUCKETS = 60;

  /** The most sub-counters a rolling window may have. */
  public static final int MAX_SUB_BUCKETS = 1_000;

  private static final Window LIFETIME = new Window(Kind.LIFETIME, null, 0, 0);

  private final Kind kind;
  private final ZoneId zone;
  private final long lengthMillis;
  private final int subBuckets;

  private Window(Kind kind, ZoneId zone, long lengthMillis, int subBuckets) {
    this.kind = kind;
    this.zone = zone;
    this.lengthMillis = lengthMillis;
    this.subBuckets = subBuckets;
  }

  /** All spend, never reset. */
  public static Window lifetime() {
    return LIFETIME;
  }

  /** Calendar days in {@code zone}. */
  public static Window daily(ZoneId zone) {
    return new Window(Kind.DAILY, Objects.requireNonNull(zone, "zone"), 0, 0);
  }

  /** Calendar weeks in {@code zone}, Monday to Monday (ISO-8601). */
  public static Window weekly(ZoneId zone) {
    return new Window(Kind.WEEKLY, Objects.requireNonNull(zone, "zone"), 0, 0);
  }

  /** Calendar months in {@code zone}. */
  public static Window monthly(ZoneId zone) {
    return new Window(Kind.MONTHLY, Objects.requireNonNull(zone, "zone"), 0, 0);
  }

  /** The trailing {@code length} (at least 1 second), in {@value #DEFAULT_SUB_BUCKETS} sub-counters. */
  public static Window rolling(Duration length) {
    return rolling(length, DEFAULT_SUB_BUCKETS);
  }

  /**
   * The trailing {@code length} in {@code subBuckets} sub-counters: more sub-counters hold the window
   * closer to its length and cost a little memory (one small object each).
   *
   * @throws IllegalArgumentException naming the field if the length is under a second or the count is
   *     not in 1..{@value #MAX_SUB_BUCKETS}
   */
  public static Window rolling(Duration length, int subBuckets) {
    Objects.requireNonNull(length, "length");
    if (length.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("window: a rolling window must be at least 1 second long, got " + length);
    }
    if (subBuckets < 1 || subBuckets > MAX_SUB_BUCKETS) {
      throw new IllegalArgumentException("window: subBuckets must be 1 to " + MAX_SUB_BUCKETS + ", got " + subBuckets);
    }
    return new Window(Kind.ROLLING, null, length.toMillis(), subBuckets);
  }

  public Kind kind() {
    return kind;
  }

  /** The time zone of a calendar window; {@code null} for lifetime and rolling windows. */
  public ZoneId zone() {
    return zone;
  }

  /** The length of a rolling window; {@code null} for the others. */
  public Duration length() {
    return kind == Kind.ROLLING ? Duration.ofMillis(lengthMillis) : null;
  }

  /** The sub-counters of a rolling window; 0 for the others. */
  public int subBuckets() {
    return subBuckets;
  }

  /** True for daily, weekly and monthly windows. */
  public boolean isCalendar() {
    return zone != null;
  }

  public boolean isRolling() {
    return kind == Kind.ROLLING;
  }

  /** Width of one sub-counter of a rolling window, in milliseconds (rounded up). */
  long bucketMillis() {
    return (lengthMillis + subBuckets - 1) / subBuckets;
  }

  long lengthMillis() {
    return lengthMillis;
  }

  /** The calendar day, week or month containing {@code epochMillis}: {@code [start, end)}, epoch ms. */
  long[] periodAt(long epochMillis) {
    if (zone == null) {
      return new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
    }
    LocalDate first = firstDay(Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate());
    return new long[] {startOf(first), startOf(next(first))};
  }

  /** The first day of the period a day belongs to. */
  private LocalDate firstDay(LocalDate day) {
    switch (kind) {
      case WEEKLY:
        return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTHLY:
        return day.withDayOfMonth(1);
      default:
        return day;
    }
  }

  private LocalDate next(LocalDate first) {
    switch (kind) {
      case WEEKLY:
        return first.plusWeeks(1);
      case MONTHLY:
        return first.plusMonths(1);
      default:
        return first.plusDays(1);
    }
  }

  private long startOf(LocalDate day) {
    return day.atStartOfDay(zone).toInstant().toEpochMilli();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Window)) {
      return false;
    }
    Window w = (Window) o;
    return kind == w.kind && Objects.equals(zone, w.zone) && lengthMillis == w.lengthMillis
        && subBuckets == w.subBuckets;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, zone, lengthMillis, subBuckets);
  }

  /** {@code lifetime}, {@code daily(Europe/Paris)}, {@code rolling(PT24H)}. */
  @Override
  public String toString() {
    switch (kind) {
      case LIFETIME:
        return "lifetime";
      case ROLLING:
        return "rolling(" + Duration.ofMillis(lengthMillis)
            + (subBuckets == DEFAULT_SUB_BUCKETS ? "" : ", " + subBuckets + " sub-buckets") + ")";
      default:
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + zone + ")";
    }
  }
}
