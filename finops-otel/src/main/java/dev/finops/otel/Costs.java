package dev.finops.otel;

import dev.finops.core.Money;
import dev.finops.core.pricing.PricedUsage;
import java.math.RoundingMode;

/** Cost values at the OpenTelemetry boundary: exact strings, doubles rounded once, nano-unit longs. */
final class Costs {

  private Costs() {}

  /** The exact total as a plain decimal ({@code "0.0042"}); see {@link Money#toPlainString()}. */
  static String plain(PricedUsage priced) {
    return priced.hasFixedPointTotal() ? Money.plainPico(priced.totalPico()) : priced.total().toPlainString();
  }

  /** The total as the nearest double, rounded once from the exact amount. */
  static double toDouble(PricedUsage priced) {
    return priced.hasFixedPointTotal() ? Money.picoToDouble(priced.totalPico()) : priced.total().doubleValue();
  }

  /** The amount as the nearest double; see {@link Money#doubleValue()}. */
  static double toDouble(Money money) {
    return money.doubleValue();
  }

  /**
   * The total in whole pico-units: exact for fixed-point totals, otherwise rounded HALF_EVEN to the
   * pico (saturating at {@link Long#MAX_VALUE}).
   */
  static long toPico(PricedUsage priced) {
    if (priced.hasFixedPointTotal()) {
      return priced.totalPico();
    }
    return priced.total().toPico(RoundingMode.HALF_EVEN);
  }
}
