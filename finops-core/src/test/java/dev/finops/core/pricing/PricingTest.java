package dev.finops.core.pricing;

import static dev.finops.core.Money.usd;
import static dev.finops.core.TestCatalogs.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.TestCatalogs;
import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.catalog.PriceSource;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Pricing a usage")
class PricingTest {

  static final PriceCatalog FIXTURE = TestCatalogs.pricingFixture();
  static final Instant NOW = day("2025-07-01");
  static final Usage MILLION_IN_MILLION_OUT = Usage.ofTokens(1_000_000, 1_000_000);

  private final Pricing pricing = TestCatalogs.pricing(UnknownModelPolicy.FAIL, FIXTURE);

  private PricedUsage price(String model, Usage usage) {
    return pricing.price(null, model, usage, NOW);
  }

  @Test
  void recordsWhatPricedIt() {
    PricedUsage p = price("gpt-4o", MILLION_IN_MILLION_OUT);

    assertThat(p.total()).isEqualTo(usd("12.50"));
    assertThat(p.isPriced()).isTrue();
    assertThat(p.provider()).isEqualTo("openai");
    assertThat(p.modelId()).isEqualTo("gpt-4o");
    assertThat(p.requestedModel()).isEqualTo("gpt-4o");
    assertThat(p.source()).isEqualTo(PriceSource.USER_CATALOG);
    assertThat(p.catalogName()).isEqualTo(TestCatalogs.PRICING_FIXTURE);
    assertThat(p.catalogVersion()).isEqualTo("fixture-2025-06");
    assertThat(p.currency()).isEqualTo(dev.finops.core.Money.USD);
    assertThat(p.usage()).isEqualTo(MILLION_IN_MILLION_OUT);
    assertThat(p.unpricedReason()).isNull();
  }

  @Nested
  @DisplayName("effective dating")
  class EffectiveDating {

    @ParameterizedTest(name = "at {0}: {1}")
    @CsvSource({
        "2024-05-13T00:00:00Z, 20.00",
        "2024-09-30T23:59:59.999Z, 20.00",
        "2024-10-01T00:00:00Z, 12.50",
        "2026-01-01T00:00:00Z, 12.50",
    })
    void theSameUsageIsPricedWithThePriceValidAtItsTime(String at, String total) {
      PricedUsage p = pricing.price("openai", "gpt-4o", MILLION_IN_MILLION_OUT, Instant.parse(at));

      assertThat(p.total()).isEqualTo(usd(total));
      assertThat(p.modelPrice().isValidAt(Instant.parse(at).toEpochMilli())).isTrue();
    }

    @Test
    void epochMillisAndInstantsAgree() {
      Instant before = Instant.parse("2024-09-30T12:00:00Z");
      assertThat(pricing.price("openai", "gpt-4o", MILLION_IN_MILLION_OUT, before.toEpochMilli()).total())
          .isEqualTo(pricing.price("openai", "gpt-4o", MILLION_IN_MILLION_OUT, before).total());
    }
  }

  @Nested
  @DisplayName("long-context tiers")
  class LongContext {

    @Test
    void exactlyAtTheThresholdIsNotRepriced() {
      PricedUsage p = price("gemini-2.5-pro", Usage.ofTokens(200_000, 1_000));

      assertThat(p.contextTier()).isZero();
      assertThat(p.total()).isEqualTo(usd("0.26")); // 200,000 x 1.25 + 1,000 x 10.00 per 1M
    }

    @Test
    void aboveTheThresholdTheWholeRequestIsRepriced() {
      PricedUsage p = price("gemini-2.5-pro", Usage.ofTokens(200_001, 1_000));

      assertThat(p.contextTier()).isEqualTo(1);
      // input and output both at the tier's prices: 200,001 x 2.50 + 1,000 x 15.00 per 1M
      assertThat(p.total()).isEqualTo(usd("0.5150025"));
      assertThat(p.rates().price(UsageBucket.OUTPUT)).isEqualByComparingTo("15.00");
    }

    @Test
    void cachedTokensCountTowardsTheThresholdAndFollowTheTierInputPrice() {
      Usage u = Usage.builder().inputUncached(100_000).cacheRead(100_001).build();

      PricedUsage p = price("gemini-2.5-pro", u);

      assertThat(p.contextTier()).isEqualTo(1);
      assertThat(p.total()).isEqualTo(usd("0.5000025")); // cache reads fall back to the tier's input price
    }

    @Test
    void declaredCachePricesHaveTheirOwnTierPrices() {
      Usage u = TokenConventions.fromExclusive(100_000, 10_000, 150_000, 0, 0);

      PricedUsage p = price("claude-sonnet-4", u);

      assertThat(p.contextTier()).isEqualTo(1);
      // 100,000 x 6.00 + 150,000 x 0.60 + 10,000 x 22.50 per 1M
      assertThat(p.total()).isEqualTo(usd("0.915"));
    }
  }

  @Nested
  @DisplayName("cache buckets")
  class CacheBuckets {

    @Test
    void openAiStyleInclusiveCountsWithDiscountedCacheReads() {
      Usage u = TokenConventions.fromInclusive(10_000, 500, 8_000, 0, 0);

      PricedUsage p = price("gpt-4o", u);

      assertThat(p.lines()).extracting(CostLine::bucket, CostLine::quantity, CostLine::cost)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(UsageBucket.INPUT_UNCACHED, 2_000L, usd("0.005")),
              org.assertj.core.groups.Tuple.tuple(UsageBucket.CACHE_READ, 8_000L, usd("0.01")),
              org.assertj.core.groups.Tuple.tuple(UsageBucket.OUTPUT, 500L, usd("0.005")));
      assertThat(p.total()).isEqualTo(usd("0.02"));
      assertThat(p.rates().price(UsageBucket.CACHE_READ))
          .isEqualByComparingTo(p.rates().price(UsageBucket.INPUT_UNCACHED).multiply(new BigDecimal("0.5")));
    }

    @Test
    void anthropicStyleCacheWritesAndReadsAreMultiplesOfTheInputPrice() {
      Usage u = TokenConventions.fromExclusive(40_000, 0, 40_000, 40_000, 40_000);

      PricedUsage p = price("claude-sonnet-4", u);

      BigDecimal input = p.rates().price(UsageBucket.INPUT_UNCACHED);
      assertThat(input).isEqualByComparingTo("3.00");
      assertThat(p.rates().price(UsageBucket.CACHE_WRITE_5M)).isEqualByComparingTo(input.multiply(new BigDecimal("1.25")));
      assertThat(p.rates().price(UsageBucket.CACHE_WRITE_1H)).isEqualByComparingTo(input.multiply(new BigDecimal("2")));
      assertThat(p.rates().price(UsageBucket.CACHE_READ)).isEqualByComparingTo(input.multiply(new BigDecimal("0.1")));
      assertThat(p.lines()).extracting(CostLine::cost)
          .containsExactly(usd("0.12"), usd("0.012"), usd("0.15"), usd("0.24"));
      assertThat(p.total()).isEqualTo(usd("0.522"));
    }

    @Test
    void undeclaredCachePricesFallBackToTheInputPrice() {
      Usage u = TokenConventions.fromExclusive(0, 0, 1_000_000, 1_000_000, 1_000_000);

      assertThat(price("claude-haiku-3", u).total()).isEqualTo(usd("0.75"));
    }
  }

  @Nested
  @DisplayName("fallbacks")
  class Fallbacks {

    @Test
    void reasoningIsBilledAtTheOutputPriceWhenNotDeclared() {
      Usage u = TokenConventions.fromInclusive(1_000, 2_000_000, 0, 0, 1_500_000);

      PricedUsage p = price("o4-mini", u);

      CostLine reasoning = p.lines().stream().filter(l -> l.bucket() == UsageBucket.OUTPUT_REASONING).findFirst()
          .orElseThrow();
      assertThat(reasoning.unitPrice()).isEqualByComparingTo("4.40");
      assertThat(reasoning.cost()).isEqualTo(usd("6.6"));
      assertThat(p.total()).isEqualTo(usd("8.8011")); // 0.0011 input + 2.2 output + 6.6 reasoning
    }

    @Test
    void requestsCostNothingWithoutARequestPrice() {
      Usage u = Usage.builder().inputUncached(1_000).requests(5).build();

      assertThat(price("gpt-4o", u).total()).isEqualTo(usd("0.0025"));
    }

    @Test
    void imageTokensAreBilledAtTheTextPriceOfTheirDirection() {
      Usage u = Usage.builder().add(UsageBucket.INPUT_IMAGE, 1_000_000).add(UsageBucket.OUTPUT_IMAGE, 1_000_000).build();

      assertThat(price("gpt-4o", u).total()).isEqualTo(usd("12.50"));
    }
  }

  @Nested
  @DisplayName("service tiers")
  class ServiceTiers {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"standard, 12.50", "batch, 6.25", "BATCH, 6.25", "priority, 21.25"})
    void multiplierAppliesToEveryPrice(String tier, String total) {
      PricedUsage p = price("gpt-4o", MILLION_IN_MILLION_OUT.withServiceTier(tier));

      assertThat(p.total()).isEqualTo(usd(total));
      assertThat(pricing.unknownServiceTierCounts()).isEmpty();
    }

    @Test
    void batchCombinesWithALongContextTier() {
      PricedUsage p = price("claude-sonnet-4", Usage.ofTokens(300_000, 0).withServiceTier("batch"));

      assertThat(p.contextTier()).isEqualTo(1);
      assertThat(p.total()).isEqualTo(usd("0.9")); // 300,000 x 6.00 x 0.5 per 1M
    }

    @Test
    void unknownServiceTierIsPricedStandardAndCounted() {
      Usage scale = MILLION_IN_MILLION_OUT.withServiceTier("scale");

      PricedUsage first = price("gpt-4o", scale);
      price("chatgpt-4o-latest", scale);

      assertThat(first.total()).isEqualTo(usd("12.50"));
      assertThat(first.isPriced()).isTrue();
      assertThat(pricing.unknownServiceTierCounts()).isEqualTo(Map.of("openai/gpt-4o@scale", 2L));
    }
  }

  @Nested
  @DisplayName("exact totals")
  class ExactTotals {

    @Test
    void ordinaryTotalsAreFixedPointPicoUnits() {
      PricedUsage p = price("gpt-4o", MILLION_IN_MILLION_OUT);

      assertThat(p.hasFixedPointTotal()).isTrue();
      assertThat(p.totalPico()).isEqualTo(12_500_000_000_000L);
    }

    @Test
    void hugeQuantitiesTakeTheExactDecimalPath() {
      PricedUsage p = price("gpt-4o", Usage.ofTokens(10_000_000_000_000L, 3));

      assertThat(p.hasFixedPointTotal()).isFalse();
      assertThatThrownBy(p::totalPico).isInstanceOf(ArithmeticException.class);
      assertThat(p.total()).isEqualTo(usd("25000000.00003"));
    }

    @Test
    void multipliedPricesStayExact() {
      PricedUsage p = price("gpt-4o", Usage.ofTokens(1, 1).withServiceTier("priority"));

      // 1 token at 1.7 x 2.50 per 1M plus 1 token at 1.7 x 10.00 per 1M
      assertThat(p.total()).isEqualTo(usd("0.00002125"));
      assertThat(p.total().toPlainString()).isEqualTo("0.00002125");
    }

    @Test
    void anEmptyUsageCostsZero() {
      PricedUsage p = price("gpt-4o", Usage.empty());

      assertThat(p.total()).isEqualTo(usd("0"));
      assertThat(p.lines()).isEmpty();
    }
  }
}
