package dev.finops.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Money;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class AttemptSummaryValueTest {

  private static AttemptSummary attempt(String rate, long gpuMillis) {
    return new AttemptSummary(1, 1_000L, 2_000L, "p4d.24xlarge", 8, null, new BigDecimal(rate), Money.USD,
        new BigDecimal("32"), gpuMillis, 0, 0, null, AttemptSummary.Outcome.values()[0]);
  }

  @Test
  void equalWhenEveryPartIsEqualRatesAsNumbers() {
    assertThat(attempt("12", 60_000)).isEqualTo(attempt("12.00", 60_000)).hasSameHashCodeAs(attempt("12.0", 60_000));
    assertThat(attempt("12", 60_000)).isNotEqualTo(attempt("12", 60_001));
    assertThat(attempt("12", 60_000)).isNotEqualTo(attempt("12.5", 60_000));
  }
}
