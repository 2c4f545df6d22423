package dev.finops.cli;

import static dev.finops.cli.Cli.assertFields;
import static dev.finops.cli.Cli.decimal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code finops gpu-cost}: given rates, catalog instance prices, utilization. */
class GpuCostCommandTest {

  private static final List<String> GPU_COST = List.of("gpu-cost");

  private static JsonNode gpuCostJson(String... args) {
    return Cli.jsonOnTestCatalog(GPU_COST, args);
  }

  @Test
  void instanceOnDemandPriceAtHalfUtilization() {
    JsonNode j = gpuCostJson("--instance", "p4d.24xlarge", "--hours", "2", "--utilization", "50%", "--at", "2025-07-01");

    assertFields(j, "hourly_rate", "21.957642", "hours", "2", "utilization", "0.5", "billed", "43.915284",
        "useful_cost", "21.957642", "idle_cost", "21.957642", "effective_hourly_rate", "43.915284",
        "effective_gpu_hourly_rate", "5.4894105");
    assertFields(j, "instance", "p4d.24xlarge", "provider", "aws", "region", "us-east-1", "accelerator", "A100-40GB",
        "purchase_option", "on_demand", "gpu_hourly_rate", "2.74470525", "price_source", "user_catalog",
        "catalog_version", "cli-test-1", "valid_from", "2025-06-01");
    assertThat(j.get("gpus").intValue()).isEqualTo(8);
    assertThat(j.get("instance_gpus").intValue()).isEqualTo(8);
  }

  @Test
  void gpusBillsThatManyGpusAtTheInstancePerGpuRate() {
    JsonNode j = gpuCostJson("--instance", "p4d.24xlarge", "--provider", "aws", "--region", "us-east-1", "--gpus", "2",
        "--hours", "2", "--utilization", "0.5", "--at", "2025-07-01");

    // 21.957642 × 2 / 8 per hour
    assertFields(j, "hourly_rate", "5.4894105", "billed", "10.978821", "effective_hourly_rate", "10.978821",
        "effective_gpu_hourly_rate", "5.4894105");
    assertThat(j.get("gpus").intValue()).isEqualTo(2);
  }

  @Test
  void spotAndDatedInstancePrices() {
    JsonNode spot = gpuCostJson("--instance", "p4d.24xlarge", "--spot", "--hours", "1", "--at", "2025-07-01");
    JsonNode old = gpuCostJson("--instance", "p4d.24xlarge", "--hours", "1", "--at", "2024-06-01");

    assertFields(spot, "billed", "12.5", "purchase_option", "spot");
    assertFields(old, "billed", "32.7726", "valid_from", "2023-09-18");
  }

  @Test
  void noSpotPriceExitsThree() {
    Cli.Result r = Cli.onTestCatalog(GPU_COST, "--instance", "p4d.24xlarge", "--spot", "--hours", "1",
        "--at", "2024-06-01");

    assertThat(r.code()).isEqualTo(ExitCode.NO_PRICE);
    FinOpsCliTest.assertOneLineError(r, "has no spot price");
  }

  @Test
  void zeroUtilizationHasNoEffectiveRate() {
    JsonNode j = gpuCostJson("--hourly-rate", "10", "--hours", "3", "--utilization", "0");

    assertThat(decimal(j, "billed")).isEqualByComparingTo(new BigDecimal("30"));
    assertThat(decimal(j, "useful_cost")).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(decimal(j, "idle_cost")).isEqualByComparingTo(new BigDecimal("30"));
    assertThat(j.get("effective_hourly_rate").isNull()).isTrue();
    assertThat(j.get("effective_gpu_hourly_rate").isNull()).isTrue();

    Cli.Result text = Cli.onTestCatalog(GPU_COST, "--hourly-rate", "10", "--hours", "3", "--utilization", "0%");
    assertThat(text.out()).contains("effective rate            n/a  USD per useful hour\n");
  }

  @Test
  void aUtilizationWithManyDigitsStillDividesExactly() {
    JsonNode j = gpuCostJson("--hourly-rate", "3", "--hours", "1", "--utilization", "0.33333333333333333333333");

    // 3 / 0.33333333333333333333333 = 9.00000000000000000000009..., kept exact, rounded once to 12 places
    assertFields(j, "effective_hourly_rate", "9");
  }

  @Test
  void givenRateForSeveralGpusAndARepeatingEffectiveRate() {
    JsonNode j = gpuCostJson("--hourly-rate", "10", "--gpus", "4", "--hours", "1.5", "--utilization", "0.3");

    // 10 per GPU-hour (as in run-sim) × 4 GPUs × 1.5 h = 60; 40 / 0.3 does not terminate: rounded once,
    // for presentation, to 12 places
    assertFields(j, "billed", "60", "useful_cost", "18", "idle_cost", "42",
        "effective_hourly_rate", "133.333333333333", "effective_gpu_hourly_rate", "33.333333333333");
    assertThat(j.has("instance")).isFalse();
  }

  @Test
  void textOutputIsAligned() {
    Cli.Result r = Cli.onTestCatalog(GPU_COST, "--instance", "p4d.24xlarge", "--hours", "2", "--utilization", "40%",
        "--at", "2025-07-01");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(""
        + "instance  p4d.24xlarge (aws, us-east-1), 8 x A100-40GB\n"
        + "price     21.957642 USD per instance-hour, on_demand (2.74470525 per GPU-hour)\n"
        + "source    user_catalog, catalog version cli-test-1, valid from 2025-06-01\n"
        + "\n"
        + "hourly rate         21.957642  USD per hour for 8 GPUs\n"
        + "hours                2\n"
        + "utilization          0.4\n"
        + "billed              43.9153    USD\n"
        + "useful cost         17.5661    USD\n"
        + "idle cost           26.3492    USD\n"
        + "effective rate      54.894105  USD per useful hour\n"
        + "effective GPU rate   6.861763  USD per useful GPU-hour\n");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "--hours 1                                       | missing --instance TYPE or --hourly-rate AMOUNT",
    "--hourly-rate 3 --instance g5.xlarge --hours 1  | --instance and --hourly-rate: give one, not both",
    "--hourly-rate 3 --spot --hours 1                | --spot: only goes with --instance",
    "--hourly-rate 3 --region us-east-1 --hours 1    | --region: only goes with --instance",
    "--hourly-rate 3                                 | missing required option --hours",
    "--hourly-rate 3 --hours abc                     | --hours: not a decimal number: 'abc'",
    "--hourly-rate 3 --hours -1                      | --hours: must not be negative: '-1'",
    "--hourly-rate 1e3 --hours 1                     | --hourly-rate: not a decimal number: '1e3'",
    "--hourly-rate 3 --hours 1 --gpus 0              | --gpus: must be at least 1: '0'",
    "--hourly-rate 3 --hours 1 --utilization 150%    | --utilization: must be between 0 and 1 (or 0% and 100%): '150%'",
    "--hourly-rate 3 --hours 1 --utilization 1.2     | --utilization: must be between 0 and 1 (or 0% and 100%): '1.2'",
    "--hourly-rate 3 --hours 1 --utilization x%      | --utilization: not a decimal number: 'x'",
  })
  void badArgumentsExitTwo(String args, String message) {
    Cli.Result r = Cli.onTestCatalog(GPU_COST, args.trim().split(" +"));

    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    FinOpsCliTest.assertOneLineError(r, message);
  }
}
