package dev.finops.core.catalog;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model in a catalog: provider, canonical id, aliases, match patterns (for dated snapshots such as
 * {@code gpt-4o-2024-08-06}) and its effective-dated prices, sorted by {@code valid_from} and not
 * overlapping. Immutable.
 */
public final class ModelEntry {
  private final String provider;
  private final String id;
  private final List<String> aliases;
  private final List<Pattern> patterns;
  private final String source;
  private final List<ModelPrice> prices;
  private final java.time.LocalDate checkedOn;
  private final String notes;

  public ModelEntry(
      String provider, String id, List<String> aliases, List<Pattern> patterns, String source, List<ModelPrice> prices) {
    this(provider, id, aliases, patterns, source, prices, null, null);
  }

  /**
   * @param checkedOn the day the prices were last checked against their source ({@code null}: never
   *     recorded); {@code catalog list --stale DAYS} lists entries due for a check
   * @param notes free text kept for display and for writing the catalog back, or {@code null}
   */
  public ModelEntry(String provider, String id, List<String> aliases, List<Pattern> patterns, String source,
      List<ModelPrice> prices, java.time.LocalDate checkedOn, String notes) {
    this.checkedOn = checkedOn;
    this.notes = notes;
    this.provider = Objects.requireNonNull(provider, "provider");
    this.id = Objects.requireNonNull(id, "id");
    this.aliases = List.copyOf(aliases);
    this.patterns = List.copyOf(patterns);
    this.source = source;
    this.prices = List.copyOf(prices);
    if (this.prices.isEmpty()) {
      throw new IllegalArgumentException("model " + provider + "/" + id + " has no prices");
    }
    for (int i = 1; i < this.prices.size(); i++) {
      ModelPrice prev = this.prices.get(i - 1);
      ModelPrice next = this.prices.get(i);
      if (!next.validFrom().isAfter(prev.validFrom())) {
        throw new IllegalArgumentException("model " + provider + "/" + id + ": prices must be sorted by valid_from");
      }
      if (prev.validTo() == null || prev.validTo().isAfter(next.validFrom())) {
        throw new IllegalArgumentException("model " + provider + "/" + id + ": price valid from "
            + prev.validFrom() + " overlaps the price valid from " + next.validFrom());
      }
    }
  }

  public String provider() {
    return provider;
  }

  public String id() {
    return id;
  }

  public List<String> aliases() {
    return aliases;
  }

  public List<Pattern> patterns() {
    return patterns;
  }

  /** Where the prices come from (a public price page and the date it was read). */
  public String source() {
    return source;
  }

  public List<ModelPrice> prices() {
    return prices;
  }

  /** The day the prices were last checked against their source, or {@code null}. */
  public java.time.LocalDate checkedOn() {
    return checkedOn;
  }

  /** This entry with another {@link #checkedOn()} day. */
  public ModelEntry withCheckedOn(java.time.LocalDate day) {
    return new ModelEntry(provider, id, aliases, patterns, source, prices, day, notes);
  }

  /** This entry under another provider name (a dataset's spelling mapped to finops'). */
  public ModelEntry withProvider(String newProvider) {
    return new ModelEntry(newProvider, id, aliases, patterns, source, prices, checkedOn, notes);
  }

  /** Free-text notes of the entry, or {@code null}. */
  public String notes() {
    return notes;
  }

  /** The price in force at {@code epochMillis}, or {@code null} if none is. */
  public ModelPrice priceAt(long epochMillis) {
    return EffectiveDated.at(prices, epochMillis);
  }

  /** The most recent price. */
  public ModelPrice latest() {
    return prices.get(prices.size() - 1);
  }

  /**
   * True if {@code other} charges the same at every instant: the same versions with the same validity,
   * currency, prices, context tiers, service tiers and time-of-day windows.
   */
  public boolean samePrices(ModelEntry other) {
    if (other == this) {
      return true;
    }
    if (other.prices.size() != prices.size()) {
      return false;
    }
    for (int i = 0; i < prices.size(); i++) {
      if (!prices.get(i).samePrices(other.prices.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return provider + "/" + id;
  }
}
