package dev.finops.core.catalog;

import static dev.finops.core.TestCatalogs.catalogJson;
import static dev.finops.core.TestCatalogs.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.finops.core.Money;
import dev.finops.core.TestCatalogs;
import dev.finops.core.UsageBucket;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Price catalogs are read strictly")
class CatalogParsingTest {

  private static final String FILE = "bad-prices.json";

  @Nested
  @DisplayName("a good catalog")
  class GoodCatalog {

    private final PriceCatalog catalog = TestCatalogs.resource("round-trip.json");

    @Test
    void keepsItsHeader() {
      assertThat(catalog.name()).isEqualTo("round-trip.json");
      assertThat(catalog.version()).isEqualTo("2026-01-15");
      assertThat(catalog.currency()).isEqualTo(Money.USD);
      assertThat(catalog.models()).hasSize(2);
      assertThat(catalog.gpuInstances()).hasSize(1);
      assertThat(catalog.onPremGpus()).hasSize(1);
    }

    @Test
    void keepsModelIdentityAliasesPatternsAndSource() {
      ModelEntry m = catalog.models().get(0);

      assertThat(m.provider()).isEqualTo("openai"); // lower-cased
      assertThat(m.id()).isEqualTo("gpt-4o");
      assertThat(m.aliases()).containsExactly("chatgpt-4o-latest", "gpt-4o-latest");
      assertThat(m.source()).isEqualTo("https://openai.com/api/pricing/ (read 2026-01-15)");
      assertThat(m.patterns()).hasSize(1);
      assertThat(m.patterns().get(0).matcher("GPT-4o-2024-08-06").matches()).isTrue();
      assertThat(catalog.findExact("openai", "chatgpt-4o-latest")).isSameAs(m);
      assertThat(catalog.findExact("anthropic", "chatgpt-4o-latest")).isNull();
      assertThat(catalog.findByPattern(null, "gpt-4o-2024-08-06")).isSameAs(m);
      assertThat(catalog.findByPattern(null, "gpt-4o-2024-08-06-preview")).isNull();
    }

    @Test
    void keepsEffectiveDatedVersionsWithExactPrices() {
      List<ModelPrice> versions = catalog.models().get(0).prices();
      ModelPrice first = versions.get(0);
      ModelPrice second = versions.get(1);

      assertThat(first.validFrom()).isEqualTo(day("2024-05-13"));
      assertThat(first.validTo()).isEqualTo(Instant.parse("2024-10-01T00:00:00Z"));
      assertThat(first.base().price(UsageBucket.INPUT_UNCACHED)).isEqualTo(new BigDecimal("5.00"));
      // a JSON number is read from its text, never through double
      assertThat(first.base().price(UsageBucket.OUTPUT)).isEqualTo(new BigDecimal("15.00"));
      assertThat(second.base().price(UsageBucket.REQUESTS)).isEqualTo(new BigDecimal("0.1"));
      assertThat(second.validFrom()).isEqualTo(day("2024-10-01"));
      assertThat(second.validTo()).isNull();
      assertThat(second.currency()).isEqualTo(Money.USD);
      assertThat(second.base().declared()).containsOnlyKeys(
          UsageBucket.INPUT_UNCACHED, UsageBucket.CACHE_READ, UsageBucket.OUTPUT, UsageBucket.REQUESTS);
    }

    @Test
    void keepsContextTiersAndServiceTiers() {
      ModelPrice p = catalog.models().get(0).latest();

      assertThat(p.contextTiers()).extracting(ContextTier::aboveInputTokens).containsExactly(128_000L, 200_000L);
      assertThat(p.serviceTierMultipliers())
          .isEqualTo(Map.of("batch", new BigDecimal("0.5"), "priority", new BigDecimal("2")));
      assertThat(p.contextTierIndex(128_000)).isZero();
      assertThat(p.contextTierIndex(128_001)).isEqualTo(1);
      assertThat(p.contextTierIndex(200_001)).isEqualTo(2);
      // a tier's unlisted buckets keep the base price
      assertThat(p.effective(1, "standard").price(UsageBucket.INPUT_UNCACHED)).isEqualByComparingTo("5.00");
      assertThat(p.effective(1, "standard").price(UsageBucket.OUTPUT)).isEqualByComparingTo("10.00");
      assertThat(p.effective(1, "standard").price(UsageBucket.CACHE_READ)).isEqualByComparingTo("1.25");
      assertThat(p.effective(2, "standard").price(UsageBucket.OUTPUT)).isEqualByComparingTo("20.00");
      assertThat(p.effective(2, "batch").price(UsageBucket.OUTPUT)).isEqualByComparingTo("10.00");
      assertThat(p.effective(0, "priority").price(UsageBucket.INPUT_UNCACHED)).isEqualByComparingTo("5.00");
      assertThat(p.effective(0, "no-such-tier").price(UsageBucket.INPUT_UNCACHED)).isEqualByComparingTo("2.50");
      assertThat(p.knowsServiceTier("batch")).isTrue();
      assertThat(p.knowsServiceTier("flex")).isFalse();
    }

    @Test
    void singleInlinePriceIsOpenEndedFromTheEpochInItsOwnCurrency() {
      ModelEntry mistral = catalog.models().get(1);

      assertThat(mistral.prices()).hasSize(1);
      assertThat(mistral.latest().validFrom()).isEqualTo(Instant.EPOCH);
      assertThat(mistral.latest().validTo()).isNull();
      assertThat(mistral.latest().currency()).isEqualTo(Currency.getInstance("EUR"));
      assertThat(mistral.source()).isNull();
    }

    @Test
    void keepsGpuInstancesAndOnPremGpus() {
      GpuInstance p4d = catalog.findGpuInstance(null, null, "P4D.24XLARGE");

      assertThat(p4d).isSameAs(catalog.gpuInstances().get(0));
      assertThat(p4d.provider()).isEqualTo("aws");
      assertThat(p4d.region()).isEqualTo("us-east-1");
      assertThat(p4d.accelerator()).isEqualTo("A100-40GB");
      assertThat(p4d.gpuCount()).isEqualTo(8);
      assertThat(p4d.prices()).hasSize(2);
      assertThat(p4d.priceAt(day("2024-01-01").toEpochMilli()).onDemandHourly()).isEqualTo(new BigDecimal("32.7726"));
      assertThat(p4d.priceAt(day("2024-01-01").toEpochMilli()).spotHourly()).isNull();
      assertThat(p4d.priceAt(day("2025-06-01").toEpochMilli()).hourly(PurchaseOption.SPOT))
          .isEqualTo(new BigDecimal("12.50"));
      assertThat(p4d.latest().committedHourly()).isNull();
      assertThat(p4d.priceAt(day("2020-01-01").toEpochMilli())).isNull();

      OnPremGpu dgx = catalog.findOnPrem("onprem-dgx-h100");
      assertThat(dgx.gpuCount()).isEqualTo(8);
      assertThat(dgx.latest().amortizedGpuHourly()).isEqualTo(new BigDecimal("1.90"));
      assertThat(dgx.latest().energyPerKwh()).isEqualTo(new BigDecimal("0.12"));
    }

    @Test
    void loadsTheSameFromAFile(@TempDir Path dir) throws Exception {
      Path file = dir.resolve("prices.json");
      Files.writeString(file, catalogJson("from-file", TestCatalogs.modelJson("openai", "gpt-x", "1", "2")));

      PriceCatalog loaded = PriceCatalog.load(file);

      assertThat(loaded.name()).isEqualTo(file.toString());
      assertThat(loaded.version()).isEqualTo("from-file");
      assertThat(loaded.findExact("openai", "gpt-x").latest().base().price(UsageBucket.OUTPUT)).isEqualByComparingTo("2");
    }
  }

  // ---- bad catalogs: each names the file, line:column, the JSON path and the field ------------------

  private static CatalogException rejected(String json) {
    CatalogException e = catchThrowableOfType(CatalogException.class, () -> PriceCatalog.parse(FILE, json));
    assertThat(e).as("expected the catalog to be rejected:%n%s", json).isNotNull();
    return e;
  }

  /**
   * Asserts that the catalog is rejected at the place {@code marker} points to (the marker is a
   * piece of the JSON text; a '|' in it marks the exact character, else its first character), with
   * {@code path}, and a message that names the field and contains each of {@code details}.
   */
  private static CatalogException assertRejectedAt(String json, String marker, String path, String... details) {
    CatalogException e = rejected(json);
    int[] at = lineAndColumn(json, marker);
    String field = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "") : "";

    assertThat(e.file()).isEqualTo(FILE);
    assertThat(e.path()).isEqualTo(path);
    assertThat(new int[] {e.line(), e.column()}).as("line and column of %s", path).containsExactly(at);
    assertThat(e.getMessage()).startsWith(FILE + ":" + at[0] + ":" + at[1] + ": " + path + ": ");
    assertThat(e.detail()).contains(field);
    for (String d : details) {
      assertThat(e.getMessage()).contains(d);
    }
    return e;
  }

  /** 1-based line and column of the marked character. */
  private static int[] lineAndColumn(String json, String marker) {
    int bar = marker.indexOf('|');
    String text = marker.replace("|", "");
    int index = json.indexOf(text);
    assertThat(index).as("marker %s not in the test catalog", marker).isNotNegative();
    index += Math.max(bar, 0);
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < index; i++) {
      if (json.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new int[] {line, index - lineStart + 1};
  }

  /** A catalog with one model "openai/gpt-4o" whose versions array holds {@code versions}. */
  private static String withVersions(String versions) {
    return catalogJson("bad", """
        { "provider": "openai", "id": "gpt-4o",
          "versions": [
        """ + versions + """
          ]
        }""");
  }

  @Test
  void malformedJson() {
    String json = catalogJson("bad", """
        { "provider": "openai"
          "id": "gpt-4o", "prices": { "input": "1" } }""");

    CatalogException e = rejected(json);

    assertThat(e.file()).isEqualTo(FILE);
    assertThat(new int[] {e.line(), e.column()}).containsExactly(lineAndColumn(json, "|\"id\""));
    assertThat(e.getMessage()).startsWith(FILE + ":3:3: ").contains("malformed JSON");
    assertThat(e.path()).as("where the parser stopped").isEqualTo("$.models[0].provider");
  }

  @Test
  void trailingContentAfterTheDocument() {
    String json = catalogJson("bad", "") + "{}";

    assertRejectedAt(json, "\n|{}", "$", "unexpected content after the end of the document");
  }

  @Test
  void unknownTopLevelField() {
    String json = """
        { "format_version": 1, "catalog_version": "bad",
          "colour": "blue" }""";

    assertRejectedAt(json, "\"colour\": |\"blue\"", "$.colour", "unknown field 'colour'", "allowed here");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = ';', value = {
      "{ \"provider\": \"openai\", \"id\": \"m\", \"prices\": { \"input\": \"1\" }, \"price\": \"2\" }; $.models[0].price",
      "{ \"provider\": \"openai\", \"id\": \"m\", \"versions\": [ { \"valid_from\": \"2024-01-01\", \"valid_until\": \"2025-01-01\", \"prices\": { \"input\": \"1\" } } ] }; $.models[0].versions[0].valid_until",
      "{ \"provider\": \"openai\", \"id\": \"m\", \"prices\": { \"input\": \"1\" }, \"context_tiers\": [ { \"above_input_tokens\": 10, \"prices\": { \"input\": \"2\" }, \"label\": \"long\" } ] }; $.models[0].context_tiers[0].label",
  })
  void unknownNestedField(String model, String path) {
    String json = catalogJson("bad", model);
    String field = path.substring(path.lastIndexOf('.') + 1);

    assertRejectedAt(json, "\"" + field + "\": |", path, "unknown field '" + field + "'");
  }

  @Test
  void unknownFieldInAGpuInstanceVersion() {
    String json = """
        { "format_version": 1, "catalog_version": "bad", "gpu_instances": [
          { "provider": "aws", "region": "us-east-1", "instance_type": "p5.48xlarge", "accelerator": "H100", "gpus": 8,
            "versions": [ { "valid_from": "2025-01-01", "on_demand_hourly": "55.04", "reserved_hourly": "30" } ] } ] }""";

    assertRejectedAt(json, "\"reserved_hourly\": |", "$.gpu_instances[0].versions[0].reserved_hourly",
        "unknown field 'reserved_hourly'");
  }

  @Test
  void unknownPriceBucket() {
    String json = catalogJson("bad", """
        { "provider": "openai", "id": "m", "prices": { "input": "1", "cached_input": "0.5" } }""");

    assertRejectedAt(json, "\"cached_input\": |", "$.models[0].prices.cached_input", "unknown price bucket");
  }

  @Test
  void duplicateKey() {
    String json = catalogJson("bad", """
        { "provider": "openai", "id": "gpt-4o",
          "prices": { "input": "2.50", "output": "10.00", "input": "5.00" } }""");

    assertRejectedAt(json, "\"10.00\", |\"input\"", "$.models[0].prices.input", "duplicate key 'input'");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = ';', value = {
      "\"prices\": { \"input\": \"2.50\", \"Input\": \"5.00\" }; $.models[0].prices.Input; duplicate price bucket 'input'",
      "\"prices\": { \"input\": \"2.50\" }, \"service_tiers\": { \"batch\": \"0.5\", \"Batch\": \"0.4\" }; "
          + "$.models[0].service_tiers.Batch; duplicate service tier 'batch'",
  })
  void duplicateKeyDifferingOnlyInCase(String fields, String path, String detail) {
    String json = catalogJson("bad", "{ \"provider\": \"openai\", \"id\": \"gpt-4o\", " + fields + " }");
    String key = path.substring(path.lastIndexOf('.') + 1);

    assertRejectedAt(json, "\"" + key + "\": |", path, detail);
  }

  @Test
  void negativePrice() {
    String json = withVersions("""
        { "valid_from": "2024-01-01", "prices": { "input": "2.50", "output": "-1" } }""");

    CatalogException e = assertRejectedAt(json, "\"-1\"", "$.models[0].versions[0].prices.output",
        "price must not be negative", "\"-1\"");
    assertThat(e.detail()).startsWith("output: ");
  }

  @ParameterizedTest(name = "price {0}")
  @ValueSource(strings = {"\"abc\"", "\"2.50 USD\"", "\"1,000\"", "\"\"", "true", "\"NaN\"", "\"0x10\""})
  void nonNumericPrice(String price) {
    String json = catalogJson("bad", """
        { "provider": "openai", "id": "gpt-4o",
          "prices": { "input": %s } }""".formatted(price));

    assertRejectedAt(json, "\"input\": |" + price, "$.models[0].prices.input");
  }

  @Test
  void nonNumericPriceMessageQuotesTheText() {
    String json = catalogJson("bad", TestCatalogs.modelJson("openai", "gpt-4o", "2.50 USD", "10"));

    assertRejectedAt(json, "|\"2.50 USD\"", "$.models[0].prices.input", "not a number: \"2.50 USD\"");
  }

  @Test
  void aPriceOfThousandsOfDigitsIsRefusedWithAShortMessage() {
    String digits = "1" + "0".repeat(199_999);
    String json = catalogJson("bad", TestCatalogs.modelJson("openai", "gpt-4o", digits, "10"));

    CatalogException e = assertRejectedAt(json, "|\"" + digits.substring(0, 8), "$.models[0].prices.input",
        "too long", "200000 characters; at most 64");
    assertThat(e.getMessage()).hasSizeLessThan(200);
  }

  @Test
  void aPriceWithAHugeExponentIsRefused() {
    String json = catalogJson("bad", TestCatalogs.modelJson("openai", "gpt-4o", "1e-999999999", "10"));

    assertRejectedAt(json, "|\"1e-999999999\"", "$.models[0].prices.input", "exponent out of range");
  }

  @Test
  void overlappingValidityRanges() {
    String json = withVersions("""
        { "valid_from": "2024-01-01", "valid_to": "2024-07-01", "prices": { "input": "5" } },
        { "valid_from": "2024-06-01", "prices": { "input": "2.5" } }""");

    assertRejectedAt(json, "\"valid_from\": |\"2024-06-01\"", "$.models[0].versions[1].valid_from",
        "overlapping validity ranges", "2024-07-01", "2024-06-01");
  }

  @Test
  void anOpenEndedVersionBeforeAnotherOverlapsIt() {
    String json = withVersions("""
        { "valid_from": "2024-01-01", "prices": { "input": "5" } },
        { "valid_from": "2024-06-01", "prices": { "input": "2.5" } }""");

    assertRejectedAt(json, "\"valid_from\": |\"2024-06-01\"", "$.models[0].versions[1].valid_from",
        "overlapping validity ranges", "open-ended");
  }

  @Test
  void overlappingGpuInstanceVersions() {
    String json = """
        { "format_version": 1, "catalog_version": "bad", "gpu_instances": [
          { "provider": "aws", "region": "us-east-1", "instance_type": "p4d.24xlarge", "accelerator": "A100", "gpus": 8,
            "versions": [ { "valid_from": "2023-09-18", "valid_to": "2025-07-01", "on_demand_hourly": "32.7726" },
                          { "valid_from": "2025-06-01", "on_demand_hourly": "21.957642" } ] } ] }""";

    assertRejectedAt(json, "\"valid_from\": |\"2025-06-01\"", "$.gpu_instances[0].versions[1].valid_from",
        "overlapping validity ranges");
  }

  @Test
  void unsortedVersions() {
    String json = withVersions("""
        { "valid_from": "2024-06-01", "valid_to": "2024-09-01", "prices": { "input": "5" } },
        { "valid_from": "2024-01-01", "valid_to": "2024-03-01", "prices": { "input": "2.5" } }""");

    assertRejectedAt(json, "\"valid_from\": |\"2024-01-01\"", "$.models[0].versions[1].valid_from",
        "must be sorted by valid_from");
  }

  @ParameterizedTest(name = "{0} after 200000")
  @ValueSource(longs = {128_000, 200_000})
  void contextTiersOutOfOrder(long second) {
    String json = withVersions("""
        { "valid_from": "2024-01-01", "prices": { "input": "1.25" },
          "context_tiers": [ { "above_input_tokens": 200000, "prices": { "input": "2.50" } },
                             { "above_input_tokens": %d, "prices": { "input": "5.00" } } ] }""".formatted(second));

    assertRejectedAt(json, "\"above_input_tokens\": |" + second + ", \"prices\": { \"input\": \"5.00\"",
        "$.models[0].versions[0].context_tiers[1].above_input_tokens", "tiers out of order");
  }

  @Test
  void unknownCurrencyCodeInTheHeader() {
    String json = """
        { "format_version": 1, "catalog_version": "bad", "currency": "XYZ" }""";

    assertRejectedAt(json, "|\"XYZ\"", "$.currency", "unknown ISO 4217 currency code 'XYZ'");
  }

  @Test
  void unknownCurrencyCodeInAVersion() {
    String json = withVersions("""
        { "valid_from": "2024-01-01", "currency": "usd", "prices": { "input": "1" } }""");

    assertRejectedAt(json, "|\"usd\"", "$.models[0].versions[0].currency", "'usd'");
  }

  @Test
  void missingRequiredFieldOfAModel() {
    String json = catalogJson("bad", """
          { "provider": "openai", "prices": { "input": "1" } }""");

    assertRejectedAt(json, "|{ \"provider\"", "$.models[0].id", "required field 'id' is missing");
  }

  @Test
  void missingPricesOfAVersion() {
    String json = withVersions("""
        { "valid_from": "2024-01-01", "valid_to": "2025-01-01" }""");

    assertRejectedAt(json, "|{ \"valid_from\"", "$.models[0].versions[0].prices", "required field 'prices' is missing");
  }

  @Test
  void missingCatalogVersion() {
    String json = "{ \"format_version\": 1 }";

    assertRejectedAt(json, "|{", "$.catalog_version", "required field 'catalog_version' is missing");
  }

  @Test
  void nullCountsAsMissing() {
    String json = catalogJson("bad", """
        { "provider": "openai", "id": null, "prices": { "input": "1" } }""");

    assertRejectedAt(json, "|{ \"provider\"", "$.models[0].id", "required field 'id' is missing");
  }

  @ParameterizedTest(name = "format_version {0}")
  @ValueSource(strings = {"2", "0", "1.0", "\"1\""})
  void wrongFormatVersion(String version) {
    String json = "{ \"catalog_version\": \"bad\",\n  \"format_version\": " + version + " }";

    assertRejectedAt(json, "\"format_version\": |" + version, "$.format_version", "unsupported format version");
  }

  @Test
  void sameIdTwiceForAProvider() {
    String json = catalogJson("bad", """
        { "provider": "openai", "id": "gpt-4o", "prices": { "input": "2.50" } },
        { "provider": "OpenAI", "id": "GPT-4o", "prices": { "input": "5.00" } }""");

    assertRejectedAt(json, "|\"GPT-4o\"", "$.models[1].id", "is defined twice", "first at $.models[0]");
  }

  @Test
  void sameIdForTwoProvidersIsFine() {
    String json = catalogJson("ok", """
        { "provider": "together", "id": "llama-3.3-70b", "prices": { "input": "0.88" } },
        { "provider": "groq", "id": "llama-3.3-70b", "prices": { "input": "0.59" } }""");

    assertThat(PriceCatalog.parse(FILE, json).models()).hasSize(2);
  }

  @Test
  void badRegexInMatch() {
    String json = catalogJson("bad", """
        { "provider": "openai", "id": "gpt-4o", "match": ["gpt-4o", "gpt-4o-(\\\\d{4}"],
          "prices": { "input": "2.50" } }""");

    assertRejectedAt(json, "|\"gpt-4o-(", "$.models[0].match[1]", "invalid regular expression");
  }

  @ParameterizedTest(name = "valid_to {0}")
  @ValueSource(strings = {"2023-12-31", "2024-01-01", "2024-01-01T00:00:00Z"})
  void validToNotAfterValidFrom(String validTo) {
    String json = withVersions("""
        { "valid_from": "2024-01-01", "valid_to": "%s", "prices": { "input": "1" } }""".formatted(validTo));

    assertRejectedAt(json, "\"valid_to\": |", "$.models[0].versions[0].valid_to", "must be after valid_from");
  }

  @Test
  void notADate() {
    String json = withVersions("""
        { "valid_from": "2024-13-01", "prices": { "input": "1" } }""");

    assertRejectedAt(json, "|\"2024-13-01\"", "$.models[0].versions[0].valid_from", "not a date");
  }

  @Test
  void missingFileNamesTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("nope.json");

    CatalogException e = catchThrowableOfType(CatalogException.class, () -> PriceCatalog.load(missing));

    assertThat(e.file()).isEqualTo(missing.toString());
    assertThat(e).hasMessageStartingWith(missing + ": ");
    assertThat(e.detail()).isEqualTo("no such file");
  }

  @Test
  void timeOfDayWindowsReplaceTheVersionPricesDuringTheWindowInUtc() {
    PriceCatalog c = PriceCatalog.parse(FILE, withVersions("""
        { "valid_from": "2025-01-01",
          "prices": { "input": "0.135", "output": "0.55" },
          "time_of_day": [ { "from": "00:30", "to": "16:30", "prices": { "input": "0.27", "output": "1.10" } } ] }
        """));
    ModelPrice p = c.findExact("openai", "gpt-4o").latest();

    assertThat(p.timeOfDay()).hasSize(1);
    assertThat(p.timeSlot(Instant.parse("2025-03-01T00:29:59.999Z").toEpochMilli())).isZero();
    assertThat(p.timeSlot(Instant.parse("2025-03-01T00:30:00Z").toEpochMilli())).isEqualTo(1);
    assertThat(p.timeSlot(Instant.parse("2025-03-01T16:30:00Z").toEpochMilli())).isZero();
    assertThat(p.slot(1).base().price(UsageBucket.INPUT_UNCACHED)).isEqualByComparingTo("0.27");
    assertThat(p.slot(0).base().price(UsageBucket.INPUT_UNCACHED)).isEqualByComparingTo("0.135");
  }

  @Test
  void timeOfDayWindowsMustNotWrapOrOverlap() {
    assertRejectedAt(withVersions("""
        { "valid_from": "2025-01-01", "prices": { "input": "1" },
          "time_of_day": [ { "from": "16:30", "to": "00:30", "prices": { "input": "2" } } ] }
        """), "\"00:30\"", "$.models[0].versions[0].time_of_day[0].to", "two windows");
    assertRejectedAt(withVersions("""
        { "valid_from": "2025-01-01", "prices": { "input": "1" },
          "time_of_day": [ { "from": "01:00", "to": "03:00", "prices": { "input": "2" } },
                           { "from": "02:00", "to": "04:00", "prices": { "input": "3" } } ] }
        """), "\"02:00\"", "$.models[0].versions[0].time_of_day[1].from", "overlap");
    assertRejectedAt(withVersions("""
        { "valid_from": "2025-01-01", "prices": { "input": "1" },
          "time_of_day": [ { "from": "1am", "to": "03:00", "prices": { "input": "2" } } ] }
        """), "\"1am\"", "$.models[0].versions[0].time_of_day[0].from", "HH:MM");
  }
}
