package dev.finops.core.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A price valid over {@code [validFrom, validTo)}; {@code validTo} is {@code null} while the price is
 * current. Model, GPU instance and on-prem prices share this, and {@link #at} finds the one in force.
 */
public interface EffectiveDated {

  /** Start of validity, inclusive. */
  Instant validFrom();

  /** End of validity, exclusive, or {@code null} while current. */
  Instant validTo();

  /** True if the price is in force at {@code epochMillis}. */
  default boolean isValidAt(long epochMillis) {
    Instant to = validTo();
    return validFrom().toEpochMilli() <= epochMillis && (to == null || epochMillis < to.toEpochMilli());
  }

  /**
   * The index of the version in force at {@code epochMillis} in {@code versions} (sorted by start,
   * not overlapping), or -1. Searches from the newest: most lookups are for current usage.
   */
  static int indexAt(List<? extends EffectiveDated> versions, long epochMillis) {
    for (int i = versions.size() - 1; i >= 0; i--) {
      EffectiveDated v = versions.get(i);
      if (v.isValidAt(epochMillis)) {
        return i;
      }
      if (v.validFrom().toEpochMilli() <= epochMillis) {
        return -1; // after an expired version: a gap, or past the end
      }
    }
    return -1;
  }

  /** The version in force at {@code epochMillis}, or {@code null}. */
  static <T extends EffectiveDated> T at(List<T> versions, long epochMillis) {
    int i = indexAt(versions, epochMillis);
    return i < 0 ? null : versions.get(i);
  }
}
