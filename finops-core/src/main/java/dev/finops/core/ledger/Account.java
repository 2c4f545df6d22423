package dev.finops.core.ledger;

import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.PricedUsage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A bound handle for one tag set, like an OpenTelemetry bound instrument: resolve it once with
 * {@link Ledger#account(Tags)}, then record on the hot path with no lookup, no lock and, once the
 * account has seen a price, no allocation. Recording never throws for accounting problems; usage
 * the catalogs cannot price is kept under an unpriced key and counted. Thread-safe.
 */
public final class Account {

  private static final Row[] NO_ROWS = new Row[0];
  private static final VarHandle ROWS;

  static {
    try {
      ROWS = MethodHandles.lookup().findVarHandle(Account.class, "rows", Row[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Ledger ledger;
  private final Tags tags;
  private final boolean overflow;
  @SuppressWarnings("unused") // accessed through ROWS
  private volatile Row[] rows = NO_ROWS;

  Account(Ledger ledger, Tags tags, boolean overflow) {
    this.ledger = ledger;
    this.tags = tags;
    this.overflow = overflow;
  }

  public Tags tags() {
    return tags;
  }

  /** True for the account that collects tag sets beyond the ledger's cardinality cap. */
  public boolean isOverflow() {
    return overflow;
  }

  /** Records priced usage at the ledger clock's current time. */
  public void record(PricedUsage priced) {
    record(priced, ledger.clock().wallTimeMillis());
  }

  /**
   * Records priced usage at {@code epochMillis} (its time bucket). A cost the caller supplied ({@link
   * dev.finops.core.pricing.Pricing#priceReported}) is kept with the quantities, exactly.
   */
  public void record(PricedUsage priced, long epochMillis) {
    PriceKey key = priced.priceKey();
    if (key.kind() == PriceKey.Kind.CALLER_SUPPLIED) {
      dev.finops.core.Money cost = priced.total();
      java.math.BigDecimal amount = cost.isTerminating() ? cost.exactAmount()
          : cost.amount(dev.finops.core.Money.PICO_SCALE);
      row(key, epochMillis).add(epochMillis, priced.usage(), amount);
      return;
    }
    record(key, priced.usage(), epochMillis);
  }

  /**
   * Prices and records in one step on the hot path: the bound model picks the price key for the
   * usage at the ledger clock's time, and the quantities are added; no allocation.
   */
  public void record(BoundModel model, Usage usage) {
    long now = ledger.clock().wallTimeMillis();
    record(model.key(usage, now), usage, now);
  }

  /**
   * As {@link #record(BoundModel, Usage)} at a time the caller already has (the request's start, say),
   * which saves reading the clock on the hot path.
   */
  public void record(BoundModel model, Usage usage, long epochMillis) {
    record(model.key(usage, epochMillis), usage, epochMillis);
  }

  /** Records {@code usage} under a price key at {@code epochMillis}. */
  public void record(PriceKey key, Usage usage, long epochMillis) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(usage, "usage");
    row(key, epochMillis).add(epochMillis, usage);
  }

  /** Records {@code quantity} base units of one bucket (GPU-milliseconds, say) as one record. */
  public void record(PriceKey key, UsageBucket bucket, long quantity, long epochMillis) {
    Objects.requireNonNull(key, "key");
    if (quantity < 0) {
      ledger.rejected(this, "negative quantity " + quantity + " for " + bucket.jsonName());
      return;
    }
    row(key, epochMillis).add(epochMillis, bucket.ordinal(), quantity);
  }

  private Row row(PriceKey key, long epochMillis) {
    Row[] rs = rows;
    for (int i = 0; i < rs.length; i++) {
      if (rs[i].key == key) {
        return rs[i];
      }
    }
    return addRow(key, epochMillis);
  }

  private Row addRow(PriceKey key, long epochMillis) {
    while (true) {
      Row[] rs = rows;
      for (Row r : rs) {
        if (r.key == key || r.key.equals(key)) {
          return r;
        }
      }
      Row[] grown = java.util.Arrays.copyOf(rs, rs.length + 1);
      Row r = new Row(key, epochMillis);
      grown[rs.length] = r;
      if (ROWS.compareAndSet(this, rs, grown)) {
        return r;
      }
    }
  }

  Row[] rows() {
    return rows;
  }

  @Override
  public String toString() {
    return "Account{" + tags + (overflow ? ", overflow" : "") + "}";
  }
}
