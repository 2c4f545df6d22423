package dev.finops.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Tags;
import dev.finops.core.report.TextTable.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CostReportTextTest {

  private static List<String> lines(String text) {
    return Arrays.asList(text.split("\n", -1));
  }

  /** The section that starts with a line beginning {@code title}, up to the next empty line. */
  private static List<String> section(String text, String title) {
    List<String> all = lines(text);
    int start = -1;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).startsWith(title)) {
        start = i;
        break;
      }
    }
    assertThat(start).as("section " + title).isNotNegative();
    List<String> out = new ArrayList<>();
    for (int i = start; i < all.size() && !all.get(i).isEmpty(); i++) {
      out.add(all.get(i));
    }
    return out;
  }

  /**
   * Checks every table in {@code text}: the header, the underline and each row have the same width,
   * the first column's cells start at its left edge and the cells of the other columns, except the
   * {@code leftColumns}, end at their right edge.
   */
  private static int assertTablesAligned(String text, Set<Integer> leftColumns) {
    List<String> all = lines(text);
    int tables = 0;
    for (int i = 1; i < all.size(); i++) {
      String underline = all.get(i);
      if (!underline.matches("-+( +-+)+")) {
        continue;
      }
      tables++;
      List<int[]> spans = new ArrayList<>();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("-+").matcher(underline);
      while (m.find()) {
        spans.add(new int[] {m.start(), m.end()});
      }
      assertThat(all.get(i - 1)).as("header above " + underline).hasSize(underline.length());
      for (int j = i + 1; j < all.size(); j++) {
        String row = all.get(j);
        if (row.isEmpty() || row.startsWith("*") || row.startsWith("unpriced usage only")) {
          break;
        }
        assertThat(row).as("row width").hasSize(underline.length());
        if (row.matches("-+")) {
          continue;
        }
        assertThat(row.charAt(0)).as("name starts at the left edge: '%s'", row).isNotEqualTo(' ');
        for (int c = 1; c < spans.size(); c++) {
          if (!leftColumns.contains(c)) {
            assertThat(row.charAt(spans.get(c)[1] - 1)).as("column %d right-aligned in '%s'", c, row)
                .isNotEqualTo(' ');
          }
        }
      }
    }
    return tables;
  }

  @Test
  void tablesLineUp() {
    String text = CostReportText.render(ReportFixtures.standard().report());

    // total, team, experiment, run, model, resource, unpriced
    assertThat(assertTablesAligned(text, Set.of())).isEqualTo(7);
  }

  @Test
  void headerStatesTheRounding() {
    String text = CostReportText.render(ReportFixtures.standard().report());

    assertThat(lines(text).get(0)).isEqualTo("finops cost report, snapshot taken 2026-03-01T12:00:00Z");
    assertThat(lines(text).get(1)).isEqualTo("amounts rounded half-even to 4 places; per-unit to 6; currency USD");
    List<String> total = section(text, "Total");
    assertThat(total.get(1)).startsWith("       cost USD  requests  tokens in  tokens out  GPU-hours  cost/request");
    // 0.37865 rounds half-even to 0.3786; 0.37865 / 7 = 0.0540928571... to 0.054093.
    assertThat(total.get(3)).matches("total +0\\.3786 +7 +124,000 +16,500 +0\\.0000 +0\\.054093 +0\\.002695 +2\\.695018");
  }

  @Test
  void groupsInCostOrderWithUnpricedMarked() {
    String text = CostReportText.render(ReportFixtures.standard().report());
    List<String> team = section(text, "By team");

    assertThat(team.get(0)).isEqualTo("By team");
    assertThat(team.get(1)).startsWith("team    ");
    assertThat(team.get(3)).startsWith("vision *").contains(" 0.3500 ");
    assertThat(team.get(4)).startsWith("nlp     ").contains(" 0.0279 ", " 0.005580 ");
    assertThat(team.get(5)).startsWith("(none)  ").contains(" 0.0008 "); // 0.00075 half-even
    assertThat(team.get(6)).startsWith("* also has unpriced usage");
    assertThat(team.get(7)).isEqualTo("unpriced usage only, no cost: audio");
  }

  @Test
  void topNCutShowsOthers() {
    CostReport r = CostReport.builder().topN(2).build(ReportFixtures.standard().ledger.snapshot());
    List<String> run = section(CostReportText.render(r), "By run");

    assertThat(run.get(0)).isEqualTo("By run (top 2 of 4)");
    assertThat(run).hasSize(6);
    assertThat(run.get(3)).startsWith("r3 ");
    assertThat(run.get(4)).startsWith("r1 ");
    assertThat(run.get(5)).startsWith("(2 others)").contains(" 0.0062 ", " 3 ");
  }

  @Test
  void unpricedUsageComesLastAndNotAsCost() {
    String text = CostReportText.render(ReportFixtures.standard().report());
    List<String> unpriced = section(text, "Unpriced usage");

    assertThat(text.indexOf("\n" + CostReportText.UNPRICED_TITLE)).isGreaterThan(text.indexOf("By resource"));
    assertThat(unpriced.get(1)).matches("resource +requests +input tokens +output tokens");
    assertThat(unpriced.get(3)).matches("acme/mystery-1 +3 +1,300 +200");
    assertThat(unpriced.get(5)).matches("total +3 +1,300 +200");
    // In the cost tables, the unpriced model has no row (no $0 line), only the note.
    List<String> resource = section(text, "By resource");
    assertThat(resource).noneMatch(l -> l.startsWith("acme/mystery-1"));
    assertThat(resource.get(resource.size() - 1)).isEqualTo("unpriced usage only, no cost: acme/mystery-1");
  }

  @Test
  void noUnpricedSectionWhenEverythingIsPriced() {
    ReportFixtures f = new ReportFixtures();
    f.record(1, Tags.builder().team("nlp").build(), "big-1", 1_000, 500);
    String text = CostReportText.render(f.report());

    assertThat(text).doesNotContain("Unpriced usage", "*");
    assertThat(assertTablesAligned(text, Set.of())).isEqualTo(6);
  }

  @Test
  void severalCurrenciesGetACurrencyColumn() {
    ReportFixtures f = ReportFixtures.standard();
    f.record(2, Tags.builder().team("nlp").model("eu-1").build(), "eu-1", 1_000_000, 0);
    String text = CostReportText.render(f.report());
    List<String> team = section(text, "By team");

    assertThat(lines(text).get(1)).endsWith("; currencies EUR, USD");
    assertThat(team.get(1)).matches("team +currency +cost +requests.*");
    assertThat(team.get(3)).matches("nlp +EUR +2\\.0000 +2 .*");
    assertThat(team.get(4)).matches("nlp +USD +0\\.0279 +5 .*");
    assertTablesAligned(text, Set.of(1));
  }

  @Test
  void callersAddSectionsBeforeTheUnpricedOne() {
    TextTable steps = TextTable.of(Column.left("run"), Column.right("steps"));
    steps.addRow("r1", "1,200");
    String text = CostReportText.of(ReportFixtures.standard().report())
        .addSection("Training run", steps)
        .addSection("Budget events", "nlp crossed 80% of its monthly budget")
        .render();

    assertThat(section(text, "Training run")).containsExactly("Training run", "run  steps", "---  -----",
        "r1   1,200");
    assertThat(section(text, "Budget events")).containsExactly("Budget events",
        "nlp crossed 80% of its monthly budget");
    assertThat(text.indexOf("Training run")).isGreaterThan(text.indexOf("By resource"));
    assertThat(text.indexOf("Budget events")).isLessThan(text.indexOf("\n" + CostReportText.UNPRICED_TITLE));
    assertTablesAligned(text, Set.of());
  }
}
