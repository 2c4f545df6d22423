package dev.finops.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.report.TextTable.Column;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

  @Test
  void alignsNamesLeftAndNumbersRight() {
    TextTable t = TextTable.of(Column.left("team"), Column.right("cost"), Column.right("requests"));
    t.addRow("nlp", "0.0279", "5").addRow("vision-research", "12.3500", "1,024").addRule().addRow("total", "12.3779", "1,029");

    assertThat(t.lines()).containsExactly(
        "team                cost  requests",
        "---------------  -------  --------",
        "nlp               0.0279         5",
        "vision-research  12.3500     1,024",
        "----------------------------------",
        "total            12.3779     1,029");
    assertThat(t.rowCount()).isEqualTo(3);
    assertThat(t.render()).endsWith("1,029\n");
  }

  @Test
  void linesCarryNoTrailingBlanksEvenWithALeftAlignedLastColumn() {
    TextTable t = TextTable.of(Column.right("n"), Column.left("note"));
    t.addRow("1", "short").addRow("1000", "a longer note").addRow("2", null);
    List<String> lines = t.lines();

    assertThat(lines).containsExactly("   n  note", "----  -------------", "   1  short", "1000  a longer note", "   2");
    assertThat(t.noUnderline().lines()).hasSize(4).doesNotContain("----  -------------");
  }

  @Test
  void rejectsRowsThatDoNotFit() {
    TextTable t = TextTable.of(Column.left("a"), Column.right("b"));

    assertThatThrownBy(() -> t.addRow("x")).hasMessageContaining("1 cells");
    assertThatThrownBy(() -> t.addRow("x", "1\n2")).hasMessageContaining("line break");
    assertThatThrownBy(() -> TextTable.of()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decimalColumnsLineUpOnThePointAndRightAlignOtherCells() {
    TextTable t = TextTable.of(Column.left("name"), Column.right("n"), Column.of("amount", TextTable.Align.DECIMAL));
    t.addRow("a", "1", "10.5").addRow("bbb", "100", "0.125").addRow("c", "", "n/a");

    assertThat(t.lines()).containsExactly(
        "name    n  amount",
        "----  ---  ------",
        "a       1  10.5",
        "bbb   100   0.125",
        "c             n/a");
  }

  @Test
  void headerlessTablesAreBlocksOfLabelsAndValues() {
    TextTable t = TextTable.headerless(TextTable.Align.LEFT, TextTable.Align.LEFT);
    t.addRow("key", "value").addRow("longer key", null);

    assertThat(t.lines()).containsExactly("key         value", "longer key");
    assertThat(t.isEmpty()).isFalse();
    assertThat(TextTable.headerless(TextTable.Align.LEFT).isEmpty()).isTrue();
  }
}
