package dev.finops.core.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Money;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Allocation splits exactly to the unit")
class AllocationTest {

  private static final Allocation CENTS = Allocation.atScale(2);

  private static List<Money> usd(String... amounts) {
    return Arrays.stream(amounts).map(Money::usd).toList();
  }

  private static Money sum(List<Money> parts) {
    return parts.stream().reduce(Money.zero(Money.USD), Money::plus);
  }

  @Nested
  class Splits {

    @Test
    void tenDollarsInThreeAtTheDefaultPicoUnit() {
      List<Money> parts = Allocation.DEFAULT.split(Money.usd("10"), 1, 1, 1);

      assertThat(parts).containsExactlyElementsOf(usd("3.333333333334", "3.333333333333", "3.333333333333"));
      assertThat(sum(parts)).isEqualTo(Money.usd("10"));
      assertThat(Allocation.DEFAULT.scale()).isEqualTo(12);
    }

    @Test
    void tenDollarsInThreeInCents() {
      List<Money> parts = CENTS.split(Money.usd("10"), 1, 1, 1);

      assertThat(parts).containsExactlyElementsOf(usd("3.34", "3.33", "3.33"));
      assertThat(sum(parts)).isEqualTo(Money.usd("10"));
    }

    @Test
    void evenlyIsTheSplitByEqualWeights() {
      assertThat(CENTS.evenly(Money.usd("10"), 3)).containsExactlyElementsOf(usd("3.34", "3.33", "3.33"));
      assertThat(CENTS.evenly(Money.usd("0.05"), 4)).containsExactlyElementsOf(usd("0.02", "0.01", "0.01", "0.01"));
      assertThat(Allocation.DEFAULT.evenly(Money.usd("1"), 1)).containsExactly(Money.usd("1"));
    }

    @Test
    void proportionalWhenTheWeightsDivideEvenly() {
      assertThat(CENTS.split(Money.usd("8"), 1, 2, 5)).containsExactlyElementsOf(usd("1", "2", "5"));
    }

    @Test
    void decimalWeightsCompareExactlyWhateverTheirScale() {
      List<BigDecimal> weights =
          List.of(new BigDecimal("0.25"), new BigDecimal("0.750"), new BigDecimal("1E+3"), BigDecimal.ZERO);

      List<Money> parts = CENTS.split(Money.usd("1001"), weights);

      assertThat(parts).containsExactlyElementsOf(usd("0.25", "0.75", "1000", "0"));
    }

    @Test
    void keepsTheCurrency() {
      Currency eur = Currency.getInstance("EUR");
      List<Money> parts = CENTS.split(Money.of(new BigDecimal("1"), eur), 1, 1);

      assertThat(parts).allSatisfy(p -> assertThat(p.currency()).isEqualTo(eur));
      assertThat(parts).containsExactly(Money.of(new BigDecimal("0.5"), eur), Money.of(new BigDecimal("0.5"), eur));
    }

    @Test
    void partsAreUnmodifiable() {
      List<Money> parts = CENTS.split(Money.usd("1"), 1, 1);

      assertThatThrownBy(() -> parts.add(Money.usd("1"))).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  @DisplayName("the total is expressed in the smallest unit once")
  class RoundingTheTotal {

    @Test
    void aNonTerminatingAmountIsRoundedHalfEvenOnceThenSplitExactly() {
      Money third = Money.ofFraction(BigDecimal.ONE, 3, Money.USD); // 0.3333...

      List<Money> parts = CENTS.split(third, 1, 1);

      assertThat(CENTS.roundToUnit(third)).isEqualTo(Money.usd("0.33"));
      assertThat(parts).containsExactlyElementsOf(usd("0.17", "0.16"));
      assertThat(sum(parts)).isEqualTo(Money.usd("0.33"));
    }

    @Test
    void extraDecimalsRoundHalfEven() {
      assertThat(CENTS.units(Money.usd("0.125"))).isEqualTo(BigInteger.valueOf(12));
      assertThat(CENTS.units(Money.usd("0.135"))).isEqualTo(BigInteger.valueOf(14));
      assertThat(sum(CENTS.split(Money.usd("0.125"), 1, 1))).isEqualTo(Money.usd("0.12"));
    }

    @Test
    void anAmountBelowHalfAUnitSplitsIntoZeros() {
      assertThat(CENTS.split(Money.usd("0.004"), 1, 2)).containsExactlyElementsOf(usd("0", "0"));
    }

    @Test
    void scaleZeroSplitsIntoWholeCurrencyUnits() {
      assertThat(Allocation.atScale(0).split(Money.usd("10"), 1, 1, 1)).containsExactlyElementsOf(usd("4", "3", "3"));
    }
  }

  @Nested
  @DisplayName("largest remainder, ties to the lower index")
  class RemainderRule {

    @Test
    void theExtraUnitGoesToTheLargestRemainderNotTheFirstIndex() {
      // $1 = 100 cents by 3:1:2 -> exact 50, 16.67, 33.33: the 0.67 remainder is at index 1.
      assertThat(CENTS.split(Money.usd("1"), 3, 1, 2)).containsExactlyElementsOf(usd("0.50", "0.17", "0.33"));
      // by 1:2:3 -> exact 16.67, 33.33, 50: now at index 0.
      assertThat(CENTS.split(Money.usd("1"), 1, 2, 3)).containsExactlyElementsOf(usd("0.17", "0.33", "0.50"));
    }

    @Test
    void equalRemaindersFavourTheLowerIndex() {
      // 5 units by 1:1:1:1 -> 1.25 each: one extra unit among four equal remainders.
      assertThat(Allocation.apportion(BigInteger.valueOf(5), ints(1, 1, 1, 1))).containsExactlyElementsOf(ints(2, 1, 1, 1));
      // 2 units by 2:1:1:2 -> 0.67, 0.33, 0.33, 0.67: both extras to the 0.67s, lower index first.
      assertThat(Allocation.apportion(BigInteger.TWO, ints(2, 1, 1, 2))).containsExactlyElementsOf(ints(1, 0, 0, 1));
      // 1 unit by 2:1:1:2: only index 0 of the two largest remainders gets it.
      assertThat(Allocation.apportion(BigInteger.ONE, ints(2, 1, 1, 2))).containsExactlyElementsOf(ints(1, 0, 0, 0));
    }

    @Test
    void aZeroWeightNeverGetsTheExtraUnit() {
      assertThat(CENTS.split(Money.usd("0.01"), 0, 1, 1)).containsExactlyElementsOf(usd("0", "0.01", "0"));
    }

    private List<BigInteger> ints(long... values) {
      return Arrays.stream(values).mapToObj(BigInteger::valueOf).toList();
    }
  }

  @Nested
  @DisplayName("zero total weight splits evenly")
  class ZeroWeights {

    @Test
    void allZeroLongWeights() {
      assertThat(CENTS.split(Money.usd("10"), 0, 0, 0)).containsExactlyElementsOf(usd("3.34", "3.33", "3.33"));
    }

    @Test
    void allZeroDecimalWeights() {
      List<BigDecimal> zeros = List.of(BigDecimal.ZERO, new BigDecimal("0.000"));
      assertThat(CENTS.split(Money.usd("1"), zeros)).containsExactlyElementsOf(usd("0.5", "0.5"));
    }

    @Test
    void zeroAmountGivesZeroParts() {
      assertThat(CENTS.split(Money.zero(Money.USD), 1, 2)).containsExactlyElementsOf(usd("0", "0"));
    }
  }

  @Nested
  class Errors {

    @Test
    void negativeAmount() {
      assertThatThrownBy(() -> CENTS.split(Money.usd("-1"), 1, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("amount")
          .hasMessageContaining("-1");
      assertThatThrownBy(() -> CENTS.evenly(Money.usd("-0.01"), 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeLongWeightNamesItsIndex() {
      assertThatThrownBy(() -> CENTS.split(Money.usd("1"), 1, 2, -3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("weight[2] must not be negative: -3");
    }

    @Test
    void negativeDecimalWeightNamesItsIndex() {
      List<BigDecimal> weights = List.of(BigDecimal.ONE, new BigDecimal("-0.5"));
      assertThatThrownBy(() -> CENTS.split(Money.usd("1"), weights))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("weight[1] must not be negative: -0.5");
    }

    @Test
    void negativeIntegerWeightOrUnits() {
      List<BigInteger> weights = List.of(BigInteger.ONE, BigInteger.valueOf(-1));
      assertThatThrownBy(() -> Allocation.apportion(BigInteger.TEN, weights))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("weight[1] must not be negative: -1");
      assertThatThrownBy(() -> Allocation.apportion(BigInteger.valueOf(-1), List.of(BigInteger.ONE)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("units");
    }

    @Test
    void noShares() {
      assertThatThrownBy(() -> CENTS.split(Money.usd("1"), new long[0]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least one share");
      assertThatThrownBy(() -> CENTS.evenly(Money.usd("1"), 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("shares");
    }

    @Test
    void negativeScale() {
      assertThatThrownBy(() -> Allocation.atScale(-1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("scale");
    }

    @Test
    void nullWeightNamesItsIndex() {
      List<BigDecimal> weights = Arrays.asList(BigDecimal.ONE, null);
      assertThatThrownBy(() -> CENTS.split(Money.usd("1"), weights))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("weight[1] is null");
    }
  }
}
