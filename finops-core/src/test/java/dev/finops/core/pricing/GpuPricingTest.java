package dev.finops.core.pricing;

import static dev.finops.core.Money.usd;
import static dev.finops.core.pricing.PricingTest.FIXTURE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.finops.core.Money;
import dev.finops.core.TestCatalogs;
import dev.finops.core.catalog.PriceSource;
import dev.finops.core.catalog.PurchaseOption;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("GPU capacity")
class GpuPricingTest {

  private static final long BEFORE_CHANGE = Instant.parse("2025-05-31T23:59:59.999Z").toEpochMilli();
  private static final long AFTER_CHANGE = Instant.parse("2025-06-01T00:00:00Z").toEpochMilli();

  private final Pricing pricing = TestCatalogs.pricing(UnknownModelPolicy.FAIL, FIXTURE);

  private Pricing.GpuRate rate(String region, String instance, PurchaseOption option, long at) {
    return pricing.gpuRate("aws", region, instance, option, at);
  }

  @Nested
  @DisplayName("Pricing.gpuRate")
  class Rates {

    @Test
    void onDemandPriceBeforeAndAfterAPriceChange() {
      Pricing.GpuRate before = rate("us-east-1", "p4d.24xlarge", PurchaseOption.ON_DEMAND, BEFORE_CHANGE);
      Pricing.GpuRate after = rate("us-east-1", "p4d.24xlarge", PurchaseOption.ON_DEMAND, AFTER_CHANGE);

      assertThat(before.hourly()).isEqualTo(usd("32.7726"));
      assertThat(before.gpuHourly()).isEqualTo(usd("4.096575"));
      assertThat(after.hourly()).isEqualTo(usd("21.957642"));
      assertThat(after.gpuHourly()).isEqualTo(usd("2.74470525"));
      assertThat(after.option()).isEqualTo(PurchaseOption.ON_DEMAND);
      assertThat(after.instance().gpuCount()).isEqualTo(8);
      assertThat(after.source()).isEqualTo(PriceSource.USER_CATALOG);
      assertThat(after.catalogVersion()).isEqualTo("fixture-2025-06");
    }

    @Test
    void spotIsPricedApartFromOnDemand() {
      Pricing.GpuRate spot = rate("us-east-1", "p4d.24xlarge", PurchaseOption.SPOT, AFTER_CHANGE);

      assertThat(spot.hourly()).isEqualTo(usd("12.50"));
      assertThat(spot.option()).isEqualTo(PurchaseOption.SPOT);
      assertThat(spot.gpuHourly()).isEqualTo(usd("1.5625"));
    }

    @Test
    void noSpotPriceBeforeTheCatalogHadOne() {
      assertThatThrownBy(() -> rate("us-east-1", "p4d.24xlarge", PurchaseOption.SPOT, BEFORE_CHANGE))
          .isInstanceOf(PricingException.class)
          .hasMessageContaining("p4d.24xlarge")
          .hasMessageContaining("no spot price");
    }

    @Test
    void committedPrice() {
      assertThat(rate("us-east-1", "p5.48xlarge", PurchaseOption.COMMITTED, AFTER_CHANGE).hourly())
          .isEqualTo(usd("43.16"));
    }

    @Test
    void regionNarrowsTheSearchAndTheFirstDeclaredWinsWithoutOne() {
      assertThat(rate("us-west-2", "p4d.24xlarge", PurchaseOption.ON_DEMAND, AFTER_CHANGE).hourly())
          .isEqualTo(usd("33.00"));
      assertThat(pricing.gpuRate(null, null, "P4D.24XLARGE", PurchaseOption.ON_DEMAND, AFTER_CHANGE).hourly())
          .isEqualTo(usd("21.957642"));
      assertThat(pricing.gpuRate("gcp", null, "a3-highgpu-8g", PurchaseOption.SPOT, AFTER_CHANGE).hourly())
          .isEqualTo(usd("26.47"));
    }

    @Test
    void noPriceValidBeforeTheFirstVersion() {
      assertThatThrownBy(() -> rate("us-east-1", "p4d.24xlarge", PurchaseOption.ON_DEMAND,
          Instant.parse("2023-01-01T00:00:00Z").toEpochMilli()))
          .isInstanceOf(PricingException.class)
          .hasMessageContaining("no price valid at 2023-01-01T00:00:00Z");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "p4d.24xlarg, p4d.24xlarge",
        "p4de.24xlarge, p4d.24xlarge",
        "p5.48xlarg, p5.48xlarge",
        "a3-highgpu-8, a3-highgpu-8g",
    })
    void unknownInstanceNamesTheClosestKnownOnes(String typo, String closest) {
      PricingException e = catchThrowableOfType(PricingException.class,
          () -> pricing.gpuRate(null, null, typo, PurchaseOption.ON_DEMAND, AFTER_CHANGE));

      assertThat(e).hasMessageContaining("unknown instance type '" + typo + "'")
          .hasMessageContaining("closest known: ")
          .hasMessageContaining(closest);
    }

    @Test
    void anUnrelatedInstanceNameGetsNoSuggestions() {
      assertThatThrownBy(() -> pricing.gpuRate("azure", "eastus", "Standard_ND96isr_H100_v5",
          PurchaseOption.ON_DEMAND, AFTER_CHANGE))
          .isInstanceOf(PricingException.class)
          .hasMessageContaining("of provider 'azure'")
          .hasMessageContaining("in region 'eastus'")
          .hasMessageNotContaining("closest known");
    }
  }

  @Nested
  @DisplayName("GpuCost")
  class Cost {

    @Test
    void thirtyTwoDollarsAnHourAtFortyPercentForOneHour() {
      GpuCost c = GpuCost.of(usd("32"), 8, BigDecimal.ONE, new BigDecimal("0.4"));

      assertThat(c.billed()).isEqualTo(usd("32"));
      assertThat(c.usefulCost()).isEqualTo(usd("12.80"));
      assertThat(c.idleCost()).isEqualTo(usd("19.20"));
      assertThat(c.effectiveHourlyRate()).isEqualTo(usd("80"));
      assertThat(c.effectiveGpuHourlyRate()).isEqualTo(usd("10"));
      assertThat(c.usefulCost().plus(c.idleCost())).isEqualTo(c.billed());
      assertThat(c.hasEffectiveRate()).isTrue();
    }

    @Test
    void effectiveRatesThatDoNotTerminateStayExact() {
      GpuCost c = GpuCost.of(usd("32"), 8, new BigDecimal("2.5"), new BigDecimal("0.3"));

      assertThat(c.billed()).isEqualTo(usd("80"));
      assertThat(c.usefulCost()).isEqualTo(usd("24"));
      assertThat(c.effectiveHourlyRate().toPlainString()).isEqualTo("106.666666666667");
      assertThat(c.effectiveGpuHourlyRate().toPlainString()).isEqualTo("13.333333333333");
      assertThat(c.effectiveGpuHourlyRate().times(8).times(new BigDecimal("0.3"))).isEqualTo(usd("32"));
    }

    @Test
    void fromACatalogRate() {
      Pricing.GpuRate r = rate("us-east-1", "p4d.24xlarge", PurchaseOption.ON_DEMAND, AFTER_CHANGE);

      GpuCost c = GpuCost.of(r.hourly(), r.instance().gpuCount(), BigDecimal.ONE, new BigDecimal("0.4"));

      assertThat(c.effectiveGpuHourlyRate()).isEqualTo(usd("6.861763125"));
    }

    @Test
    void zeroUtilizationHasNoEffectiveRate() {
      GpuCost c = GpuCost.of(usd("32"), 8, BigDecimal.ONE, BigDecimal.ZERO);

      assertThat(c.hasEffectiveRate()).isFalse();
      assertThat(c.idleCost()).isEqualTo(usd("32"));
      assertThatThrownBy(c::effectiveHourlyRate).isInstanceOf(ArithmeticException.class);
    }

    @ParameterizedTest(name = "rate {0}, gpus {1}, hours {2}, utilization {3}")
    @CsvSource({
        "-1, 8, 1, 0.5",
        "32, 0, 1, 0.5",
        "32, 8, -1, 0.5",
        "32, 8, 1, -0.1",
        "32, 8, 1, 1.01",
    })
    void rejectsImpossibleInputs(String rate, int gpus, String hours, String utilization) {
      assertThatIllegalArgumentException().isThrownBy(() ->
          GpuCost.of(Money.usd(rate), gpus, new BigDecimal(hours), new BigDecimal(utilization)));
    }
  }
}
