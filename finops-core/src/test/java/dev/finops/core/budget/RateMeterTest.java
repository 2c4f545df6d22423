package dev.finops.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateMeterTest {

  private static final long T0 = 1_772_445_600_000L; // 2026-03-02T10:00:00Z, a minute boundary

  @Test
  void steadySpendGivesItsRatePerHour() {
    RateMeter m = new RateMeter();
    for (int minute = 0; minute < RateMeter.HORIZON_MINUTES; minute++) {
      m.add(T0 + minute * RateMeter.MINUTE_MILLIS, 1_000_000L);
    }
    long perHour = m.perHour(T0 + RateMeter.HORIZON_MINUTES * RateMeter.MINUTE_MILLIS);
    // an average of weight 1/8 from zero reaches 1 - (7/8)^60 (99.97%) of 10^6 a minute after an hour
    assertThat(perHour).isBetween(59_950_000L, 60_000_000L);
  }

  @Test
  void aMinutePastSixtyFourBitsSaturatesInsteadOfWrapping() {
    RateMeter m = new RateMeter();
    m.add(T0, Long.MAX_VALUE);
    m.add(T0, Long.MAX_VALUE); // wrapped to -2 before: the rate read zero
    m.add(T0 + 1, 5);

    long perHour = m.perHour(T0 + RateMeter.MINUTE_MILLIS);

    assertThat(perHour).isEqualTo(Long.MAX_VALUE); // (2^63 - 1) / 8 per minute, times 60: saturated
  }
}
