package dev.finops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** {@code finops advise training} on the bundled catalog. */
class AdviseTrainingCommandTest {

  @Test
  void ranksPlansByExactExpectedCostBesideTheNaivePick() {
    Cli.Result r = Cli.run("advise", "training", "--parameters", "8e9", "--tokens", "2e11", "--peak-tflops",
        "A100-40GB=312", "--peak-tflops", "H100-80GB=989", "--peak-tflops", "L4-24GB=121", "--provider", "aws",
        "--top", "5", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("flops").asDouble()).isEqualTo(6 * 8e9 * 2e11);
    JsonNode ranked = j.get("ranked");
    assertThat(ranked).hasSize(5);
    BigDecimal previous = BigDecimal.ZERO;
    for (JsonNode p : ranked) {
      BigDecimal cost = new BigDecimal(p.get("expected_cost").textValue());
      assertThat(cost).isGreaterThanOrEqualTo(previous);
      previous = cost;
      // exact: hourly × billed seconds / 3600
      assertThat(cost.multiply(BigDecimal.valueOf(3600)).setScale(6, java.math.RoundingMode.HALF_EVEN))
          .isEqualByComparingTo(new BigDecimal(p.get("hourly").textValue())
              .multiply(BigDecimal.valueOf(p.get("billed_seconds").asLong())).setScale(6, java.math.RoundingMode.HALF_EVEN));
      assertThat(p.get("provider").textValue()).isEqualTo("aws");
    }
    JsonNode naive = j.get("naive");
    assertThat(naive.get("purchase_option").textValue()).isEqualTo("on_demand");
    // JSON amounts that do not terminate show 12 places: the difference agrees to that rounding
    assertThat(new BigDecimal(j.get("saving_vs_naive").textValue()).subtract(
        new BigDecimal(naive.get("expected_cost").textValue()).subtract(new BigDecimal(ranked.get(0).get("expected_cost")
            .textValue()))).abs()).isLessThan(new BigDecimal("1e-11"));

    Cli.Result text = Cli.run("advise", "training", "--parameters", "8e9", "--tokens", "2e11", "--peak-tflops",
        "A100-40GB=312");
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).contains("naive pick", "per run against the naive pick", "assumption:");
  }

  @Test
  void badNumbersAndNoPeakAreExit2() {
    assertThat(Cli.run("advise", "training", "--parameters", "eight", "--tokens", "1e9", "--peak-tflops", "A100-40GB=312")
        .err()).contains("--parameters");
    assertThat(Cli.run("advise", "training", "--parameters", "8e9", "--tokens", "1e9").code()).isEqualTo(2);
    assertThat(Cli.run("advise", "training", "--parameters", "8e9", "--tokens", "1e9", "--peak-tflops", "TPU-v9=1")
        .code()).isEqualTo(3);
  }
}
