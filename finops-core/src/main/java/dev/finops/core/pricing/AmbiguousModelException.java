package dev.finops.core.pricing;

import java.util.List;

/**
 * A model name without a provider that several providers price differently; the message names the
 * candidates as {@code provider/id}, so the caller can say which one it meant.
 */
public final class AmbiguousModelException extends PricingException {
  private static final long serialVersionUID = 1L;

  private final String model;
  private final List<String> candidates;

  public AmbiguousModelException(String model, List<String> candidates) {
    super("ambiguous model '" + model + "': priced differently by " + String.join(", ", candidates)
        + "; name the provider (--provider P or P/" + model + ")");
    this.model = model;
    this.candidates = List.copyOf(candidates);
  }

  public String model() {
    return model;
  }

  /** The candidates, {@code provider/id}, in catalog order. */
  public List<String> candidates() {
    return candidates;
  }
}
