package dev.finops.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.GenAiPricesImporter.Result;
import dev.finops.core.catalog.GenAiPricesImporter.SkipReason;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The genai-prices importer on the real, vendored {@code data.json}. */
class GenAiPricesImporterTest {

  static final String RESOURCE = "/datasets/genai-prices/data.json";

  private static Result result;
  private static Pricing pricing;

  static Path dataset() throws Exception {
    return Path.of(GenAiPricesImporterTest.class.getResource(RESOURCE).toURI());
  }

  @BeforeAll
  static void importDataset() throws Exception {
    result = GenAiPricesImporter.read(dataset());
    pricing = Pricing.builder().bundledCatalog(null).userCatalog(result.catalog()).build();
  }

  private static BigDecimal cost(String provider, String model, Usage usage, String at) {
    PricedUsage p = pricing.price(provider, model, usage, Instant.parse(at));
    assertThat(p.isPriced()).as(provider + "/" + model).isTrue();
    return p.total().exactAmount();
  }

  private static Usage tokens(long input, long output) {
    return Usage.builder().inputUncached(input).output(output).build();
  }

  @Test
  void everyModelIsImportedOrSkippedWithAReason() {
    // 1,442 models in 34 providers in this copy of the file.
    int imported = result.catalog().models().size();
    assertThat(imported + result.skipped().size()).isEqualTo(1442);
    assertThat(imported).isGreaterThan(1200);
    assertThat(result.skipped()).allSatisfy(s -> assertThat(s.detail()).isNotBlank());
    // 146 OpenRouter entries and a few others give an empty price object.
    assertThat(result.skippedCounts().get(SkipReason.NO_PRICES)).isGreaterThanOrEqualTo(146L);
    assertThat(result.catalog().models().stream().map(ModelEntry::provider).distinct().count()).isEqualTo(34);
    assertThat(result.catalog().version()).matches("genai-prices:[0-9a-f]{12}");
  }

  @Test
  void pricesAreExactDecimalsPerMillionTokens() {
    // openai gpt-4o: input 2.5, cache read 1.25, output 10 per 1M tokens.
    assertThat(cost("openai", "gpt-4o", tokens(1_000_000, 1_000_000), "2026-06-01T00:00:00Z"))
        .isEqualByComparingTo("12.5");
    assertThat(cost("openai", "gpt-4o", Usage.builder().cacheRead(1_000_000).build(), "2026-06-01T00:00:00Z"))
        .isEqualByComparingTo("1.25");
  }

  @Test
  void datedPricesBecomeVersions() {
    // o3: $10/$40 until 2025-06-10, then $2/$8.
    assertThat(cost("openai", "o3", tokens(1_000_000, 0), "2025-06-09T23:59:59Z")).isEqualByComparingTo("10");
    assertThat(cost("openai", "o3", tokens(1_000_000, 0), "2025-06-10T00:00:00Z")).isEqualByComparingTo("2");
    ModelEntry o3 = result.catalog().findExact("openai", "o3");
    assertThat(o3.prices()).hasSize(2);
    assertThat(o3.prices().get(0).validTo()).isEqualTo(Instant.parse("2025-06-10T00:00:00Z"));
  }

  @Test
  void longContextTiersApplyToTheWholeRequestAboveTheThreshold() {
    // claude-opus-4-6 had a 200k tier (input 5 -> 10) until 2026-03-13, flat after.
    Usage at = tokens(200_000, 0);
    Usage above = tokens(200_001, 0);
    assertThat(cost("anthropic", "claude-opus-4-6", at, "2026-03-01T00:00:00Z")).isEqualByComparingTo("1.0");
    assertThat(cost("anthropic", "claude-opus-4-6", above, "2026-03-01T00:00:00Z")).isEqualByComparingTo("2.00001");
    assertThat(cost("anthropic", "claude-opus-4-6", above, "2026-03-13T00:00:00Z")).isEqualByComparingTo("1.000005");
    // cache reads count towards the threshold and move to the tier rate too (0.5 -> 1).
    Usage mixed = Usage.builder().inputUncached(1).cacheRead(200_000).build();
    assertThat(cost("anthropic", "claude-opus-4-6", mixed, "2026-03-01T00:00:00Z"))
        .isEqualByComparingTo(new BigDecimal("0.00001").add(new BigDecimal("0.2")));
  }

  @Test
  void deepSeekOffPeakPricesDependOnTheTimeOfDayInUtc() {
    // deepseek-chat: 0.27 / 1.10 from 00:30 to 16:30 UTC, 0.135 / 0.55 the rest of the day.
    Usage u = tokens(1_000_000, 1_000_000);
    assertThat(cost("deepseek", "deepseek-chat", u, "2026-06-01T00:29:59Z")).isEqualByComparingTo("0.685");
    assertThat(cost("deepseek", "deepseek-chat", u, "2026-06-01T00:30:00Z")).isEqualByComparingTo("1.37");
    assertThat(cost("deepseek", "deepseek-chat", u, "2026-06-01T16:29:59Z")).isEqualByComparingTo("1.37");
    assertThat(cost("deepseek", "deepseek-chat", u, "2026-06-01T16:30:00Z")).isEqualByComparingTo("0.685");
    ModelPrice p = result.catalog().findExact("deepseek", "deepseek-chat").latest();
    assertThat(p.timeOfDay()).singleElement().satisfies(w -> {
      assertThat(w.fromSecondOfDay()).isEqualTo(30 * 60);
      assertThat(w.toSecondOfDay()).isEqualTo(16 * 3600 + 30 * 60);
    });
  }

  @Test
  void perRequestFeesArePerRequest() {
    // Perplexity sonar: $12 per 1,000 requests on top of $1/$1 per 1M tokens.
    Usage u = Usage.builder().inputUncached(1_000_000).output(0).requests(1).build();
    assertThat(cost("perplexity", "sonar", u, "2026-06-01T00:00:00Z")).isEqualByComparingTo("1.012");
    assertThat(result.catalog().findExact("perplexity", "sonar").latest().base().price(UsageBucket.REQUESTS))
        .isEqualByComparingTo("0.012");
  }

  @Test
  void matchRulesResolveSnapshotsAndProviderNamesAreMapped() {
    // Bedrock ids under the provider "bedrock"; xAI under "xai".
    assertThat(pricing.resolve("bedrock", "amazon.nova-pro-v1:0")).isNotNull();
    assertThat(pricing.resolve("xai", "grok-4.3-20260101")).isNotNull();
    assertThat(pricing.resolve("xai", "grok-4.3-20260101").entry().id()).isEqualTo("grok-4.3");
  }

  @Test
  void keysWithoutABucketAreListedAsDropped() {
    assertThat(result.dropped()).anySatisfy(d -> {
      assertThat(d.model()).isEqualTo("gemini-2.5-flash");
      assertThat(d.priceKey()).isEqualTo("cache_audio_read_mtok");
    });
    // The model's other prices are still there, audio input included.
    assertThat(result.catalog().findExact("google", "gemini-2.5-flash").latest().base().price(UsageBucket.INPUT_AUDIO))
        .isEqualByComparingTo("1");
  }

  @Test
  void aBadFileNamesTheFileLineAndField() {
    String json = "[{\"id\": \"p\", \"models\": [\n {\"id\": \"m\", \"match\": {\"equals\": \"m\"},\n"
        + "  \"prices\": {\"input_mtok\": \"cheap\"}}]}]";
    assertThatThrownBy(() -> GenAiPricesImporter.read("bad.json",
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("bad.json")
        .hasMessageContaining(":3:")
        .hasMessageContaining("input_mtok");
  }
}
