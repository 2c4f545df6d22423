package dev.finops.core.pricing;

import java.util.List;

/** No catalog layer knows the model; the message names it and the closest known ids. */
public final class UnknownModelException extends PricingException {
  private static final long serialVersionUID = 1L;

  private final String model;
  private final String provider;
  private final List<String> closestMatches;

  public UnknownModelException(String provider, String model, List<String> closestMatches) {
    super("unknown model '" + model + "'" + (provider == null ? "" : " of provider '" + provider + "'")
        + (closestMatches.isEmpty() ? "" : "; closest known: " + String.join(", ", closestMatches)));
    this.model = model;
    this.provider = provider;
    this.closestMatches = List.copyOf(closestMatches);
  }

  public String model() {
    return model;
  }

  /** The provider asked for, or {@code null}. */
  public String provider() {
    return provider;
  }

  /** Up to three known ids closest to the model name, closest first. */
  public List<String> closestMatches() {
    return closestMatches;
  }
}
