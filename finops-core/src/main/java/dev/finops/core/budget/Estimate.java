package dev.finops.core.budget;

import dev.finops.core.Money;
import java.util.Currency;
import java.util.Objects;

/**
 * An upper bound of what a piece of work will cost, to reserve before it runs; or the reason why no
 * bound is known (then each budget's {@link UnknownCostPolicy} decides). Immutable. Make one with
 * {@link CostEstimator} (an LLM call: input tokens plus {@code max_tokens} at the output price; GPU work:
 * a time slice at the hardware's rate) or from an amount.
 *
 * <p>Amounts are held in pico-units (10<sup>-12</sup>) of the currency; an amount that is not a whole
 * number of pico-units is rounded UP, so the reservation is never below the bound it stands for.
 */
public final class Estimate {
  private final long pico;
  private final Currency currency;
  private final String unknownReason;

  private Estimate(long pico, Currency currency, String unknownReason) {
    this.pico = pico;
    this.currency = currency;
    this.unknownReason = unknownReason;
  }

  /** An upper bound given as money (rounded up to the pico). */
  public static Estimate of(Money upperBound) {
    Objects.requireNonNull(upperBound, "upperBound");
    return new Estimate(Pico.ceil(upperBound), upperBound.currency(), null);
  }

  /** An upper bound in pico-units of {@code currency}. */
  public static Estimate ofPico(long upperBoundPico, Currency currency) {
    if (upperBoundPico < 0) {
      throw new IllegalArgumentException("an estimate must not be negative: " + upperBoundPico);
    }
    return new Estimate(upperBoundPico, Objects.requireNonNull(currency, "currency"), null);
  }

  /** No bound is known, for the reason given ("unknown model 'acme/x'"). */
  public static Estimate unknown(String reason) {
    return new Estimate(0, null, Objects.requireNonNull(reason, "reason"));
  }

  public boolean isKnown() {
    return unknownReason == null;
  }

  /** The bound in pico-units (0 when unknown). */
  public long pico() {
    return pico;
  }

  /** The currency, or {@code null} when unknown. */
  public Currency currency() {
    return currency;
  }

  /** The bound, or {@code null} when unknown. */
  public Money amount() {
    return isKnown() ? Pico.money(pico, currency) : null;
  }

  /** Why no bound is known, or {@code null}. */
  public String unknownReason() {
    return unknownReason;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Estimate)) {
      return false;
    }
    Estimate e = (Estimate) o;
    return pico == e.pico && Objects.equals(currency, e.currency) && Objects.equals(unknownReason, e.unknownReason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pico, currency, unknownReason);
  }

  @Override
  public String toString() {
    return isKnown() ? "Estimate{" + amount() + "}" : "Estimate{unknown: " + unknownReason + "}";
  }
}
