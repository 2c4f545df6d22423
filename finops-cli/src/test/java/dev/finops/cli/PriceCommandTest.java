package dev.finops.cli;

import static dev.finops.cli.Cli.assertFields;
import static dev.finops.cli.Cli.testCatalog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** {@code finops price} against the small test catalog (made-up prices, exact expectations). */
class PriceCommandTest {

  private static final List<String> PRICE = List.of("price");

  private static JsonNode priceJson(String... args) {
    return Cli.jsonOnTestCatalog(PRICE, args);
  }

  /** The lines as (bucket, quantity, unit_price, cost) tuples, in order. */
  private static void assertLines(JsonNode json, Tuple... expected) {
    List<JsonNode> lines = new ArrayList<>();
    json.get("lines").forEach(lines::add);
    assertThat(lines)
        .extracting(l -> l.get("bucket").textValue(), l -> l.get("quantity").longValue(),
            l -> l.get("unit_price").textValue(), l -> l.get("cost").textValue())
        .containsExactly(expected);
  }

  @Test
  void openAiStyleCachedRequestWithReasoning() {
    // OpenTelemetry counts: 1200 input of which 1000 cached; 300 output of which 100 reasoning.
    JsonNode j = priceJson("--model", "gpt-4o-2024-08-06", "--input-tokens", "1200", "--cache-read-tokens", "1000",
        "--output-tokens", "300", "--reasoning-tokens", "100", "--at", "2025-01-01");

    // 200 × 2.50 + 1000 × 1.25 + 200 × 10 + 100 × 10 (reasoning at the output price), per 1M tokens
    assertFields(j, "requested_model", "gpt-4o-2024-08-06", "model", "gpt-4o", "provider", "openai",
        "currency", "USD", "total", "0.00475", "price_source", "user_catalog", "catalog_version", "cli-test-1",
        "valid_from", "2024-10-01", "at", "2025-01-01");
    assertLines(j,
        tuple("input", 200L, "2.50", "0.0005"),
        tuple("cache_read", 1000L, "1.25", "0.00125"),
        tuple("output", 200L, "10.00", "0.002"),
        tuple("reasoning", 100L, "10.00", "0.001"));
    assertFields(j.get("lines").get(0), "unit", "1M tokens");
    assertThat(j.get("context_tier").intValue()).isZero();
  }

  @Test
  void anthropicStyleModelWithCacheWrites() {
    // 10000 input tokens in all: 6000 read from the cache, 3000 written to it, 1000 uncached.
    JsonNode j = priceJson("--model", "claude-sonnet-4-5", "--provider", "anthropic", "--input-tokens", "10000",
        "--cache-read-tokens", "6000", "--cache-write-tokens", "3000", "--output-tokens", "500",
        "--at", "2025-10-15");

    // 1000 × 3 + 6000 × 0.30 + 3000 × 3.75 + 500 × 15, per 1M tokens
    assertFields(j, "model", "claude-sonnet-4-5", "provider", "anthropic", "total", "0.02355");
    assertLines(j,
        tuple("input", 1000L, "3.00", "0.003"),
        tuple("cache_read", 6000L, "0.30", "0.0018"),
        tuple("cache_write_5m", 3000L, "3.75", "0.01125"),
        tuple("output", 500L, "15.00", "0.0075"));
  }

  @Test
  void oneHourCacheWritesArePricedApart() {
    JsonNode j = priceJson("--model", "claude-sonnet-4-5", "--input-tokens", "2000", "--cache-write-1h-tokens", "1000",
        "--output-tokens", "0", "--at", "2025-10-15");

    // 1000 × 3 + 1000 × 6.00, per 1M tokens
    assertFields(j, "total", "0.009");
    assertLines(j, tuple("input", 1000L, "3.00", "0.003"), tuple("cache_write_1h", 1000L, "6.00", "0.006"));
  }

  @Test
  void longContextTierRepricesTheWholeRequest() {
    JsonNode j = priceJson("--model", "claude-sonnet-4-5", "--input-tokens", "250000", "--output-tokens", "1000",
        "--at", "2025-10-15");

    // above 200000 input tokens: 250000 × 6.00 + 1000 × 22.50, per 1M tokens
    assertFields(j, "total", "1.5225");
    assertThat(j.get("context_tier").intValue()).isEqualTo(1);
    assertThat(j.get("context_tier_above_input_tokens").longValue()).isEqualTo(200000);
  }

  @Test
  void atSelectsTheDatedPrice() {
    JsonNode before = priceJson("--model", "gpt-4o", "--input-tokens", "1000000", "--output-tokens", "1000000",
        "--at", "2024-06-01");
    JsonNode after = priceJson("--model", "gpt-4o", "--input-tokens", "1000000", "--output-tokens", "1000000",
        "--at", "2024-10-01");

    assertFields(before, "total", "20", "valid_from", "2024-05-13", "valid_to", "2024-10-01");
    assertFields(after, "total", "12.5", "valid_from", "2024-10-01");
    assertThat(after.get("valid_to").isNull()).isTrue();
  }

  @Test
  void noPriceAtTheDateExitsThree() {
    Cli.Result r = Cli.onTestCatalog(PRICE, "--model", "gpt-4o", "--input-tokens", "1", "--output-tokens", "1",
        "--at", "2024-01-01");

    assertThat(r.code()).isEqualTo(ExitCode.NO_PRICE);
    FinOpsCliTest.assertOneLineError(r, "model 'gpt-4o' (openai) has no price valid at 2024-01-01T00:00:00Z");
  }

  @Test
  void optionsAcceptTheEqualsForm() {
    JsonNode j = priceJson("--model=gpt-4o", "--input-tokens=1000000", "--output-tokens=0", "--at=2025-01-01");

    assertFields(j, "total", "2.5");
  }

  @Test
  void humanTableIsAligned() {
    Cli.Result r = Cli.onTestCatalog(PRICE, "--model", "gpt-4o-2024-08-06", "--input-tokens", "1200",
        "--cache-read-tokens", "1000", "--output-tokens", "300", "--reasoning-tokens", "100", "--at", "2025-01-01");

    assertThat(r.code()).isZero();
    List<String> lines = r.lines();
    assertThat(lines.subList(0, 6)).containsExactly(
        "bucket      quantity  unit price (USD)  per        cost (USD)",
        "input            200              2.50  1M tokens     0.0005",
        "cache_read      1000              1.25  1M tokens     0.00125",
        "output           200             10.00  1M tokens     0.002",
        "reasoning        100             10.00  1M tokens     0.001",
        "total                                                 0.00475");
    // the right edge of the quantities and the decimal points of the costs line up
    int quantityEnd = lines.get(0).indexOf("quantity") + "quantity".length();
    int costDot = lines.get(1).lastIndexOf('.');
    for (String line : lines.subList(1, 5)) {
      assertThat(line.charAt(quantityEnd - 1)).isNotEqualTo(' ');
      assertThat(line.charAt(quantityEnd)).isEqualTo(' ');
      assertThat(line.lastIndexOf('.')).isEqualTo(costDot);
    }
    assertThat(lines.get(5).lastIndexOf('.')).isEqualTo(costDot);
    assertThat(lines.subList(6, lines.size())).containsExactly(
        "",
        "model            openai/gpt-4o (requested as gpt-4o-2024-08-06)",
        "total            0.00475 USD",
        "source           user_catalog " + testCatalog(),
        "catalog version  cli-test-1",
        "price            valid from 2024-10-01");
  }
}
