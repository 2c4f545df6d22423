package dev.finops.cli;

import static dev.finops.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finops.core.catalog.ModelEntry;
import dev.finops.core.catalog.PriceCatalog;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code finops catalog import}, {@code catalog diff} and {@code catalog list --stale} on the real
 * datasets vendored in finops-core's test resources, and {@code finops price} on the result.
 */
class CatalogImportCommandTest {

  private static final Path DATASETS = Path.of("..", "finops-core", "src", "test", "resources", "datasets");
  private static final Path GENAI = DATASETS.resolve("genai-prices").resolve("data.json");
  private static final Path LITELLM = DATASETS.resolve("litellm").resolve("model_prices_and_context_window.json");
  private static final Path BUNDLED = Path.of("..", "finops-core", "src", "main", "resources", "dev", "finops",
      "core", "catalog", "bundled-catalog.json");

  @TempDir
  static Path dir;
  private static Path imported;
  private static Cli.Result importRun;

  @BeforeAll
  static void importBothDatasetsOverTheBundledRows() {
    imported = dir.resolve("imported.json");
    importRun = run("catalog", "import", "--base", BUNDLED.toString(), "--from", "genai-prices", GENAI.toString(),
        "--from", "litellm", LITELLM.toString(), "--out", imported.toString(), "--checked-on", "2026-12-06",
        "--catalog-version", "import-test-1");
  }

  private static BigDecimal total(String... args) {
    List<String> all = new ArrayList<>(List.of("price", "--catalog", imported.toString(), "--no-bundled", "--json"));
    all.addAll(List.of(args));
    Cli.Result r = run(all.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    return new BigDecimal(r.json().get("total").asText());
  }

  @Test
  void theImportedCatalogCoversTheProvidersAndKeepsProvenance() {
    assertThat(importRun.code()).as(importRun.err()).isZero();
    assertThat(importRun.out()).startsWith("wrote " + imported);
    assertThat(importRun.err()).contains("genai-prices " + GENAI).contains("litellm " + LITELLM).contains("skipped");

    PriceCatalog c = PriceCatalog.load(imported);
    PriceCatalog bundled = PriceCatalog.load(BUNDLED);
    assertThat(c.version()).isEqualTo("import-test-1");
    assertThat(c.models().size()).isGreaterThanOrEqualTo(500);
    assertThat(c.models().stream().map(ModelEntry::provider).distinct().count()).isGreaterThanOrEqualTo(20);
    // The hand-curated rows come first and unchanged; GPU and on-prem rows are kept.
    for (int i = 0; i < bundled.models().size(); i++) {
      assertThat(c.models().get(i).samePrices(bundled.models().get(i))).isTrue();
      assertThat(c.models().get(i).source()).isEqualTo(bundled.models().get(i).source());
      assertThat(c.models().get(i).notes()).isEqualTo(bundled.models().get(i).notes());
    }
    assertThat(c.gpuInstances()).hasSameSizeAs(bundled.gpuInstances());
    assertThat(c.onPremGpus()).hasSameSizeAs(bundled.onPremGpus());
    // Imported rows name their dataset and version and carry the day they were checked.
    ModelEntry nova = c.findExact("bedrock", "amazon.nova-pro-v1:0");
    assertThat(nova.source()).startsWith("pydantic/genai-prices genai-prices:");
    assertThat(nova.checkedOn()).isEqualTo(LocalDate.of(2026, 12, 6));
    assertThat(c.models()).anySatisfy(m -> assertThat(m.source()).startsWith("LiteLLM "));
    // LiteLLM's spellings of a service become finops' (gemini -> google, together_ai -> together).
    assertThat(c.models()).noneSatisfy(m -> assertThat(m.provider()).isIn("gemini", "together_ai", "fireworks_ai"));
  }

  @Test
  void pricesAnEmbeddingAnImageAnAudioRequestAndABedrockCrossRegionId() {
    // text-embedding-3-large: $0.13 per 1M input tokens (OpenAI and Azure alike, so no provider needed).
    assertThat(total("--model", "text-embedding-3-large", "--input-tokens", "1000000")).isEqualByComparingTo("0.13");
    // gpt-image-1 (LiteLLM): $5 per 1M text input tokens, $40 per 1M output image tokens.
    assertThat(total("--provider", "openai", "--model", "gpt-image-1", "--input-tokens", "100", "--output-tokens",
        "4160", "--output-image-tokens", "4160")).isEqualByComparingTo("0.1669");
    // gpt-realtime (genai-prices): text 4/16, audio 32/64 per 1M tokens.
    assertThat(total("--provider", "openai", "--model", "gpt-realtime", "--input-tokens", "2000",
        "--input-audio-tokens", "1000", "--output-tokens", "500", "--output-audio-tokens", "500"))
        .isEqualByComparingTo("0.068");
    // Bedrock: cross-region (us.) inference at the regional price, global at the global price.
    assertThat(total("--model", "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0", "--input-tokens",
        "100000")).isEqualByComparingTo("0.33");
    assertThat(total("--model", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "--provider", "bedrock",
        "--input-tokens", "100000")).isEqualByComparingTo("0.3");
    // Perplexity's request fee: $12 per 1,000 requests on top of the tokens.
    assertThat(total("--provider", "perplexity", "--model", "sonar", "--input-tokens", "1000000", "--requests", "1"))
        .isEqualByComparingTo("1.012");
  }

  @Test
  void unknownNamesExitThreeWithCloseMatches() {
    Cli.Result unknown = run("price", "--catalog", imported.toString(), "--no-bundled", "--model",
        "gpt-4o-minii", "--input-tokens", "1");
    assertThat(unknown.code()).isEqualTo(ExitCode.NO_PRICE);
    assertThat(unknown.err()).contains("unknown model 'gpt-4o-minii'").contains("closest known: ");

  }

  @Test
  void anAmbiguousNameExitsThreeNamingTheCandidates() throws IOException {
    Path two = dir.resolve("two-providers.json");
    Files.writeString(two, """
        {"format_version": 1, "catalog_version": "t", "models": [
          {"provider": "groq", "id": "llama-x", "prices": {"input": "0.59", "output": "0.79"}},
          {"provider": "together", "id": "llama-x", "prices": {"input": "0.88", "output": "0.88"}}
        ]}""");
    Cli.Result r = run("price", "--catalog", two.toString(), "--no-bundled", "--model", "llama-x",
        "--input-tokens", "1");

    assertThat(r.code()).isEqualTo(ExitCode.NO_PRICE);
    FinOpsCliTest.assertOneLineError(r, "ambiguous model 'llama-x': priced differently by groq/llama-x, "
        + "together/llama-x");
    assertThat(run("price", "--catalog", two.toString(), "--no-bundled", "--model", "together/llama-x",
        "--input-tokens", "1").code()).isZero();
  }

  @Test
  void aBadDatasetFileExitsFourNamingFileLineAndField() throws IOException {
    Path bad = dir.resolve("broken-data.json");
    Files.writeString(bad, "[{\"id\": \"p\", \"models\": [\n {\"id\": \"m\", \"match\": {\"equals\": \"m\"},\n"
        + "  \"prices\": {\"input_mtok\": \"cheap\"}}]}]");
    Cli.Result r = run("catalog", "import", "--from", "genai-prices", bad.toString(), "--out",
        dir.resolve("never.json").toString());

    assertThat(r.code()).isEqualTo(ExitCode.BAD_CATALOG);
    FinOpsCliTest.assertOneLineError(r, "broken-data.json:3:");
    assertThat(r.err()).contains("input_mtok");
    assertThat(dir.resolve("never.json")).doesNotExist();
  }

  @Test
  void diffListsAddedRemovedAndChangedPricesWithTheirDates() throws IOException {
    Path old = dir.resolve("old.json");
    Path now = dir.resolve("new.json");
    Files.writeString(old, """
        {"format_version": 1, "catalog_version": "old", "models": [
          {"provider": "openai", "id": "gpt-x", "versions": [{"valid_from": "2025-01-01",
            "prices": {"input": "1.00", "output": "4"}}]},
          {"provider": "openai", "id": "gpt-gone", "prices": {"input": "1", "output": "1"}}
        ]}""");
    Files.writeString(now, """
        {"format_version": 1, "catalog_version": "new", "models": [
          {"provider": "openai", "id": "gpt-x", "versions": [
            {"valid_from": "2025-01-01", "valid_to": "2026-01-01", "prices": {"input": "1", "output": "4"}},
            {"valid_from": "2026-01-01", "prices": {"input": "0.5", "output": "4"}}]},
          {"provider": "mistral", "id": "new-one", "versions": [{"valid_from": "2026-02-01",
            "prices": {"input": "0.2", "output": "0.6"}}]}
        ]}""");

    Cli.Result r = run("catalog", "diff", old.toString(), now.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.lines()).containsExactly(
        "catalog diff " + old + " (old) -> " + now + " (new): 1 added, 1 removed, 1 changed",
        "added    mistral/new-one from 2026-02-01  input 0.2, output 0.6",
        "changed  openai/gpt-x from 2026-01-01  input 1 -> 0.5",
        "removed  openai/gpt-gone  no longer priced");

    Cli.Result bundledToImported = run("catalog", "diff", BUNDLED.toString(), imported.toString(), "--json");
    assertThat(bundledToImported.code()).as(bundledToImported.err()).isZero();
    JsonNode changes = bundledToImported.json().get("changes");
    assertThat(changes).allSatisfy(c -> assertThat(c.get("change").asText()).isEqualTo("added"));
    assertThat(changes.size()).isGreaterThan(500);
  }

  @Test
  void staleListsTheModelsDueForACheck() {
    Cli.Result soon = run("catalog", "list", "--catalog", imported.toString(), "--no-bundled", "--json",
        "--stale", "30", "--at", "2026-12-20");
    assertThat(soon.code()).as(soon.err()).isZero();
    // Checked on 2026-12-06: not due within 30 days; the hand-curated rows record no check, so they are.
    JsonNode due = soon.json().get("models");
    long unchecked = PriceCatalog.load(imported).models().stream().filter(m -> m.checkedOn() == null).count();
    assertThat(unchecked).isPositive();
    assertThat(due.size()).isEqualTo((int) unchecked);
    assertThat(due).allSatisfy(m -> assertThat(m.path("checked_on").isNull() || m.path("checked_on").isMissingNode())
        .as(m.toString()).isTrue());

    Cli.Result later = run("catalog", "list", "--catalog", imported.toString(), "--no-bundled", "--json",
        "--stale", "30", "--at", "2027-02-01");
    assertThat(later.json().get("models").size()).isEqualTo(PriceCatalog.load(imported).models().size());
  }
}
