package dev.finops.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Money;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.LiteLlmImporter.Options;
import dev.finops.core.catalog.LiteLlmImporter.Result;
import dev.finops.core.catalog.LiteLlmImporter.SkipReason;
import dev.finops.core.internal.LocatedJson;
import dev.finops.core.internal.LocatedJson.Node;
import dev.finops.core.internal.LocatedJson.Obj;
import dev.finops.core.internal.LocatedJson.Scalar;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LiteLlmImporterTest {

  private static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");

  /** The LiteLLM fields the importer maps, written out here independently of the importer. */
  private static final Map<String, UsageBucket> MAPPED = Map.of(
      "input_cost_per_token", UsageBucket.INPUT_UNCACHED,
      "output_cost_per_token", UsageBucket.OUTPUT,
      "cache_read_input_token_cost", UsageBucket.CACHE_READ,
      "cache_creation_input_token_cost", UsageBucket.CACHE_WRITE_5M,
      "cache_creation_input_token_cost_above_1hr", UsageBucket.CACHE_WRITE_1H,
      "output_cost_per_reasoning_token", UsageBucket.OUTPUT_REASONING,
      "input_cost_per_audio_token", UsageBucket.INPUT_AUDIO,
      "output_cost_per_audio_token", UsageBucket.OUTPUT_AUDIO,
      "input_cost_per_image_token", UsageBucket.INPUT_IMAGE,
      "output_cost_per_image_token", UsageBucket.OUTPUT_IMAGE);

  private static final Pattern TIERED = Pattern.compile("(.+)_above_(\\d+)k_tokens");

  private static Path sample;
  private static Result result;
  private static Pricing pricing;

  @BeforeAll
  static void importSample() throws Exception {
    sample = Path.of(LiteLlmImporterTest.class.getResource("/litellm/sample_model_prices.json").toURI());
    result = LiteLlmImporter.read(sample, Options.all());
    pricing = Pricing.builder().bundledCatalog(null).userCatalog(result.catalog()).build();
  }

  private static PricedUsage price(String provider, String model, Usage usage) {
    PricedUsage p = pricing.price(provider, model, usage, AT);
    assertThat(p.isPriced()).as("%s priced", model).isTrue();
    return p;
  }

  private static ModelEntry model(String provider, String id) {
    ModelEntry m = result.catalog().findExact(provider, id);
    assertThat(m).as("%s/%s imported", provider, id).isNotNull();
    return m;
  }

  // ---- what is imported ----------------------------------------------------------------------

  @Test
  void importsChatAndCompletionModelsWithProviderAndIdFromTheKey() {
    PriceCatalog c = result.catalog();
    assertThat(c.models()).extracting(ModelEntry::toString).containsExactly(
        "openai/gpt-4o", "azure/gpt-4o", "anthropic/claude-sonnet-4-5", "gemini/gemini-1.5-pro",
        "gemini/gemini-2.5-flash-preview-04-17", "text-completion-openai/gpt-3.5-turbo-instruct",
        "openai/text-embedding-3-small");
    assertThat(c.name()).isEqualTo(sample.toString());
    assertThat(c.currency().getCurrencyCode()).isEqualTo("USD");
    for (ModelEntry m : c.models()) {
      assertThat(m.prices()).hasSize(1);
      assertThat(m.latest().validFrom()).isEqualTo(Instant.EPOCH);
      assertThat(m.latest().validTo()).isNull();
    }
  }

  @Test
  void skippedEntriesAreReportedWithTheirReason() {
    assertThat(result.skippedCount()).isEqualTo(1);
    assertThat(result.skippedKeys()).containsExactly("hd/1024-x-1024/dall-e-3");
    assertThat(result.skippedCount(SkipReason.NO_TOKEN_PRICE)).isEqualTo(1);
    assertThat(result.skippedCounts()).containsExactly(Map.entry(SkipReason.NO_TOKEN_PRICE, 1));
    assertThat(result.skipped()).extracting(LiteLlmImporter.Skipped::detail)
        .containsExactly("no input_cost_per_token or output_cost_per_token");
    assertThat(result.skipped().get(0).provider()).isEqualTo("openai");
    // embeddings are priced per input token
    assertThat(result.catalog().findExact("openai", "text-embedding-3-small").latest().base()
        .price(UsageBucket.INPUT_UNCACHED)).isEqualByComparingTo("0.02");
    assertThat(result.warnings()).isEmpty();
  }

  @Test
  void catalogVersionIsAHashOfTheFileBytes() throws Exception {
    assertThat(result.catalog().version()).matches("litellm:[0-9a-f]{12}");
    assertThat(LiteLlmImporter.load(sample).version()).isEqualTo(result.catalog().version());
    String other = Files.readString(sample).replace("1.5e-06", "1.6e-06");
    assertThat(LiteLlmImporter.parse("other.json", other).version()).isNotEqualTo(result.catalog().version());
    try (InputStream in = Files.newInputStream(sample)) {
      assertThat(LiteLlmImporter.parse("stream", in).version()).isEqualTo(result.catalog().version());
    }
  }

  @Test
  void pricesAreExactPerMillionTokensWithoutExponents() {
    BucketPrices gpt = model("openai", "gpt-4o").latest().base();
    assertThat(gpt.declared()).containsOnlyKeys(UsageBucket.INPUT_UNCACHED, UsageBucket.CACHE_READ, UsageBucket.OUTPUT);
    assertThat(gpt.price(UsageBucket.INPUT_UNCACHED).toString()).isEqualTo("2.5");
    assertThat(gpt.price(UsageBucket.CACHE_READ).toString()).isEqualTo("1.25");
    assertThat(gpt.price(UsageBucket.OUTPUT).toString()).isEqualTo("10");
    BucketPrices flash = model("gemini", "gemini-2.5-flash-preview-04-17").latest().base();
    assertThat(flash.price(UsageBucket.CACHE_READ).toString()).isEqualTo("0.0375");
    assertThat(flash.price(UsageBucket.INPUT_UNCACHED).toString()).isEqualTo("0.15");
    assertThat(flash.price(UsageBucket.OUTPUT_REASONING).toString()).isEqualTo("3.5");
    assertThat(flash.price(UsageBucket.INPUT_AUDIO).toString()).isEqualTo("1");
  }

  /** Every imported price × 10^-6 is the per-token text in the file, and every price came from one. */
  @Test
  void everyImportedPriceRoundTripsToTheFileText() throws Exception {
    Obj root;
    try (InputStream in = Files.newInputStream(sample)) {
      root = (Obj) LocatedJson.read(in);
    }
    int compared = 0;
    int declared = 0;
    for (Map.Entry<String, Node> e : root.fields.entrySet()) {
      if (e.getKey().equals("sample_spec") || result.skippedKeys().contains(e.getKey())) {
        continue;
      }
      Obj entry = (Obj) e.getValue();
      String provider = ((Scalar) entry.fields.get("litellm_provider")).text;
      String id = e.getKey().startsWith(provider + "/") ? e.getKey().substring(provider.length() + 1) : e.getKey();
      ModelPrice mp = model(provider, id).latest();
      declared += mp.base().declared().size();
      for (ContextTier t : mp.contextTiers()) {
        declared += t.prices().declared().size();
      }
      for (Map.Entry<String, Node> f : entry.fields.entrySet()) {
        BucketPrices prices = mp.base();
        String field = f.getKey();
        Matcher m = TIERED.matcher(field);
        if (m.matches() && MAPPED.containsKey(m.group(1))) {
          long above = Long.parseLong(m.group(2)) * 1000;
          prices = mp.contextTiers().stream().filter(t -> t.aboveInputTokens() == above).findFirst().orElseThrow()
              .prices();
          field = m.group(1);
        }
        UsageBucket bucket = MAPPED.get(field);
        if (bucket == null) {
          continue;
        }
        BigDecimal ours = prices.declared().get(bucket);
        assertThat(ours).as("%s.%s", e.getKey(), f.getKey()).isNotNull();
        assertThat(ours.movePointLeft(6)).as("%s.%s", e.getKey(), f.getKey())
            .isEqualByComparingTo(new BigDecimal(((Scalar) f.getValue()).text));
        compared++;
      }
    }
    assertThat(compared).isEqualTo(declared).isEqualTo(31);
  }

  // ---- pricing round trips -------------------------------------------------------------------

  @Test
  void thousandInputTokensAtTwoPointFiveEMinusSixCostExactlyAQuarterCent() {
    assertThat(price("openai", "gpt-4o", Usage.ofTokens(1_000, 0)).total()).isEqualTo(Money.usd("0.0025"));
  }

  @Test
  void openAiModelWithCacheReads() {
    // 1,000 × 2.5e-06 + 2,000 × 1.25e-06 + 500 × 1e-05 = 0.0025 + 0.0025 + 0.005
    Usage usage = Usage.builder().inputUncached(1_000).cacheRead(2_000).output(500).build();
    PricedUsage p = price("openai", "gpt-4o", usage);
    assertThat(p.total()).isEqualTo(Money.usd("0.01"));
    assertThat(p.catalogVersion()).isEqualTo(result.catalog().version());
  }

  @Test
  void batchAndPriorityPricesBecomeServiceTierMultipliers() {
    ModelPrice mp = model("openai", "gpt-4o").latest();
    assertThat(mp.serviceTierMultipliers()).containsOnlyKeys("batch", "priority");
    assertThat(mp.serviceTierMultipliers().get("batch")).isEqualByComparingTo("0.5");
    assertThat(mp.serviceTierMultipliers().get("priority")).isEqualByComparingTo("1.7");
    Usage usage = Usage.builder().inputUncached(1_000).cacheRead(2_000).output(500).build();
    assertThat(price("openai", "gpt-4o", usage.withServiceTier("batch")).total()).isEqualTo(Money.usd("0.005"));
    // 1,000 × 4.25e-06 + 2,000 × 2.125e-06 + 500 × 1.7e-05 = 0.00425 + 0.00425 + 0.0085
    assertThat(price("openai", "gpt-4o", usage.withServiceTier("priority")).total()).isEqualTo(Money.usd("0.017"));
  }

  @Test
  void prefixedKeyIsPricedUnderItsProvider() {
    assertThat(price("azure", "gpt-4o", Usage.ofTokens(1_000, 100)).total()).isEqualTo(Money.usd("0.0035"));
    PricedUsage p = price(null, "azure/gpt-4o", Usage.ofTokens(1_000, 100));
    assertThat(p.provider()).isEqualTo("azure");
    assertThat(p.total()).isEqualTo(Money.usd("0.0035"));
  }

  /** Prices the usage and checks the context tier index it was priced in and the exact total. */
  private static void assertCost(String provider, String model, Usage usage, int contextTier, String total) {
    PricedUsage p = price(provider, model, usage);
    assertThat(p.contextTier()).as("context tier of %s", usage).isEqualTo(contextTier);
    assertThat(p.total()).as("total of %s", usage).isEqualTo(Money.usd(total));
  }

  @Test
  void anthropicLongContextTierAppliesOnlyAboveTwoHundredThousandInputTokens() {
    // Exactly 200,000 input tokens: base prices.
    // 190,000 × 3e-06 + 10,000 × 3e-07 + 1,000 × 1.5e-05 = 0.57 + 0.003 + 0.015
    assertCost("anthropic", "claude-sonnet-4-5",
        Usage.builder().inputUncached(190_000).cacheRead(10_000).output(1_000).build(), 0, "0.588");
    // 200,001 input tokens: the whole request at the long-context prices.
    // 190,001 × 6e-06 + 10,000 × 6e-07 + 1,000 × 2.25e-05 = 1.140006 + 0.006 + 0.0225
    assertCost("anthropic", "claude-sonnet-4-5",
        Usage.builder().inputUncached(190_001).cacheRead(10_000).output(1_000).build(), 1, "1.168506");
    // Cache writes, 5-minute and 1-hour, in both tiers:
    // 1,000 × 3e-06 + 1,000 × 3.75e-06 + 1,000 × 6e-06 = 0.003 + 0.00375 + 0.006
    assertCost("anthropic", "claude-sonnet-4-5",
        Usage.builder().inputUncached(1_000).cacheWrite5m(1_000).cacheWrite1h(1_000).build(), 0, "0.01275");
    // 250,000 × 6e-06 + 10,000 × 7.5e-06 + 10,000 × 1.2e-05 = 1.5 + 0.075 + 0.12
    assertCost("anthropic", "claude-sonnet-4-5",
        Usage.builder().inputUncached(250_000).cacheWrite5m(10_000).cacheWrite1h(10_000).build(), 1, "1.695");
  }

  @Test
  void geminiTiersAreSortedAscendingAndEachAppliesAboveItsThreshold() {
    ModelPrice mp = model("gemini", "gemini-1.5-pro").latest();
    assertThat(mp.contextTiers()).extracting(ContextTier::aboveInputTokens).containsExactly(128_000L, 200_000L);
    // the per-character tier field is not a token price and is ignored
    assertThat(mp.contextTiers().get(0).prices().declared()).containsOnlyKeys(UsageBucket.INPUT_UNCACHED,
        UsageBucket.OUTPUT);
    // 128,000 × 1.25e-06 + 100 × 5e-06 = 0.16 + 0.0005
    assertCost(null, "gemini/gemini-1.5-pro", Usage.ofTokens(128_000, 100), 0, "0.1605");
    // 128,001 × 2.5e-06 + 100 × 1e-05 = 0.3200025 + 0.001
    assertCost(null, "gemini/gemini-1.5-pro", Usage.ofTokens(128_001, 100), 1, "0.3210025");
    // 200,001 × 5e-06 + 100 × 1.5e-05 = 1.000005 + 0.0015
    assertCost("gemini", "gemini-1.5-pro", Usage.ofTokens(200_001, 100), 2, "1.001505");
  }

  @Test
  void reasoningAudioAndCompletionModels() {
    // 1,000 × 1.5e-07 + 2,000 × 1e-06 (audio) + 100 × 6e-07 + 1,000 × 3.5e-06 (reasoning)
    // = 0.00015 + 0.002 + 0.00006 + 0.0035
    Usage usage = Usage.builder().inputUncached(1_000).add(UsageBucket.INPUT_AUDIO, 2_000).output(100)
        .reasoning(1_000).build();
    assertThat(price("gemini", "gemini-2.5-flash-preview-04-17", usage).total())
        .isEqualTo(Money.usd("0.00571"));
    // 1,000 × 1.5e-06 + 1,000 × 2e-06
    assertThat(price("text-completion-openai", "gpt-3.5-turbo-instruct", Usage.ofTokens(1_000, 1_000)).total())
        .isEqualTo(Money.usd("0.0035"));
  }

  // ---- options, skips and warnings -----------------------------------------------------------

  @Test
  void onlySelectedProvidersAreImported() {
    Result r = LiteLlmImporter.read(sample, Options.onlyProviders("Anthropic"));
    assertThat(r.catalog().models()).extracting(ModelEntry::toString).containsExactly("anthropic/claude-sonnet-4-5");
    assertThat(r.skippedCount(SkipReason.PROVIDER_NOT_SELECTED)).isEqualTo(7);
    assertThat(r.skippedCount()).isEqualTo(7);
  }

  @Test
  void entriesWithoutProviderOrTokenPriceAreSkipped() {
    Result r = LiteLlmImporter.read("x.json", json("""
        {
          "no-provider": {"input_cost_per_token": 1e-06, "mode": "chat"},
          "sagemaker/whisper": {"input_cost_per_second": 0.00012, "litellm_provider": "sagemaker", "mode": "chat"},
          "gpt-x": {"input_cost_per_token": 1e-06, "litellm_provider": "openai"}
        }
        """), Options.all());
    assertThat(r.catalog().models()).extracting(ModelEntry::toString).containsExactly("openai/gpt-x");
    assertThat(r.skipped()).extracting(LiteLlmImporter.Skipped::reason)
        .containsExactly(SkipReason.NO_PROVIDER, SkipReason.NO_TOKEN_PRICE);
  }

  @Test
  void aSecondEntryWithTheSameIdIsSkippedAndTheFirstKept() {
    Result r = LiteLlmImporter.read("x.json", json("""
        {
          "gpt-x": {"input_cost_per_token": 1e-06, "litellm_provider": "openai", "mode": "chat"},
          "openai/GPT-X": {"input_cost_per_token": 2e-06, "litellm_provider": "openai", "mode": "chat"},
          "azure/gpt-x": {"input_cost_per_token": 3e-06, "litellm_provider": "azure", "mode": "chat"}
        }
        """), Options.all());
    assertThat(r.catalog().models()).extracting(ModelEntry::toString).containsExactly("openai/gpt-x", "azure/gpt-x");
    assertThat(r.catalog().findExact("openai", "gpt-x").latest().base().price(UsageBucket.INPUT_UNCACHED))
        .isEqualByComparingTo("1");
    assertThat(r.skipped()).singleElement().satisfies(s -> {
      assertThat(s.key()).isEqualTo("openai/GPT-X");
      assertThat(s.reason()).isEqualTo(SkipReason.DUPLICATE_ID);
      assertThat(s.detail()).contains("'gpt-x'");
    });
  }

  @Test
  void requestPriceIsNotScaled() {
    PriceCatalog c = LiteLlmImporter.parse("x.json", """
        {"sonar": {"input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06, "input_cost_per_request": 0.005,
                   "litellm_provider": "perplexity", "mode": "chat"}}
        """);
    assertThat(c.findExact("perplexity", "sonar").latest().base().price(UsageBucket.REQUESTS)).isEqualByComparingTo("0.005");
    Pricing p = Pricing.builder().bundledCatalog(null).userCatalog(c).build();
    // 1,000 × 1e-06 + 1 request × 0.005
    Usage usage = Usage.builder().inputUncached(1_000).requests(1).build();
    assertThat(p.price("perplexity", "sonar", usage, AT).total()).isEqualTo(Money.usd("0.006"));
  }

  @Test
  void serviceTierPricesThatAreNotOneExactMultipleAreLeftOutWithAWarning() {
    Result r = LiteLlmImporter.read("x.json", json("""
        {
          "uneven": {"input_cost_per_token": 3e-06, "input_cost_per_token_batches": 1.5e-06,
                     "output_cost_per_token": 1e-05, "output_cost_per_token_batches": 6e-06,
                     "litellm_provider": "openai", "mode": "chat"},
          "third": {"input_cost_per_token": 3e-06, "input_cost_per_token_flex": 1e-06,
                    "litellm_provider": "openai", "mode": "chat"},
          "orphan": {"input_cost_per_token": 3e-06, "output_cost_per_token_priority": 1e-06,
                     "litellm_provider": "openai", "mode": "chat"}
        }
        """), Options.all());
    for (ModelEntry m : r.catalog().models()) {
      assertThat(m.latest().serviceTierMultipliers()).as(m.id()).isEmpty();
    }
    assertThat(r.warnings()).containsExactly(
        "uneven: service tier 'batch' not imported: its prices are not one common multiple of the standard prices",
        "third: service tier 'flex' not imported: the multiplier 1 / 3 is not an exact decimal",
        "orphan: service tier 'priority' not imported: output_cost_per_token_priority has no standard price to "
            + "compare with");
  }

  // ---- bad input -----------------------------------------------------------------------------

  private static InputStream json(String text) {
    return new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static CatalogException failure(String text) {
    try {
      LiteLlmImporter.parse("bad.json", text);
    } catch (CatalogException e) {
      assertThat(e.file()).isEqualTo("bad.json");
      return e;
    }
    throw new AssertionError("expected a CatalogException for " + text);
  }

  @Test
  void malformedJsonNamesTheLocation() {
    CatalogException e = failure("""
        {
          "gpt-x": {"input_cost_per_token": 1e-06,}
        }
        """);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).startsWith("bad.json:2:").contains("malformed JSON");
  }

  @Test
  void topLevelMustBeAnObject() {
    assertThat(failure("[1, 2]").getMessage())
        .isEqualTo("bad.json:1:1: $: expected a JSON object keyed by model name "
            + "(LiteLLM's model_prices_and_context_window.json), got array");
  }

  @Test
  void anEntryThatIsNotAnObjectFails() {
    CatalogException e = failure("""
        {
          "gpt-x": "cheap"
        }
        """);
    assertThat(e.getMessage())
        .isEqualTo("bad.json:2:12: $.gpt-x: gpt-x: expected a JSON object (a model entry), got string");
  }

  @Test
  void aNegativePriceNamesFileLineColumnPathAndField() {
    CatalogException e = failure("""
        {
          "azure/gpt-x": {
            "litellm_provider": "azure",
            "input_cost_per_token": -2.5e-06
          }
        }
        """);
    assertThat(e.getMessage()).isEqualTo("bad.json:4:29: $['azure/gpt-x'].input_cost_per_token: "
        + "input_cost_per_token: price must not be negative, got -2.5e-06");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.column()).isEqualTo(29);
    assertThat(e.path()).isEqualTo("$['azure/gpt-x'].input_cost_per_token");
  }

  @Test
  void aNonNumericPriceFails() {
    assertThat(failure("""
        {"gpt-x": {"litellm_provider": "openai", "output_cost_per_token": "free"}}
        """).getMessage()).isEqualTo("bad.json:1:67: $.gpt-x.output_cost_per_token: "
        + "output_cost_per_token: not a number: \"free\"");
    assertThat(failure("""
        {"gpt-x": {"litellm_provider": "openai", "output_cost_per_token": true}}
        """).getMessage()).endsWith("$.gpt-x.output_cost_per_token: output_cost_per_token: expected a number, got boolean");
    assertThat(failure("""
        {"gpt-x": {"litellm_provider": "openai", "output_cost_per_token": {"usd": 1}}}
        """).getMessage()).endsWith("output_cost_per_token: expected a number, got object");
  }

  @Test
  void badTierServiceTierAndOutOfRangePricesFailToo() {
    assertThat(failure("""
        {"gpt-4.1": {"litellm_provider": "openai", "input_cost_per_token": 2e-06,
                     "input_cost_per_token_above_200k_tokens": "x"}}
        """).getMessage()).contains("bad.json:2:").contains(
        "$['gpt-4.1'].input_cost_per_token_above_200k_tokens: input_cost_per_token_above_200k_tokens: not a number");
    assertThat(failure("""
        {"gpt-x": {"litellm_provider": "openai", "input_cost_per_token": 2e-06, "input_cost_per_token_batches": -1e-06}}
        """).getMessage()).contains("$.gpt-x.input_cost_per_token_batches: input_cost_per_token_batches: "
        + "price must not be negative");
    assertThat(failure("""
        {"gpt-x": {"litellm_provider": "openai", "input_cost_per_token": 1e999999}}
        """).getMessage()).contains("input_cost_per_token: exponent out of range: \"1e999999\"");
  }

  @Test
  void mappedTextFieldsMustBeStringsAndDuplicateKeysFail() {
    assertThat(failure("""
        {"gpt-x": {"litellm_provider": 1, "input_cost_per_token": 1e-06}}
        """).getMessage()).contains("$.gpt-x.litellm_provider: litellm_provider: expected a string, got number");
    assertThat(failure("""
        {"gpt-x": {"litellm_provider": "openai", "input_cost_per_token": 1e-06, "input_cost_per_token": 2e-06}}
        """).getMessage()).contains("bad.json:1:").contains("duplicate key 'input_cost_per_token'");
  }

  @Test
  void skippedEntriesAndUnknownFieldsAreNotChecked() {
    Result r = LiteLlmImporter.read("x.json", json("""
        {
          "sample_spec": {"input_cost_per_token": "any number"},
          "embed": {"litellm_provider": "openai", "mode": "rerank", "input_cost_per_token": -1},
          "claude-x": {"litellm_provider": "anthropic", "input_cost_per_token": "n/a"},
          "gpt-x": {"litellm_provider": "openai", "input_cost_per_token": 1e-06, "input_cost_per_second": "n/a",
                    "supports_vision": "maybe", "tiered_pricing": [{"range": [0, 1]}]}
        }
        """), Options.onlyProviders("openai"));
    assertThat(r.catalog().models()).extracting(ModelEntry::toString).containsExactly("openai/gpt-x");
    assertThat(r.skippedKeys()).containsExactly("embed", "claude-x");
  }
}
