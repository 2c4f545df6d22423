package dev.finops.core.catalog;

import dev.finops.core.Money;
import dev.finops.core.UsageBucket;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Unit prices per {@link UsageBucket}, each per the bucket's pricing unit (per 1M tokens, per
 * request, per GPU-hour, per kWh). Immutable.
 *
 * <p>Buckets a provider does not price separately take the price of a related bucket, as providers
 * bill them: reasoning at the output price; cache reads and 5-minute cache writes at the input price;
 * 1-hour cache writes at the 5-minute write price; image tokens at the text price of their direction.
 * Requests with no price cost nothing. Audio, GPU time and energy have no fallback: a quantity there
 * with no price is unpriced, never zero.
 *
 * <p>For the hot path each price is also kept as a fixed-point long in pico-units (10<sup>-12</sup>)
 * of the currency per base unit when that is exact (a token price with at most six decimals per
 * million tokens); otherwise pricing takes the exact {@link BigDecimal} path.
 */
public final class BucketPrices {

  /** Marks a price that has no exact pico-unit form (see {@link #picoPerBaseUnit(int)}). */
  public static final long NOT_FIXED = Long.MIN_VALUE;

  /** Decimal places of the fixed-point form: {@link Money#PICO_SCALE}. */
  public static final int PICO_SCALE = Money.PICO_SCALE;

  private final BigDecimal[] perPricingUnit; // null = no price
  private final long[] picoPerBaseUnit; // NOT_FIXED when not exact or no price
  private final boolean[] explicit;

  private BucketPrices(BigDecimal[] declared) {
    this.explicit = new boolean[UsageBucket.COUNT];
    for (int i = 0; i < declared.length; i++) {
      explicit[i] = declared[i] != null;
    }
    this.perPricingUnit = withFallbacks(declared);
    this.picoPerBaseUnit = new long[UsageBucket.COUNT];
    for (int i = 0; i < perPricingUnit.length; i++) {
      picoPerBaseUnit[i] = toPico(perPricingUnit[i], UsageBucket.ofOrdinal(i));
    }
  }

  /** Prices as declared; fallbacks are applied here. */
  public static BucketPrices of(Map<UsageBucket, BigDecimal> prices) {
    BigDecimal[] declared = new BigDecimal[UsageBucket.COUNT];
    for (Map.Entry<UsageBucket, BigDecimal> e : prices.entrySet()) {
      BigDecimal p = Objects.requireNonNull(e.getValue(), e.getKey().jsonName());
      if (p.signum() < 0) {
        throw new IllegalArgumentException("price of " + e.getKey().jsonName() + " must not be negative: " + p);
      }
      declared[e.getKey().ordinal()] = p;
    }
    return new BucketPrices(declared);
  }

  /** Convenience for code and tests: input and output prices per 1M tokens. */
  public static BucketPrices ofTokens(String inputPerMillion, String outputPerMillion) {
    Map<UsageBucket, BigDecimal> m = new EnumMap<>(UsageBucket.class);
    m.put(UsageBucket.INPUT_UNCACHED, new BigDecimal(inputPerMillion));
    m.put(UsageBucket.OUTPUT, new BigDecimal(outputPerMillion));
    return of(m);
  }

  /**
   * These prices with {@code overrides} replacing declared ones; fallbacks are worked out again over
   * the merged declaration (a context tier that sets only input and output still moves cache reads).
   */
  BucketPrices overlay(BucketPrices overrides) {
    BigDecimal[] merged = new BigDecimal[UsageBucket.COUNT];
    for (int i = 0; i < merged.length; i++) {
      merged[i] = overrides.explicit[i] ? overrides.perPricingUnit[i] : (explicit[i] ? perPricingUnit[i] : null);
    }
    return new BucketPrices(merged);
  }

  /** Every price multiplied by {@code factor} (a batch discount of 0.5). */
  BucketPrices times(BigDecimal factor) {
    BigDecimal[] scaled = new BigDecimal[UsageBucket.COUNT];
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] = explicit[i] ? perPricingUnit[i].multiply(factor) : null;
    }
    return new BucketPrices(scaled);
  }

  private static BigDecimal[] withFallbacks(BigDecimal[] d) {
    BigDecimal[] p = d.clone();
    fallback(p, UsageBucket.OUTPUT_REASONING, UsageBucket.OUTPUT);
    fallback(p, UsageBucket.CACHE_READ, UsageBucket.INPUT_UNCACHED);
    fallback(p, UsageBucket.CACHE_WRITE_5M, UsageBucket.INPUT_UNCACHED);
    fallback(p, UsageBucket.CACHE_WRITE_1H, UsageBucket.CACHE_WRITE_5M);
    fallback(p, UsageBucket.INPUT_IMAGE, UsageBucket.INPUT_UNCACHED);
    fallback(p, UsageBucket.OUTPUT_IMAGE, UsageBucket.OUTPUT);
    if (p[UsageBucket.REQUESTS.ordinal()] == null) {
      p[UsageBucket.REQUESTS.ordinal()] = BigDecimal.ZERO;
    }
    return p;
  }

  private static void fallback(BigDecimal[] p, UsageBucket bucket, UsageBucket from) {
    if (p[bucket.ordinal()] == null) {
      p[bucket.ordinal()] = p[from.ordinal()];
    }
  }

  private static long toPico(BigDecimal price, UsageBucket bucket) {
    if (price == null) {
      return NOT_FIXED;
    }
    // Integer arithmetic only: BigDecimal division is costly, and catalogs hold thousands of prices.
    BigDecimal pico = Money.toPicoUnits(price);
    if (pico.scale() > 0) {
      pico = pico.stripTrailingZeros();
      if (pico.scale() > 0) {
        return NOT_FIXED; // a fraction of a pico-unit per pricing unit
      }
    }
    if (pico.precision() - pico.scale() > 40) {
      return NOT_FIXED; // far beyond a long
    }
    java.math.BigInteger[] qr = pico.toBigIntegerExact()
        .divideAndRemainder(java.math.BigInteger.valueOf(bucket.unit().basePerPricingUnit()));
    if (qr[1].signum() != 0 || qr[0].bitLength() >= 64) {
      return NOT_FIXED;
    }
    return qr[0].longValue();
  }

  /** The price per pricing unit of {@code bucket} after fallbacks, or {@code null} if unpriced. */
  public BigDecimal price(UsageBucket bucket) {
    return perPricingUnit[bucket.ordinal()];
  }

  /** True if the bucket's price was declared rather than taken from a fallback. */
  public boolean isDeclared(UsageBucket bucket) {
    return explicit[bucket.ordinal()];
  }

  /** The declared prices (no fallbacks), for display and serialization. */
  public Map<UsageBucket, BigDecimal> declared() {
    Map<UsageBucket, BigDecimal> m = new EnumMap<>(UsageBucket.class);
    for (int i = 0; i < explicit.length; i++) {
      if (explicit[i]) {
        m.put(UsageBucket.ofOrdinal(i), perPricingUnit[i]);
      }
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * The price of one base unit of the bucket with this ordinal, in pico-units of the currency, or
   * {@link #NOT_FIXED} when that is not an exact long (or the bucket is unpriced). The hot path
   * multiplies quantities by this and falls back to exact decimals otherwise.
   */
  public long picoPerBaseUnit(int bucketOrdinal) {
    return picoPerBaseUnit[bucketOrdinal];
  }

  /** The price per pricing unit of the bucket with this ordinal, or {@code null}. */
  public BigDecimal price(int bucketOrdinal) {
    return perPricingUnit[bucketOrdinal];
  }

  /** The exact cost of {@code quantity} base units of {@code bucket}, or {@code null} if unpriced. */
  public Money cost(UsageBucket bucket, long quantity, java.util.Currency currency) {
    BigDecimal p = perPricingUnit[bucket.ordinal()];
    return p == null ? null : cost(bucket, p, quantity, currency);
  }

  /**
   * The exact cost of {@code quantity} base units of {@code bucket} at {@code pricePerPricingUnit} (per
   * 1M tokens, per request, per GPU-hour): price × quantity ÷ the unit's base units per pricing unit.
   */
  public static Money cost(UsageBucket bucket, BigDecimal pricePerPricingUnit, long quantity,
      java.util.Currency currency) {
    return Money.ofFraction(pricePerPricingUnit.multiply(BigDecimal.valueOf(quantity)),
        bucket.unit().basePerPricingUnit(), currency);
  }

  /** True if every bucket costs the same here and in {@code o} (decimals compared by value: 2.5 = 2.50). */
  public boolean sameAs(BucketPrices o) {
    for (int i = 0; i < perPricingUnit.length; i++) {
      BigDecimal a = perPricingUnit[i];
      BigDecimal b = o.perPricingUnit[i];
      if (a == null ? b != null : b == null || a.compareTo(b) != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketPrices && Arrays.equals(perPricingUnit, ((BucketPrices) o).perPricingUnit)
        && Arrays.equals(explicit, ((BucketPrices) o).explicit);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(perPricingUnit);
  }

  @Override
  public String toString() {
    return declared().toString();
  }
}
