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
