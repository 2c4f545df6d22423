package dev.finops.core.pricing;

import dev.finops.core.Money;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.ModelPrice;
import dev.finops.core.catalog.PriceSource;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;

/**
 * The result of pricing one usage: the model it resolved to, the exact total, a line per bucket, and
 * where the price came from (source and catalog version). Immutable and thread-safe.
 *
 * <p>On the hot path the total is a fixed-point long in pico-units (10<sup>-12</sup>) of the
 * currency, exact; {@link #total()} turns it into {@link Money} on demand. Lines are built lazily.
 */
public final class PricedUsage {

  private final String requestedModel;
  private final PriceKey key;
  private final Usage usage;
  private final long totalPico; // valid when slowTotal == null
  private final Money slowTotal;
  private final String unpricedReason;
  private volatile List<CostLine> lines;

  PricedUsage(String requestedModel, PriceKey key, Usage usage, long totalPico, Money slowTotal,
      String unpricedReason) {
    this.requestedModel = requestedModel;
    this.key = key;
    this.usage = usage;
    this.totalPico = totalPico;
    this.slowTotal = slowTotal;
    this.unpricedReason = unpricedReason;
  }

  /** The prices this usage was priced with; the ledger keeps quantities per key. */
  public PriceKey priceKey() {
    return key;
  }

  /** The model name as the caller gave it. */
  public String requestedModel() {
    return requestedModel;
  }

  /** The provider of the catalog entry (or as given, when unpriced). */
  public String provider() {
    return key.provider();
  }

  /** The catalog id the name resolved to (the requested name when unpriced or caller-supplied). */
  public String modelId() {
    return key.resource();
  }

  public Usage usage() {
    return usage;
  }

  public PriceSource source() {
    return key.source();
  }

  /** The file or resource of the catalog that priced the usage; {@code null} when none did. */
  public String catalogName() {
    return key.catalogName();
  }

  /** The {@code catalog_version} of the catalog that priced the usage; {@code null} when none did. */
  public String catalogVersion() {
    return key.catalogVersion();
  }

  public Currency currency() {
    return key.currency();
  }

  /** The effective-dated price that applied, or {@code null}. */
  public ModelPrice modelPrice() {
    return key.modelPrice();
  }

  /** The effective unit prices (context tier and service tier applied), or {@code null}. */
  public BucketPrices rates() {
    return key.rates();
  }

  /** 0 for base prices, i for the i-th long-context tier. */
  public int contextTier() {
    return key.contextTier();
  }

  /** False for {@link UnknownModelPolicy#RECORD_UNPRICED} results: the total is then zero and not a cost. */
  public boolean isPriced() {
    return key.source() != PriceSource.UNPRICED;
  }

  /** Why the usage is unpriced (or priced with the fallback), or {@code null}. */
  public String unpricedReason() {
    return unpricedReason;
  }

  /** True when {@link #totalPico()} holds the exact total. */
  public boolean hasFixedPointTotal() {
    return slowTotal == null;
  }

  /**
   * The exact total in pico-units of the currency.
   *
   * @throws ArithmeticException if the total has no exact pico-unit form (see {@link
   *     #hasFixedPointTotal()})
   */
  public long totalPico() {
    if (slowTotal != null) {
      throw new ArithmeticException("total " + slowTotal + " has no exact pico-unit form");
    }
    return totalPico;
  }

  /** The exact total. */
  public Money total() {
    return slowTotal != null ? slowTotal : Money.ofPico(totalPico, key.currency());
  }

  /** One line per bucket with a non-zero quantity, in bucket order. */
  public List<CostLine> lines() {
    List<CostLine> l = lines;
    if (l == null) {
      l = buildLines();
      lines = l;
    }
    return l;
  }

  private List<CostLine> buildLines() {
    List<CostLine> out = new ArrayList<>();
    for (int i = 0; i < UsageBucket.COUNT; i++) {
      long q = usage.get(i);
      if (q == 0) {
        continue;
      }
      UsageBucket b = UsageBucket.ofOrdinal(i);
      BucketPrices rates = key.rates();
      if (rates == null) {
        out.add(new CostLine(b, q, null, null));
      } else {
        BigDecimal p = rates.price(i);
        out.add(new CostLine(b, q, p, key.cost(b, q)));
      }
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public String toString() {
    return "PricedUsage{" + key + ", total=" + total() + ", " + usage + "}";
  }
}
