package dev.finops.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.finops.core.Money;
import dev.finops.core.UsageBucket;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("BucketPrices fall back as providers bill")
class BucketPricesTest {

  /** input 2.00, output 8.00, cache_write_5m 2.50, input_audio 40; nothing else declared. */
  private static final BucketPrices PRICES = prices(Map.of(
      UsageBucket.INPUT_UNCACHED, "2.00",
      UsageBucket.OUTPUT, "8.00",
      UsageBucket.CACHE_WRITE_5M, "2.50",
      UsageBucket.INPUT_AUDIO, "40"));

  private static BucketPrices prices(Map<UsageBucket, String> declared) {
    Map<UsageBucket, BigDecimal> m = new EnumMap<>(UsageBucket.class);
    declared.forEach((b, p) -> m.put(b, new BigDecimal(p)));
    return BucketPrices.of(m);
  }

  @ParameterizedTest(name = "{0} takes the price {1}")
  @CsvSource({
      "OUTPUT_REASONING, 8.00",
      "CACHE_READ, 2.00",
      "CACHE_WRITE_1H, 2.50",
      "INPUT_IMAGE, 2.00",
      "OUTPUT_IMAGE, 8.00",
      "REQUESTS, 0",
  })
  void undeclaredBucketsFallBack(UsageBucket bucket, String expected) {
    assertThat(PRICES.price(bucket)).isEqualByComparingTo(expected);
    assertThat(PRICES.isDeclared(bucket)).isFalse();
  }

  @ParameterizedTest(name = "{0} has no price")
  @CsvSource({"OUTPUT_AUDIO", "GPU_TIME", "ENERGY"})
  void audioGpuTimeAndEnergyHaveNoFallback(UsageBucket bucket) {
    assertThat(PRICES.price(bucket)).isNull();
    assertThat(PRICES.picoPerBaseUnit(bucket.ordinal())).isEqualTo(BucketPrices.NOT_FIXED);
    assertThat(PRICES.cost(bucket, 1, Money.USD)).isNull();
  }

  @Test
  void cacheWrite5mFallsBackToInputWhenUndeclared() {
    BucketPrices p = BucketPrices.ofTokens("3", "15");
    assertThat(p.price(UsageBucket.CACHE_WRITE_5M)).isEqualByComparingTo("3");
    assertThat(p.price(UsageBucket.CACHE_WRITE_1H)).isEqualByComparingTo("3");
  }

  @Test
  void declaredPricesAreKeptApartFromFallbacks() {
    assertThat(PRICES.declared()).containsOnlyKeys(
        UsageBucket.INPUT_UNCACHED, UsageBucket.OUTPUT, UsageBucket.CACHE_WRITE_5M, UsageBucket.INPUT_AUDIO);
    assertThat(PRICES.isDeclared(UsageBucket.INPUT_AUDIO)).isTrue();
  }

  @ParameterizedTest(name = "{0} per {1} is {2} pico per base unit")
  @CsvSource({
      "2.50, INPUT_UNCACHED, 2500000",
      "0.000001, INPUT_UNCACHED, 1",
      "0, OUTPUT, 0",
      "0.01, REQUESTS, 10000000000",
      // not exact in pico-units per token: the exact decimal path prices these
      "0.0000001, INPUT_UNCACHED, " + Long.MIN_VALUE,
      "0.1234567, OUTPUT, " + Long.MIN_VALUE,
      "10000000, REQUESTS, " + Long.MIN_VALUE,
  })
  void fixedPointFormOnlyWhenExact(String price, UsageBucket bucket, long pico) {
    BucketPrices p = prices(Map.of(bucket, price));
    assertThat(p.picoPerBaseUnit(bucket.ordinal())).isEqualTo(pico);
  }

  @Test
  void costIsQuantityTimesPriceOverThePricingUnit() {
    assertThat(PRICES.cost(UsageBucket.OUTPUT, 1_500, Money.USD)).isEqualTo(Money.usd("0.012"));
    assertThat(PRICES.cost(UsageBucket.OUTPUT_REASONING, 1, Money.USD)).isEqualTo(Money.usd("0.000008"));
    assertThat(PRICES.cost(UsageBucket.REQUESTS, 7, Money.USD)).isEqualTo(Money.usd("0"));
  }

  @Test
  void negativePricesAreRejectedNamingTheBucket() {
    assertThatIllegalArgumentException().isThrownBy(() -> BucketPrices.ofTokens("-0.01", "1"))
        .withMessageContaining("input");
  }
}
