package dev.finops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoarseClockTest {

  @Test
  void followsTheSystemClockWithinItsResolution() throws InterruptedException {
    Clock coarse = Clock.coarse(Duration.ofMillis(1));
    long start = coarse.monotonicNanos();
    long before = System.currentTimeMillis();
    // Wait (bounded) until the ticker has moved the clock: the only way to see a background refresh.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (coarse.monotonicNanos() == start && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(coarse.monotonicNanos()).isGreaterThan(start);
    assertThat(coarse.wallTimeMillis()).isBetween(before - 1_000, System.currentTimeMillis());
    assertThat(coarse.toString()).contains("PT0.001S");
  }

  @Test
  void rejectsResolutionsOutsideOneMillisecondToOneSecond() {
    assertThatThrownBy(() -> Clock.coarse(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 1000 ms");
    assertThatThrownBy(() -> Clock.coarse(Duration.ofSeconds(2))).isInstanceOf(IllegalArgumentException.class);
  }
}
