package dev.finops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finops.core.export.FocusValidator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code finops demo --focus FILE}: the day's spend as FOCUS rows that add up to the report. */
class DemoFocusTest {

  @TempDir
  Path dir;

  @Test
  void billedCostAddsUpToTheReportTotal() throws IOException {
    Path focus = dir.resolve("demo-focus.csv");

    Cli.Result r = Cli.run("demo", "--json", "--focus", focus.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    JsonNode json = r.json(); // the report still prints, as one JSON document
    BigDecimal reportTotal = new BigDecimal(json.at("/total/lines/0/cost").textValue());
    String csv = Files.readString(focus);
    assertThat(FocusValidator.validateCsv(csv)).isEmpty();
    List<Map<String, String>> rows = FocusValidator.readCsv(csv);
    assertThat(rows).hasSizeGreaterThan(1_000);
    // The report shows the exact total (or 12 places); the file is rounded once to 12 places.
    assertThat(sum(rows, "BilledCost"))
        .isEqualByComparingTo(reportTotal.setScale(12, RoundingMode.HALF_EVEN));
    assertThat(sum(rows, "EffectiveCost"))
        .isEqualByComparingTo(reportTotal.setScale(12, RoundingMode.HALF_EVEN));
  }

  @Test
  void theSpotTrainingRunIsDynamicWithItsOnDemandListCost() throws IOException {
    Path focus = dir.resolve("demo-focus.csv");

    assertThat(Cli.run("demo", "--focus", focus.toString()).code()).isZero();

    List<Map<String, String>> rows = FocusValidator.readCsv(Files.readString(focus));
    List<Map<String, String>> dynamic = rows.stream().filter(r -> "Dynamic".equals(r.get("PricingCategory"))).toList();
    assertThat(dynamic).isNotEmpty().allSatisfy(r -> {
      assertThat(r.get("ResourceId")).matches("ft-llama-8b-0042|sweep-lr-[1-8]");
      assertThat(new BigDecimal(r.get("ListCost"))).isGreaterThan(new BigDecimal(r.get("BilledCost")));
    });
    List<Map<String, String>> spot = dynamic.stream().filter(r -> "ft-llama-8b-0042".equals(r.get("ResourceId"))).toList();
    // The run's GPU time (ten hours on 8 GPUs, plus what its two preemptions lost and its restarts)
    // at 1.5625 spot, against 2.74470525 on demand; each row is within a pico-unit of exact, so a
    // subset of rows is within that many pico-units (one more for rounding the expectation).
    long gpuMillis = dev.finops.cli.demo.PlatformDemo.run(42).trainingRun().gpuMillis();
    BigDecimal rowsInPicoUnits = BigDecimal.valueOf(spot.size() + 1, 12);
    assertThat(sum(spot, "BilledCost").subtract(Cli.gpuCost(gpuMillis, "1.5625").amount(12)).abs())
        .isLessThanOrEqualTo(rowsInPicoUnits);
    assertThat(sum(spot, "ListCost").subtract(Cli.gpuCost(gpuMillis, "2.74470525").amount(12)).abs())
        .isLessThanOrEqualTo(rowsInPicoUnits);
    assertThat(rows).anySatisfy(r -> assertThat(r.get("x_CacheAction")).isEqualTo("Read"));
    assertThat(rows).allSatisfy(r -> assertThat(r.get("BillingCurrency")).isEqualTo("USD"));
  }

  static BigDecimal sum(List<Map<String, String>> rows, String column) {
    return rows.stream().map(r -> new BigDecimal(r.get(column))).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  @Test
  void anUnwritableFileExitsTwoAndLeavesNothing() throws IOException {
    Path focus = dir.resolve("no-such-dir").resolve("demo-focus.csv");

    Cli.Result r = Cli.run("demo", "--focus", focus.toString());

    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).isEqualTo("finops: --focus: cannot write '" + focus + "': no such directory"
        + " (see 'finops demo --help')\n");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
