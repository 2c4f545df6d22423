package dev.finops.core.export;

/**
 * The columns a {@link FocusExport} writes, in file order: FOCUS 1.3 Cost and Usage columns, then
 * custom {@code x_} columns. Every row has every column; a value may be null (an empty CSV field, a
 * JSON {@code null}). See {@code docs/focus-export.md} for each column's rule.
 */
public enum FocusColumn {
  BILLING_ACCOUNT_ID("BillingAccountId", Type.STRING),
  BILLING_ACCOUNT_NAME("BillingAccountName", Type.STRING),
  BILLING_CURRENCY("BillingCurrency", Type.STRING),
  BILLING_PERIOD_START("BillingPeriodStart", Type.DATETIME),
  BILLING_PERIOD_END("BillingPeriodEnd", Type.DATETIME),
  CHARGE_PERIOD_START("ChargePeriodStart", Type.DATETIME),
  CHARGE_PERIOD_END("ChargePeriodEnd", Type.DATETIME),
  CHARGE_CATEGORY("ChargeCategory", Type.STRING),
  CHARGE_CLASS("ChargeClass", Type.STRING),
  CHARGE_FREQUENCY("ChargeFrequency", Type.STRING),
  CHARGE_DESCRIPTION("ChargeDescription", Type.STRING),
  SERVICE_PROVIDER_NAME("ServiceProviderName", Type.STRING),
  HOST_PROVIDER_NAME("HostProviderName", Type.STRING),
  INVOICE_ISSUER_NAME("InvoiceIssuerName", Type.STRING),
  /** Deprecated in FOCUS 1.3 for ServiceProviderName; kept for 1.2 consumers. */
  PROVIDER_NAME("ProviderName", Type.STRING),
  /** Deprecated in FOCUS 1.3 for ServiceProviderName; kept for 1.2 consumers. */
  PUBLISHER_NAME("PublisherName", Type.STRING),
  SERVICE_CATEGORY("ServiceCategory", Type.STRING),
  SERVICE_SUBCATEGORY("ServiceSubcategory", Type.STRING),
  SERVICE_NAME("ServiceName", Type.STRING),
  RESOURCE_ID("ResourceId", Type.STRING),
  RESOURCE_NAME("ResourceName", Type.STRING),
  RESOURCE_TYPE("ResourceType", Type.STRING),
  SKU_ID("SkuId", Type.STRING),
  SKU_METER("SkuMeter", Type.STRING),
  SKU_PRICE_ID("SkuPriceId", Type.STRING),
  SKU_PRICE_DETAILS("SkuPriceDetails", Type.JSON),
  PRICING_CATEGORY("PricingCategory", Type.STRING),
  PRICING_QUANTITY("PricingQuantity", Type.DECIMAL),
  PRICING_UNIT("PricingUnit", Type.STRING),
  CONSUMED_QUANTITY("ConsumedQuantity", Type.DECIMAL),
  CONSUMED_UNIT("ConsumedUnit", Type.STRING),
  LIST_UNIT_PRICE("ListUnitPrice", Type.DECIMAL),
  CONTRACTED_UNIT_PRICE("ContractedUnitPrice", Type.DECIMAL),
  LIST_COST("ListCost", Type.DECIMAL),
  CONTRACTED_COST("ContractedCost", Type.DECIMAL),
  BILLED_COST("BilledCost", Type.DECIMAL),
  EFFECTIVE_COST("EffectiveCost", Type.DECIMAL),
  COMMITMENT_DISCOUNT_ID("CommitmentDiscountId", Type.STRING),
  COMMITMENT_DISCOUNT_TYPE("CommitmentDiscountType", Type.STRING),
  COMMITMENT_DISCOUNT_CATEGORY("CommitmentDiscountCategory", Type.STRING),
  COMMITMENT_DISCOUNT_STATUS("CommitmentDiscountStatus", Type.STRING),
  TAGS("Tags", Type.JSON),
  ALLOCATED_METHOD_ID("AllocatedMethodId", Type.STRING),
  ALLOCATED_METHOD_DETAILS("AllocatedMethodDetails", Type.JSON),
  ALLOCATED_RESOURCE_ID("AllocatedResourceId", Type.STRING),
  ALLOCATED_RESOURCE_NAME("AllocatedResourceName", Type.STRING),
  ALLOCATED_TAGS("AllocatedTags", Type.JSON),
  X_MODEL("x_Model", Type.STRING),
  X_TOKEN_DIRECTION("x_TokenDirection", Type.STRING),
  X_CACHE_ACTION("x_CacheAction", Type.STRING),
  X_USAGE_BUCKET("x_UsageBucket", Type.STRING),
  X_SERVICE_TIER("x_ServiceTier", Type.STRING),
  X_GPU_SECONDS("x_GpuSeconds", Type.DECIMAL),
  X_GPU_UTILIZATION("x_GpuUtilization", Type.DECIMAL),
  X_PRICE_SOURCE("x_PriceSource", Type.STRING),
  X_CATALOG_VERSION("x_CatalogVersion", Type.STRING),
  X_ALLOCATED_COST("x_AllocatedCost", Type.DECIMAL),
  X_SHARED_COST("x_SharedCost", Type.DECIMAL),
  X_IDLE_COST("x_IdleCost", Type.DECIMAL);

  /** How a column's values are written. */
  public enum Type {
    /** A plain decimal string: optional minus, digits, optional fraction; no exponent. */
    DECIMAL,
    /** ISO 8601 in UTC: {@code 2026-11-02T00:00:00Z}. */
    DATETIME,
    STRING,
    /** A JSON object, serialized as a string in CSV and embedded as an object in JSON. */
    JSON
  }

  private static final FocusColumn[] VALUES = values();

  private final String columnName;
  private final Type type;

  FocusColumn(String columnName, Type type) {
    this.columnName = columnName;
    this.type = type;
  }

  /** The column's name in the file ({@code "BilledCost"}). */
  public String columnName() {
    return columnName;
  }

  public Type type() {
    return type;
  }

  /** True for a custom ({@code x_}) column. */
  public boolean isCustom() {
    return columnName.startsWith("x_");
  }

  static FocusColumn ofOrdinal(int ordinal) {
    return VALUES[ordinal];
  }

  static int count() {
    return VALUES.length;
  }
}
