package dev.finops.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.core.Usage;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.PricingException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Done-when of issue 12, LiteLLM half: for every chat, completion and embedding entry of LiteLLM's file
 * whose name finops prices (the bundled catalog as shipped: hand-curated entries, then the genai-prices
 * import), finops' price equals LiteLLM's per-token figures exactly, worked out here from the JSON (cost per
 * token times tokens; a {@code _above_<N>k_tokens} figure for every token once input exceeds N thousand),
 * on the day the copy was taken. Disagreements are listed, reviewed line by line with reason and source, in
 * {@code datasets/litellm-disagreements.tsv}; each line's reason starts with every differing figure as this
 * test finds it, so a listed entry that agrees again, or whose figures change, fails the test.
 */
class LiteLlmConformanceTest {

  private static final Instant COPY_TAKEN = Instant.parse("2026-07-24T12:00:00Z");
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /** LiteLLM providers and the finops provider that prices the same service. */
  static final Map<String, String> PROVIDERS = Map.ofEntries(
      Map.entry("openai", "openai"), Map.entry("anthropic", "anthropic"), Map.entry("gemini", "google"),
      Map.entry("vertex_ai-language-models", "google"), Map.entry("xai", "xai"), Map.entry("mistral", "mistral"),
      Map.entry("deepseek", "deepseek"), Map.entry("groq", "groq"), Map.entry("together_ai", "together"),
      Map.entry("fireworks_ai", "fireworks"), Map.entry("perplexity", "perplexity"), Map.entry("cohere", "cohere"),
      Map.entry("cohere_chat", "cohere"), Map.entry("cerebras", "cerebras"), Map.entry("moonshot", "moonshot"),
      Map.entry("voyage", "voyage"), Map.entry("bedrock", "bedrock"), Map.entry("bedrock_converse", "bedrock"),
      Map.entry("azure", "azure"));

  private static final Set<String> MODES = LiteLlmImporter.IMPORTED_MODES;
  private static final Pattern ABOVE = Pattern.compile("input_cost_per_token_above_(\\d+)k_tokens");

  @Test
  void finopsPricesEveryModelBothPriceAsLiteLlmDoes() throws Exception {
    Path file = LiteLlmRealFileTest.dataset();
    JsonNode data = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .readTree(Files.readAllBytes(file));
    Pricing pricing = Pricing.builder().build(); // finops as shipped: the bundled catalog only

    Map<String, List<String>> found = new TreeMap<>();
    Map<String, String> resolvedTo = new TreeMap<>();
    int models = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode entry = e.getValue();
      if (!entry.isObject() || !entry.has("litellm_provider")) {
        continue;
      }
      String provider = PROVIDERS.get(entry.get("litellm_provider").asText());
      String mode = entry.has("mode") ? entry.get("mode").asText() : "chat";
      if (provider == null || !MODES.contains(mode)) {
        continue;
      }
      String litellmProvider = entry.get("litellm_provider").asText();
      String name = e.getKey().startsWith(litellmProvider + "/")
          ? e.getKey().substring(litellmProvider.length() + 1) : e.getKey();
      if (pricing.resolve(provider, name) == null) {
        continue; // finops does not price this name: nothing to compare
      }
      models++;
      Map<String, Usage> usages = new LinkedHashMap<>();
      Map<String, BigDecimal> expected = new LinkedHashMap<>();
      // 100,000 tokens: below every long-context threshold the file names (128k and up).
      add(entry, "input_cost_per_token", 100_000, Usage.builder().inputUncached(100_000).build(), usages,
          expected, "input");
      if (!mode.equals("embedding") && !mode.equals("image_generation") && !mode.equals("image_edit")) { // an embedding has no output tokens; finops leaves output unpriced
        add(entry, "output_cost_per_token", 100_000, Usage.builder().output(100_000).build(), usages, expected,
            "output");
      }
      add(entry, "cache_read_input_token_cost", 100_000, Usage.builder().cacheRead(100_000).build(), usages,
          expected, "cache_read");
      for (Iterator<String> f = entry.fieldNames(); f.hasNext(); ) {
        Matcher m = ABOVE.matcher(f.next());
        if (m.matches()) {
          long above = Long.parseLong(m.group(1)) * 1000 + 1;
          add(entry, m.group(), above, Usage.builder().inputUncached(above).build(), usages, expected,
              "input above " + m.group(1) + "k");
        }
      }
      for (Map.Entry<String, Usage> u : usages.entrySet()) {
        BigDecimal want = expected.get(u.getKey());
        String got;
        try {
          PricedUsage p = pricing.price(provider, name, u.getValue(), COPY_TAKEN);
          if (p.total().exactAmount().compareTo(want) == 0) {
            continue;
          }
          got = p.total().exactAmount().stripTrailingZeros().toPlainString();
          resolvedTo.put(e.getKey(), p.provider() + "/" + p.modelId());
        } catch (PricingException ex) {
          got = "refused: " + ex.getMessage();
        }
        found.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(u.getKey() + ": LiteLLM "
            + want.stripTrailingZeros().toPlainString() + ", finops " + got);
      }
    }
    Map<String, String> disagreements = new TreeMap<>();
    found.forEach((k, v) -> disagreements.put(k, String.join("; ", v)
        + (resolvedTo.containsKey(k) ? " (finops: " + resolvedTo.get(k) + ")" : "")));
    Path dump = Path.of("target", "litellm-disagreements.found.tsv");
    Files.createDirectories(dump.getParent());
    List<String> lines = new ArrayList<>();
    lines.add("# " + models + " LiteLLM entries priced by finops, " + (models - disagreements.size()) + " agree exactly");
    disagreements.forEach((k, v) -> lines.add(k + "\t" + v));
    Files.write(dump, lines);

    Map<String, String> reviewed = new TreeMap<>();
    GenAiPricesConformanceTest.reviewed("/datasets/litellm-disagreements.tsv").forEach((k, v) ->
        reviewed.put(k.substring(0, k.indexOf('\t')).substring(k.indexOf('/') + 1), v));
    Map<String, String> unreviewed = new TreeMap<>(disagreements);
    unreviewed.keySet().removeAll(reviewed.keySet());
    Set<String> stale = new TreeSet<>(reviewed.keySet());
    stale.removeAll(disagreements.keySet());
    Map<String, String> changed = new TreeMap<>();
    reviewed.forEach((k, reason) -> {
      String figures = disagreements.get(k);
      if (figures != null && !reason.startsWith(figures + " -- ")) {
        changed.put(k, figures);
      }
    });

    assertThat(models).as("LiteLLM entries finops also prices").isGreaterThan(300);
    assertThat(unreviewed).as("disagreements not in litellm-disagreements.tsv").isEmpty();
    assertThat(stale).as("listed disagreements that now agree (remove them from the file)").isEmpty();
    assertThat(changed).as("listed disagreements whose figures are not those found (review them again)").isEmpty();
  }

  private static void add(JsonNode entry, String field, long tokens, Usage usage, Map<String, Usage> usages,
      Map<String, BigDecimal> expected, String label) {
    JsonNode v = entry.get(field);
    if (v != null && v.isNumber()) {
      usages.put(label, usage);
      expected.put(label, v.decimalValue().multiply(BigDecimal.valueOf(tokens)));
    }
  }
}
