package dev.finops.cli;

import static dev.finops.cli.Cli.assertFields;
import static dev.finops.cli.Cli.run;
import static dev.finops.cli.Cli.testCatalog;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code finops catalog list}. */
class CatalogCommandTest {

  private static final List<String> LIST = List.of("catalog", "list");

  @Test
  void listsModelsAndInstancesWithCurrentPrices() {
    Cli.Result r = Cli.onTestCatalog(LIST, "--at", "2025-10-15");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(""
        + "catalogs, highest precedence first:\n"
        + "source        version     file\n"
        + "user_catalog  cli-test-1  " + testCatalog() + "\n"
        + "\n"
        + "models, prices per 1M tokens:\n"
        + "provider   model              input  cache read  cache write  output  currency  valid from  source\n"
        + "anthropic  claude-sonnet-4-5   3.00        0.30         3.75   15.00  USD       2025-09-29  user_catalog\n"
        + "openai     gpt-4o              2.50        1.25         2.50   10.00  USD       2024-10-01  user_catalog\n"
        + "\n"
        + "GPU instances, prices per instance-hour:\n"
        + "provider  region     instance      accelerator  gpus  on-demand   spot  currency  valid from  source\n"
        + "aws       us-east-1  g5.xlarge     A10G            1   1.006      0.45  USD       2024-01-01  user_catalog\n"
        + "aws       us-east-1  p4d.24xlarge  A100-40GB       8  21.957642  12.50  USD       2025-06-01  user_catalog\n"
        + "\n"
        + "on-prem GPUs:\n"
        + "id               accelerator  gpus  per GPU-hour  per kWh  currency  valid from  source\n"
        + "onprem-dgx-h100  H100-80GB       8          1.90     0.12  USD       2025-01-01  user_catalog\n");
  }

  @Test
  void jsonListAtAnEarlierDate() {
    JsonNode j = Cli.jsonOnTestCatalog(LIST, "--provider", "openai", "--at", "2024-06-01");

    assertFields(j, "at", "2024-06-01");
    assertFields(j.get("catalogs").get(0), "catalog_version", "cli-test-1", "source", "user_catalog");
    assertThat(j.get("models")).hasSize(1);
    assertFields(j.get("models").get(0), "provider", "openai", "id", "gpt-4o", "input", "5.00", "cache_read", "5.00",
        "output", "15.00", "currency", "USD", "valid_from", "2024-05-13", "price_source", "user_catalog");
    assertThat(j.get("gpu_instances")).isEmpty();
  }

  @Test
  void aHigherCatalogShadowsTheSameModel(@TempDir Path dir) throws IOException {
    Path first = dir.resolve("negotiated.json");
    Files.writeString(first, "{ \"format_version\": 1, \"catalog_version\": \"negotiated-1\", \"models\": [\n"
        + "  { \"provider\": \"openai\", \"id\": \"gpt-4o\", \"prices\": { \"input\": \"2.00\", \"output\": \"8.00\" } }\n"
        + "] }\n");

    Cli.Result r = run("catalog", "list", "--json", "--catalog", first.toString(), "--catalog", testCatalog(),
        "--no-bundled", "--provider", "OpenAI");

    JsonNode models = r.json().get("models");
    assertThat(models).hasSize(1);
    assertFields(models.get(0), "input", "2.00", "catalog_version", "negotiated-1");
    assertThat(r.json().get("catalogs")).hasSize(2);

    Cli.Result priced = run("price", "--model", "gpt-4o", "--input-tokens", "1000000", "--output-tokens", "0",
        "--catalog", first.toString(), "--catalog", testCatalog(), "--no-bundled", "--json");
    assertFields(priced.json(), "total", "2", "catalog_version", "negotiated-1");
  }

  @Test
  void missingOrUnknownSubcommandExitsTwo() {
    Cli.Result none = run("catalog");
    Cli.Result unknown = run("catalog", "show");

    assertThat(none.code()).isEqualTo(ExitCode.USAGE);
    FinOpsCliTest.assertOneLineError(none, "catalog: missing subcommand (catalog list, import or diff)");
    assertThat(unknown.code()).isEqualTo(ExitCode.USAGE);
    FinOpsCliTest.assertOneLineError(unknown, "catalog: unknown subcommand 'show' (catalog list, import or diff)");
  }
}
