package dev.finops.cli;

import static dev.finops.cli.Cli.decimal;
import static dev.finops.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finops.core.catalog.PriceCatalog;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

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

  /** Every command and subcommand, from the command line's own picocli model, {@code help} left out. */
  private static List<CommandLine> allCommands() {
    List<CommandLine> all = new ArrayList<>();
    java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>();
    todo.add(FinOpsCli.commandLine(System.out, System.err));
    while (!todo.isEmpty()) {
      CommandLine c = todo.poll();
      all.add(c);
      c.getSubcommands().forEach((name, sub) -> {
        if (!name.equals("help")) {
          todo.add(sub);
        }
      });
    }
    return all;
  }

  /** The words after {@code finops}: {@code [catalog, list]}. */
  private static List<String> words(CommandLine c) {
    List<String> words = new ArrayList<>(List.of(c.getCommandSpec().qualifiedName().split(" ")));
    return words.subList(1, words.size());
  }

  private static Cli.Result runWords(List<String> words, String... args) {
    List<String> all = new ArrayList<>(words);
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  /** The option names that start a line of the generated option list, in order, repeats kept. */
  private static List<String> listedOptions(String help) {
    Pattern optionLine = Pattern.compile("^ {2,6}(?:-[a-zA-Z], )?(--[a-z0-9-]+)");
    List<String> listed = new ArrayList<>();
    boolean inOptions = false;
    for (String line : help.split("\n")) {
      if (line.equals("options:")) {
        inOptions = true;
      } else if (inOptions && !line.isEmpty() && !line.startsWith(" ")) {
        inOptions = false; // the next heading
      } else if (inOptions) {
        Matcher m = optionLine.matcher(line);
        if (m.find()) {
          listed.add(m.group(1));
        }
      }
    }
    return listed;
  }

  /** Help is generated: each command's --help exits 0 and lists each of its options exactly once. */
  @Test
  void everyCommandsHelpExitsZeroAndListsEachOptionExactlyOnce() {
    List<CommandLine> commands = allCommands();
    assertThat(commands).extracting(c -> c.getCommandSpec().qualifiedName())
        .contains("finops price", "finops catalog list", "finops catalog import", "finops advise spot", "finops demo");
    for (CommandLine c : commands) {
      Cli.Result r = runWords(words(c), "--help");
      String name = c.getCommandSpec().qualifiedName();
      assertThat(r.code()).as(name).isZero();
      assertThat(r.err()).as(name).isEmpty();
      assertThat(r.out()).as(name).startsWith("usage: " + name);

      List<String> expected = new ArrayList<>();
      for (OptionSpec o : c.getCommandSpec().options()) {
        if (!o.hidden()) {
          expected.add(o.longestName());
        }
      }
      assertThat(expected).as(name).contains("--help");
      assertThat(listedOptions(r.out())).as(name + " lists each option once:%n%s", r.out())
          .containsExactlyInAnyOrderElementsOf(expected);
      if (words(c).size() == 1) {
        assertThat(Cli.run("help", words(c).get(0)).out()).as(name).isEqualTo(r.out());
      }
    }
  }

  @Test
  void helpListsTheCommandsAndTheExitCodes() {
    String help = run("--help").out();
    for (String command : FinOpsCli.subcommandNames(FinOpsCli.commandLine(System.out, System.err).getCommandSpec())) {
      assertThat(help).containsPattern("(?m)^ +" + Pattern.quote(command) + " ");
    }
    assertThat(help).contains("exit codes:").containsPattern("(?m)^ +5 +no GPU");
  }

  /** Any command: an unknown option exits 2 with one line naming it. */
  @Test
  void anUnknownOptionExitsTwoWithOneLineNamingIt() {
    for (CommandLine c : allCommands()) {
      if (!c.getSubcommands().isEmpty()) {
        continue;
      }
      Cli.Result r = runWords(words(c), "--no-such-option");
      String name = c.getCommandSpec().qualifiedName();
      assertThat(r.code()).as(name).isEqualTo(ExitCode.USAGE);
      assertOneLineError(r, "unknown option '--no-such-option'");
      assertThat(r.err()).as(name).contains("(see '" + name + " --help')");
    }
  }

  /** Any command with a required option: without it, exit 2 with one line naming it. */
  @Test
  void aMissingRequiredOptionExitsTwoWithOneLineNamingIt() {
    int checked = 0;
    for (CommandLine c : allCommands()) {
      List<String> required = c.getCommandSpec().requiredArgs().stream().filter(a -> a instanceof OptionSpec)
          .map(a -> ((OptionSpec) a).longestName()).toList();
      if (required.isEmpty()) {
        continue;
      }
      checked++;
      Cli.Result r = runWords(words(c));
      String name = c.getCommandSpec().qualifiedName();
      assertThat(r.code()).as(name).isEqualTo(ExitCode.USAGE);
      assertOneLineError(r, "missing required option ");
      assertThat(required).as(name + ": " + r.err()).anyMatch(o -> r.err().contains(o));
    }
    assertThat(checked).isGreaterThanOrEqualTo(10);
  }

  @Test
  void unknownCommandExitsTwo() {
    Cli.Result r = run("prise");

    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    String names = String.join(", ",
        FinOpsCli.subcommandNames(FinOpsCli.commandLine(System.out, System.err).getCommandSpec()));
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
