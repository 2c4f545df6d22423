package dev.finops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finops.core.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

/** {@code finops demo}: the README's main job. */
class DemoCommandTest {

  @Test
  void sameSeedPrintsTheSameReportTwice() {
    Cli.Result first = Cli.run("demo", "--seed", "7");
    Cli.Result second = Cli.run("demo", "--seed", "7");

    assertThat(first.code()).isZero();
    assertThat(first.err()).isEmpty();
    assertThat(first.out()).isEqualTo(second.out());
    assertThat(first.out()).contains("By team", "By run", "By model", "Training run ft-llama-8b-0042",
        "Self-hosted endpoint chat-small", "idle cost", "effective per useful GPU-hour");
  }

  @Test
  void anotherSeedSimulatesAnotherDay() {
    assertThat(Cli.run("demo", "--seed", "1").out()).isNotEqualTo(Cli.run("demo", "--seed", "2").out());
  }

  @Test
  void jsonReportAddsUpAndShowsTheEffectiveGpuCost() {
    JsonNode json = Cli.run("demo", "--json").json();

    assertThat(json.get("seed").asLong()).isEqualTo(42);
    // Teams add up to the total, exactly.
    BigDecimal teams = BigDecimal.ZERO;
    for (JsonNode group : json.at("/groupings/team/groups")) {
      teams = teams.add(new BigDecimal(group.at("/lines/0/cost").asText()));
    }
    assertThat(teams).isEqualByComparingTo(new BigDecimal(json.at("/total/lines/0/cost").asText()));

    // 8 spot A100s for ten hours of training, preempted twice: the work since the last checkpoint is
    // redone and each restart is billed, all at the spot rate of 12.50 / 8 = 1.5625 per GPU-hour.
    JsonNode run = json.get("training_run");
    long gpuMillis = run.get("gpu_millis").asLong();
    long lost = run.get("lost_gpu_millis").asLong();
    long restarts = run.get("restart_gpu_millis").asLong();
    assertThat(run.get("attempts").asInt()).isEqualTo(3);
    assertThat(run.get("interruptions").asInt()).isEqualTo(2);
    assertThat(run.get("notices").asInt()).isEqualTo(2);
    assertThat(lost).isPositive();
    assertThat(restarts).isPositive();
    assertThat(gpuMillis - lost - restarts).isEqualTo(80L * 3_600_000L); // the useful work: ten hours
    assertThat(run.get("cost").asText()).isEqualTo(Cli.gpuCost(gpuMillis, "1.5625").toPlainString());
    assertThat(run.get("lost_work_cost").asText()).isEqualTo(Cli.gpuCost(lost, "1.5625").toPlainString());
    assertThat(run.get("restart_cost").asText()).isEqualTo(Cli.gpuCost(restarts, "1.5625").toPlainString());
    // On demand (21.957642 / 8 per GPU-hour) the same ten hours, uninterrupted; spot saves the rest.
    Money onDemand = Cli.gpuCost(80L * 3_600_000L, "2.74470525");
    assertThat(run.get("on_demand_cost").asText()).isEqualTo(onDemand.toPlainString());
    assertThat(run.get("spot_net_savings").asText())
        .isEqualTo(onDemand.minus(Cli.gpuCost(gpuMillis, "1.5625")).toPlainString());
    BigDecimal cost = new BigDecimal(run.get("cost").asText());
    // The effective rate per useful GPU-hour is the billed rate over the measured utilization.
    BigDecimal utilization = new BigDecimal(run.get("measured_utilization").asText());
    BigDecimal effective = new BigDecimal(run.get("effective_cost_per_useful_gpu_hour").asText());
    assertThat(effective.multiply(utilization).setScale(4, RoundingMode.HALF_EVEN))
        .isEqualByComparingTo("1.5625");
    assertThat(new BigDecimal(run.get("idle_cost").asText()).add(new BigDecimal(run.get("useful_cost").asText())))
        .isCloseTo(cost, org.assertj.core.data.Offset.offset(new BigDecimal("1e-11")));

    // The endpoint's GPU cost is split over its requests without losing a pico-dollar.
    JsonNode endpoint = json.get("endpoint");
    assertThat(endpoint.get("conserved").asBoolean()).isTrue();
    assertThat(new BigDecimal(endpoint.get("allocated_total").asText()))
        .isEqualByComparingTo(new BigDecimal(endpoint.get("gpu_cost").asText()));
  }

  @Test
  void budgetsThrottleOneTeamAndStopARunawaySweep() {
    JsonNode budgets = Cli.run("demo", "--json").json().get("budgets");

    // The product team's daily budget throttles admissions near its limit and never lets spend pass it.
    assertThat(budgets.get("throttled_calls").asLong()).isPositive();
    JsonNode product = null;
    JsonNode sweep = null;
    for (JsonNode s : budgets.get("statuses")) {
      if (s.get("scope").asText().equals("team=product")) {
        product = s;
      } else if (s.get("scope").asText().equals("experiment=lr-sweep")) {
        sweep = s;
      }
    }
    assertThat(new BigDecimal(product.get("spent").asText())).isLessThanOrEqualTo(new BigDecimal(product.get("limit").asText()));
    // The sweep's experiment budget stopped all eight runs at a step boundary, within its limit.
    assertThat(budgets.get("stopped_runs")).hasSize(8);
    assertThat(budgets.get("sweep_stop_checkpoints").asInt()).isEqualTo(8);
    assertThat(new BigDecimal(sweep.get("spent").asText())).isLessThanOrEqualTo(new BigDecimal("45"));
    assertThat(budgets.get("events").toString()).contains("THROTTLED", "TERMINATE", "THRESHOLD");
  }

  @Test
  void theAdviceSectionPrintsEachLineBeforeAndAfterAndSavesAtLeastThirtyPercentOfTheDay() {
    Cli.Result r = Cli.run("demo");
    String out = r.out();
    String advice = out.substring(out.indexOf("Advice (the advisors on the day's own records"));
    BigDecimal sum = BigDecimal.ZERO;
    int rows = 0;
    BigDecimal[] total = null;
    for (String line : advice.split("\n")) {
      java.util.regex.Matcher m = java.util.regex.Pattern
          .compile("^(.+?)\\s+(\\d+\\.\\d{4})\\s+(\\d+\\.\\d{4})\\s+(-?\\d+\\.\\d{4})$").matcher(line);
      if (!m.matches()) {
        continue;
      }
      BigDecimal before = new BigDecimal(m.group(2));
      BigDecimal after = new BigDecimal(m.group(3));
      BigDecimal saving = new BigDecimal(m.group(4));
      // each row: before - after = saving, within the rounding of the three printed figures
      assertThat(before.subtract(after).subtract(saving).abs()).isLessThanOrEqualTo(new BigDecimal("0.0002"));
      if (m.group(1).equals("day total")) {
        total = new BigDecimal[] {before, after, saving};
      } else {
        sum = sum.add(saving);
        rows++;
      }
    }
    assertThat(rows).isEqualTo(4);
    assertThat(total).isNotNull();
    // the day's total is the cost report's, and the rows' savings add up to the total's
    JsonNode json = Cli.run("demo", "--json").json();
    assertThat(total[0]).isEqualByComparingTo(new BigDecimal(json.at("/total/lines/0/cost").asText())
        .setScale(4, RoundingMode.HALF_EVEN));
    assertThat(sum.subtract(total[2]).abs()).isLessThanOrEqualTo(new BigDecimal("0.0004"));
    assertThat(total[2].multiply(BigDecimal.valueOf(100)))
        .isGreaterThanOrEqualTo(total[0].multiply(BigDecimal.valueOf(30)));
    assertThat(advice).contains("route ", "fine-tune ft-llama-8b-0042 on ", "eval box on ", "batch the ",
        "no line: endpoint chat-small: the advisor keeps its one g6e.xlarge", "no line: lr-sweep");
    assertThat(advice.split("   evidence: ", -1)).hasSize(5);
    assertThat(advice.split("   assumption: ", -1)).hasSize(5);

    // JSON: the same lines at 12 places (exact where the amount terminates); they add up to the saving
    JsonNode a = json.get("advice");
    org.assertj.core.data.Offset<BigDecimal> pico = org.assertj.core.data.Offset.offset(new BigDecimal("1e-11"));
    BigDecimal exact = BigDecimal.ZERO;
    for (JsonNode line : a.get("lines")) {
      assertThat(line.get("evidence").asText()).isNotBlank();
      assertThat(line.get("assumption").asText()).isNotBlank();
      assertThat(new BigDecimal(line.get("before").asText()).subtract(new BigDecimal(line.get("after").asText())))
          .isCloseTo(new BigDecimal(line.get("saving").asText()), pico);
      exact = exact.add(new BigDecimal(line.get("saving").asText()));
    }
    assertThat(exact).isCloseTo(new BigDecimal(a.get("saving").asText()), pico);
    assertThat(new BigDecimal(a.get("total_before").asText()).subtract(exact))
        .isCloseTo(new BigDecimal(a.get("total_after").asText()), pico);
    assertThat(new BigDecimal(a.get("saving_share").asText())).isEqualByComparingTo(
        new BigDecimal(a.get("saving").asText()).divide(new BigDecimal(a.get("total_before").asText()), 6,
            RoundingMode.HALF_EVEN)).isGreaterThanOrEqualTo(new BigDecimal("0.30"));
  }

  @Test
  void rejectsABadSeed() {
    Cli.Result r = Cli.run("demo", "--seed", "abc");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("--seed");
  }
}
