package dev.finops.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Usage;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The bundled catalog")
class BundledCatalogTest {

  private static final Set<String> LABS = Set.of("openai", "anthropic", "google", "mistral", "deepseek");

  private final PriceCatalog bundled = PriceCatalog.bundled();

  @Test
  void loadsFromTheJar() {
    assertThat(PriceCatalog.class.getResource(PriceCatalog.BUNDLED_RESOURCE)).isNotNull();
    assertThat(bundled.name()).isEqualTo("bundled-catalog.json");
    assertThat(bundled.version()).isNotBlank();
    assertThat(PriceCatalog.bundled()).isSameAs(bundled);
  }

  @Test
  void hasAtLeastFortyModelsAcrossTheLabsAndAHostingProvider() {
    Set<String> providers = bundled.models().stream().map(ModelEntry::provider).collect(Collectors.toSet());

    assertThat(bundled.models()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(providers).containsAll(LABS);
    assertThat(providers).as("a hosting provider besides the labs").anyMatch(p -> !LABS.contains(p));
  }

  @Test
  void pricesTitanTextEmbeddingsV2AtItsOwnPriceNotV1s() {
    // genai-prices' rule for v1 (name contains "amazon.titan-embed-text") also claims v2, which AWS prices
    // at $0.02 per 1M input tokens instead of v1's $0.10.
    PricedUsage p = Pricing.bundled().price("bedrock", "amazon.titan-embed-text-v2:0", Usage.builder().inputUncached(1_000_000).build(),
        Instant.parse("2026-07-24T12:00:00Z"));

    assertThat(p.modelId()).isEqualTo("amazon.titan-embed-text-v2:0");
    assertThat(p.total().exactAmount()).isEqualByComparingTo("0.02");
    assertThat(Pricing.bundled().price("bedrock", "amazon.titan-embed-text-v1",
        Usage.builder().inputUncached(1_000_000).build(), Instant.parse("2026-07-24T12:00:00Z"))
        .total().exactAmount()).isEqualByComparingTo("0.1");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"us-gov-east-1/amazon.nova-pro-v1:0", "bedrock/eu-west-3/mistral.mistral-large-2402-v1:0",
      "sa-east-1/meta.llama3-70b-instruct-v1:0"})
  void doesNotPriceABedrockNameWithARegionSegmentAtTheStandardPrice(String name) {
    // The imported rules match on substrings ("amazon.nova-pro"); a GovCloud or other regional price differs
    // from the US East one they stand for, so such a name is unknown rather than priced wrongly.
    assertThat(Pricing.bundled().resolve("bedrock", name)).isNull();
    assertThat(Pricing.bundled().resolve("bedrock", name.substring(name.lastIndexOf('/') + 1))).isNotNull();
  }

  @Test
  void doesNotPriceAnAzureDataZoneNameAtTheGlobalPrice() {
    assertThat(Pricing.bundled().resolve("azure", "us/o4-mini-2025-04-16")).isNull();
    assertThat(Pricing.bundled().resolve("azure", "o4-mini-2025-04-16")).isNotNull();
  }

  @Test
  void pricesGroqGptOssSafeguard20bAsItselfNotAsGptOss120b() {
    PricedUsage p = Pricing.bundled().price("groq", "openai/gpt-oss-safeguard-20b",
        Usage.builder().inputUncached(1_000_000).output(1_000_000).build(), Instant.parse("2026-07-24T12:00:00Z"));

    assertThat(p.modelId()).isEqualTo("openai/gpt-oss-safeguard-20b");
    assertThat(p.total().exactAmount()).isEqualByComparingTo("0.375"); // $0.075 + $0.30
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mistral-medium-2604", "mistral-medium-3-5", "mistral-medium-3.5"})
  void pricesMistralMedium35NamesAtMedium35sPriceNotMedium3s(String name) {
    PricedUsage p = Pricing.bundled().price("mistral", name,
        Usage.builder().inputUncached(1_000_000).output(1_000_000).build(), Instant.parse("2026-07-24T12:00:00Z"));

    assertThat(p.total().exactAmount()).isEqualByComparingTo("9.00"); // $1.50 + $7.50
  }

  @Test
  void pricesMinistral8bLatestAtMinistral3sPriceFromTheMistral3Release() {
    Usage usage = Usage.builder().inputUncached(1_000_000).output(1_000_000).build();

    assertThat(Pricing.bundled().price("mistral", "ministral-8b-2512", usage, Instant.parse("2026-07-24T12:00:00Z"))
        .total().exactAmount()).isEqualByComparingTo("0.30");
    assertThat(Pricing.bundled().price("mistral", "ministral-8b-latest", usage, Instant.parse("2026-07-24T12:00:00Z"))
        .total().exactAmount()).isEqualByComparingTo("0.30");
    assertThat(Pricing.bundled().price("mistral", "ministral-8b-latest", usage, Instant.parse("2025-06-01T00:00:00Z"))
        .total().exactAmount()).isEqualByComparingTo("0.20");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"accounts/fireworks/models/gpt-oss-120b, 0.015", "gpt-oss-120b, 0.015",
      "accounts/fireworks/models/gpt-oss-20b, 0.035", "gpt-oss-20b, 0.035",
      "accounts/fireworks/models/glm-4p7, 0.30", "glm-4p7, 0.30"})
  void pricesFireworksCacheReadsAtTheCachedInputRateFireworksLists(String name, String perMillion) {
    // Fireworks' serverless table: GPT OSS 120B $0.015, GPT OSS 20B $0.035, GLM 4.7 $0.30 cached input; the
    // imported entries had $0.07, $0.04 and none (the input price), whichever of the two names was used.
    PricedUsage p = Pricing.bundled().price("fireworks", name, Usage.builder().cacheRead(1_000_000).build(),
        Instant.parse("2026-07-24T12:00:00Z"));

    assertThat(p.total().exactAmount()).isEqualByComparingTo(perMillion);
  }

  @Test
  void everyModelNamesItsSource() {
    assertThat(bundled.models()).allSatisfy(m -> assertThat(m.source()).as("source of %s", m).isNotBlank());
    assertThat(bundled.gpuInstances()).allSatisfy(g -> assertThat(g.source()).as("source of %s", g).isNotBlank());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"p4d.24xlarge", "p5.48xlarge", "a3-highgpu-8g", "Standard_ND96isr_H100_v5"})
  void hasTheCommonGpuInstances(String instanceType) {
    GpuInstance g = bundled.findGpuInstance(null, null, instanceType);

    assertThat(g).as(instanceType).isNotNull();
    assertThat(g.gpuCount()).isEqualTo(8);
    assertThat(g.latest().onDemandHourly()).isPositive();
  }

  @Test
  void someModelAndSomeInstanceHaveTwoDatedVersions() {
    assertThat(bundled.models()).anySatisfy(m -> assertDated(m.prices().stream().map(ModelPrice::validFrom).toList()));
    assertThat(bundled.gpuInstances())
        .anySatisfy(g -> assertDated(g.prices().stream().map(GpuPrice::validFrom).toList()));
  }

  private static void assertDated(List<Instant> validFroms) {
    assertThat(validFroms).hasSizeGreaterThanOrEqualTo(2);
    assertThat(validFroms.get(0)).isAfter(Instant.EPOCH);
  }

  @Test
  void pricesThroughTheDefaultEngine() {
    PricedUsage p = Pricing.bundled().price("openai", "gpt-4o-2024-08-06", Usage.ofTokens(1_000, 100), Instant.now());

    assertThat(p.isPriced()).isTrue();
    assertThat(p.modelId()).isEqualTo("gpt-4o");
    assertThat(p.source()).isEqualTo(PriceSource.BUNDLED_CATALOG);
    assertThat(p.catalogVersion()).isEqualTo(bundled.version());
    assertThat(p.total().signum()).isPositive();
  }

  @Test
  void coversFiveHundredModelsOfTwentyProvidersFromTheDatasets() {
    Set<String> providers = bundled.models().stream().map(ModelEntry::provider).collect(Collectors.toSet());

    assertThat(bundled.models()).hasSizeGreaterThanOrEqualTo(500);
    assertThat(providers).hasSizeGreaterThanOrEqualTo(20);
    assertThat(providers).contains("bedrock", "azure", "google", "xai", "cohere", "perplexity", "groq", "together",
        "fireworks", "cerebras", "deepseek", "moonshot", "mistral", "voyage");
    // Imported entries say which dataset and version they come from, and when they were checked.
    assertThat(bundled.models()).anySatisfy(m -> {
      assertThat(m.source()).startsWith("pydantic/genai-prices genai-prices:");
      assertThat(m.checkedOn()).isNotNull();
    });
  }

  @Test
  void namesUsersWriteResolveInTheBundledCatalog() {
    Pricing p = Pricing.bundled();
    Instant at = Instant.parse("2026-12-01T12:00:00Z");
    for (String[] c : new String[][] {
        {"bedrock", "amazon.nova-pro-v1:0"}, {"bedrock", "meta.llama3-3-70b-instruct-v1:0"},
        {null, "bedrock/global.anthropic.claude-sonnet-4-5-20250929-v1:0"},
        {null, "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
        {null, "text-embedding-3-large"}, {null, "mistral-embed"}, {null, "voyage-3.5"},
        {"xai", "grok-4.3"}, {"perplexity", "sonar"}, {null, "mistral-small-latest"},
        {null, "gpt-3.5-turbo"}, {null, "gemini-1.5-pro"}, {null, "models/gemini-2.5-pro"},
        {null, "openai/gpt-4o"}}) {
      PricedUsage u = p.price(c[0], c[1], Usage.ofTokens(1_000, 0), at);
      assertThat(u.isPriced()).as(String.join("/", java.util.Arrays.asList(c))).isTrue();
    }
  }

  @Test
  void deepSeekOffPeakHoursOf2025ArePriced() {
    // 2025-02-26 16:30 to 2025-09-05 16:00 UTC: 50% off (V3) and 75% off (R1) from 16:30 to 00:30 UTC.
    Usage u = Usage.ofTokens(1_000_000, 1_000_000);
    Pricing p = Pricing.bundled();
    assertThat(p.price("deepseek", "deepseek-chat", u, Instant.parse("2025-06-01T10:00:00Z")).total().exactAmount())
        .isEqualByComparingTo("1.37");
    assertThat(p.price("deepseek", "deepseek-chat", u, Instant.parse("2025-06-01T20:00:00Z")).total().exactAmount())
        .isEqualByComparingTo("0.685");
    assertThat(p.price("deepseek", "deepseek-reasoner", u, Instant.parse("2025-06-02T00:15:00Z")).total()
        .exactAmount()).isEqualByComparingTo("0.685");
    assertThat(p.price("deepseek", "deepseek-reasoner", u, Instant.parse("2025-02-26T16:00:00Z")).total()
        .exactAmount()).isEqualByComparingTo("2.74");
  }
}
