package dev.finops.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class StepFiguresValueTest {

  private static final ModelFlops MODEL = ModelFlops.of(7_000_000_000L, 7_000_000_000L, new BigDecimal("989"));

  @Test
  void equalWhenEveryFigureIsEqual() {
    StepFigures a = new StepFigures(3, 4096, 1_000_000_000L, 8, MODEL);
    assertThat(a).isEqualTo(new StepFigures(3, 4096, 1_000_000_000L, 8,
        ModelFlops.of(7_000_000_000L, 7_000_000_000L, new BigDecimal("989.00"))));
    assertThat(a).hasSameHashCodeAs(new StepFigures(3, 4096, 1_000_000_000L, 8, MODEL));
    assertThat(a).isNotEqualTo(new StepFigures(4, 4096, 1_000_000_000L, 8, MODEL));
  }
}
