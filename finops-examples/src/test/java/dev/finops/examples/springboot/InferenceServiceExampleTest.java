package dev.finops.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Spring Boot example, run in-process: costs worked out here from the fake server's token counts. */
class InferenceServiceExampleTest {

  /** gpt-4o-2024-08-06: 1,000 uncached input tokens at $2.50/M, 2,000 cached at $1.25/M, 500 output at $10/M. */
  static final BigDecimal CALL = new BigDecimal("2.50").multiply(BigDecimal.valueOf(1_000))
      .add(new BigDecimal("1.25").multiply(BigDecimal.valueOf(2_000)))
      .add(new BigDecimal("10.00").multiply(BigDecimal.valueOf(500)))
      .movePointLeft(6);

  @Test
  void everyCallIsPricedExactlyPerTeamAndTheBudgetRefusesBeforeSending() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    InferenceServiceExample.Result r = InferenceServiceExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(r.requests()).extracting(InferenceServiceExample.Request::status)
        .containsExactly(200, 200, 200, 200, 200, 200, 429);
    assertThat(r.modelCalls()).isEqualTo(6); // the refused call never reached the model
    assertThat(r.teamCost("search")).isEqualByComparingTo(CALL.multiply(BigDecimal.valueOf(4)));
    assertThat(r.teamCost("interns")).isEqualByComparingTo(CALL.multiply(BigDecimal.valueOf(2)));
    assertThat(new BigDecimal(r.report().at("/total/lines/0/cost").asText()))
        .isEqualByComparingTo(CALL.multiply(BigDecimal.valueOf(6)));
    assertThat(r.report().at("/budgets/0/scope").asText()).isEqualTo("team=interns");
    assertThat(new BigDecimal(r.report().at("/budgets/0/spent").asText()))
        .isEqualByComparingTo(CALL.multiply(BigDecimal.valueOf(2)));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("refused by the budget before the model was called");
  }
}
