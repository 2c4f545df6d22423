package dev.finops.core.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.allocation.Allocation;
import dev.finops.core.allocation.ChargeCosts;
import dev.finops.core.allocation.PricingCategory;
import dev.finops.core.allocation.SharedAsset;
import dev.finops.core.allocation.SharedCostAllocation;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.internal.Decimals;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.core.ledger.Repricing;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.PricingException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns what the SDK accounted for into FOCUS {@value FocusExport#FOCUS_VERSION} rows: the ledger's
 * spend ({@link #export(LedgerSnapshot)}) and the split of a shared asset ({@link
 * #export(SharedCostAllocation)}). Immutable and thread-safe.
 *
 * <pre>{@code
 * FocusExport focus = FocusExporter.builder().billingAccount("acme", "Acme AI").listPrices(pricing).build()
 *     .export(ledger.snapshot());
 * focus.writeCsv(Path.of("focus.csv"));     // atomic
 * }</pre>
 *
 * <h2>Ledger rows: grain and rounding</h2>
 *
 * One row per (ledger entry, usage bucket with a quantity): an entry is one account (tag set) at one
 * price key in one time slot, so a row is, say, one team's cache-read tokens of one model in one
 * minute. A caller-supplied cost has no per-bucket prices and is one row per entry (in Requests).
 * Only priced usage is exported, as in the cost report; quantities no price covers are counted in
 * {@link FocusExport#unpricedRows()}.
 *
 * <p>Amounts are exact in the ledger and need rounding to be written. EffectiveCost, the ledger's
 * cost (what the cost report adds up), is rounded once per currency and then apportioned, so that
 * the file adds up to the report:
 *
 * <ol>
 *   <li>its exact total is rounded HALF_EVEN to the export scale (default {@value #DEFAULT_SCALE}
 *       places, one pico-unit: then the column adds up to the cost report's exact total, or to its
 *       12-place rendering when that does not terminate);
 *   <li>that total is apportioned among the entries by their exact costs, and each entry's part
 *       among its rows by their exact costs, with {@link Allocation}'s largest-remainder rule (each
 *       part within one unit of its exact value, ties to the earlier row).
 * </ol>
 *
 * So the rows of one entry add up exactly to the entry's part, and all rows to the report total to
 * the unit. ListCost, ContractedCost and BilledCost follow in that order; on a row where one's
 * exact value equals an earlier column's it copies that column's rounding (every row but spot and
 * committed GPU time; every row of BilledCost under the default upfront share of 0, so BilledCost
 * adds up to the report too), and the rows where it differs are rounded among themselves the same
 * way. So equal costs always print equal; every amount is within one unit of its exact value and
 * never negative.
 * Rows are ordered by charge period, then tags, then price key, so the output does not depend on the
 * ledger's internal order.
 *
 * <h2>Billed versus effective</h2>
 *
 * Usage at on-demand and API prices is {@code Standard}: all four costs equal. Spot GPU time is
 * {@code Dynamic} and committed GPU time {@code Committed}; with {@link Builder#listPrices} their
 * ListCost is the same GPU time at the catalog's on-demand price, so ListCost − EffectiveCost is what
 * the purchase option saved (see {@link ChargeCosts}). A committed row's BilledCost leaves out the
 * {@link Builder#commitmentUpfrontShare upfront share} already billed at purchase. Owned (on-prem)
 * GPUs are {@code Other}.
 */
public final class FocusExporter {

  /** Decimal places of ledger amounts unless {@link Builder#scale} says otherwise. */
  public static final int DEFAULT_SCALE = Allocation.DEFAULT_SCALE;

  /**
   * Multiplying a ledger cost by this makes it a terminating decimal: the part of every pricing unit
   * size (1M tokens, 3.6M GPU-ms, 3.6G mJ) that is not made of 2s and 5s. Exact apportionment weights.
   */
  private static final BigDecimal CLEARING = BigDecimal.valueOf(clearingFactor());
  private static final int FALLBACK_WEIGHT_SCALE = 2 * Money.PRESENTATION_SCALE;

  private static final String USAGE = "Usage";
  private static final String USAGE_BASED = "Usage-Based";

  private final String billingAccountId;
  private final String billingAccountName;
  private final Allocation rounding;
  private final Pricing listPrices;
  private final BigDecimal upfrontShare;

  private FocusExporter(Builder b) {
    this.billingAccountId = b.billingAccountId;
    this.billingAccountName = b.billingAccountName;
    this.rounding = Allocation.atScale(b.scale);
    this.listPrices = b.listPrices;
    this.upfrontShare = b.upfrontShare;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Decimal places of ledger amounts. */
  public int scale() {
    return rounding.scale();
  }

  // ---- ledger ----------------------------------------------------------------------------------

  /** One ledger row before rounding: an entry's bucket (or the whole entry) and its exact costs. */
  private static final class Pending {
    final LedgerSnapshot.Entry entry;
    final UsageBucket bucket; // null: a caller-supplied cost for the whole entry
    final long quantity;
    final ChargeCosts costs;
    final BigDecimal listRate; // per catalog pricing unit; null for a caller-supplied cost
    final BigDecimal contractedRate;

    Pending(LedgerSnapshot.Entry entry, UsageBucket bucket, long quantity, ChargeCosts costs, BigDecimal listRate,
        BigDecimal contractedRate) {
      this.entry = entry;
      this.bucket = bucket;
      this.quantity = quantity;
      this.costs = costs;
      this.listRate = listRate;
      this.contractedRate = contractedRate;
    }
  }

  /**
   * The cost columns in the order they are rounded: EffectiveCost, the ledger's cost, first; each
   * later one copies an earlier one's rounding on the rows where their exact values are equal.
   */
  private static final List<Function<ChargeCosts, Money>> COST_COLUMNS =
      List.of(ChargeCosts::effective, ChargeCosts::list, ChargeCosts::contracted, ChargeCosts::billed);
  private static final List<FocusColumn> COST_COLUMN_NAMES = List.of(
      FocusColumn.EFFECTIVE_COST, FocusColumn.LIST_COST, FocusColumn.CONTRACTED_COST, FocusColumn.BILLED_COST);

  /**
   * FOCUS rows of the snapshot's priced usage, one per (entry, bucket); see the class comment for
   * the grain and the rounding.
   */
  public FocusExport export(LedgerSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    List<LedgerSnapshot.Entry> entries = new ArrayList<>(snapshot.entries());
    entries.sort(Comparator.comparingLong(LedgerSnapshot.Entry::startMillis)
        .thenComparing(e -> e.tags().toString())
        .thenComparing(e -> e.key().toString()));
    Map<String, List<List<Pending>>> byCurrency = new TreeMap<>();
    long unpriced = 0;
    for (LedgerSnapshot.Entry e : entries) {
      List<Pending> rows = new ArrayList<>();
      unpriced += pending(e, rows);
      if (!rows.isEmpty()) {
        byCurrency.computeIfAbsent(e.key().currency().getCurrencyCode(), c -> new ArrayList<>()).add(rows);
      }
    }
    List<FocusRow> out = new ArrayList<>();
    for (List<List<Pending>> groups : byCurrency.values()) {
      List<List<List<Money>>> rounded = new ArrayList<>(); // [column][entry][row], in COST_COLUMNS order
      rounded.add(round(groups, COST_COLUMNS.get(0)));
      for (int c = 1; c < COST_COLUMNS.size(); c++) {
        rounded.add(derive(groups, c, rounded));
      }
      for (int g = 0; g < groups.size(); g++) {
        List<Pending> rows = groups.get(g);
        for (int r = 0; r < rows.size(); r++) {
          FocusRow.Builder b = ledgerRow(rows.get(r));
          for (int c = 0; c < COST_COLUMNS.size(); c++) {
            b.set(COST_COLUMN_NAMES.get(c), amount(rounded.get(c).get(g).get(r)));
          }
          out.add(b.build());
        }
      }
    }
    return new FocusExport(out, unpriced);
  }

  /** Adds the entry's priced rows to {@code out}; returns how many of its buckets had no price. */
  private int pending(LedgerSnapshot.Entry e, List<Pending> out) {
    PriceKey key = e.key();
    int unpriced = 0;
    if (!key.isPriced()) {
      for (UsageBucket b : UsageBucket.values()) {
        unpriced += e.quantity(b) != 0 ? 1 : 0;
      }
      return unpriced;
    }
    if (key.rates() == null) { // a caller-supplied cost: one row for the whole entry
      out.add(new Pending(e, null, e.records(), costs(e, e.cost(), null), null, null));
      return 0;
    }
    PriceKey onDemand = onDemandKey(e);
    for (UsageBucket b : UsageBucket.values()) {
      long q = e.quantity(b);
      if (q == 0) {
        continue;
      }
      Money cost = key.cost(b, q); // exact also for a GPU rate that does not terminate
      if (cost == null) {
        unpriced++;
        continue;
      }
      Money list = onDemand == null || onDemand.rates() == null ? null : onDemand.cost(b, q);
      ChargeCosts costs = costs(e, cost, list);
      // The rates behind ListCost and ContractedCost (see ChargeCosts): the on-demand rate when known,
      // and for committed capacity the contracted rate is the list rate (it excludes commitment discounts).
      BigDecimal rate = key.rates().price(b.ordinal());
      BigDecimal listRate = list == null ? rate : onDemand.rates().price(b.ordinal());
      BigDecimal contractedRate = costs.category() == PricingCategory.COMMITTED ? listRate : rate;
      out.add(new Pending(e, b, q, costs, listRate, contractedRate));
    }
    return unpriced;
  }

  private ChargeCosts costs(LedgerSnapshot.Entry e, Money cost, Money onDemandCost) {
    PriceKey key = e.key();
    if (key.kind() == PriceKey.Kind.ON_PREM) {
      return ChargeCosts.of(PricingCategory.OTHER, cost, cost, cost, cost);
    }
    if (key.kind() == PriceKey.Kind.GPU && key.purchaseOption() != null) {
      return ChargeCosts.forPurchase(key.purchaseOption(), onDemandCost, cost, upfrontShare);
    }
    return ChargeCosts.standard(cost);
  }

  /** The on-demand key of a spot or committed GPU entry, when list prices are configured and known. */
  private PriceKey onDemandKey(LedgerSnapshot.Entry e) {
    PriceKey k = e.key();
    if (listPrices == null || k.kind() != PriceKey.Kind.GPU || k.purchaseOption() == null
        || k.purchaseOption() == PurchaseOption.ON_DEMAND) {
      return null;
    }
    try {
      return Repricing.purchaseOption(listPrices, PurchaseOption.ON_DEMAND).apply(e);
    } catch (PricingException noOnDemandPrice) {
      return null; // ListCost then equals the cost
    }
  }

  /**
   * One cost column rounded to the unit: the exact total rounded once, apportioned among the entries
   * by their exact costs, each entry's part among its rows. The column must not be negative.
   */
  private List<List<Money>> round(List<List<Pending>> groups, Function<ChargeCosts, Money> column) {
    List<Money> entryTotals = new ArrayList<>(groups.size());
    Money total = null;
    for (List<Pending> rows : groups) {
      Money t = null;
      for (Pending p : rows) {
        Money m = column.apply(p.costs);
        t = t == null ? m : t.plus(m);
      }
      entryTotals.add(t);
      total = total == null ? t : total.plus(t);
    }
    List<Money> entryParts = rounding.split(total, weights(entryTotals));
    List<List<Money>> out = new ArrayList<>(groups.size());
    for (int g = 0; g < groups.size(); g++) {
      List<Money> rowCosts = new ArrayList<>();
      for (Pending p : groups.get(g)) {
        rowCosts.add(column.apply(p.costs));
      }
      out.add(rounding.split(entryParts.get(g), weights(rowCosts)));
    }
    return out;
  }

  /**
   * Cost column {@code c} after EffectiveCost: on a row where its exact value equals an earlier
   * column's, it copies that column's rounding; the rows where it differs from all of them (spot and
   * committed GPU time) are rounded among themselves like a column of their own.
   */
  private List<List<Money>> derive(List<List<Pending>> groups, int c, List<List<List<Money>>> earlier) {
    Function<ChargeCosts, Money> column = COST_COLUMNS.get(c);
    List<List<Pending>> differing = new ArrayList<>();
    for (List<Pending> rows : groups) {
      List<Pending> d = new ArrayList<>();
      for (Pending p : rows) {
        if (equalEarlier(p, c) < 0) {
          d.add(p);
        }
      }
      if (!d.isEmpty()) {
        differing.add(d);
      }
    }
    List<List<Money>> rounded = differing.isEmpty() ? List.of() : round(differing, column);
    List<List<Money>> out = new ArrayList<>(groups.size());
    int next = 0;
    for (int g = 0; g < groups.size(); g++) {
      List<Pending> rows = groups.get(g);
      boolean hasDiffering = next < differing.size() && differing.get(next).get(0).entry == rows.get(0).entry;
      List<Money> differingRows = hasDiffering ? rounded.get(next++) : List.of();
      List<Money> values = new ArrayList<>(rows.size());
      int d = 0;
      for (int r = 0; r < rows.size(); r++) {
        int same = equalEarlier(rows.get(r), c);
        values.add(same >= 0 ? earlier.get(same).get(g).get(r) : differingRows.get(d++));
      }
      out.add(values);
    }
    return out;
  }

  /** The first column before {@code c} whose exact value on this row equals column c's, or -1. */
  private static int equalEarlier(Pending p, int c) {
    Money value = COST_COLUMNS.get(c).apply(p.costs);
    for (int e = 0; e < c; e++) {
      if (COST_COLUMNS.get(e).apply(p.costs).equals(value)) {
        return e;
      }
    }
    return -1;
  }

  /** Exact decimal weights in the ratios of the amounts (see {@link #CLEARING}). */
  private static List<BigDecimal> weights(List<Money> amounts) {
    List<BigDecimal> out = new ArrayList<>(amounts.size());
    for (Money m : amounts) {
      Money cleared = m.times(CLEARING);
      // Ledger costs always clear; another amount keeps 24 places, which only nudges tie-breaking.
      out.add(cleared.isTerminating() ? cleared.exactAmount() : cleared.amount(FALLBACK_WEIGHT_SCALE));
    }
    return out;
  }

  private static long clearingFactor() {
    BigInteger lcm = BigInteger.ONE;
    for (UsageBucket.Unit u : UsageBucket.Unit.values()) {
      long b = u.basePerPricingUnit();
      while (b % 2 == 0) {
        b /= 2;
      }
      while (b % 5 == 0) {
        b /= 5;
      }
      BigInteger d = BigInteger.valueOf(b);
      lcm = lcm.multiply(d).divide(lcm.gcd(d));
    }
    return lcm.longValueExact();
  }

  private FocusRow.Builder ledgerRow(Pending p) {
    LedgerSnapshot.Entry e = p.entry;
    PriceKey key = e.key();
    UsageBucket bucket = p.bucket;
    boolean gpu = isGpu(key);
    String provider = key.provider() == null ? "custom" : key.provider();
    Instant start = e.startMillis() == Long.MIN_VALUE ? Instant.EPOCH : Instant.ofEpochMilli(e.startMillis());
    Instant end = Instant.ofEpochMilli(e.endMillis());
    FocusRow.Builder b = common(start, end, key.currency(), provider);
    b.set(FocusColumn.SERVICE_CATEGORY, gpu ? "Compute" : "AI and Machine Learning")
        .set(FocusColumn.SERVICE_SUBCATEGORY, key.kind() == PriceKey.Kind.GPU ? "Virtual Machines"
            : gpu ? "Other (Compute)" : "Generative AI")
        .set(FocusColumn.SERVICE_NAME, key.kind() == PriceKey.Kind.ON_PREM ? "On-premises GPUs"
            : provider + (gpu ? " GPU capacity" : " model API"));
    Tags tags = e.tags();
    String resource = tags.run() != null ? tags.run() : tags.endpoint();
    b.set(FocusColumn.RESOURCE_ID, resource).set(FocusColumn.RESOURCE_NAME, resource)
        .set(FocusColumn.RESOURCE_TYPE, tags.run() != null ? "Training Run"
            : tags.endpoint() != null ? "Inference Endpoint" : null);

    String sku = provider + "/" + key.resource() + (bucket == null ? "" : "/" + bucket.jsonName());
    b.set(FocusColumn.SKU_ID, sku)
        .set(FocusColumn.SKU_METER, bucket == null ? "cost" : bucket.jsonName())
        .set(FocusColumn.SKU_PRICE_ID, skuPriceId(sku, key))
        .set(FocusColumn.SKU_PRICE_DETAILS, skuPriceDetails(key, bucket, gpu))
        .set(FocusColumn.PRICING_CATEGORY, p.costs.category().focusName());
    Quantities q = Quantities.of(bucket, p.quantity);
    if (bucket == null) { // a caller-supplied cost: its price per request
      BigDecimal perRequest = perUnit(e.cost().exactAmount(), q.pricing);
      b.set(FocusColumn.LIST_UNIT_PRICE, plain(perRequest)).set(FocusColumn.CONTRACTED_UNIT_PRICE, plain(perRequest));
    } else {
      b.set(FocusColumn.LIST_UNIT_PRICE, plain(q.unitPrice(bucket, p.listRate)))
          .set(FocusColumn.CONTRACTED_UNIT_PRICE, plain(q.unitPrice(bucket, p.contractedRate)));
    }
    commitment(b, key);
    b.set(FocusColumn.PRICING_QUANTITY, plain(q.pricing)).set(FocusColumn.PRICING_UNIT, q.pricingUnit)
        .set(FocusColumn.CONSUMED_QUANTITY, plain(q.consumed)).set(FocusColumn.CONSUMED_UNIT, q.consumedUnit)
        .set(FocusColumn.CHARGE_DESCRIPTION, plain(q.consumed) + " " + q.consumedUnit + " of " + provider + "/"
            + key.resource() + (bucket == null ? "" : " (" + bucket.jsonName() + ")") + " for " + tags)
        .set(FocusColumn.TAGS, json(tags.asMap()));

    b.set(FocusColumn.X_MODEL, gpu ? tags.model() : key.resource())
        .set(FocusColumn.X_TOKEN_DIRECTION, bucket == null || !bucket.isToken() ? null
            : bucket.isInputToken() ? "Input" : "Output")
        .set(FocusColumn.X_CACHE_ACTION, cacheAction(bucket))
        .set(FocusColumn.X_USAGE_BUCKET, bucket == null ? null : bucket.jsonName())
        .set(FocusColumn.X_SERVICE_TIER, gpu ? null : key.serviceTier())
        .set(FocusColumn.X_GPU_SECONDS, bucket == UsageBucket.GPU_TIME
            ? plain(Decimals.quotient(p.quantity, 1_000)) : null)
        .set(FocusColumn.X_PRICE_SOURCE, key.source().jsonName())
        .set(FocusColumn.X_CATALOG_VERSION, key.catalogVersion());
    return b;
  }

  /**
   * The commitment discount columns of committed cloud GPU capacity (null on every other row): the
   * commitment is identified by what it covers, {@code provider/region/instance type/committed@catalog
   * version}, as the catalog's committed rate does not name the provider's reservation; its type is the
   * provider's usual name for a capacity commitment; it is a Usage commitment (instance-hours), Used by
   * the row.
   */
  private static void commitment(FocusRow.Builder b, PriceKey key) {
    if (key.kind() != PriceKey.Kind.GPU || key.purchaseOption() != PurchaseOption.COMMITTED) {
      return;
    }
    String provider = key.provider() == null ? "custom" : key.provider();
    String id = provider + "/" + (key.region() == null ? "" : key.region() + "/") + key.resource() + "/"
        + PurchaseOption.COMMITTED.jsonName() + "@"
        + (key.catalogVersion() != null ? key.catalogVersion() : key.source().jsonName());
    b.set(FocusColumn.COMMITMENT_DISCOUNT_ID, id)
        .set(FocusColumn.COMMITMENT_DISCOUNT_TYPE, commitmentType(provider))
        .set(FocusColumn.COMMITMENT_DISCOUNT_CATEGORY, "Usage")
        .set(FocusColumn.COMMITMENT_DISCOUNT_STATUS, "Used");
  }

  private static String commitmentType(String provider) {
    switch (provider.toLowerCase(java.util.Locale.ROOT)) {
      case "aws":
        return "Reserved Instance";
      case "gcp":
        return "Committed Use Discount";
      case "azure":
        return "Reservation";
      default:
        return "Commitment";
    }
  }

  /**
   * {@code amount} per one of {@code quantity}: exact when it terminates, else HALF_EVEN at 12 places
   * (as quantities); {@code null} for no quantity.
   */
  private static BigDecimal perUnit(BigDecimal amount, BigDecimal quantity) {
    if (quantity == null || quantity.signum() == 0) {
      return null;
    }
    BigDecimal q = quantity.stripTrailingZeros();
    int shift = Math.max(q.scale(), 0);
    return Decimals.quotient(amount.movePointRight(shift), q.movePointRight(shift).toBigIntegerExact());
  }

  private static boolean isGpu(PriceKey key) {
    switch (key.kind()) {
      case GPU:
      case ON_PREM:
        return true;
      case CUSTOM:
        return key.rates() != null && key.rates().price(UsageBucket.GPU_TIME) != null;
      default:
        return false;
    }
  }

  private static String skuPriceId(String sku, PriceKey key) {
    StringBuilder sb = new StringBuilder(sku);
    if (key.contextTier() > 0) {
      sb.append("/context-tier-").append(key.contextTier());
    }
    if (!dev.finops.core.Usage.STANDARD_TIER.equals(key.serviceTier())) {
      sb.append('/').append(key.serviceTier());
    }
    if (key.purchaseOption() != null) {
      sb.append('/').append(key.purchaseOption().jsonName());
    }
    return sb.append('@').append(key.catalogVersion() != null ? key.catalogVersion() : key.source().jsonName())
        .toString();
  }

  private static String skuPriceDetails(PriceKey key, UsageBucket bucket, boolean gpu) {
    ObjectNode o = FocusExport.JSON.createObjectNode();
    if (key.kind() == PriceKey.Kind.GPU) {
      o.put("InstanceType", key.resource());
    }
    if (!gpu) {
      o.put("x_ModelFamily", key.resource());
    }
    if (bucket != null && bucket.isToken()) {
      o.put("x_TokenDirection", bucket.isInputToken() ? "Input" : "Output");
      if (cacheAction(bucket) != null) {
        o.put("x_CacheAction", cacheAction(bucket));
      }
    }
    return o.isEmpty() ? null : json(o);
  }

  private static String cacheAction(UsageBucket bucket) {
    if (bucket == null || !bucket.isInputToken()) {
      return null;
    }
    switch (bucket) {
      case CACHE_READ:
        return "Read";
      case CACHE_WRITE_5M:
      case CACHE_WRITE_1H:
        return "Write";
      default:
        return "Uncached";
    }
  }

  /** A row's quantities in FOCUS units: consumed in the base unit, priced in the pricing unit. */
  private static final class Quantities {
    final BigDecimal consumed;
    final String consumedUnit;
    final BigDecimal pricing;
    final String pricingUnit;

    private Quantities(BigDecimal consumed, String consumedUnit, BigDecimal pricing, String pricingUnit) {
      this.consumed = consumed;
      this.consumedUnit = consumedUnit;
      this.pricing = pricing;
      this.pricingUnit = pricingUnit;
    }

    /**
     * A catalog rate ({@code rate} per {@code bucket}'s catalog pricing unit: 1M tokens, one GPU-hour)
     * per one of this row's pricing units (1000 Tokens, GPU-Hours), exactly; {@code null} for none.
     */
    BigDecimal unitPrice(UsageBucket bucket, BigDecimal rate) {
      if (rate == null) {
        return null;
      }
      long basePerRowUnit = bucket.unit() == UsageBucket.Unit.TOKEN ? 1_000 : bucket.unit().basePerPricingUnit();
      return Decimals.quotient(rate.multiply(BigDecimal.valueOf(basePerRowUnit)),
          BigInteger.valueOf(bucket.unit().basePerPricingUnit()));
    }

    static Quantities of(UsageBucket bucket, long q) {
      BigDecimal n = BigDecimal.valueOf(q);
      if (bucket == null) {
        return new Quantities(n, "Requests", n, "Requests");
      }
      switch (bucket.unit()) {
        case TOKEN:
          return new Quantities(n, "Tokens", Decimals.quotient(q, 1_000), "1000 Tokens");
        case REQUEST:
          return new Quantities(n, "Requests", n, "Requests");
        case GPU_MILLISECOND:
          return new Quantities(Decimals.quotient(q, 1_000), "GPU-Seconds",
              Decimals.quotient(q, bucket.unit().basePerPricingUnit()), "GPU-Hours");
        default:
          return new Quantities(Decimals.quotient(q, 1_000), "Joules",
              Decimals.quotient(q, bucket.unit().basePerPricingUnit()), "Kilowatt-Hours");
      }
    }
  }

  // ---- allocations -------------------------------------------------------------------------------

  /**
   * FOCUS rows of a shared asset's split: one allocated row per line (tenant, owner, {@code
   * __idle__}), with the asset as the origin charge (ResourceId, SkuPriceId, ChargePeriod) and the
   * tenant as AllocatedResourceId. Amounts are the allocation's own, whole units at its scale, so each
   * cost column adds up to the asset's and the AllocatedRatio values to exactly 1.
   *
   * @throws IllegalArgumentException if the asset has no window (FOCUS needs a charge period)
   */
  public FocusExport export(SharedCostAllocation allocation) {
    Objects.requireNonNull(allocation, "allocation");
    SharedAsset asset = allocation.asset();
    if (asset.start() == null) {
      throw new IllegalArgumentException("asset '" + asset.id() + "' has no window: FOCUS rows need a charge period");
    }
    List<FocusRow> out = new ArrayList<>(allocation.lines().size());
    Currency currency = allocation.total().currency();
    for (SharedCostAllocation.Line line : allocation.lines()) {
      FocusRow.Builder b = common(asset.start(), asset.end(), currency, asset.provider());
      ChargeCosts c = line.costs();
      b.set(FocusColumn.CHARGE_DESCRIPTION, description(allocation, line))
          .set(FocusColumn.SERVICE_CATEGORY, asset.serviceCategory())
          .set(FocusColumn.SERVICE_SUBCATEGORY, asset.serviceSubcategory())
          .set(FocusColumn.SERVICE_NAME, asset.serviceName())
          .set(FocusColumn.RESOURCE_ID, asset.id())
          .set(FocusColumn.RESOURCE_NAME, asset.name())
          .set(FocusColumn.RESOURCE_TYPE, asset.type())
          .set(FocusColumn.SKU_ID, asset.skuId())
          .set(FocusColumn.SKU_PRICE_ID, asset.skuPriceId())
          .set(FocusColumn.PRICING_CATEGORY, c.category().focusName())
          .set(FocusColumn.PRICING_QUANTITY, plain(line.pricingQuantity()))
          .set(FocusColumn.PRICING_UNIT, asset.pricingUnit())
          .set(FocusColumn.CONSUMED_QUANTITY, plain(line.quantity()))
          .set(FocusColumn.CONSUMED_UNIT, line.quantityUnit())
          .set(FocusColumn.LIST_UNIT_PRICE, plain(perUnit(c.list().exactAmount(), line.pricingQuantity())))
          .set(FocusColumn.CONTRACTED_UNIT_PRICE, plain(perUnit(c.contracted().exactAmount(), line.pricingQuantity())))
          .set(FocusColumn.LIST_COST, amount(c.list()))
          .set(FocusColumn.CONTRACTED_COST, amount(c.contracted()))
          .set(FocusColumn.BILLED_COST, amount(c.billed()))
          .set(FocusColumn.EFFECTIVE_COST, amount(c.effective()))
          .set(FocusColumn.TAGS, json(asset.tags().asMap()))
          .set(FocusColumn.ALLOCATED_METHOD_ID, allocation.methodId())
          .set(FocusColumn.ALLOCATED_METHOD_DETAILS, methodDetails(line))
          .set(FocusColumn.ALLOCATED_RESOURCE_ID, line.tenant())
          .set(FocusColumn.ALLOCATED_RESOURCE_NAME, line.tenant())
          .set(FocusColumn.ALLOCATED_TAGS, json(Map.of("tenant", line.tenant())))
          .set(FocusColumn.X_GPU_SECONDS, gpuSeconds(line))
          .set(FocusColumn.X_GPU_UTILIZATION, plain(line.usage().measuredUtilization()))
          .set(FocusColumn.X_ALLOCATED_COST, amount(line.allocated()))
          .set(FocusColumn.X_SHARED_COST, amount(line.shared()))
          .set(FocusColumn.X_IDLE_COST, amount(line.idle()));
      out.add(b.build());
    }
    return new FocusExport(out, 0);
  }

  private static String description(SharedCostAllocation a, SharedCostAllocation.Line line) {
    if (line.isIdleLine()) {
      return "Idle cost of " + a.asset().name() + ": " + plain(line.quantity()) + " GPU-Seconds of capacity unused";
    }
    return line.tenant() + "'s share of " + a.asset().name() + " (" + a.split().name() + ", idle "
        + a.idlePolicy().cliName() + ")";
  }

  private static String methodDetails(SharedCostAllocation.Line line) {
    ObjectNode element = FocusExport.JSON.createObjectNode();
    element.put("AllocatedRatio", line.ratio());
    element.put("UsageUnit", line.quantityUnit());
    element.put("UsageQuantity", line.quantity());
    ObjectNode details = FocusExport.JSON.createObjectNode();
    ArrayNode elements = details.putArray("Elements");
    elements.add(element);
    return json(details);
  }

  private static String gpuSeconds(SharedCostAllocation.Line line) {
    if (line.isIdleLine()) {
      return plain(line.quantity());
    }
    return line.usage().rawGpuMillis() == 0 ? null : plain(line.usage().gpuSeconds());
  }

  // ---- shared ----------------------------------------------------------------------------------

  /** The columns every row fills the same way: account, currency, periods, charge kind, providers. */
  private FocusRow.Builder common(Instant start, Instant end, Currency currency, String provider) {
    YearMonth month = YearMonth.from(end.minusMillis(1).atOffset(ZoneOffset.UTC));
    return FocusRow.builder()
        .set(FocusColumn.BILLING_ACCOUNT_ID, billingAccountId)
        .set(FocusColumn.BILLING_ACCOUNT_NAME, billingAccountName)
        .set(FocusColumn.BILLING_CURRENCY, currency.getCurrencyCode())
        .set(FocusColumn.BILLING_PERIOD_START, month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString())
        .set(FocusColumn.BILLING_PERIOD_END,
            month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString())
        .set(FocusColumn.CHARGE_PERIOD_START, start.toString())
        .set(FocusColumn.CHARGE_PERIOD_END, end.toString())
        .set(FocusColumn.CHARGE_CATEGORY, USAGE)
        .set(FocusColumn.CHARGE_FREQUENCY, USAGE_BASED)
        .set(FocusColumn.SERVICE_PROVIDER_NAME, provider)
        .set(FocusColumn.HOST_PROVIDER_NAME, provider)
        .set(FocusColumn.INVOICE_ISSUER_NAME, provider)
        .set(FocusColumn.PROVIDER_NAME, provider)
        .set(FocusColumn.PUBLISHER_NAME, provider);
  }

  private static String amount(Money m) {
    return Money.plain(m.exactAmount());
  }

  private static String plain(BigDecimal d) {
    return d == null ? null : Money.plain(d);
  }

  private static String json(Object value) {
    try {
      return FocusExport.JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "FocusExporter{account=" + billingAccountId + ", scale=" + scale() + "}";
  }

  /** Configures a {@link FocusExporter}. Not thread-safe. */
  public static final class Builder {
    private String billingAccountId = "default";
    private String billingAccountName = "default";
    private int scale = DEFAULT_SCALE;
    private Pricing listPrices;
    private BigDecimal upfrontShare = BigDecimal.ZERO;

    private Builder() {}

    /** FOCUS BillingAccountId and BillingAccountName (default {@code "default"}). */
    public Builder billingAccount(String id, String name) {
      this.billingAccountId = text("billing account id", id);
      this.billingAccountName = text("billing account name", name);
      return this;
    }

    /** Decimal places of ledger amounts (default {@value FocusExporter#DEFAULT_SCALE}). */
    public Builder scale(int scale) {
      Allocation.atScale(scale); // validates
      this.scale = scale;
      return this;
    }

    /**
     * Catalogs to find the on-demand price of spot and committed GPU time (its ListCost). Without
     * them, or when they have no on-demand price, ListCost equals the cost.
     */
    public Builder listPrices(Pricing pricing) {
      this.listPrices = Objects.requireNonNull(pricing, "pricing");
      return this;
    }

    /** The share of committed capacity paid up front, 0 (default) to 1; left out of BilledCost. */
    public Builder commitmentUpfrontShare(BigDecimal share) {
      Objects.requireNonNull(share, "share");
      if (share.signum() < 0 || share.compareTo(BigDecimal.ONE) > 0) {
        throw new IllegalArgumentException("upfront share must be between 0 and 1: " + share.toPlainString());
      }
      this.upfrontShare = share;
      return this;
    }

    private static String text(String field, String value) {
      Objects.requireNonNull(value, field);
      if (value.isBlank()) {
        throw new IllegalArgumentException(field + " must not be blank");
      }
      return value;
    }

    public FocusExporter build() {
      return new FocusExporter(this);
    }
  }
}
