package dev.finops.core.catalog;

/** How capacity is bought. FOCUS calls these PricingCategory Standard, Dynamic and Committed. */
public enum PurchaseOption {
  ON_DEMAND("on_demand"),
  SPOT("spot"),
  COMMITTED("committed");

  private final String jsonName;

  PurchaseOption(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }
}
