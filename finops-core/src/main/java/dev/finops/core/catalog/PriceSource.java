package dev.finops.core.catalog;

/**
 * Where a price came from, in precedence order: a cost the caller supplied beats an explicit
 * override, which beats a user catalog, which beats the bundled catalog. Every priced result
 * records its source.
 */
public enum PriceSource {
  /** A cost reported by the provider or computed by the caller, used as given. */
  CALLER_SUPPLIED("caller"),
  /** An explicit override registered in code. */
  OVERRIDE("override"),
  /** A catalog file supplied by the user. */
  USER_CATALOG("user_catalog"),
  /** The catalog bundled in the finops-core jar. */
  BUNDLED_CATALOG("bundled_catalog"),
  /** The fallback price of {@code UnknownModelPolicy.FALLBACK_PRICE}. */
  FALLBACK("fallback"),
  /** Not priced ({@code UnknownModelPolicy.RECORD_UNPRICED}); quantities are kept. */
  UNPRICED("unpriced");

  private final String jsonName;

  PriceSource(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The name used in JSON output ({@code "bundled_catalog"}). */
  public String jsonName() {
    return jsonName;
  }
}
