package dev.finops.core.pricing;

/** Usage could not be priced under the {@link UnknownModelPolicy#FAIL} policy. */
public class PricingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PricingException(String message) {
    super(message);
  }
}
