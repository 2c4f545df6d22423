package dev.finops.core;

import java.util.Currency;

/** Thrown when amounts in two currencies meet without an explicit conversion. */
public final class CurrencyMismatchException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient Currency expected;
  private final transient Currency actual;

  public CurrencyMismatchException(Currency expected, Currency actual) {
    super("currency mismatch: " + expected.getCurrencyCode() + " and " + actual.getCurrencyCode()
        + " cannot be combined without a conversion");
    this.expected = expected;
    this.actual = actual;
  }

  public Currency expected() {
    return expected;
  }

  public Currency actual() {
    return actual;
  }
}
