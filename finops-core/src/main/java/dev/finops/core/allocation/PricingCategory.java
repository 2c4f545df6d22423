package dev.finops.core.allocation;

import dev.finops.core.catalog.PurchaseOption;
import java.util.Objects;

/**
 * The FOCUS pricing category of a charge: how its unit price was set. Spot capacity is {@link
 * #DYNAMIC}; reserved instances and savings plans are {@link #COMMITTED}.
 */
public enum PricingCategory {
  /** The agreed (list or negotiated) rate: on-demand capacity, API tokens. */
  STANDARD("Standard"),
  /** A rate the provider varies without notice: spot, preemptible, interruptible capacity. */
  DYNAMIC("Dynamic"),
  /** A rate reduced by a commitment discount (reserved instances, savings plans, CUDs). */
  COMMITTED("Committed"),
  /** A pricing model none of the others fits (owned hardware at an amortized rate). */
  OTHER("Other");

  private final String focusName;

  PricingCategory(String focusName) {
    this.focusName = focusName;
  }

  /** The FOCUS value ({@code "Dynamic"}). */
  public String focusName() {
    return focusName;
  }

  /** On-demand is Standard, spot is Dynamic, committed is Committed. */
  public static PricingCategory of(PurchaseOption option) {
    switch (Objects.requireNonNull(option, "option")) {
      case SPOT:
        return DYNAMIC;
      case COMMITTED:
        return COMMITTED;
      default:
        return STANDARD;
    }
  }
}
