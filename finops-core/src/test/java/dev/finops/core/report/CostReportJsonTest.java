package dev.finops.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.Tags;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostReportJsonTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode parse(String json) throws Exception {
    return MAPPER.readTree(json);
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static List<String> groupNames(JsonNode grouping) {
    List<String> out = new ArrayList<>();
    for (JsonNode g : grouping.get("groups")) {
      out.add(g.get("name").isNull() ? null : g.get("name").asText());
    }
    return out;
  }

  @Test
  void amountsAreExactDecimalStrings() throws Exception {
    JsonNode root = parse(CostReportJson.render(ReportFixtures.standard().report()));

    assertThat(root.get("format").asText()).isEqualTo(CostReportJson.FORMAT);
    assertThat(root.get("format_version").asInt()).isEqualTo(1);
    assertThat(root.get("taken_at").asText()).isEqualTo("2026-03-01T12:00:00Z");
    assertThat(root.get("currencies").get(0).asText()).isEqualTo("USD");
    JsonNode total = root.get("total").get("lines").get(0);
    assertThat(total.get("cost").isTextual()).isTrue();
    assertThat(total.get("cost").asText()).isEqualTo("0.37865");
    assertThat(new BigDecimal(total.get("cost").asText())).isEqualByComparingTo("0.37865");
    assertThat(total.get("requests").isIntegralNumber()).isTrue();
    assertThat(total.get("requests").asLong()).isEqualTo(7);
    assertThat(total.get("tokens").asLong()).isEqualTo(124_000 + 16_500);
    // Not terminating: 12 places, half-even.
    assertThat(total.get("cost_per_request").asText()).isEqualTo("0.054092857143");
    assertThat(total.get("cost_per_1m_tokens").asText())
        .isEqualTo(new BigDecimal("378650").divide(BigDecimal.valueOf(140_500), 12, java.math.RoundingMode.HALF_EVEN)
            .stripTrailingZeros().toPlainString());
    assertThat(root.get("total").get("unpriced_records").asLong()).isEqualTo(3);

    JsonNode nlp = root.get("groupings").get("team").get("groups").get(1);
    assertThat(nlp.get("name").asText()).isEqualTo("nlp");
    assertThat(nlp.get("lines").get(0).get("cost").asText()).isEqualTo("0.0279");
    assertThat(nlp.get("lines").get(0).get("cost_per_request").asText()).isEqualTo("0.00558");
    assertThat(nlp.get("lines").get(0).get("gpu_hours").asText()).isEqualTo("0");
  }

  @Test
  void noAmountIsAJsonNumber() throws Exception {
    JsonNode root = parse(CostReportJson.render(ReportFixtures.standard().report()));
    List<JsonNode> floats = new ArrayList<>();
    collectFloats(root, floats);
    assertThat(floats).isEmpty();
  }

  private static void collectFloats(JsonNode n, List<JsonNode> out) {
    if (n.isFloatingPointNumber()) {
      out.add(n);
    }
    n.forEach(c -> collectFloats(c, out));
  }

  @Test
  void shapeAndOrderAreStable() throws Exception {
    JsonNode root = parse(CostReportJson.render(ReportFixtures.standard().report()));

    assertThat(fieldNames(root)).containsExactly("format", "format_version", "taken_at", "currencies", "top_n",
        "total", "groupings", "unpriced");
    assertThat(fieldNames(root.get("groupings"))).containsExactly("team", "experiment", "run", "model", "resource");
    assertThat(fieldNames(root.get("groupings").get("team")))
        .containsExactly("group_count", "groups", "others", "unpriced_only");
    assertThat(fieldNames(root.get("total").get("lines").get(0))).containsExactly("currency", "cost", "requests",
        "input_tokens", "output_tokens", "tokens", "gpu_ms", "gpu_hours", "cost_per_request", "cost_per_1k_tokens",
        "cost_per_1m_tokens");
    assertThat(groupNames(root.get("groupings").get("team"))).containsExactly("vision", "nlp", null);
    assertThat(groupNames(root.get("groupings").get("resource"))).containsExactly("acme/big-1", "acme/small-1");
    assertThat(root.get("groupings").get("team").get("others").isNull()).isTrue();
    // Same report, same bytes.
    assertThat(CostReportJson.render(ReportFixtures.standard().report()))
        .isEqualTo(CostReportJson.render(ReportFixtures.standard().report()));
  }

  @Test
  void topNCutIsShownAsOthers() throws Exception {
    CostReport r = CostReport.builder().topN(1).build(ReportFixtures.standard().ledger.snapshot());
    JsonNode team = parse(CostReportJson.render(r)).get("groupings").get("team");

    assertThat(groupNames(team)).containsExactly("vision");
    assertThat(team.get("group_count").asInt()).isEqualTo(3);
    assertThat(team.get("others").get("count").asInt()).isEqualTo(2);
    assertThat(team.get("others").get("lines").get(0).get("cost").asText()).isEqualTo("0.02865");
  }

  @Test
  void unpricedUsageHasItsOwnSectionAndNoCost() throws Exception {
    JsonNode root = parse(CostReportJson.render(ReportFixtures.standard().report()));
    JsonNode unpriced = root.get("unpriced");

    assertThat(unpriced.get("records").asLong()).isEqualTo(3);
    assertThat(fieldNames(unpriced.get("quantities"))).containsExactly("input", "output");
    assertThat(unpriced.get("quantities").get("input").asLong()).isEqualTo(1_300);
    assertThat(unpriced.get("quantities").get("output").asLong()).isEqualTo(200);
    JsonNode mystery = unpriced.get("by_resource").get(0);
    assertThat(mystery.get("name").asText()).isEqualTo("acme/mystery-1");
    assertThat(mystery.get("records").asLong()).isEqualTo(3);
    assertThat(mystery.has("cost")).isFalse();
    assertThat(root.get("groupings").get("resource").get("unpriced_only").get(0).asText()).isEqualTo("acme/mystery-1");
    assertThat(root.get("groupings").get("team").get("unpriced_only").get(0).asText()).isEqualTo("audio");
    assertThat(root.get("groupings").get("team").get("groups").get(0).get("unpriced_records").asLong()).isEqualTo(2);
    assertThat(groupNames(root.get("groupings").get("resource"))).doesNotContain("acme/mystery-1");
  }

  @Test
  void perUnitFiguresAreNullWithNothingToDivideBy() throws Exception {
    ReportFixtures f = new ReportFixtures();
    f.recordGpu(Tags.builder().team("ml").build(), "2.00", 5_400_000);
    JsonNode line = parse(CostReportJson.render(f.report())).get("total").get("lines").get(0);

    assertThat(line.get("cost").asText()).isEqualTo("3");
    assertThat(line.get("gpu_ms").asLong()).isEqualTo(5_400_000);
    assertThat(line.get("gpu_hours").asText()).isEqualTo("1.5");
    assertThat(line.get("requests").asLong()).as("GPU-time slices are not requests").isZero();
    assertThat(line.get("cost_per_request").isNull()).isTrue();
    assertThat(line.get("cost_per_1k_tokens").isNull()).isTrue();
    assertThat(line.get("cost_per_1m_tokens").isNull()).isTrue();
  }

  @Test
  void severalCurrenciesAreSeparateLines() throws Exception {
    ReportFixtures f = ReportFixtures.standard();
    f.record(2, Tags.builder().team("nlp").model("eu-1").build(), "eu-1", 1_000_000, 0);
    JsonNode root = parse(CostReportJson.render(f.report()));

    assertThat(root.get("currencies").toString()).isEqualTo("[\"EUR\",\"USD\"]");
    JsonNode lines = root.get("total").get("lines");
    assertThat(lines.get(0).get("currency").asText()).isEqualTo("EUR");
    assertThat(lines.get(0).get("cost").asText()).isEqualTo("2");
    assertThat(lines.get(1).get("currency").asText()).isEqualTo("USD");
    assertThat(lines.get(1).get("cost").asText()).isEqualTo("0.37865");
  }

  @Test
  void callersCanExtendTheTree() throws Exception {
    ObjectNode root = CostReportJson.toJson(ReportFixtures.standard().report());
    root.putObject("training_run").put("run", "r1").put("cost", "0.0225");
    JsonNode back = parse(CostReportJson.write(root));

    assertThat(back.get("training_run").get("cost").asText()).isEqualTo("0.0225");
    assertThat(back.get("total").get("lines").get(0).get("cost").asText()).isEqualTo("0.37865");
    assertThat(CostReportJson.write(root)).doesNotContain("\r");
  }
}
