package dev.finops.core.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.CurrencyMismatchException;
import dev.finops.core.Money;
import dev.finops.core.catalog.GpuPrice;
import dev.finops.core.catalog.PurchaseOption;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Billed versus effective cost by purchase option, and the savings against on-demand. */
class ChargeCostsTest {

  /** p4d.24xlarge-like: 32/h on demand, 12/h spot, 20/h committed (amortized). */
  static final GpuPrice PRICE = new GpuPrice(Instant.parse("2025-01-01T00:00:00Z"), null, Money.USD,
      new BigDecimal("32.00"), new BigDecimal("12.00"), new BigDecimal("20.00"));

  @Test
  void spotIsBilledAndEffectiveAtTheSpotPriceWithOnDemandAsList() {
    ChargeCosts spot = ChargeCosts.gpuInstances(PRICE, PurchaseOption.SPOT, 2, Duration.ofMinutes(90), BigDecimal.ZERO);
    ChargeCosts onDemand =
        ChargeCosts.gpuInstances(PRICE, PurchaseOption.ON_DEMAND, 2, Duration.ofMinutes(90), BigDecimal.ZERO);

    // 2 instances × 1.5 h = 3 instance-hours.
    assertThat(spot.category()).isEqualTo(PricingCategory.DYNAMIC);
    assertThat(spot.billed()).isEqualTo(Money.usd("36"));
    assertThat(spot.effective()).isEqualTo(Money.usd("36"));
    assertThat(spot.contracted()).isEqualTo(Money.usd("36"));
    assertThat(spot.list()).isEqualTo(Money.usd("96"));
    assertThat(spot.savings()).isEqualTo(Money.usd("60"));
    assertThat(spot.savingsRatio(4)).isEqualByComparingTo("0.6250");

    assertThat(onDemand.category()).isEqualTo(PricingCategory.STANDARD);
    assertThat(onDemand.billed()).isEqualTo(onDemand.effective()).isEqualTo(onDemand.list()).isEqualTo(Money.usd("96"));
    assertThat(onDemand.savings().isZero()).isTrue();
  }

  @Test
  void committedIsAmortizedInEffectiveCostAndBilledLeavesOutTheUpfrontPart() {
    ChargeCosts noUpfront =
        ChargeCosts.gpuInstances(PRICE, PurchaseOption.COMMITTED, 1, Duration.ofHours(10), BigDecimal.ZERO);
    ChargeCosts partial =
        ChargeCosts.gpuInstances(PRICE, PurchaseOption.COMMITTED, 1, Duration.ofHours(10), new BigDecimal("0.5"));
    ChargeCosts allUpfront =
        ChargeCosts.gpuInstances(PRICE, PurchaseOption.COMMITTED, 1, Duration.ofHours(10), BigDecimal.ONE);

    assertThat(noUpfront.category()).isEqualTo(PricingCategory.COMMITTED);
    assertThat(noUpfront.effective()).isEqualTo(Money.usd("200"));
    assertThat(noUpfront.billed()).isEqualTo(Money.usd("200"));
    assertThat(noUpfront.list()).isEqualTo(Money.usd("320"));
    assertThat(noUpfront.contracted()).isEqualTo(Money.usd("320"));
    assertThat(partial.billed()).isEqualTo(Money.usd("100"));
    assertThat(partial.effective()).isEqualTo(Money.usd("200"));
    assertThat(allUpfront.billed().isZero()).isTrue();
    assertThat(allUpfront.savings()).isEqualTo(Money.usd("120"));
  }

  @Test
  void aMinuteOfAnHourlyRateStaysExact() {
    ChargeCosts spot = ChargeCosts.gpuInstances(PRICE, PurchaseOption.SPOT, 1, Duration.ofMillis(1), BigDecimal.ZERO);

    assertThat(spot.billed().isTerminating()).isFalse(); // 12 / 3,600,000
    assertThat(spot.billed().times(3_600_000L)).isEqualTo(Money.usd("12"));
  }

  @Test
  void rejectsWhatCannotBeACharge() {
    assertThatThrownBy(() -> ChargeCosts.gpuInstances(new GpuPrice(Instant.EPOCH, null, Money.USD, BigDecimal.ONE,
        null, null), PurchaseOption.SPOT, 1, Duration.ofHours(1), BigDecimal.ZERO)).hasMessageContaining("no spot");
    assertThatThrownBy(() -> ChargeCosts.standard(Money.usd("-1"))).hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> ChargeCosts.forPurchase(PurchaseOption.COMMITTED, null, Money.usd("1"),
        new BigDecimal("1.5"))).hasMessageContaining("upfront share");
    assertThatThrownBy(() -> ChargeCosts.of(PricingCategory.STANDARD, Money.of("1", "EUR"), Money.usd("1"),
        Money.usd("1"), Money.usd("1"))).isInstanceOf(CurrencyMismatchException.class);
  }
}
