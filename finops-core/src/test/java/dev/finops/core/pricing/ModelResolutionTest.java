package dev.finops.core.pricing;

import static dev.finops.core.Money.usd;
import static dev.finops.core.TestCatalogs.catalogJson;
import static dev.finops.core.TestCatalogs.modelJson;
import static dev.finops.core.TestCatalogs.oneModel;
import static dev.finops.core.pricing.PricingTest.FIXTURE;
import static dev.finops.core.pricing.PricingTest.MILLION_IN_MILLION_OUT;
import static dev.finops.core.pricing.PricingTest.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.finops.core.TestCatalogs;
import dev.finops.core.Usage;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.CatalogException;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.catalog.PriceSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Model names resolve through the catalog layers")
class ModelResolutionTest {

  private static final Usage MILLION_IN = Usage.ofTokens(1_000_000, 0);

  private final Pricing pricing = TestCatalogs.pricing(UnknownModelPolicy.FAIL, FIXTURE);

  private static String resolved(Pricing pricing, String provider, String model) {
    Pricing.Match m = pricing.resolve(provider, model);
    return m == null ? null : m.entry().provider() + "/" + m.entry().id();
  }

  @Nested
  @DisplayName("names")
  class Names {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "gpt-4o, openai/gpt-4o",
        "GPT-4O, openai/gpt-4o",
        "' gpt-4o ', openai/gpt-4o",
        "chatgpt-4o-latest, openai/gpt-4o",
        "ChatGPT-4o-Latest, openai/gpt-4o",
        "gpt-4o-2024-08-06, openai/gpt-4o",
        "GPT-4o-2024-11-20, openai/gpt-4o",
        "gpt-4o-2024-05-13, openai/gpt-4o-2024-05-13",
        "openai/gpt-4o, openai/gpt-4o",
        "OpenAI/GPT-4o, openai/gpt-4o",
        "openai/gpt-4o-2024-08-06, openai/gpt-4o",
        "claude-sonnet-4-20250514, anthropic/claude-sonnet-4",
        "anthropic/claude-sonnet-4-0, anthropic/claude-sonnet-4",
        "meta-llama/Llama-3.3-70B-Instruct-Turbo, together/meta-llama/Llama-3.3-70B-Instruct-Turbo",
        "meta-llama/llama-3.3-70b-instruct-turbo, together/meta-llama/Llama-3.3-70B-Instruct-Turbo",
        "together/meta-llama/Llama-3.3-70B-Instruct-Turbo, together/meta-llama/Llama-3.3-70B-Instruct-Turbo",
    })
    void resolve(String raw, String entry) {
      assertThat(resolved(pricing, null, raw)).isEqualTo(entry);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "gpt-4o-2024-08-06-preview", // patterns match the whole name
        "gpt-4o-mini",
        "anthropic/gpt-4o", // a known provider prefix that does not have the model
        "openai/",
        "gpt",
    })
    void doNotResolve(String raw) {
      assertThat(pricing.resolve(null, raw)).isNull();
    }

    @Test
    void anExactDatedSnapshotEntryBeatsThePatternAndHasItsOwnPrice() {
      assertThat(pricing.price(null, "gpt-4o-2024-05-13", MILLION_IN_MILLION_OUT, NOW).total()).isEqualTo(usd("20.00"));
      assertThat(pricing.price(null, "gpt-4o-2024-08-06", MILLION_IN_MILLION_OUT, NOW).total()).isEqualTo(usd("12.50"));
    }

    @Test
    void resultsNameTheRequestedModelAndTheEntryItResolvedTo() {
      PricedUsage p = pricing.price(null, "openai/GPT-4o-2024-08-06", MILLION_IN, NOW);

      assertThat(p.requestedModel()).isEqualTo("openai/GPT-4o-2024-08-06");
      assertThat(p.modelId()).isEqualTo("gpt-4o");
      assertThat(p.provider()).isEqualTo("openai");
    }
  }

  @Nested
  @DisplayName("provider filter")
  class ProviderFilter {

    @ParameterizedTest(name = "provider {0}, model {1} -> {2}")
    @CsvSource({
        "groq, llama-3.3-70b, groq/llama-3.3-70b",
        "GROQ, llama-3.3-70b, groq/llama-3.3-70b",
        "together, llama-3.3-70b, together/llama-3.3-70b",
        ", llama-3.3-70b, ", // no provider, two providers price it differently: ambiguous
        ", groq/llama-3.3-70b, groq/llama-3.3-70b",
        "groq, groq/llama-3.3-70b, groq/llama-3.3-70b",
        "anthropic, claude-sonnet-4-20250514, anthropic/claude-sonnet-4",
        "anthropic, gpt-4o, ",
        "openai, claude-sonnet-4-20250514, ", // patterns are filtered too
        "groq, together/llama-3.3-70b, ",
    })
    void narrowsTheSearch(String provider, String model, String entry) {
      assertThat(resolved(pricing, provider, model)).isEqualTo(entry);
    }

    @Test
    void theProviderDecidesThePrice() {
      assertThat(pricing.price("groq", "llama-3.3-70b", MILLION_IN_MILLION_OUT, NOW).total()).isEqualTo(usd("1.38"));
      assertThat(pricing.price("together", "llama-3.3-70b", MILLION_IN_MILLION_OUT, NOW).total()).isEqualTo(usd("1.76"));
    }
  }

  @Nested
  @DisplayName("layer precedence")
  class Layers {

    private final PriceCatalog bundled = PriceCatalog.parse("bundled.json", catalogJson("bundled-1",
        modelJson("openai", "gpt-4o", "9", "9") + ",\n" + modelJson("openai", "only-bundled", "1", "1")));
    private final PriceCatalog user = oneModel("user-1", "openai", "gpt-4o", "8", "8");
    private final PriceCatalog overrides = PriceCatalog.builder("overrides", "override-1")
        .addModel("openai", "gpt-4o", BucketPrices.ofTokens("7", "7")).build();

    private final Pricing layered = Pricing.builder().bundledCatalog(bundled).userCatalog(user).overrides(overrides)
        .build();

    private void assertPricedBy(String model, PriceSource source, String catalogVersion, String total) {
      PricedUsage p = layered.price("openai", model, MILLION_IN, NOW);
      assertThat(p.source()).isEqualTo(source);
      assertThat(p.catalogVersion()).isEqualTo(catalogVersion);
      assertThat(p.total()).isEqualTo(usd(total));
    }

    @Test
    void overrideBeatsUserCatalogBeatsBundled() {
      assertThat(layered.catalogLayers()).extracting(Pricing.Layer::source)
          .containsExactly(PriceSource.OVERRIDE, PriceSource.USER_CATALOG, PriceSource.BUNDLED_CATALOG);
      assertPricedBy("gpt-4o", PriceSource.OVERRIDE, "override-1", "7");
      assertPricedBy("only-bundled", PriceSource.BUNDLED_CATALOG, "bundled-1", "1");

      layered.replaceOverrides(null);
      assertPricedBy("gpt-4o", PriceSource.USER_CATALOG, "user-1", "8");

      layered.replaceUserCatalogs(List.of());
      assertPricedBy("gpt-4o", PriceSource.BUNDLED_CATALOG, "bundled-1", "9");
    }

    @Test
    void earlierUserCatalogsBeatLaterOnes() {
      Pricing two = TestCatalogs.pricing(UnknownModelPolicy.FAIL, oneModel("first", "openai", "gpt-4o", "3", "3"), user);

      PricedUsage p = two.price("openai", "gpt-4o", MILLION_IN, NOW);

      assertThat(p.catalogVersion()).isEqualTo("first");
      assertThat(p.total()).isEqualTo(usd("3"));
    }

    @Test
    void anExactIdInALowerLayerBeatsAPatternInAHigherOne() {
      PriceCatalog greedy = PriceCatalog.parse("greedy.json", catalogJson("greedy-1", """
          { "provider": "openai", "id": "gpt-4o-any", "match": ["gpt-4o-.*"], "prices": { "input": "100" } }"""));
      Pricing p = TestCatalogs.pricing(UnknownModelPolicy.FAIL, greedy, FIXTURE);

      assertThat(resolved(p, null, "gpt-4o-2024-05-13")).isEqualTo("openai/gpt-4o-2024-05-13");
      assertThat(resolved(p, null, "chatgpt-4o-latest")).isEqualTo("openai/gpt-4o");
      // among patterns, the higher layer's comes first
      assertThat(resolved(p, null, "gpt-4o-2024-08-06")).isEqualTo("openai/gpt-4o-any");
    }

    @Test
    void aCallerSuppliedCostWinsOverEveryLayer() {
      PricedUsage p = layered.priceReported("openai", "gpt-4o", MILLION_IN, usd("0.0123"));

      assertThat(p.source()).isEqualTo(PriceSource.CALLER_SUPPLIED);
      assertThat(p.total()).isEqualTo(usd("0.0123"));
      assertThat(p.modelId()).isEqualTo("gpt-4o");
      assertThat(p.usage()).isEqualTo(MILLION_IN);
      assertThat(p.isPriced()).isTrue();
    }

    @Test
    void aCallerSuppliedCostNeedsNoCatalogEntry() {
      PricedUsage p = layered.priceReported(null, "mystery-model", MILLION_IN, usd("1.5"));

      assertThat(p.source()).isEqualTo(PriceSource.CALLER_SUPPLIED);
      assertThat(p.total()).isEqualTo(usd("1.5"));
      assertThat(layered.unpricedCounts()).isEmpty();
    }

    @Test
    void aNegativeCallerSuppliedCostIsRejected() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> layered.priceReported("openai", "gpt-4o", MILLION_IN, usd("-0.01")));
    }
  }

  @Nested
  @DisplayName("reloading user catalogs")
  class Reload {

    @TempDir Path dir;

    private Path write(String name, String json) throws Exception {
      Path f = dir.resolve(name);
      Files.writeString(f, json);
      return f;
    }

    @Test
    void aFailedReloadThrowsAndLeavesThePreviousCatalogInForce() throws Exception {
      Path good = write("prices.json", catalogJson("user-1", modelJson("openai", "gpt-4o", "8", "8")));
      Path next = write("next.json", catalogJson("user-2", modelJson("openai", "gpt-4o", "6", "6")));
      Path bad = write("bad.json", catalogJson("user-3", modelJson("openai", "gpt-4o", "-6", "6")));
      Pricing p = Pricing.builder().bundledCatalog(null).userCatalog(PriceCatalog.load(good)).build();
      assertThat(p.price(null, "gpt-4o", MILLION_IN, NOW).total()).isEqualTo(usd("8"));

      CatalogException e = catchThrowableOfType(CatalogException.class, () -> p.reloadUserCatalogs(List.of(next, bad)));

      assertThat(e.file()).isEqualTo(bad.toString());
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.path()).isEqualTo("$.models[0].prices.input");
      PricedUsage after = p.price(null, "gpt-4o", MILLION_IN, NOW);
      assertThat(after.total()).isEqualTo(usd("8"));
      assertThat(after.catalogVersion()).isEqualTo("user-1");
      assertThat(p.catalogLayers()).hasSize(1);
    }

    @Test
    void aGoodReloadReplacesPricesAndForgetsCachedResolutions() throws Exception {
      Path file = write("prices.json", catalogJson("user-1", modelJson("openai", "gpt-4o", "8", "8")));
      Pricing p = Pricing.builder().bundledCatalog(null).unknownModelPolicy(UnknownModelPolicy.RECORD_UNPRICED)
          .userCatalog(PriceCatalog.load(file)).build();
      assertThat(p.price(null, "gpt-4o-mini", MILLION_IN, NOW).isPriced()).isFalse();

      Files.writeString(file, catalogJson("user-2",
          modelJson("openai", "gpt-4o", "6", "6") + ",\n" + modelJson("openai", "gpt-4o-mini", "0.15", "0.6")));
      p.reloadUserCatalogs(List.of(file));

      assertThat(p.price(null, "gpt-4o", MILLION_IN, NOW).total()).isEqualTo(usd("6"));
      assertThat(p.price(null, "gpt-4o", MILLION_IN, NOW).catalogVersion()).isEqualTo("user-2");
      assertThat(p.price(null, "gpt-4o-mini", MILLION_IN, NOW).total()).isEqualTo(usd("0.15"));
    }

    @Test
    void aFileThatBecomesBadKeepsItsLastGoodContentInForce() throws Exception {
      Path file = write("prices.json", catalogJson("user-1", modelJson("openai", "gpt-4o", "8", "8")));
      Pricing p = Pricing.builder().bundledCatalog(null).userCatalog(PriceCatalog.load(file)).build();
      Files.writeString(file, "{ \"format_version\": 1, \"catalog_version\": \"broken\", \"models\": [ ");

      catchThrowableOfType(CatalogException.class, () -> p.reloadUserCatalogs(List.of(file)));

      assertThat(p.price(null, "gpt-4o", MILLION_IN, NOW).total()).isEqualTo(usd("8"));
    }
  }
}
