package dev.finops.core.ledger;

import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import java.util.Objects;
import java.util.function.Function;

/**
 * Common what-ifs for {@link LedgerSnapshot#reprice}: the same quantities under another catalog,
 * another model, or GPU capacity bought another way. Re-pricing keeps each entry's service tier and
 * long-context tier (aggregated quantities no longer know each request's size, so the tier the
 * request was recorded in is kept, capped at the target's highest tier). What-ifs that change the
 * quantities too (idle replica-hours gone, the same work in less GPU time, calls moved to another
 * model) are {@link WhatIf}s.
 */
public final class Repricing {

  private Repricing() {}

  /** Model usage priced by {@code pricing} at each entry's time (another catalog, next month's prices). */
  public static Function<LedgerSnapshot.Entry, PriceKey> catalog(Pricing pricing) {
    Objects.requireNonNull(pricing, "pricing");
    return e -> {
      PriceKey k = e.key();
      if (k.kind() != PriceKey.Kind.MODEL && k.kind() != PriceKey.Kind.UNPRICED) {
        return k;
      }
      return pricing.modelKey(k.provider(), k.resource(), k.serviceTier(), k.contextTier(), timeOf(e));
    };
  }

  /**
   * Usage of one model priced as if it had gone to another ("these requests on a cheaper model");
   * providers may be {@code null} to match any.
   */
  public static Function<LedgerSnapshot.Entry, PriceKey> model(String fromProvider, String fromModel, Pricing pricing,
      String toProvider, String toModel) {
    return e -> {
      PriceKey k = e.key();
      boolean match = k.kind() == PriceKey.Kind.MODEL && k.resource().equalsIgnoreCase(fromModel)
          && (fromProvider == null || fromProvider.equalsIgnoreCase(k.provider()));
      return match ? pricing.modelKey(toProvider, toModel, k.serviceTier(), k.contextTier(), timeOf(e)) : k;
    };
  }

  /**
   * Cloud GPU time priced with another purchase option ("this run on spot"): the same instance type
   * in the same region ({@link PriceKey#region()}) the usage was recorded in, at that region's price
   * for {@code option}. A key that does not know its region (one decoded from a journal written before
   * keys carried it) is priced at the first region of the catalog that lists the instance type.
   *
   * @throws dev.finops.core.pricing.PricingException (when the snapshot is re-priced) naming the
   *     instance type and region if {@code option} has no price there at the usage's time
   */
  public static Function<LedgerSnapshot.Entry, PriceKey> purchaseOption(Pricing pricing, PurchaseOption option) {
    Objects.requireNonNull(pricing, "pricing");
    Objects.requireNonNull(option, "option");
    return e -> {
      PriceKey k = e.key();
      if (k.kind() != PriceKey.Kind.GPU || k.purchaseOption() == option) {
        return k;
      }
      return pricing.gpuKey(k.provider(), k.region(), k.resource(), option, timeOf(e));
    };
  }

  private static long timeOf(LedgerSnapshot.Entry e) {
    return e.startMillis() == Long.MIN_VALUE ? e.endMillis() - 1 : e.startMillis();
  }
}
