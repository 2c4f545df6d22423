package dev.finops.core.spot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Money;
import org.junit.jupiter.api.Test;

class SpotEconomicsTest {

  @Test
  void netSavingsAreWhatIsLeftOfTheDiscountAfterLostWorkAndRestarts() {
    // 63 on spot, of which 6 lost work and 3 restarts; 144 for the useful work on demand
    SpotEconomics e = SpotEconomics.of(Money.usd("63"), Money.usd("144"), Money.usd("6"), Money.usd("3"));

    assertThat(e.grossSavings()).isEqualTo(Money.usd("90"));
    assertThat(e.netSavings()).isEqualTo(Money.usd("81"));
    assertThat(e.grossSavings().minus(e.lostWorkCost()).minus(e.restartCost())).isEqualTo(e.netSavings());
    assertThat(e.netSavingsFraction(4)).isEqualByComparingTo("0.5625");
  }

  @Test
  void spotCanCostMoreThanOnDemand() {
    SpotEconomics e = SpotEconomics.of(Money.usd("120"), Money.usd("100"), Money.usd("50"), Money.usd("10"));

    assertThat(e.netSavings()).isEqualTo(Money.usd("-20"));
    assertThat(SpotEconomics.of(Money.usd("0"), Money.usd("0"), Money.usd("0"), Money.usd("0"))
        .netSavingsFraction(4)).isNull();
  }
}
