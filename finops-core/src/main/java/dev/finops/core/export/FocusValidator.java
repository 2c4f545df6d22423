package dev.finops.core.export;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks FOCUS 1.3 rows, from any source, against the specification's rules for the columns they
 * use: presence of the mandatory columns, each column's type and nullability, allowed values, the
 * conditional nullability rules, unit and date formats, the JSON object columns, and the split cost
 * allocation rules. Written from the FOCUS column definitions, not from {@link FocusExporter}, so it
 * also checks the exporter. Returns every violation as a line naming the row and column; an empty
 * list means the rows pass. Stateless and thread-safe.
 *
 * <pre>{@code
 * List<String> problems = FocusValidator.validateCsv(Files.readString(Path.of("focus.csv")));
 * }</pre>
 */
public final class FocusValidator {

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  /** Mandatory in FOCUS 1.3 (the 1.3 provider columns included). */
  private static final List<String> MANDATORY = List.of("BilledCost", "BillingAccountId", "BillingCurrency",
      "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription",
      "ChargePeriodEnd", "ChargePeriodStart", "ContractedCost", "EffectiveCost", "HostProviderName",
      "InvoiceIssuerName", "ListCost", "PricingQuantity", "PricingUnit", "ServiceCategory", "ServiceName",
      "ServiceProviderName");

  /** Columns that must never be null. */
  private static final Set<String> NOT_NULL = Set.of("BilledCost", "BillingAccountId", "BillingCurrency", "BillingPeriodEnd",
      "BillingPeriodStart", "ChargeCategory", "ChargeDescription", "ChargePeriodEnd", "ChargePeriodStart",
      "ContractedCost", "EffectiveCost", "HostProviderName", "InvoiceIssuerName", "ListCost", "ServiceCategory",
      "ServiceName", "ServiceProviderName", "ProviderName", "PublisherName", "ServiceSubcategory");

  private static final Set<String> DECIMAL = Set.of("BilledCost", "EffectiveCost", "ListCost", "ContractedCost",
      "ListUnitPrice", "ContractedUnitPrice", "PricingQuantity", "ConsumedQuantity");
  private static final Set<String> DATETIME = Set.of("ChargePeriodStart", "ChargePeriodEnd", "BillingPeriodStart",
      "BillingPeriodEnd");
  private static final Set<String> JSON_OBJECT = Set.of("Tags", "SkuPriceDetails", "AllocatedMethodDetails", "AllocatedTags");

  /** Every FOCUS 1.3 Cost and Usage column name this validator knows; anything else must be x_. */
  private static final Set<String> KNOWN = Set.of("AllocatedMethodId", "AllocatedMethodDetails", "AllocatedResourceId",
      "AllocatedResourceName", "AllocatedTags", "AvailabilityZone", "BilledCost", "BillingAccountId",
      "BillingAccountName", "BillingAccountType", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
      "CapacityReservationId", "CapacityReservationStatus", "ChargeCategory", "ChargeClass", "ChargeDescription",
      "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart", "CommitmentDiscountCategory", "CommitmentDiscountId",
      "CommitmentDiscountName", "CommitmentDiscountQuantity", "CommitmentDiscountStatus", "CommitmentDiscountType",
      "CommitmentDiscountUnit", "ConsumedQuantity", "ConsumedUnit", "ContractApplied", "ContractedCost",
      "ContractedUnitPrice", "EffectiveCost", "HostProviderName", "InvoiceId", "InvoiceIssuerName", "ListCost",
      "ListUnitPrice", "PricingCategory", "PricingCurrency", "PricingQuantity", "PricingUnit", "ProviderName",
      "PublisherName", "RegionId", "RegionName", "ResourceId", "ResourceName", "ResourceType", "ServiceCategory",
      "ServiceName", "ServiceProviderName", "ServiceSubcategory", "SkuId", "SkuMeter", "SkuPriceDetails",
      "SkuPriceId", "SubAccountId", "SubAccountName", "SubAccountType", "Tags");

  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "ChargeCategory", Set.of("Usage", "Purchase", "Tax", "Credit", "Adjustment"),
      "ChargeClass", Set.of("Correction"),
      "ChargeFrequency", Set.of("One-Time", "Recurring", "Usage-Based"),
      "CommitmentDiscountCategory", Set.of("Spend", "Usage"),
      "CommitmentDiscountStatus", Set.of("Used", "Unused"),
      "PricingCategory", Set.of("Standard", "Dynamic", "Committed", "Other"),
      "ServiceCategory", Set.of("AI and Machine Learning", "Analytics", "Business Applications", "Compute",
          "Databases", "Developer Tools", "Multicloud", "Identity", "Integration", "Internet of Things",
          "Management and Governance", "Media", "Migration", "Mobile", "Networking", "Security", "Storage", "Web",
          "Other"));

  /** Subcategories by parent category, for the categories the SDK uses; others allow only "Other (X)". */
  private static final Map<String, Set<String>> SUBCATEGORIES = Map.of(
      "AI and Machine Learning", Set.of("AI Platforms", "Bots", "Generative AI", "Machine Learning",
          "Natural Language Processing", "Other (AI and Machine Learning)"),
      "Compute", Set.of("Containers", "End User Computing", "Quantum Compute", "Serverless Compute",
          "Virtual Machines", "Other (Compute)"));

  /** FOCUS-defined SkuPriceDetails keys; any other key must start with x_. */
  private static final Set<String> SKU_PRICE_DETAIL_KEYS = Set.of("CoreCount", "GpuCount", "InstanceType", "InstanceSeries",
      "MemorySize", "DiskSpace", "DiskType", "StorageClass", "OperatingSystem", "Redundancy", "NetworkMaxIops",
      "NetworkMaxThroughput", "DiskMaxIops");

  /** NumericFormat: optional minus, digits, optional fraction; no exponent, no separators. */
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  /** Date/time format: ISO 8601 in UTC with a Z. */
  private static final Pattern DATETIME_FORMAT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
  /**
   * Unit format: {@code <plural-units>}, {@code <singular-unit>-<plural-time-units>}, {@code
   * <plural-units>/<singular-time-unit>}, with an optional whole-number prefix ({@code 1000 Tokens}).
   */
  private static final Pattern UNIT = Pattern.compile(
      "([1-9]\\d* )?[A-Za-z]+(-(Years|Months|Days|Hours|Minutes|Seconds))?(/(Year|Month|Day|Hour|Minute|Second))?");

  private FocusValidator() {}

  /** Violations of a CSV document (a header line, then rows; an empty field is null). */
  public static List<String> validateCsv(String csv) {
    List<List<String>> records = parseCsv(csv);
    if (records.isEmpty()) {
      return List.of("no header line");
    }
    List<String> header = records.get(0);
    List<String> out = new ArrayList<>();
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 1; i < records.size(); i++) {
      try {
        rows.add(row(header, records.get(i), i));
      } catch (IllegalArgumentException e) {
        out.add(e.getMessage());
      }
    }
    out.addAll(validate(header, rows));
    return out;
  }

  /** Violations of rows (column name to value, null for null) under {@code header}. */
  public static List<String> validate(List<String> header, List<Map<String, String>> rows) {
    List<String> out = new ArrayList<>();
    for (String m : MANDATORY) {
      if (!header.contains(m)) {
        out.add("header: mandatory column " + m + " is missing");
      }
    }
    for (String h : header) {
      if (!KNOWN.contains(h) && !h.startsWith("x_")) {
        out.add("header: column " + h + " is neither a FOCUS column nor prefixed x_");
      }
    }
    Map<String, BigDecimal> ratioSums = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      checkRow(i + 1, rows.get(i), out, ratioSums);
    }
    ratioSums.forEach((origin, sum) -> {
      if (sum.compareTo(BigDecimal.ONE) != 0) {
        out.add("origin charge " + origin + ": AllocatedRatio adds up to " + sum.toPlainString() + ", not 1");
      }
    });
    return out;
  }

  private static void checkRow(int n, Map<String, String> row, List<String> out, Map<String, BigDecimal> ratioSums) {
    String at = "row " + n + ", column ";
    row.forEach((col, v) -> {
      if (v == null) {
        if (NOT_NULL.contains(col)) {
          out.add(at + col + ": must not be null");
        }
        return;
      }
      if (v.isBlank()) {
        out.add(at + col + ": blank string");
      }
      if (DECIMAL.contains(col) || col.startsWith("x_") && col.endsWith("Cost")) {
        if (!NUMBER.matcher(v).matches()) {
          out.add(at + col + ": not a decimal in numeric format: '" + v + "'");
        }
      }
      if (DATETIME.contains(col) && !DATETIME_FORMAT.matcher(v).matches()) {
        out.add(at + col + ": not an ISO 8601 UTC date-time: '" + v + "'");
      }
      if (JSON_OBJECT.contains(col)) {
        checkJson(at + col, v, out);
      }
      Set<String> allowed = ALLOWED.get(col);
      if (allowed != null && !allowed.contains(v)) {
        out.add(at + col + ": '" + v + "' is not an allowed value");
      }
    });
    String category = row.get("ChargeCategory");
    boolean correction = "Correction".equals(row.get("ChargeClass"));
    if ("Usage".equals(category) && !correction) {
      for (String c : List.of("PricingQuantity", "PricingUnit", "ConsumedQuantity", "ConsumedUnit", "PricingCategory")) {
        if (row.get(c) == null) {
          out.add(at + c + ": must not be null on a Usage row");
        }
      }
    }
    if (!"Usage".equals(category) && row.get("ConsumedQuantity") != null) {
      out.add(at + "ConsumedQuantity: must be null unless ChargeCategory is Usage");
    }
    if ("Tax".equals(category) && (row.get("PricingQuantity") != null || row.get("PricingCategory") != null)) {
      out.add(at + "PricingQuantity: must be null (and PricingCategory too) on a Tax row");
    }
    if (row.get("SkuPriceId") == null && (row.get("PricingCategory") != null || row.get("ConsumedQuantity") != null)) {
      out.add(at + "PricingCategory: must be null (and ConsumedQuantity too) when SkuPriceId is null");
    }
    pair(at, row, "PricingQuantity", "PricingUnit", out);
    pair(at, row, "ConsumedQuantity", "ConsumedUnit", out);
    for (String unit : List.of("PricingUnit", "ConsumedUnit")) {
      String u = row.get(unit);
      if (u != null && !UNIT.matcher(u).matches()) {
        out.add(at + unit + ": '" + u + "' does not follow the unit format");
      }
    }
    String currency = row.get("BillingCurrency");
    if (currency != null) {
      try {
        Currency.getInstance(currency);
      } catch (IllegalArgumentException e) {
        out.add(at + "BillingCurrency: '" + currency + "' is not an ISO 4217 code");
      }
    }
    before(at, row, "ChargePeriodStart", "ChargePeriodEnd", out);
    before(at, row, "BillingPeriodStart", "BillingPeriodEnd", out);
    String sub = row.get("ServiceSubcategory");
    String cat = row.get("ServiceCategory");
    if (sub != null && cat != null) {
      Set<String> subs = SUBCATEGORIES.getOrDefault(cat, Set.of("Other (" + cat + ")"));
      if (!subs.contains(sub)) {
        out.add(at + "ServiceSubcategory: '" + sub + "' is not a subcategory of '" + cat + "'");
      }
    }
    checkSkuPriceDetails(at, row.get("SkuPriceDetails"), out);
    checkAllocation(at, row, out, ratioSums);
  }

  private static void pair(String at, Map<String, String> row, String quantity, String unit, List<String> out) {
    if ((row.get(quantity) == null) != (row.get(unit) == null)) {
      out.add(at + unit + ": must be null exactly when " + quantity + " is null");
    }
  }

  private static void before(String at, Map<String, String> row, String start, String end, List<String> out) {
    String s = row.get(start);
    String e = row.get(end);
    if (s != null && e != null && DATETIME_FORMAT.matcher(s).matches() && DATETIME_FORMAT.matcher(e).matches()
        && !java.time.Instant.parse(s).isBefore(java.time.Instant.parse(e))) {
      out.add(at + start + ": must be before " + end);
    }
  }

  private static void checkJson(String where, String v, List<String> out) {
    try {
      JsonNode n = JSON.readTree(v);
      if (n == null || !n.isObject()) {
        out.add(where + ": not a JSON object: " + v);
      }
    } catch (Exception e) {
      out.add(where + ": not valid JSON: " + v);
    }
  }

  private static void checkSkuPriceDetails(String at, String v, List<String> out) {
    JsonNode n = tree(v);
    if (n == null) {
      return;
    }
    n.fieldNames().forEachRemaining(k -> {
      if (!SKU_PRICE_DETAIL_KEYS.contains(k) && !k.startsWith("x_")) {
        out.add(at + "SkuPriceDetails: key '" + k + "' is neither FOCUS-defined nor prefixed x_");
      }
    });
  }

  private static void checkAllocation(String at, Map<String, String> row, List<String> out,
      Map<String, BigDecimal> ratioSums) {
    String details = row.get("AllocatedMethodDetails");
    if ((details == null) != (row.get("AllocatedMethodId") == null)) {
      out.add(at + "AllocatedMethodId: must be given exactly when AllocatedMethodDetails is");
    }
    if (details == null) {
      return;
    }
    if (row.get("AllocatedResourceId") == null) {
      out.add(at + "AllocatedResourceId: must not be null on an allocated row");
    }
    JsonNode n = tree(details);
    JsonNode elements = n == null ? null : n.get("Elements");
    if (elements == null || !elements.isArray() || elements.isEmpty()) {
      out.add(at + "AllocatedMethodDetails: needs a non-empty Elements array");
      return;
    }
    BigDecimal ratio = BigDecimal.ZERO;
    for (JsonNode e : elements) {
      JsonNode r = e.get("AllocatedRatio");
      if (r == null || !r.isNumber() || r.decimalValue().signum() < 0 || r.decimalValue().compareTo(BigDecimal.ONE) > 0) {
        out.add(at + "AllocatedMethodDetails: AllocatedRatio must be a number from 0 to 1: " + e);
        continue;
      }
      if (e.has("UsageQuantity") && (!e.get("UsageQuantity").isNumber() || !e.has("UsageUnit"))) {
        out.add(at + "AllocatedMethodDetails: UsageQuantity must be a number, with a UsageUnit: " + e);
      }
      ratio = ratio.add(r.decimalValue());
    }
    String origin = row.get("ResourceId") + "|" + row.get("SkuPriceId") + "|" + row.get("ChargePeriodStart") + "|"
        + row.get("ChargePeriodEnd");
    ratioSums.merge(origin, ratio, BigDecimal::add);
  }

  private static JsonNode tree(String v) {
    if (v == null) {
      return null;
    }
    try {
      return JSON.readTree(v);
    } catch (Exception e) {
      return null; // reported by checkJson
    }
  }

  /**
   * A CSV document as rows of column name to value, an empty field as null.
   *
   * @throws IllegalArgumentException naming the row if its field count differs from the header's
   */
  public static List<Map<String, String>> readCsv(String csv) {
    List<List<String>> records = parseCsv(csv);
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 1; i < records.size(); i++) {
      rows.add(row(records.get(0), records.get(i), i));
    }
    return rows;
  }

  private static Map<String, String> row(List<String> header, List<String> fields, int n) {
    if (fields.size() != header.size()) {
      throw new IllegalArgumentException("row " + n + ": " + fields.size() + " fields, header has " + header.size());
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int c = 0; c < header.size(); c++) {
      m.put(header.get(c), fields.get(c).isEmpty() ? null : fields.get(c));
    }
    return m;
  }

  /** RFC 4180: comma-separated, double-quoted fields may hold commas, quotes ("") and line breaks. */
  static List<List<String>> parseCsv(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        any = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
        any = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (any || field.length() > 0) {
          record.add(field.toString());
          records.add(record);
        }
        record = new ArrayList<>();
        field.setLength(0);
        any = false;
      } else {
        field.append(c);
        any = true;
      }
    }
    if (any || field.length() > 0) {
      record.add(field.toString());
      records.add(record);
    }
    return records;
  }
}
