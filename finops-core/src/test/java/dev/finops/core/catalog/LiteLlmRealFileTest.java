package dev.finops.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.LiteLlmImporter.Options;
import dev.finops.core.catalog.LiteLlmImporter.Result;
import dev.finops.core.catalog.LiteLlmImporter.SkipReason;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The LiteLLM importer on the real, vendored price file: everything imported exactly or skipped with a reason. */
class LiteLlmRealFileTest {

  static Path dataset() throws Exception {
    return Path.of(LiteLlmRealFileTest.class.getResource("/datasets/litellm/model_prices_and_context_window.json")
        .toURI());
  }

  @Test
  void everyEntryIsImportedExactlyOrSkippedWithAReason() throws Exception {
    Path file = dataset();
    Result r = LiteLlmImporter.read(file, Options.all());
    JsonNode data = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .readTree(Files.readAllBytes(file));

    // 2,985 top-level keys: the sample_spec documentation entry, imported models and skipped entries.
    assertThat(data.size()).isEqualTo(2985);
    assertThat(1 + r.catalog().models().size() + r.skippedCount()).isEqualTo(2985);
    assertThat(r.skipped()).allSatisfy(s -> assertThat(s.detail()).isNotBlank());
    assertThat(r.skippedCount(SkipReason.METADATA)).isEqualTo(1);
    assertThat(r.catalog().models().size()).isGreaterThan(2000);

    // Every imported model carries exactly the per-token figures of its entry, times 1,000,000.
    Set<String> checked = new HashSet<>();
    Set<String> skipped = new HashSet<>(r.skippedKeys());
    Map<String, UsageBucket> fields = Map.of(
        "input_cost_per_token", UsageBucket.INPUT_UNCACHED,
        "output_cost_per_token", UsageBucket.OUTPUT,
        "cache_read_input_token_cost", UsageBucket.CACHE_READ,
        "cache_creation_input_token_cost", UsageBucket.CACHE_WRITE_5M);
    for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (key.equals(LiteLlmImporter.SAMPLE_SPEC) || skipped.contains(key)) {
        continue;
      }
      String provider = e.getValue().get("litellm_provider").asText().toLowerCase(Locale.ROOT);
      String id = key.startsWith(provider + "/") ? key.substring(provider.length() + 1) : key;
      ModelEntry m = r.catalog().findExact(provider, id.toLowerCase(Locale.ROOT));
      assertThat(m).as(key).isNotNull();
      for (Map.Entry<String, UsageBucket> f : fields.entrySet()) {
        JsonNode v = e.getValue().get(f.getKey());
        if (v != null && v.isNumber()) {
          BigDecimal expected = v.decimalValue().multiply(BigDecimal.valueOf(1_000_000));
          assertThat(m.latest().base().price(f.getValue())).as(key + " " + f.getKey()).isEqualByComparingTo(expected);
        }
      }
      checked.add(key);
    }
    assertThat(checked).hasSize(r.catalog().models().size());
  }
}
