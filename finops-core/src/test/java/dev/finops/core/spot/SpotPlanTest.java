package dev.finops.core.spot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.CurrencyMismatchException;
import dev.finops.core.Money;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The expected cost of a planned run on spot, worked by hand. */
class SpotPlanTest {

  /**
   * 100 hours of work, spot 10/h, on demand 30/h, 0.25 interruptions per hour, a checkpoint every
   * hour, 18 minutes to restart. Each interruption costs k = 0.5 h + 0.3 h = 0.8 h; λk = 0.2, so the
   * run takes T = 100 / 0.8 = 125 h with n = 0.25 × 125 = 31.25 interruptions: 15.625 h of lost work
   * and 9.375 h of restarts on top of the 100 useful hours.
   */
  private static SpotPlan.Builder handWorked() {
    return SpotPlan.builder().spotRate(Money.usd("10")).onDemandRate(Money.usd("30"))
        .workHours(new BigDecimal("100")).interruptionsPerHour(new BigDecimal("0.25"))
        .checkpointInterval(Duration.ofHours(1)).restartOverhead(Duration.ofMinutes(18));
  }

  @Test
  void expectedCostOnSpotWithInterruptionsAgainstOnDemand() {
    SpotPlan plan = handWorked().build();

    assertThat(plan.expectedHours(6)).isEqualByComparingTo("125");
    assertThat(plan.expectedInterruptions(6)).isEqualByComparingTo("31.25");
    assertThat(plan.spotCost()).isEqualTo(Money.usd("1250"));
    assertThat(plan.lostWorkCost()).isEqualTo(Money.usd("156.25"));
    assertThat(plan.restartCost()).isEqualTo(Money.usd("93.75"));
    assertThat(plan.onDemandCost()).isEqualTo(Money.usd("3000"));
    assertThat(plan.netSavings()).isEqualTo(Money.usd("1750"));
    // Spot cost = the useful work at the spot rate + lost work + restarts, exactly.
    assertThat(Money.usd("1000").plus(plan.lostWorkCost()).plus(plan.restartCost())).isEqualTo(plan.spotCost());
    assertThat(plan.economics().grossSavings()).isEqualTo(Money.usd("2000"));
    assertThat(plan.economics().netSavingsFraction(4)).isEqualByComparingTo("0.5833");
  }

  @Test
  void breakEvenIsWhereSpotCostsWhatOnDemandDoes() {
    // λ* = (1 − 10/30) / 0.8 h = 5/6 per hour
    assertThat(handWorked().build().breakEvenInterruptionsPerHour(6)).isEqualByComparingTo("0.833333");
    SpotPlan atBreakEven = handWorked().interruptionsPerHour(new BigDecimal("0.8333333333")).build();
    assertThat(atBreakEven.spotCost().amount(2)).isEqualByComparingTo("3000.00");
    assertThat(handWorked().checkpointInterval(Duration.ZERO).restartOverhead(Duration.ZERO).build()
        .breakEvenInterruptionsPerHour(6)).isNull();
  }

  @Test
  void costsThatDoNotTerminateStayExact() {
    // λk = 0.1 × (10 min + 0) = 1/60: T = 100 × 60/59 h, a fraction that never terminates
    SpotPlan plan = handWorked().interruptionsPerHour(new BigDecimal("0.1"))
        .checkpointInterval(Duration.ofMinutes(20)).restartOverhead(Duration.ZERO).build();

    assertThat(plan.spotCost().isTerminating()).isFalse();
    assertThat(plan.spotCost().amount(6)).isEqualByComparingTo("1016.949153"); // 1000 × 60/59
    assertThat(Money.usd("1000").plus(plan.lostWorkCost()).plus(plan.restartCost())).isEqualTo(plan.spotCost());
  }

  @Test
  void withoutInterruptionsSpotIsTheDiscountedWork() {
    SpotPlan plan = handWorked().interruptionsPerHour(BigDecimal.ZERO).build();

    assertThat(plan.spotCost()).isEqualTo(Money.usd("1000"));
    assertThat(plan.lostWorkCost().isZero()).isTrue();
    assertThat(plan.expectedInterruptions(2)).isEqualByComparingTo("0");
  }

  @Test
  void aRunThatCanNeverFinishIsRefused() {
    // 1.25 per hour × 0.8 h = 1: every hour of work is lost again
    assertThatThrownBy(() -> handWorked().interruptionsPerHour(new BigDecimal("1.25")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never finish")
        .hasMessageContaining("0.8 h");
    assertThatThrownBy(() -> handWorked().onDemandRate(Money.of("30", "EUR")).build())
        .isInstanceOf(CurrencyMismatchException.class);
    assertThatThrownBy(() -> handWorked().interruptionsPerHour(new BigDecimal("-1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interruptions per hour");
  }
}
