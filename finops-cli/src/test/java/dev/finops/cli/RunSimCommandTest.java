package dev.finops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code finops run-sim} and {@code finops run-report}, in process. */
class RunSimCommandTest {

  @TempDir
  Path dir;

  private Cli.Result sim(String runId, String... more) {
    String[] base = {"run-sim", "--journal", dir.toString(), "--run-id", runId};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return Cli.run(all);
  }

  private JsonNode report(String runId) {
    Cli.Result r = Cli.run("run-report", "--journal", dir.toString(), "--run-id", runId, "--json");
    assertThat(r.code()).as(r.err()).isZero();
    return r.json();
  }

  @Test
  void aSimulatedRunCostsStepsTimesSecondsTimesGpusAtTheRate() {
    Cli.Result r = sim("r1", "--steps", "30", "--step-seconds", "1.5", "--hourly-rate", "2.40", "--gpus", "2", "--json");
    assertThat(r.code()).as(r.err()).isZero();

    JsonNode j = r.json();
    assertThat(j.get("status").asText()).isEqualTo("complete");
    assertThat(j.get("steps").asLong()).isEqualTo(30);
    // 30 × 1.5 s × 2 GPUs = 90 GPU-seconds at 2.40 per GPU-hour = 0.06
    assertThat(j.get("gpu_seconds").asLong()).isEqualTo(90);
    assertThat(Cli.decimal(j, "cost")).isEqualByComparingTo("0.06");
    assertThat(j.get("attempts").asInt()).isEqualTo(1);
    assertThat(j.get("interruptions").asInt()).isZero();
    assertThat(j.get("lost_gpu_seconds").asLong()).isZero();
    assertThat(j.has("on_demand_cost")).isFalse(); // a custom rate has no on-demand comparison
    assertThat(report("r1")).isEqualTo(j);
  }

  @Test
  void aSpotInstanceRunIsComparedWithOnDemand() {
    JsonNode j = Cli.jsonOnTestCatalog(java.util.List.of("run-sim", "--journal", dir.toString(), "--run-id", "spot"),
        "--steps", "4", "--step-seconds", "900", "--instance", "p4d.24xlarge", "--spot");
    long gpus = j.get("gpus").asLong();
    BigDecimal spotRate = Cli.decimal(j, "gpu_hourly_rate");
    BigDecimal onDemandRate = new BigDecimal(j.at("/attempt_details/0/on_demand_gpu_hourly_rate").asText());
    // One hour on all the instance's GPUs, at the spot rate; the same hour on demand.
    assertThat(j.get("gpu_seconds").asLong()).isEqualTo(3_600 * gpus);
    assertThat(Cli.decimal(j, "cost")).isEqualByComparingTo(spotRate.multiply(BigDecimal.valueOf(gpus)));
    assertThat(Cli.decimal(j, "on_demand_cost")).isEqualByComparingTo(onDemandRate.multiply(BigDecimal.valueOf(gpus)));
    assertThat(Cli.decimal(j, "net_savings"))
        .isEqualByComparingTo(Cli.decimal(j, "on_demand_cost").subtract(Cli.decimal(j, "cost")));
  }

  @Test
  void startedAgainACompleteRunDoesNothingMore() {
    sim("done", "--steps", "3", "--step-seconds", "1", "--hourly-rate", "1");
    Cli.Result again = sim("done", "--steps", "3", "--step-seconds", "1", "--hourly-rate", "1");

    assertThat(again.code()).isZero();
    assertThat(again.err()).contains("already complete");
    assertThat(report("done").get("attempts").asInt()).isEqualTo(1);
    assertThat(again.out()).contains("run done: complete, 1 attempt, 0 interruptions", "steps", "GPU time");
  }

  @Test
  void badArgumentsAreNamed() {
    assertThat(sim("x", "--steps", "3", "--step-seconds", "0.0005", "--hourly-rate", "1").err())
        .contains("--step-seconds").contains("whole milliseconds");
    assertThat(sim("x", "--steps", "3", "--step-seconds", "1").err()).contains("--instance TYPE or --hourly-rate");
    assertThat(sim("x", "--steps", "3", "--step-seconds", "1", "--hourly-rate", "1", "--spot").err())
        .contains("--spot: only goes with --instance");
    Cli.Result badId = sim("../x", "--steps", "3", "--step-seconds", "1", "--hourly-rate", "1");
    assertThat(badId.code()).isEqualTo(ExitCode.USAGE);
    assertThat(badId.err()).contains("--run-id");
    Cli.Result gpus = Cli.onTestCatalog(java.util.List.of("run-sim", "--journal", dir.toString(), "--run-id", "g"),
        "--steps", "1", "--step-seconds", "1", "--instance", "p4d.24xlarge", "--gpus", "3");
    assertThat(gpus.err()).contains("--gpus").contains("multiple");

    Cli.Result missing = Cli.run("run-report", "--journal", dir.toString(), "--run-id", "nope");
    assertThat(missing.code()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.err()).contains("no journal of run 'nope'");
  }

  @Test
  void theRunCostIsTheSameWhateverTheStepsCost() {
    sim("exact", "--steps", "7", "--step-seconds", "1", "--hourly-rate", "1", "--gpus", "3");
    // 21 GPU-seconds at 1 per GPU-hour = 21/3600, which does not terminate: 12 places, HALF_EVEN
    assertThat(report("exact").get("cost").asText())
        .isEqualTo(Cli.gpuCost(21_000, "1").toPlainString())
        .isEqualTo("0.005833333333");
  }

  /** Out-of-range sizes are refused before anything is journaled: exit 2, one line, no journal. */
  @Test
  void stepsAndStepTimesOutOfRangeAreRefusedBeforeAnyJournal() {
    Cli.Result longStep = sim("big", "--steps", "3", "--step-seconds", "10000000000", "--hourly-rate", "32");
    assertThat(longStep.code()).isEqualTo(ExitCode.USAGE);
    assertThat(longStep.err()).contains("--step-seconds").contains("at most 86400").doesNotContain("Exception");
    Cli.Result manySteps = sim("many", "--steps", "1000000000000000000", "--step-seconds", "1", "--hourly-rate", "32");
    assertThat(manySteps.code()).isEqualTo(ExitCode.USAGE);
    assertThat(manySteps.err()).contains("--steps").contains("1 to 1000000");
    assertThat(dir.resolve("big")).doesNotExist();
    assertThat(dir.resolve("many")).doesNotExist();
  }

  /** A journal directory that cannot be made, or a file that is not a journal: exit 2 naming it, no stack trace. */
  @Test
  void aJournalThatCannotBeWrittenOrReadIsBadInputNamed() throws java.io.IOException {
    java.nio.file.Files.writeString(dir.resolve("file"), "not a directory");
    Cli.Result blocked = Cli.run("run-sim", "--journal", dir.resolve("file").resolve("sub").toString(), "--run-id", "r",
        "--steps", "1", "--step-seconds", "1", "--hourly-rate", "1");
    assertThat(blocked.code()).isEqualTo(ExitCode.USAGE);
    assertThat(blocked.err()).startsWith("finops: --journal: ").contains(dir.resolve("file").toString())
        .doesNotContain("java.nio").doesNotContain("\tat ");

    java.nio.file.Files.createDirectories(dir.resolve("g"));
    java.nio.file.Files.write(dir.resolve("g").resolve("journal.log"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
        12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38});
    Cli.Result garbage = sim("g", "--steps", "1", "--step-seconds", "1", "--hourly-rate", "1");
    assertThat(garbage.code()).isEqualTo(ExitCode.USAGE);
    assertThat(garbage.err()).contains("not a finops journal").doesNotContain("\tat ");
    Cli.Result report = Cli.run("run-report", "--journal", dir.toString(), "--run-id", "g");
    assertThat(report.code()).isEqualTo(ExitCode.USAGE);
    assertThat(report.err()).contains("not a finops journal");
  }
}
