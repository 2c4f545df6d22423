package dev.finops.examples.cli;

import static dev.finops.examples.cli.Cli.decimal;
import static dev.finops.examples.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finops.core.catalog.PriceCatalog;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line as a whole: the seed example, help, and every exit code. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FinOpsCliTest {

  private static final List<String> PRICE = List.of("price");

  @Test
  @Order(1)
  void seedExample_32PerHourAt40PercentCosts80PerUsefulHour() {
    Cli.Result r = run("gpu-cost", "--hourly-rate", "32", "--hours", "1", "--utilization", "0.4", "--json");

    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    JsonNode j = r.json();
    assertThat(j.get("billed").textValue()).isEqualTo("32");
    assertThat(j.get("effective_hourly_rate").textValue()).isEqualTo("80");
    assertThat(decimal(j, "idle_cost")).isEqualByComparingTo(new BigDecimal("19.20"));
    assertThat(decimal(j, "useful_cost")).isEqualByComparingTo(new BigDecimal("12.8"));
    assertThat(j.get("currency").textValue()).isEqualTo("USD");
  }

  @Test
  void helpPrintsUsageAndExitsZero() {
    Cli.Result r = run("--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("usage: finops COMMAND").contains("price", "gpu-cost", "catalog");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void noArgumentsPrintsUsageOnStderrAndExitsTwo() {
    Cli.Result r = run();

    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("usage: finops COMMAND");
  }

  /** Each option list names each option once, in one column, with descriptions in another. */
  @Test
  void commandHelpListsEachOptionOnceInAlignedColumns() {
    java.util.regex.Pattern optionLine = java.util.regex.Pattern.compile("^  (--[a-z-]+)(?: [^ ]+)?( +)(\\S.*)$");
    for (Command c : FinOpsCli.COMMANDS) {
      int options = 0;
      java.util.Set<String> seen = new java.util.HashSet<>();
      java.util.Set<Integer> columns = new java.util.HashSet<>();
      for (String line : (c.usage() + "\n\n").split("\n")) {
        if (line.isBlank()) { // the end of a block: advise lists each subcommand's options apart
          assertThat(columns).as("%s: description columns", c.name()).hasSizeLessThanOrEqualTo(1);
          seen.clear();
          columns.clear();
          continue;
        }
        java.util.regex.Matcher m = optionLine.matcher(line);
        if (m.matches()) {
          assertThat(seen.add(m.group(1))).as("%s lists %s twice", c.name(), m.group(1)).isTrue();
          columns.add(m.start(3));
          options++;
        }
      }
      assertThat(options).as(c.name()).isPositive();
    }
  }

  @Test
  void commandHelpPrintsItsUsage() {
    for (Command c : FinOpsCli.COMMANDS) {
      Cli.Result r = run(c.name(), "--help");
      assertThat(r.code()).isZero();
      assertThat(r.out()).startsWith("usage: finops " + c.name()).isEqualTo(c.usage());
      assertThat(run("help", c.name()).out()).isEqualTo(c.usage());
    }
  }

  @Test
  void unknownCommandExitsTwo() {
    Cli.Result r = run("prise");

    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    String names = FinOpsCli.COMMANDS.stream().map(Command::name).collect(java.util.stream.Collectors.joining(", "));
    assertThat(names).startsWith("demo, price, gpu-cost, catalog");
    assertThat(r.err()).isEqualTo("finops: unknown command 'prise' (commands: " + names + "; see 'finops --help')\n");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "--input-tokens abc --output-tokens 1       | --input-tokens: not a whole number: 'abc'",
    "--input-tokens 10 --output-tokens -5       | --output-tokens: must not be negative: '-5'",
    "--cache-read-tokens 10                     | give --input-tokens N or --output-tokens N (or both)",
    "--output-tokens 1 --input-audio-tokens 5   | --input-audio-tokens and --input-image-tokens are part of --input-tokens (0)",
    "--input-tokens 10 --output-tokens 1 --foo  | unknown option '--foo'",
    "--input-token 10 --output-tokens 1         | unknown option '--input-token' (did you mean --input-tokens?)",
    "--input-tokens 1000 --output-tokens 1 --cache-read-tokens 1500 --cache-write-tokens 500"
        + " | cache_read_tokens + cache_write_tokens (2000) exceed input_tokens (1000)",
    "--input-tokens 10 --output-tokens 5 --reasoning-tokens 6 | reasoning_tokens (6) exceed output_tokens (5)",
    "--input-tokens 10 --output-tokens 1 --at 2025-13-01 | --at: not a date (YYYY-MM-DD): '2025-13-01'",
    "--input-tokens 10 --output-tokens 1 --at     | --at: missing value",
    "--input-tokens 1 --input-tokens 2 --output-tokens 1 | --input-tokens: given more than once",
    "--input-tokens 1 --output-tokens 1 --json=yes | --json: takes no value, got 'yes'",
    "--input-tokens 1 --output-tokens 1 extra     | unexpected argument 'extra'",
  })
  void badPriceArgumentsExitTwoNamingTheArgument(String args, String message) {
    Cli.Result r = Cli.onTestCatalog(List.of("price", "--model", "gpt-4o"), args.trim().split(" +"));

    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertOneLineError(r, message);
    assertThat(r.err()).contains("(see 'finops price --help')");
  }

  @Test
  void missingModelExitsTwo() {
    Cli.Result r = run("price", "--input-tokens", "1", "--output-tokens", "1");

    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertOneLineError(r, "missing required option --model");
  }

  @Test
  void unknownModelExitsThreeAndNamesCloseMatches() {
    Cli.Result r = Cli.onTestCatalog(PRICE, "--model", "gpt-4p", "--input-tokens", "1", "--output-tokens", "1");

    assertThat(r.code()).isEqualTo(ExitCode.NO_PRICE);
    assertOneLineError(r, "unknown model 'gpt-4p'; closest known: gpt-4o");
  }

  @Test
  void unknownModelOfAProviderExitsThree() {
    Cli.Result r = Cli.onTestCatalog(PRICE, "--model", "claude-sonet-4-5", "--provider", "anthropic",
        "--input-tokens", "1", "--output-tokens", "1");

    assertThat(r.code()).isEqualTo(ExitCode.NO_PRICE);
    assertOneLineError(r, "unknown model 'claude-sonet-4-5' of provider 'anthropic'; closest known: claude-sonnet-4-5");
  }

  @Test
  void unknownInstanceTypeExitsThreeAndNamesCloseMatches() {
    Cli.Result r = Cli.onTestCatalog(List.of("gpu-cost"), "--instance", "p4d.24xlarg", "--hours", "1");

    assertThat(r.code()).isEqualTo(ExitCode.NO_PRICE);
    assertOneLineError(r, "unknown instance type 'p4d.24xlarg'; closest known: p4d.24xlarge");
  }

  @Test
  void invalidCatalogExitsFourNamingFileLineAndField() {
    Cli.Result r = run("price", "--model", "gpt-bad", "--input-tokens", "1", "--output-tokens", "1",
        "--catalog", Cli.resource("bad-catalog.json"));

    assertThat(r.code()).isEqualTo(ExitCode.BAD_CATALOG);
    assertOneLineError(r, "bad-catalog.json:9:28: $.models[0].prices.input: input: price must not be negative");
  }

  @Test
  void malformedCatalogExitsFourNamingTheLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\n  \"format_version\": 1,\n  \"catalog_version\": \"x\",\n  \"models\": [ {\n");

    Cli.Result r = run("catalog", "list", "--catalog", file.toString());

    assertThat(r.code()).isEqualTo(ExitCode.BAD_CATALOG);
    assertOneLineError(r, "broken.json:5:");
    assertThat(r.err()).contains("malformed JSON");
  }

  @Test
  void missingCatalogFileExitsFour() {
    Cli.Result r = run("catalog", "list", "--catalog", "no/such/catalog.json");

    assertThat(r.code()).isEqualTo(ExitCode.BAD_CATALOG);
    assertOneLineError(r, "--catalog: no such file: 'no/such/catalog.json'");
  }

  @Test
  void aCatalogDirectoryIsNamedAsADirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    Cli.Result r = run("catalog", "list", "--catalog", dir.toString());

    assertThat(r.code()).isEqualTo(ExitCode.BAD_CATALOG);
    assertOneLineError(r, "--catalog: '" + dir + "' is a directory; give a catalog file");
  }

  /** An argument problem (no catalog named), not a bad catalog: exit 2 like every other bad argument. */
  @Test
  void noBundledWithoutCatalogExitsTwo() {
    Cli.Result r = run("catalog", "list", "--no-bundled");

    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).startsWith("finops: --no-bundled: needs at least one --catalog FILE");
  }

  @Test
  void bundledCatalogSmokeTest() {
    Assumptions.assumeTrue(PriceCatalog.class.getResource(PriceCatalog.BUNDLED_RESOURCE) != null,
        "bundled catalog not built yet");

    Cli.Result list = run("catalog", "list", "--json");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.json().get("catalogs").get(0).get("source").textValue()).isEqualTo("bundled_catalog");
    assertThat(list.json().get("models").size()).isPositive();

    String model = list.json().get("models").get(0).get("id").textValue();
    Cli.Result price = run("price", "--model", model, "--input-tokens", "1000", "--output-tokens", "100", "--json");
    assertThat(price.code()).as(price.err()).isIn(ExitCode.OK, ExitCode.NO_PRICE);
    if (price.code() == ExitCode.OK) {
      assertThat(price.json().get("price_source").textValue()).isEqualTo("bundled_catalog");
    }
  }

  /** One line on stderr, prefixed "finops: ", containing {@code message}, and no stack trace. */
  static void assertOneLineError(Cli.Result r, String message) {
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("finops: ").endsWith("\n").contains(message);
    assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
