package dev.finops.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Usage;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.GenAiPricesImporter;
import dev.finops.core.catalog.PriceCatalog;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Model names as users and SDKs write them resolve to the catalog entry they mean. */
class NamesAsUsersWriteThemTest {

  private static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");
  private static PriceCatalog genaiPrices;

  @BeforeAll
  static void importDataset() throws Exception {
    genaiPrices = GenAiPricesImporter.read(
        Path.of(NamesAsUsersWriteThemTest.class.getResource("/datasets/genai-prices/data.json").toURI())).catalog();
  }

  private static PriceCatalog small() {
    return PriceCatalog.builder("names", "1")
        .addModel("azure", "gpt-4o", BucketPrices.ofTokens("2.75", "11"))
        .addModel("openai", "gpt-4o", BucketPrices.ofTokens("2.5", "10"))
        .addModel("bedrock", "anthropic.claude-x-v1:0", BucketPrices.ofTokens("3", "15"))
        .addModel("google", "gemini-2.5-pro", BucketPrices.ofTokens("1.25", "10"))
        .addModel("fireworks", "llama-v3p3-70b-instruct", BucketPrices.ofTokens("0.9", "0.9"))
        .addModel("together", "embed-x", BucketPrices.ofTokens("0.02", "0"))
        .addModel("groq", "embed-x", BucketPrices.ofTokens("0.03", "0"))
        .addModel("cerebras", "same-x", BucketPrices.ofTokens("1", "1"))
        .addModel("sambanova", "same-x", BucketPrices.ofTokens("1.0", "1.00"))
        .build();
  }

  private static Pricing pricing(PriceCatalog c) {
    return Pricing.builder().bundledCatalog(null).userCatalog(c)
        .deployment("azure", "prod-4o-eastus", "openai", "gpt-4o").build();
  }

  private static String resolved(Pricing p, String provider, String name) {
    Pricing.Match m = p.resolve(provider, name);
    return m == null ? null : m.entry().provider() + "/" + m.entry().id();
  }

  @Test
  void routingPrefixesAreUnderstood() {
    Pricing p = pricing(small());
    assertThat(resolved(p, null, "openai/gpt-4o")).isEqualTo("openai/gpt-4o");
    assertThat(resolved(p, null, "models/gemini-2.5-pro")).isEqualTo("google/gemini-2.5-pro");
    assertThat(resolved(p, "google", "models/gemini-2.5-pro")).isEqualTo("google/gemini-2.5-pro");
    assertThat(resolved(p, null, "accounts/fireworks/models/llama-v3p3-70b-instruct"))
        .isEqualTo("fireworks/llama-v3p3-70b-instruct");
    assertThat(resolved(p, null, "bedrock/anthropic.claude-x-v1:0")).isEqualTo("bedrock/anthropic.claude-x-v1:0");
  }

  @Test
  void bedrockCrossRegionPrefixesResolveToTheModel() {
    Pricing p = pricing(small());
    for (String prefix : new String[] {"us.", "eu.", "apac.", "global."}) {
      assertThat(resolved(p, "bedrock", prefix + "anthropic.claude-x-v1:0")).isEqualTo("bedrock/anthropic.claude-x-v1:0");
      assertThat(resolved(p, null, "bedrock/" + prefix + "anthropic.claude-x-v1:0"))
          .isEqualTo("bedrock/anthropic.claude-x-v1:0");
    }
    assertThat(resolved(p, "bedrock", "mars.anthropic.claude-x-v1:0")).isNull();
  }

  @Test
  void crossRegionIdsResolveInTheImportedDatasetWithTheirOwnPrices() {
    Pricing p = Pricing.builder().bundledCatalog(null).userCatalog(genaiPrices).build();
    // Bedrock prices global and regional (us./eu./...) inference differently; the dataset lists both.
    assertThat(resolved(p, "bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0")).isNotNull();
    assertThat(resolved(p, null, "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0")).isNotNull();
    assertThat(resolved(p, null, "bedrock/amazon.nova-pro-v1:0")).startsWith("bedrock/");
    assertThat(resolved(p, null, "bedrock/meta.llama3-3-70b-instruct-v1:0")).startsWith("bedrock/");
  }

  @Test
  void azureDeploymentsAreMappedByConfiguration() {
    Pricing p = pricing(small());
    Usage u = Usage.ofTokens(1_000_000, 1_000_000);
    assertThat(p.price("azure", "prod-4o-eastus", u, AT).total().exactAmount()).isEqualByComparingTo("12.5");
    assertThat(p.price(null, "azure/PROD-4o-eastus", u, AT).total().exactAmount()).isEqualByComparingTo("12.5");
    assertThatThrownBy(() -> p.price("azure", "prod-4o-westus", u, AT)).isInstanceOf(UnknownModelException.class);
  }

  @Test
  void aNameSeveralProvidersPriceDifferentlyIsAmbiguousAndNamesTheCandidates() {
    Pricing p = pricing(small());
    assertThatThrownBy(() -> p.price(null, "embed-x", Usage.ofTokens(10, 0), AT))
        .isInstanceOf(AmbiguousModelException.class)
        .hasMessageContaining("together/embed-x")
        .hasMessageContaining("groq/embed-x");
    assertThat(p.ambiguity(null, "embed-x")).containsExactly("together/embed-x", "groq/embed-x");
    // With the provider named it is not ambiguous; with equal prices (2.5 = 2.50) neither.
    assertThat(p.price("groq", "embed-x", Usage.ofTokens(1_000_000, 0), AT).total().exactAmount())
        .isEqualByComparingTo("0.03");
    assertThat(p.price(null, "same-x", Usage.ofTokens(1_000_000, 0), AT).total().exactAmount())
        .isEqualByComparingTo("1");
    // RECORD_UNPRICED keeps the usage instead of throwing.
    Pricing lenient = Pricing.builder().bundledCatalog(null).userCatalog(small())
        .unknownModelPolicy(UnknownModelPolicy.RECORD_UNPRICED).build();
    assertThat(lenient.price(null, "embed-x", Usage.ofTokens(10, 0), AT).isPriced()).isFalse();
  }

  @Test
  void aNameTheModelVendorPricesResolvesToTheVendorRatherThanAReseller() {
    assertThat(resolved(pricing(small()), null, "gpt-4o")).isEqualTo("openai/gpt-4o");
    assertThat(resolved(pricing(small()), "azure", "gpt-4o")).isEqualTo("azure/gpt-4o");
    Pricing p = Pricing.builder().bundledCatalog(null).userCatalog(genaiPrices).build();
    assertThat(resolved(p, null, "gpt-4o")).isEqualTo("openai/gpt-4o");
    assertThat(resolved(p, null, "claude-sonnet-4-5")).isEqualTo("anthropic/claude-sonnet-4-5");
    assertThat(resolved(p, null, "mistral-embed")).isEqualTo("mistral/mistral-embed");
  }

  @Test
  void anUnknownNameIsResolvedOnceAndItsClosestNamesWorkedOutOnce() {
    Pricing p = pricing(genaiPrices);
    assertThat(p.resolve(null, "gpt-4o-turbo-ultra")).isNull();
    assertThat(p.resolve(null, "gpt-4o-turbo-ultra")).isNull();
    // The second failure reuses the first one's closest names: no scan of every model per call.
    UnknownModelException first = (UnknownModelException) p.notResolved(null, "gpt-4o-turbo-ultra");
    UnknownModelException second = (UnknownModelException) p.notResolved(null, "gpt-4o-turbo-ultra");
    assertThat(first.closestMatches()).isNotEmpty().isSameAs(second.closestMatches());
  }
}
