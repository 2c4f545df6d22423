package dev.finops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("TokenConventions turn provider counts into exclusive buckets")
class TokenConventionsTest {

  /** Asserts the exclusive token buckets of {@code u}; every other bucket is zero. */
  private static void assertBuckets(Usage u, long inputUncached, long cacheRead, long cacheWrite5m, long cacheWrite1h,
      long output, long reasoning) {
    Usage expected = Usage.builder().inputUncached(inputUncached).cacheRead(cacheRead).cacheWrite5m(cacheWrite5m)
        .cacheWrite1h(cacheWrite1h).output(output).reasoning(reasoning).build();
    assertThat(u).isEqualTo(expected);
  }

  @Nested
  @DisplayName("inclusive (OpenTelemetry GenAI, OpenAI)")
  class Inclusive {

    @Test
    void cachedTokensAreTakenOutOfInputAndReasoningOutOfOutput() {
      Usage u = TokenConventions.fromInclusive(1_200, 300, 1_000, 0, 50);

      assertBuckets(u, 200, 1_000, 0, 0, 250, 50);
      assertThat(u.inputTokens()).isEqualTo(1_200);
      assertThat(u.outputTokens()).isEqualTo(300);
      assertThat(u.totalTokens()).isEqualTo(1_500);
      assertThat(u.serviceTier()).isEqualTo(Usage.STANDARD_TIER);
    }

    @Test
    void cacheWritesAreFiveMinuteWritesUnlessOneHourWritesAreGivenApart() {
      Usage fiveMinutes = TokenConventions.fromInclusive(1_000, 10, 100, 300, 0);
      Usage both = TokenConventions.fromInclusive(1_000, 10, 100, 300, 400, 0);

      assertBuckets(fiveMinutes, 600, 100, 300, 0, 10, 0);
      assertBuckets(both, 200, 100, 300, 400, 10, 0);
      assertThat(both.inputTokens()).isEqualTo(1_000);
    }

    @Test
    void allTokensMayBeCachedAndAllOutputMayBeReasoning() {
      Usage u = TokenConventions.fromInclusive(500, 80, 500, 0, 80);

      assertBuckets(u, 0, 500, 0, 0, 0, 80);
    }

    @Test
    void cachedTokensAboveInputTokensAreRejected() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> TokenConventions.fromInclusive(100, 0, 80, 30, 0))
          .withMessageContaining("input_tokens (100)")
          .withMessageContaining("cache_read_tokens")
          .withMessageContaining("(110)");
    }

    @Test
    void oneHourCacheWritesCountTowardsTheCachedTokens() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> TokenConventions.fromInclusive(100, 0, 50, 0, 51, 0))
          .withMessageContaining("input_tokens (100)");
    }

    @Test
    void cachedTokensThatOverflowALongAreRejectedAsAboveInput() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> TokenConventions.fromInclusive(Long.MAX_VALUE, 0, Long.MAX_VALUE, Long.MAX_VALUE, 0))
          .withMessageContaining("cache_read_tokens")
          .withMessageContaining("input_tokens");
    }

    @Test
    void reasoningAboveOutputIsRejected() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> TokenConventions.fromInclusive(10, 40, 0, 0, 41))
          .withMessageContaining("reasoning_tokens (41)")
          .withMessageContaining("output_tokens (40)");
    }
  }

  @Nested
  @DisplayName("exclusive (Anthropic)")
  class Exclusive {

    @Test
    void countsAreTakenAsTheyAre() {
      Usage u = TokenConventions.fromExclusive(200, 300, 1_000, 100, 50);

      assertBuckets(u, 200, 1_000, 100, 50, 300, 0);
      assertThat(u.inputTokens()).isEqualTo(1_350);
      assertThat(u.outputTokens()).isEqualTo(300);
    }

    @Test
    void cacheTokensMayExceedUncachedInput() {
      assertBuckets(TokenConventions.fromExclusive(3, 10, 50_000, 0, 0), 3, 50_000, 0, 0, 10, 0);
    }

    @Test
    void sameCallInBothConventionsGivesTheSameBuckets() {
      assertThat(TokenConventions.fromExclusive(200, 300, 1_000, 100, 0))
          .isEqualTo(TokenConventions.fromInclusive(1_300, 300, 1_000, 100, 0));
    }
  }

  static Stream<Arguments> negativeCounts() {
    return Stream.of(
        negative("input_tokens", () -> TokenConventions.fromInclusive(-1, 0, 0, 0, 0)),
        negative("output_tokens", () -> TokenConventions.fromInclusive(0, -1, 0, 0, 0)),
        negative("cache_read_tokens", () -> TokenConventions.fromInclusive(10, 0, -1, 0, 0)),
        negative("cache_write_tokens", () -> TokenConventions.fromInclusive(10, 0, 0, -1, 0)),
        negative("cache_write_1h_tokens", () -> TokenConventions.fromInclusive(10, 0, 0, 0, -1, 0)),
        negative("reasoning_tokens", () -> TokenConventions.fromInclusive(0, 10, 0, 0, -1)),
        negative("input_tokens", () -> TokenConventions.fromExclusive(-5, 0, 0, 0, 0)),
        negative("output_tokens", () -> TokenConventions.fromExclusive(0, -5, 0, 0, 0)),
        negative("cache_read_input_tokens", () -> TokenConventions.fromExclusive(0, 0, -5, 0, 0)),
        negative("cache_creation_input_tokens", () -> TokenConventions.fromExclusive(0, 0, 0, -5, 0)),
        negative("cache_creation_1h_input_tokens", () -> TokenConventions.fromExclusive(0, 0, 0, 0, -5)),
        negative("cache_read", () -> Usage.builder().cacheRead(-1)),
        negative("gpu_time", () -> Usage.builder().gpuMillis(-1)));
  }

  private static Arguments negative(String field, Executable conversion) {
    return Arguments.of(field, conversion);
  }

  @ParameterizedTest(name = "negative {0}")
  @MethodSource("negativeCounts")
  void negativeCountsAreRejectedNamingTheField(String field, Executable conversion) {
    assertThatIllegalArgumentException()
        .isThrownBy(conversion::execute)
        .withMessageContaining("'" + field + "'")
        .withMessageContaining("negative");
  }

  @Nested
  class UsageValues {

    @Test
    void plusAddsBucketByBucketAndKeepsTheServiceTier() {
      Usage a = Usage.ofTokens(10, 20).withServiceTier("batch");
      Usage b = Usage.builder().inputUncached(1).cacheRead(2).requests(1).build();

      Usage sum = a.plus(b);

      assertThat(sum.get(UsageBucket.INPUT_UNCACHED)).isEqualTo(11);
      assertThat(sum.get(UsageBucket.CACHE_READ)).isEqualTo(2);
      assertThat(sum.get(UsageBucket.OUTPUT)).isEqualTo(20);
      assertThat(sum.get(UsageBucket.REQUESTS)).isEqualTo(1);
      assertThat(sum.serviceTier()).isEqualTo("batch");
    }

    @Test
    void serviceTierIsLowerCasedAndMustNotBeBlank() {
      assertThat(Usage.ofTokens(1, 1).withServiceTier("Batch").serviceTier()).isEqualTo("batch");
      assertThatIllegalArgumentException().isThrownBy(() -> Usage.builder().serviceTier(" "))
          .withMessageContaining("service_tier");
    }

    @Test
    void emptyUsageHasNoQuantities() {
      assertThat(Usage.empty().isEmpty()).isTrue();
      assertThat(Usage.ofTokens(0, 1).isEmpty()).isFalse();
      assertThat(Usage.builder().build()).isEqualTo(Usage.empty());
    }
  }

  @Test
  void bucketsAreFoundByTheirCatalogName() {
    for (UsageBucket b : UsageBucket.values()) {
      assertThat(UsageBucket.byJsonName(b.jsonName())).isSameAs(b);
      assertThat(UsageBucket.byJsonName(b.jsonName().toUpperCase(java.util.Locale.ROOT))).isSameAs(b);
      assertThat(UsageBucket.ofOrdinal(b.ordinal())).isSameAs(b);
    }
    assertThat(UsageBucket.byJsonName("prompt")).isNull();
    assertThat(UsageBucket.INPUT_UNCACHED.unit().basePerPricingUnit()).isEqualTo(1_000_000L);
    assertThat(UsageBucket.GPU_TIME.unit().basePerPricingUnit()).isEqualTo(3_600_000L);
    assertThat(UsageBucket.ENERGY.unit().basePerPricingUnit()).isEqualTo(3_600_000_000L);
  }
}
