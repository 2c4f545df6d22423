package dev.finops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finops.core.export.FocusValidator;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code finops allocate}: a shared asset's cost split among the tenants of a usage file. */
class AllocateCommandTest {

  @TempDir
  Path dir;

  /**
   * A 10-GPU-hour node: nlp 5 h on whole GPUs, vision 7 h on a 1g.10gb slice (1 h of GPU), the
   * platform team (the owner) 1 h. Used 7 of 10 GPU-hours.
   */
  static final String USAGE = """
      tenant,gpu_seconds,utilization,tokens,requests,weight,gpu_fraction,owner
      nlp,9000,0.8,1000,10,1,,
      nlp,9000,0.6,3000,30,1,,
      vision,25200,,500,5,2,1g.10gb,
      platform,3600,,0,0,0,,true
      """;

  Path usage(String csv) throws IOException {
    Path f = dir.resolve("usage.csv");
    Files.writeString(f, csv);
    return f;
  }

  Cli.Result allocate(String... args) throws IOException {
    Path f = usage(USAGE);
    String[] all = Stream.concat(Stream.of("allocate", "--asset-cost", "100", "--usage", f.toString()),
        Stream.of(args)).toArray(String[]::new);
    return Cli.run(all);
  }

  static BigDecimal sum(JsonNode lines, String field) {
    BigDecimal s = BigDecimal.ZERO;
    for (JsonNode l : lines) {
      s = s.add(new BigDecimal(l.get(field).textValue()));
    }
    return s;
  }

  @Test
  void tableSplitsByGpuTimeAndKeepsIdleApart() throws IOException {
    Cli.Result r = allocate("--capacity", "36000");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.lines()).containsExactly(
        "Shared asset shared-asset: 100.00 USD, split proportional:gpu_seconds, idle separate",
        "capacity 36000 GPU-seconds, used 25200 (70.00%), idle cost 30.00 USD",
        "",
        "tenant            GPU-Seconds  allocated  shared idle   idle   total    share",
        "nlp                     18000      50.00         0.00   0.00   50.00   50.00%",
        "platform (owner)         3600      10.00         0.00   0.00   10.00   10.00%",
        "vision                   3600      10.00         0.00   0.00   10.00   10.00%",
        "__idle__                10800       0.00         0.00  30.00   30.00   30.00%",
        "total                              70.00         0.00  30.00  100.00  100.00%");
  }

  @ParameterizedTest(name = "--split {0} --idle {1}")
  @CsvSource({
      "proportional, separate", "proportional, share", "proportional, owner",
      "even, separate", "even, share", "even, owner",
      "weighted, separate", "weighted, share", "weighted, owner"})
  void everySplitAndIdlePolicyAddsUpToTheAssetCost(String split, String idle) throws IOException {
    Cli.Result r = allocate("--split", split, "--idle", idle, "--capacity", "36000", "--format", "json",
        "--scale", "4");

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("conserved").booleanValue()).isTrue();
    assertThat(sum(j.get("lines"), "total")).isEqualByComparingTo("100");
    assertThat(sum(j.get("lines"), "allocated").add(sum(j.get("lines"), "shared")).add(sum(j.get("lines"), "idle")))
        .isEqualByComparingTo("100");
    assertThat(new BigDecimal(j.get("idle_cost").textValue())).isEqualByComparingTo("30");
    assertThat(sum(j.get("lines"), "ratio")).isEqualByComparingTo("1");
  }

  @Test
  void jsonCarriesTheUsageAndTheOwnerTakesIdleUnderOwner() throws IOException {
    JsonNode j = allocate("--capacity", "36000", "--idle", "owner", "--metric", "utilized_gpu_seconds",
        "--format", "json").json();

    assertThat(j.get("split").textValue()).isEqualTo("proportional:utilized_gpu_seconds");
    assertThat(j.get("owner").textValue()).isEqualTo("platform");
    JsonNode nlp = j.get("lines").get(0);
    assertThat(nlp.get("tenant").textValue()).isEqualTo("nlp");
    assertThat(nlp.get("records").intValue()).isEqualTo(2);
    assertThat(nlp.get("utilization").textValue()).isEqualTo("0.7");
    assertThat(nlp.get("quantity").textValue()).isEqualTo("12600"); // 9000 × 0.8 + 9000 × 0.6
    JsonNode platform = j.get("lines").get(1);
    assertThat(platform.get("owner").booleanValue()).isTrue();
    // used: 12,600 + 3,600 + 3,600 of 36,000 utilized GPU-seconds; idle 16,200/36,000 of 100 = 45
    assertThat(platform.get("idle").textValue()).isEqualTo("45");
  }

  @Test
  void focusCsvHasOneSplitRowPerLineAddingUpToTheAssetCost() throws IOException {
    Cli.Result r = allocate("--capacity", "36000", "--asset", "gpu-node-7", "--from", "2026-11-02T00:00:00Z",
        "--to", "2026-11-02T01:00:00Z", "--format", "focus-csv");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(FocusValidator.validateCsv(r.out())).isEmpty();
    List<Map<String, String>> rows = FocusValidator.readCsv(r.out());
    assertThat(rows).hasSize(4).allSatisfy(row -> {
      assertThat(row.get("ResourceId")).isEqualTo("gpu-node-7");
      assertThat(row.get("ChargePeriodStart")).isEqualTo("2026-11-02T00:00:00Z");
      assertThat(row.get("ChargePeriodEnd")).isEqualTo("2026-11-02T01:00:00Z");
      assertThat(row.get("AllocatedMethodId")).isEqualTo("proportional:gpu_seconds/idle:separate");
      assertThat(row.get("ChargeCategory")).isEqualTo("Usage");
    });
    assertThat(rows).extracting(row -> row.get("AllocatedResourceId"))
        .containsExactly("nlp", "platform", "vision", "__idle__");
    assertThat(DemoFocusTest.sum(rows, "BilledCost")).isEqualByComparingTo("100");
    assertThat(DemoFocusTest.sum(rows, "EffectiveCost")).isEqualByComparingTo("100");
    assertThat(rows.get(2).get("x_GpuSeconds")).isEqualTo("3600"); // 7 hours on a 1/7 slice
  }

  @Test
  void outputGoesToAFileWrittenWhole() throws IOException {
    Path out = dir.resolve("split.json");
    Files.writeString(out, "old");

    Cli.Result r = allocate("--format", "json", "--output", out.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(Files.readString(out)).contains("\"conserved\" : true");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      negative      | tenant,gpu_seconds\\na,10\\nb,-5     | :3: column 'gpu_seconds': must not be negative: '-5'
      non-numeric   | tenant,tokens\\na,many             | :2: column 'tokens': not a whole number: 'many'
      missing       | tenant,gpu_seconds,tokens\\na,10   | :2: column 'tokens': missing value
      empty         | tenant,gpu_seconds\\na,            | :2: column 'gpu_seconds': missing value
      unknown column| tenant,gpu_hours\\na,1             | :1: column 'gpu_hours': unknown column
      """)
  void badUsageExitsTwoNamingFileLineAndColumnAndWritesNothing(String what, String csv, String message)
      throws IOException {
    Path f = usage(csv.replace("\\n", "\n"));
    Path out = dir.resolve("out.csv");

    Cli.Result r = Cli.run("allocate", "--asset-cost", "10", "--usage", f.toString(), "--output", out.toString());

    assertThat(r.code()).as(what).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).as(what).startsWith("finops: " + f + message).doesNotContain("Exception");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(out).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(f);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      no usage file     | --asset-cost 10 --usage nope.csv              | --usage: no such file: 'nope.csv'
      bad split         | --asset-cost 10 --usage U --split random      | --split: not one of proportional, even, weighted: 'random'
      bad idle          | --asset-cost 10 --usage U --idle nobody       | --idle: not one of share, owner, separate: 'nobody'
      focus needs a time| --asset-cost 10 --usage U --format focus-csv  | --format focus-csv: needs --from and --to
      one of from, to   | --asset-cost 10 --usage U --from 2026-11-02   | --from and --to: give both or neither
      bad time          | --asset-cost 10 --usage U --from x --to y     | --from: not an ISO 8601 UTC time
      bad capacity      | --asset-cost 10 --usage U --capacity 0        | --capacity: must be positive GPU-seconds
      negative cost     | --asset-cost=-5 --usage U                     | --asset-cost: must not be negative: '-5'
      no cost           | --usage U                                     | missing required option --asset-cost
      metric not in file| --asset-cost 10 --usage U --metric requests   | --metric requests:
      weights not in file| --asset-cost 10 --usage U --split weighted   | --split weighted:
      """)
  void badArgumentsExitTwo(String what, String args, String message) throws IOException {
    Path f = usage("tenant,gpu_seconds\na,10\n");
    List<String> all = new ArrayList<>(List.of("allocate"));
    for (String a : args.trim().split(" +")) {
      all.add(a.equals("U") ? f.toString() : a);
    }

    Cli.Result r = Cli.run(all.toArray(String[]::new));

    assertThat(r.code()).as(what + ": " + r.err()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).as(what).startsWith("finops: ").contains(message);
  }

  @Test
  void ownerPolicyWithoutAnOwnerSaysSo() throws IOException {
    Path f = usage("tenant,gpu_seconds\na,10\n");

    Cli.Result r = Cli.run("allocate", "--asset-cost", "10", "--usage", f.toString(), "--idle", "owner");

    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("needs an owner");
    assertThat(Cli.run("allocate", "--asset-cost", "10", "--usage", f.toString(), "--idle", "owner", "--owner",
        "platform", "--format", "json").json().get("owner").textValue()).isEqualTo("platform");
  }

  @Test
  void helpDocumentsTheUsageColumns() {
    Cli.Result r = Cli.run("allocate", "--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("usage: finops allocate").contains("--asset-cost=AMOUNT", "--usage=FILE.csv")
        .contains("  tenant ", "gpu_seconds", "utilization", "tokens", "requests", "weight", "gpu_fraction", "owner",
            "1g.10gb = 1/7");
    assertThat(Cli.run("--help").out()).contains("allocate");
  }

  /** 10,000 requests sharing $40: cents would give each 0.00; the default takes the places it needs. */
  @Test
  void theDefaultScaleGivesEveryTenantWithUsageANonzeroAmount() throws IOException {
    StringBuilder csv = new StringBuilder("tenant,requests\n");
    for (int i = 0; i < 10_000; i++) {
      csv.append("req-").append(i).append(',').append(i % 7 == 0 ? 3 : 1).append('\n');
    }
    Path f = usage(csv.toString());
    Cli.Result r = Cli.run("allocate", "--asset-cost", "40", "--usage", f.toString(), "--metric", "requests",
        "--format", "json");

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    // 40 over 12,858 requests is 0.0031 a request: 3 places are the fewest that give everyone something
    assertThat(j.get("scale").intValue()).isEqualTo(3);
    assertThat(sum(j.get("lines"), "total")).isEqualByComparingTo("40");
    for (JsonNode l : j.get("lines")) {
      assertThat(new BigDecimal(l.get("total").textValue())).as(l.toString()).isPositive();
    }
    Cli.Result cents = Cli.run("allocate", "--asset-cost", "40", "--usage", f.toString(), "--metric", "requests",
        "--format", "json", "--scale", "2");
    assertThat(cents.json().get("scale").intValue()).isEqualTo(2); // asked for: kept, zeros and all
    assertThat(cents.json().get("lines").findValuesAsText("total")).contains("0");
  }

  @Test
  void sharesOfACentOrMoreStayInCents() throws IOException {
    assertThat(allocate("--format", "json").json().get("scale").intValue()).isEqualTo(2);
  }
}
