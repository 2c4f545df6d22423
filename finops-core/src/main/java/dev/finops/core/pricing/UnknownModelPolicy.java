package dev.finops.core.pricing;

/**
 * What pricing does with usage it cannot price: a model no catalog layer knows, a model with no price
 * valid at the usage's time, or a quantity in a bucket the model has no price for. Never a silent
 * zero: every case is either an exception, or counted and logged once per model.
 */
public enum UnknownModelPolicy {
  /** Throw {@link UnknownModelException} (naming the model and the closest known ids). The default. */
  FAIL,
  /**
   * Return an unpriced result ({@link PricedUsage#isPriced()} false, source {@code UNPRICED}) that
   * keeps the quantities so they can be priced later; counted and warned once per model.
   */
  RECORD_UNPRICED,
  /** Price with the fallback prices given to the builder; counted and warned once per model. */
  FALLBACK_PRICE
}
