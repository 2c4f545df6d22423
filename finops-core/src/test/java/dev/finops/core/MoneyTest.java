package dev.finops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Money is exact")
class MoneyTest {

  private static final Currency EUR = Currency.getInstance("EUR");

  private static Money usd(String amount) {
    return Money.usd(amount);
  }

  /** {@code numerator / denominator} US dollars. */
  private static Money fraction(String numerator, long denominator) {
    return Money.ofFraction(new BigDecimal(numerator), denominator, Money.USD);
  }

  @Nested
  class Arithmetic {

    @Test
    void addsDecimalsThatDoublesCannotHold() {
      assertThat(usd("0.1").plus(usd("0.2"))).isEqualTo(usd("0.3"));
      assertThat(usd("0.1").plus(usd("0.2")).toPlainString()).isEqualTo("0.3");
    }

    @Test
    void subtractsAndNegates() {
      assertThat(usd("1.00").minus(usd("0.01"))).isEqualTo(usd("0.99"));
      assertThat(usd("0.01").minus(usd("1"))).isEqualTo(usd("-0.99"));
      assertThat(usd("2.5").negate()).isEqualTo(usd("-2.5"));
      assertThat(usd("2.5").negate().signum()).isEqualTo(-1);
    }

    @Test
    void multipliesExactly() {
      assertThat(usd("0.0000025").times(1_000_000L)).isEqualTo(usd("2.5"));
      assertThat(usd("32.7726").times(new BigDecimal("0.4"))).isEqualTo(usd("13.10904"));
      assertThat(usd("19.99").times(3)).isEqualTo(usd("59.97"));
    }

    @Test
    void keepsSmallAmountsThatWouldVanishInADouble() {
      Money pico = usd("0.000000000001");
      Money sum = Money.zero(Money.USD);
      for (int i = 0; i < 1_000; i++) {
        sum = sum.plus(pico);
      }
      assertThat(sum).isEqualTo(usd("0.000000001"));
      assertThat(usd("10000000000000000").plus(pico).toPlainString()).isEqualTo("10000000000000000.000000000001");
    }

    @Test
    void zeroIsTheIdentityOfAddition() {
      Money zero = Money.zero(Money.USD);
      assertThat(zero.isZero()).isTrue();
      assertThat(zero.plus(usd("1.23"))).isEqualTo(usd("1.23"));
      assertThat(fraction("1", 3).plus(zero)).isEqualTo(fraction("1", 3));
    }

    @Test
    void comparesAcrossFractionsAndDecimals() {
      Money third = fraction("1", 3);
      assertThat(third).isGreaterThan(usd("0.333333333333"));
      assertThat(third).isLessThan(usd("0.333333333334"));
      assertThat(fraction("2", 6)).isEqualByComparingTo(third);
      assertThat(usd("1.0")).isEqualByComparingTo(usd("1"));
    }

    @Test
    void ratioIsRoundedHalfEvenToTheRequestedScale() {
      assertThat(usd("12.80").ratio(usd("32"), 4)).isEqualByComparingTo("0.4000");
      assertThat(usd("1").ratio(usd("3"), 3)).isEqualByComparingTo("0.333");
      assertThat(fraction("1", 3).ratio(fraction("2", 3), 2)).isEqualByComparingTo("0.50");
    }
  }

  @Nested
  @DisplayName("fractions from hourly rates")
  class Fractions {

    @Test
    void anHourlyRateForOneMillisecondIsKeptExact() {
      // 32.7726 per hour for 1 ms = 32.7726 / 3,600,000
      Money oneMs = Money.ofFraction(new BigDecimal("32.7726"), 3_600_000, Money.USD);

      assertThat(oneMs.times(3_600_000L)).isEqualTo(usd("32.7726"));
      assertThat(oneMs.isTerminating()).isTrue();
      assertThat(oneMs.exactAmount()).isEqualByComparingTo("0.0000091035");
    }

    @Test
    void aRateThatDoesNotDivideEvenlyStaysAFractionUntilPresented() {
      // 32 per hour for 1 ms = 32 / 3,600,000 = 0.0000088888...
      Money oneMs = Money.ofFraction(new BigDecimal("32"), 3_600_000, Money.USD);

      assertThat(oneMs.isTerminating()).isFalse();
      assertThatThrownBy(oneMs::exactAmount).isInstanceOf(ArithmeticException.class);
      assertThat(oneMs.toPlainString()).isEqualTo("0.000008888889");
      assertThat(oneMs.times(3_600_000L)).isEqualTo(usd("32"));
      assertThat(oneMs.times(3_600_000L).isTerminating()).isTrue();
    }

    @Test
    void threeThirdsMakeExactlyOne() {
      Money third = fraction("1", 3);

      Money sum = third.plus(third).plus(third);

      assertThat(sum).isEqualTo(usd("1"));
      assertThat(sum.isTerminating()).isTrue();
      assertThat(sum.exactAmount()).isEqualByComparingTo("1");
      assertThat(sum.toPlainString()).isEqualTo("1");
    }

    @Test
    void sumsOfMillisecondsAddUpToTheHourlyRate() {
      // 3,600 slices of 1,000 ms at 21.957642 per hour, plus thirds of a dollar that need a common denominator
      Money slice = Money.ofFraction(new BigDecimal("21.957642").multiply(BigDecimal.valueOf(1_000)), 3_600_000,
          Money.USD);
      Money sum = Money.zero(Money.USD);
      for (int i = 0; i < 3_600; i++) {
        sum = sum.plus(slice);
      }
      assertThat(sum).isEqualTo(usd("21.957642"));
      assertThat(fraction("1", 3).plus(fraction("1", 7))).isEqualTo(fraction("10", 21));
      assertThat(fraction("1", 3).plus(fraction("1", 7)).toPlainString()).isEqualTo("0.47619047619");
    }

    @Test
    void factorsOfTwoAndFiveInTheDenominatorTerminate() {
      assertThat(fraction("1", 8).isTerminating()).isTrue();
      assertThat(fraction("1", 8)).isEqualTo(usd("0.125"));
      assertThat(fraction("3", 3_200_000)).isEqualTo(usd("0.0000009375"));
      assertThat(fraction("6", 3)).isEqualTo(usd("2"));
    }

    @Test
    void denominatorMustBePositive() {
      assertThatThrownBy(() -> fraction("1", 0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("denominator");
      assertThatThrownBy(() -> fraction("1", -3)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  @DisplayName("toPlainString")
  class Presentation {

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
        "0.00325, 0.00325",
        "32.000, 32",
        "0, 0",
        "0.000, 0",
        "-0.00, 0",
        "1E+3, 1000",
        "1.5E-7, 0.00000015",
        // a terminating amount is printed exactly, even beyond 12 places
        "0.000000000000001, 0.000000000000001",
        "-12.50, -12.5",
    })
    void printsTerminatingAmountsExactlyWithoutExponentOrTrailingZeros(String amount, String printed) {
      assertThat(usd(amount).toPlainString()).isEqualTo(printed);
      assertThat(usd(amount).toString()).isEqualTo(printed + " USD");
    }

    @ParameterizedTest(name = "{0}/{1} prints as {2}")
    @CsvSource({
        "1, 3, 0.333333333333",
        "2, 3, 0.666666666667",
        "-2, 3, -0.666666666667",
        "320, 3, 106.666666666667",
        "1, 7, 0.142857142857",
        // below half a pico-unit rounds to zero
        "0.000000000001, 3, 0",
        "0.000000000002, 3, 0.000000000001",
    })
    void roundsNonTerminatingAmountsHalfEvenAtTwelvePlaces(String numerator, long denominator, String printed) {
      assertThat(fraction(numerator, denominator).toPlainString()).isEqualTo(printed);
    }

    @Test
    void presentationScaleIsTwelve() {
      assertThat(Money.PRESENTATION_SCALE).isEqualTo(12);
    }
  }

  @Nested
  @DisplayName("amount(scale)")
  class Rounding {

    @ParameterizedTest(name = "{0} at scale {1} is {2}")
    @CsvSource({
        "0.125, 2, 0.12",
        "0.135, 2, 0.14",
        "0.145, 2, 0.14",
        "-0.125, 2, -0.12",
        "-0.135, 2, -0.14",
        "2.5, 0, 2",
        "3.5, 0, 4",
        "0.1251, 2, 0.13",
        "1.5, 3, 1.500",
    })
    void roundsHalfEven(String amount, int scale, String expected) {
      BigDecimal rounded = usd(amount).amount(scale);
      assertThat(rounded).isEqualTo(new BigDecimal(expected)); // scale included
    }

    @Test
    void roundsFractionsFromTheirExactValue() {
      assertThat(fraction("1", 3).amount(2)).isEqualTo(new BigDecimal("0.33"));
      assertThat(fraction("2", 3).amount(6)).isEqualTo(new BigDecimal("0.666667"));
      assertThat(fraction("-2", 3).amount(2)).isEqualTo(new BigDecimal("-0.67"));
    }
  }

  @Nested
  @DisplayName("currencies")
  class Currencies {

    static Stream<Arguments> operationsThatCombineTwoAmounts() {
      return Stream.of(
          Arguments.of("plus", (Consumer<Money>) eur -> usd("1").plus(eur)),
          Arguments.of("minus", (Consumer<Money>) eur -> usd("1").minus(eur)),
          Arguments.of("compareTo", (Consumer<Money>) eur -> usd("1").compareTo(eur)),
          Arguments.of("ratio", (Consumer<Money>) eur -> usd("1").ratio(eur, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operationsThatCombineTwoAmounts")
    void mixingCurrenciesThrows(String operation, Consumer<Money> combineWithEuros) {
      CurrencyMismatchException e =
          catchThrowableOfType(CurrencyMismatchException.class, () -> combineWithEuros.accept(Money.of("1", "EUR")));

      assertThat(e).isNotNull();
      assertThat(e.expected()).isEqualTo(Money.USD);
      assertThat(e.actual()).isEqualTo(EUR);
      assertThat(e).hasMessageContaining("USD").hasMessageContaining("EUR");
    }

    @Test
    void zeroInAnotherCurrencyStillMismatches() {
      assertThatThrownBy(() -> usd("1").plus(Money.zero(EUR))).isInstanceOf(CurrencyMismatchException.class);
    }

    @Test
    void sameAmountInAnotherCurrencyIsNotEqual() {
      assertThat(Money.of("1", "EUR")).isNotEqualTo(usd("1"));
    }
  }

  @Nested
  @DisplayName("equals and hashCode")
  class Equality {

    @ParameterizedTest(name = "{0} == {1}")
    @CsvSource({"1.50, 1.5", "0, 0.000", "100, 1E+2", "-0.10, -0.1"})
    void ignoreTheDecimalScale(String a, String b) {
      assertThat(usd(a)).isEqualTo(usd(b));
      assertThat(usd(a).hashCode()).isEqualTo(usd(b).hashCode());
    }

    @Test
    void aFractionThatReducesToADecimalEqualsThatDecimal() {
      assertThat(fraction("3", 3)).isEqualTo(usd("1.00")).hasSameHashCodeAs(usd("1"));
      assertThat(fraction("2.50", 5)).isEqualTo(usd("0.5")).hasSameHashCodeAs(usd("0.50"));
      assertThat(fraction("2", 6)).isEqualTo(fraction("1", 3)).hasSameHashCodeAs(fraction("1.0", 3));
    }

    @Test
    void differentValuesAreNotEqual() {
      assertThat(usd("1.5")).isNotEqualTo(usd("1.50000000000001"));
      assertThat(fraction("1", 3)).isNotEqualTo(usd("0.333333333333"));
    }
  }

  @Nested
  @DisplayName("dividedBy")
  class Division {

    @Test
    void terminatingQuotientIsADecimal() {
      Money q = usd("32").dividedBy(new BigDecimal("0.4"));

      assertThat(q).isEqualTo(usd("80"));
      assertThat(q.isTerminating()).isTrue();
      assertThat(q.toPlainString()).isEqualTo("80");
    }

    @Test
    void nonTerminatingQuotientIsAnExactFraction() {
      Money q = usd("32").dividedBy(new BigDecimal("0.3"));

      assertThat(q.isTerminating()).isFalse();
      assertThat(q.toPlainString()).isEqualTo("106.666666666667");
      assertThat(q).isEqualTo(fraction("320", 3));
      assertThat(q.times(new BigDecimal("0.3"))).isEqualTo(usd("32"));
    }

    @ParameterizedTest(name = "{0} / {1} = {2}")
    @CsvSource({
        "80, 8, 10",
        "1, 1E+2, 0.01",
        "21.957642, 8, 2.74470525",
        "10, -4, -2.5",
        "0.001, 0.0001, 10",
    })
    void dividesByAnyDecimal(String amount, String divisor, String expected) {
      assertThat(usd(amount).dividedBy(new BigDecimal(divisor))).isEqualTo(usd(expected));
    }

    @Test
    void dividesAFractionAgain() {
      assertThat(fraction("1", 3).dividedBy(3)).isEqualTo(fraction("1", 9));
      assertThat(fraction("1", 3).dividedBy(3).times(9)).isEqualTo(usd("1"));
    }

    @Test
    void divisionByZeroThrows() {
      assertThatThrownBy(() -> usd("1").dividedBy(BigDecimal.ZERO)).isInstanceOf(ArithmeticException.class);
      assertThatThrownBy(() -> usd("1").dividedBy(0)).isInstanceOf(ArithmeticException.class);
    }
  }

  @Test
  void factoriesAgree() {
    assertThat(Money.of("0.5", "USD")).isEqualTo(usd("0.50"));
    assertThat(Money.of(new BigDecimal("0.5"), Money.USD)).isEqualTo(usd("0.5"));
    assertThat(Money.ofScaled(1_250_000_000_000L, 12, Money.USD)).isEqualTo(usd("1.25"));
    assertThat(Money.zero(Money.USD)).isEqualTo(usd("0"));
  }

  @Nested
  @DisplayName("pico-units: the fixed-point form, with the rounding the caller names")
  class PicoUnits {

    @Test
    void ofPicoIsExact() {
      assertThat(Money.ofPico(1, Money.USD)).isEqualTo(usd("0.000000000001"));
      assertThat(Money.ofPico(Long.MAX_VALUE, Money.USD)).isEqualTo(usd("9223372.036854775807"));
      assertThat(Money.PICO_PER_UNIT).isEqualTo(BigDecimal.ONE.movePointRight(Money.PICO_SCALE).longValueExact());
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
      "0.0000000000015, CEILING,   2",
      "0.0000000000015, FLOOR,     1",
      "0.0000000000015, HALF_EVEN, 2",
      "0.0000000000025, HALF_EVEN, 2",
      "-0.0000000000015, CEILING, -1",
      "-0.0000000000015, FLOOR,   -2",
      "32,              UNNECESSARY, 32000000000000",
      "0.00325,         UNNECESSARY, 3250000000",
      "9223372.036854775807,  CEILING, 9223372036854775807",
      "9223372.036854775808,  CEILING, 9223372036854775807",
      "1e30,                  FLOOR,   9223372036854775807",
      "1e999999999,           UNNECESSARY, 9223372036854775807",
      "-1e999999999,          CEILING, -9223372036854775808",
      "9999999.999999999999,  UNNECESSARY, 9223372036854775807",
      "-9223372.036854775809, FLOOR,  -9223372036854775808",
    })
    void terminatingAmountsRoundAsAskedAndSaturate(String amount, RoundingMode mode, long pico) {
      assertThat(usd(amount).toPico(mode)).isEqualTo(pico);
    }

    @Test
    void nonTerminatingAmountsRoundFromTheExactValue() {
      // 1/3 pico-unit: no decimal approximation may push it across a boundary.
      Money third = Money.ofFraction(BigDecimal.ONE.movePointLeft(12), 3, Money.USD);
      assertThat(third.toPico(RoundingMode.CEILING)).isEqualTo(1);
      assertThat(third.toPico(RoundingMode.FLOOR)).isZero();
      assertThat(third.toPico(RoundingMode.HALF_EVEN)).isZero();
      // (10^30 + 1) / 3 pico-units rounds up to one past the truncation even at 30 digits.
      Money big = Money.ofFraction(new BigDecimal("1000000000000000000000000000001").movePointLeft(12), 3, Money.USD);
      assertThat(big.picoUnits(RoundingMode.CEILING))
          .isEqualTo(new java.math.BigInteger("333333333333333333333333333334"));
      assertThat(big.toPico(RoundingMode.CEILING)).isEqualTo(Long.MAX_VALUE);
      assertThatThrownBy(() -> third.toPico(RoundingMode.UNNECESSARY)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void plainPicoWritesWhatToPlainStringWrites() {
      assertThat(Money.plainPico(1)).isEqualTo("0.000000000001");
      assertThat(Money.plainPico(600_000_000)).isEqualTo("0.0006");
      assertThat(Money.plainPico(-1_500_000_000_000L)).isEqualTo("-1.5");
      assertThat(Money.plainPico(Long.MIN_VALUE)).isEqualTo("-9223372.036854775808");
      java.util.SplittableRandom random = new java.util.SplittableRandom(7);
      for (int i = 0; i < 10_000; i++) {
        long pico = random.nextLong() >> random.nextInt(64);
        assertThat(Money.plainPico(pico)).isEqualTo(Money.ofPico(pico, Money.USD).toPlainString());
      }
    }

    @Test
    void doublesAreRoundedOnceFromTheExactValue() {
      assertThat(Money.picoToDouble(3_250_000_000L)).isEqualTo(0.00325);
      assertThat(Money.picoToDouble(Long.MAX_VALUE)).isEqualTo(new BigDecimal("9223372.036854775807").doubleValue());
      assertThat(usd("0.1").doubleValue()).isEqualTo(0.1);
      assertThat(Money.ofFraction(BigDecimal.ONE, 3, Money.USD).doubleValue()).isEqualTo(1.0 / 3);
    }
  }

  @Nested
  @DisplayName("parseDecimal: the one decimal syntax")
  class ParseDecimal {

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
      "32        | 32",
      "0.4       | 0.4",
      ".5        | 0.5",
      "2.        | 2",
      "-1.25     | -1.25",
      "+7        | 7",
      "' 3.0 '   | 3.0",
    })
    void plainDecimals(String text, String expected) {
      assertThat(Money.parseDecimal(text, false)).isEqualByComparingTo(expected);
      assertThat(Money.parseDecimal(text, true)).isEqualByComparingTo(expected);
    }

    @Test
    void exponentsOnlyWhereAllowed() {
      assertThat(Money.parseDecimal("1.5e-6", true)).isEqualByComparingTo("0.0000015");
      assertThat(Money.parseDecimal("2E+2", true)).isEqualByComparingTo("200");
      assertThatThrownBy(() -> Money.parseDecimal("1e3", false)).isInstanceOf(NumberFormatException.class)
          .hasMessage("not a plain decimal (no exponent): \"1e3\"");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', value = {"''", "abc", ".", "-", "1.2.3", "1,000", "0x10", "NaN", "Infinity", "1e",
        "1e+", "e5", "2.50 USD", "--1", "1e5x"})
    void notNumbers(String text) {
      assertThatThrownBy(() -> Money.parseDecimal(text, true)).isInstanceOf(NumberFormatException.class)
          .hasMessageStartingWith("not a number: ");
    }

    @Test
    void boundedInLengthAndExponent() {
      String huge = "9".repeat(200_000);
      assertThatThrownBy(() -> Money.parseDecimal(huge, true)).isInstanceOf(NumberFormatException.class)
          .hasMessage("too long: \"99999999999999999999…\" (200000 characters; at most 64)");
      String longest = "1".repeat(Money.MAX_DECIMAL_LENGTH);
      assertThat(Money.parseDecimal(longest, false)).isEqualByComparingTo(new BigDecimal(longest));
      assertThat(Money.parseDecimal("1e-99", true)).isEqualByComparingTo(BigDecimal.ONE.movePointLeft(99));
      assertThat(Money.parseDecimal("1e0099", true)).isEqualByComparingTo(BigDecimal.ONE.movePointRight(99));
      assertThatThrownBy(() -> Money.parseDecimal("1e-100", true)).hasMessageStartingWith("exponent out of range");
      assertThatThrownBy(() -> Money.parseDecimal("1e-999999999999", true))
          .hasMessageStartingWith("exponent out of range");
    }
  }
}
