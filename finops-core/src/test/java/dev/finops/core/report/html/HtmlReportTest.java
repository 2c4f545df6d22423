package dev.finops.core.report.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.Money;
import dev.finops.core.report.CostReport;
import dev.finops.core.report.CostReportJson;
import dev.finops.core.ledger.LedgerSnapshot;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

  @Test
  void a_plain_report_keeps_its_totals_and_omits_the_time_charts_with_a_note() {
    ObjectNode json = CostReportJson.toJson(CostReport.of(LedgerSnapshot.of(List.of(), 0)));
    String html = HtmlReport.render(json);
    assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script", "http:", "https:")
        .contains("Total cost</dt><dd>nothing priced");
    for (String id : HtmlReport.CHART_IDS) {
      assertThat(html).contains("<section class=\"chart omitted\" id=\"" + id + "\"");
    }
    assertThat(html).contains("Chart omitted: this report has no spend_over_time section");
  }

  @Test
  void rejects_a_document_that_is_not_a_cost_report() {
    ObjectNode other = JsonNodeFactory.instance.objectNode().put("format", "something.else");
    assertThatThrownBy(() -> HtmlReport.render(other)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finops.cost_report");
  }

  @Test
  void amounts_round_half_even_as_the_text_report_and_text_is_escaped() {
    assertThat(HtmlReport.round("0.00005", CostReport.TOTAL_SCALE)).isEqualTo("0.0000");
    assertThat(HtmlReport.round("0.00015", CostReport.TOTAL_SCALE)).isEqualTo("0.0002");
    assertThat(HtmlReport.esc("<a href=\"x\">&'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  }

  @Test
  void a_distribution_counts_every_amount_once_with_exact_quantiles() {
    List<Money> amounts = List.of(Money.usd("0.001"), Money.usd("0.002"), Money.usd("0.003"), Money.usd("0.01"));
    ObjectNode d = ReportSections.distribution(amounts, 4);
    long counted = 0;
    for (var bin : d.get("bins")) {
      counted += bin.get("count").asLong();
    }
    assertThat(counted).isEqualTo(4);
    assertThat(d.get("bins").get(3).get("to").asText()).isEqualTo("0.01");
    assertThat(d.get("p50").asText()).isEqualTo("0.002");
    assertThat(d.get("max").asText()).isEqualTo("0.01");
    assertThat(new BigDecimal(d.get("total").asText())).isEqualByComparingTo("0.016");
    assertThat(ReportSections.distribution(List.of(), 4)).isNull();
  }

  @Test
  void gridlines_fall_on_one_two_or_five_times_a_power_of_ten() {
    assertThat(SvgPlot.step(new BigDecimal("37"))).isEqualByComparingTo("10");
    assertThat(SvgPlot.step(new BigDecimal("180"))).isEqualByComparingTo("50");
    assertThat(SvgPlot.step(new BigDecimal("0.0043"))).isEqualByComparingTo("0.001");
  }
}
