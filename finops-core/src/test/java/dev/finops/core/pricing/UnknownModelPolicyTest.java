package dev.finops.core.pricing;

import static dev.finops.core.Money.usd;
import static dev.finops.core.pricing.PricingTest.FIXTURE;
import static dev.finops.core.pricing.PricingTest.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.finops.core.Money;
import dev.finops.core.TestCatalogs;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.PriceSource;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("What pricing does with usage it cannot price")
class UnknownModelPolicyTest {

  private static final Usage TEXT = Usage.ofTokens(1_000_000, 1_000_000);
  /** Text plus audio input: gpt-4o has no audio price. */
  private static final Usage WITH_AUDIO = Usage.builder().inputUncached(1_000).add(UsageBucket.INPUT_AUDIO, 2_000).build();
  /** Input 1.00, output 4.00, audio input 100.00 per 1M. */
  private static final BucketPrices FALLBACK = fallback(true);

  private static BucketPrices fallback(boolean withAudio) {
    Map<UsageBucket, BigDecimal> m = new EnumMap<>(UsageBucket.class);
    m.put(UsageBucket.INPUT_UNCACHED, new BigDecimal("1.00"));
    m.put(UsageBucket.OUTPUT, new BigDecimal("4.00"));
    if (withAudio) {
      m.put(UsageBucket.INPUT_AUDIO, new BigDecimal("100.00"));
    }
    return BucketPrices.of(m);
  }

  private static Pricing pricing(UnknownModelPolicy policy) {
    return pricing(policy, FALLBACK);
  }

  private static Pricing pricing(UnknownModelPolicy policy, BucketPrices fallback) {
    Pricing.Builder b = Pricing.builder().bundledCatalog(null).userCatalog(FIXTURE).unknownModelPolicy(policy);
    if (policy == UnknownModelPolicy.FALLBACK_PRICE) {
      b.fallbackPrice(fallback, Money.USD);
    }
    return b.build();
  }

  @Test
  void failIsTheDefault() {
    assertThat(Pricing.builder().bundledCatalog(null).build().unknownModelPolicy()).isEqualTo(UnknownModelPolicy.FAIL);
  }

  @Nested
  @DisplayName("FAIL")
  class Fail {

    private final Pricing pricing = pricing(UnknownModelPolicy.FAIL);

    @Test
    void unknownModelThrowsNamingTheModelAndTheClosestKnownIds() {
      UnknownModelException e =
          catchThrowableOfType(UnknownModelException.class, () -> pricing.price("openai", "gpt-4p", TEXT, NOW));

      assertThat(e.model()).isEqualTo("gpt-4p");
      assertThat(e.provider()).isEqualTo("openai");
      assertThat(e.closestMatches()).first().isEqualTo("gpt-4o");
      assertThat(e).hasMessageContaining("unknown model 'gpt-4p'").hasMessageContaining("closest known: gpt-4o");
    }

    @Test
    void closestIdsCanBeAliasesAndComeClosestFirst() {
      UnknownModelException e =
          catchThrowableOfType(UnknownModelException.class, () -> pricing.price(null, "claude-sonet-4", TEXT, NOW));

      assertThat(e.closestMatches()).startsWith("claude-sonnet-4", "claude-sonnet-4-0").hasSizeLessThanOrEqualTo(3);
      assertThat(e).hasMessageContaining("claude-sonnet-4");
    }

    @Test
    void closestIdsAreLimitedToTheProviderAsked() {
      UnknownModelException e =
          catchThrowableOfType(UnknownModelException.class, () -> pricing.price("groq", "gpt-4o", TEXT, NOW));

      assertThat(e.closestMatches()).doesNotContain("gpt-4o");
      assertThat(e).hasMessageContaining("of provider 'groq'");
    }

    @Test
    void noPriceValidAtTheUsageTimeThrows() {
      PricingException e = catchThrowableOfType(PricingException.class,
          () -> pricing.price("openai", "gpt-4-32k", TEXT, Instant.parse("2025-06-06T00:00:00Z")));

      assertThat(e).isNotInstanceOf(UnknownModelException.class)
          .hasMessageContaining("gpt-4-32k")
          .hasMessageContaining("no price valid at 2025-06-06T00:00:00Z")
          .hasMessageContaining("2023-03-14");
      assertThat(pricing.price("openai", "gpt-4-32k", TEXT, Instant.parse("2025-06-05T23:59:59.999Z")).total())
          .isEqualTo(usd("180"));
    }

    @Test
    void beforeTheFirstPriceThereIsNoPriceEither() {
      assertThat(catchThrowableOfType(PricingException.class,
          () -> pricing.price(null, "gpt-4o", TEXT, Instant.parse("2024-05-12T23:59:59Z"))))
          .hasMessageContaining("no price valid");
    }

    @Test
    void audioWithoutAnAudioPriceThrowsNamingTheBucket() {
      PricingException e = catchThrowableOfType(PricingException.class,
          () -> pricing.price("openai", "gpt-4o", WITH_AUDIO, NOW));

      assertThat(e).hasMessageContaining("gpt-4o").hasMessageContaining("'input_audio'");
    }
  }

  @Nested
  @DisplayName("RECORD_UNPRICED")
  class RecordUnpriced {

    private final Pricing pricing = pricing(UnknownModelPolicy.RECORD_UNPRICED);

    @Test
    void unknownModelIsRecordedUnpricedWithItsQuantitiesAndCounted() {
      PricedUsage p = pricing.price("openai", "gpt-5-imaginary", TEXT, NOW);
      pricing.price("openai", "gpt-5-imaginary", TEXT, NOW);
      pricing.price(null, "mystery", TEXT, NOW);

      assertThat(p.isPriced()).isFalse();
      assertThat(p.source()).isEqualTo(PriceSource.UNPRICED);
      assertThat(p.usage()).isEqualTo(TEXT);
      assertThat(p.modelId()).isEqualTo("gpt-5-imaginary");
      assertThat(p.unpricedReason()).contains("unknown model");
      assertThat(p.total().isZero()).isTrue();
      assertThat(p.lines()).extracting(CostLine::quantity).containsExactly(1_000_000L, 1_000_000L);
      assertThat(p.lines()).extracting(CostLine::cost).containsOnlyNulls();
      assertThat(pricing.unpricedCounts()).isEqualTo(Map.of("openai/gpt-5-imaginary", 2L, "mystery", 1L));
    }

    @Test
    void noPriceValidAtTheUsageTimeIsRecordedUnpriced() {
      PricedUsage p = pricing.price(null, "gpt-4-32k", TEXT, TestCatalogs.day("2026-01-01"));

      assertThat(p.isPriced()).isFalse();
      assertThat(p.unpricedReason()).contains("no price valid");
      assertThat(pricing.unpricedCounts()).containsEntry("openai/gpt-4-32k", 1L);
    }

    @Test
    void audioWithoutAnAudioPriceIsUnpricedNotZero() {
      PricedUsage p = pricing.price("openai", "gpt-4o", WITH_AUDIO, NOW);

      assertThat(p.isPriced()).isFalse();
      assertThat(p.unpricedReason()).contains("input_audio");
      assertThat(p.usage().get(UsageBucket.INPUT_AUDIO)).isEqualTo(2_000);
      assertThat(pricing.unpricedCounts()).containsEntry("openai/gpt-4o", 1L);
    }
  }

  @Nested
  @DisplayName("FALLBACK_PRICE")
  class FallbackPrice {

    private final Pricing pricing = pricing(UnknownModelPolicy.FALLBACK_PRICE);

    @Test
    void unknownModelIsPricedWithTheFallbackAndCounted() {
      PricedUsage p = pricing.price("openai", "gpt-5-imaginary", TEXT, NOW);

      assertThat(p.isPriced()).isTrue();
      assertThat(p.source()).isEqualTo(PriceSource.FALLBACK);
      assertThat(p.total()).isEqualTo(usd("5.00"));
      assertThat(p.unpricedReason()).contains("unknown model");
      assertThat(pricing.unpricedCounts()).isEqualTo(Map.of("openai/gpt-5-imaginary", 1L));
    }

    @Test
    void knownModelsStillUseTheCatalog() {
      PricedUsage p = pricing.price("openai", "gpt-4o", TEXT, NOW);

      assertThat(p.source()).isEqualTo(PriceSource.USER_CATALOG);
      assertThat(p.total()).isEqualTo(usd("12.50"));
      assertThat(pricing.unpricedCounts()).isEmpty();
    }

    @Test
    void audioWithoutAnAudioPriceTakesTheFallbackPrice() {
      PricedUsage p = pricing.price("openai", "gpt-4o", WITH_AUDIO, NOW);

      assertThat(p.source()).isEqualTo(PriceSource.FALLBACK);
      assertThat(p.total()).isEqualTo(usd("0.201")); // 1,000 x 1.00 + 2,000 x 100.00 per 1M
      assertThat(p.unpricedReason()).contains("input_audio");
    }

    @Test
    void aFallbackWithoutAnAudioPriceRefusesAudioRatherThanPricingItZero() {
      Pricing noAudio = pricing(UnknownModelPolicy.FALLBACK_PRICE, fallback(false));

      assertThat(catchThrowableOfType(PricingException.class, () -> noAudio.price("openai", "gpt-4o", WITH_AUDIO, NOW)))
          .hasMessageContaining("input_audio");
    }

    @Test
    void needsAFallbackPrice() {
      assertThatIllegalStateException().isThrownBy(() -> Pricing.builder().bundledCatalog(null)
          .unknownModelPolicy(UnknownModelPolicy.FALLBACK_PRICE).build()).withMessageContaining("fallbackPrice");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(UnknownModelPolicy.class)
  void audioOnAModelWithoutAnAudioPriceIsNeverASilentZero(UnknownModelPolicy policy) {
    Pricing pricing = pricing(policy);
    PricedUsage p;
    try {
      p = pricing.price("openai", "gpt-4o", WITH_AUDIO, NOW);
    } catch (PricingException expected) {
      assertThat(policy).isEqualTo(UnknownModelPolicy.FAIL);
      return;
    }
    assertThat(p.source()).isNotIn(PriceSource.USER_CATALOG, PriceSource.BUNDLED_CATALOG);
    assertThat(p.isPriced() ? p.total().signum() : -1).as("priced results carry a cost").isNotZero();
    assertThat(pricing.unpricedCounts()).containsEntry("openai/gpt-4o", 1L);
  }

  @Test
  void aModelWithAnAudioPricePricesAudio() {
    PricedUsage p = pricing(UnknownModelPolicy.FAIL).price("openai", "gpt-4o-realtime", WITH_AUDIO, NOW);

    assertThat(p.total()).isEqualTo(usd("0.085")); // 1,000 x 5.00 + 2,000 x 40.00 per 1M
  }
}
