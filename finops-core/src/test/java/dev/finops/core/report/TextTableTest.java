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
  void everyLineHasTheSameWidthEvenWithALeftAlignedLastColumn() {
    TextTable t = TextTable.of(Column.right("n"), Column.left("note"));
    t.addRow("1", "short").addRow("1000", "a longer note").addRow("2", null);
    List<String> lines = t.lines();

    assertThat(lines).allSatisfy(l -> assertThat(l).hasSize(lines.get(0).length()));
    assertThat(lines.get(2)).isEqualTo("   1  short        ");
  }

  @Test
  void rejectsRowsThatDoNotFit() {
    TextTable t = TextTable.of(Column.left("a"), Column.right("b"));

    assertThatThrownBy(() -> t.addRow("x")).hasMessageContaining("1 cells");
    assertThatThrownBy(() -> t.addRow("x", "1\n2")).hasMessageContaining("line break");
    assertThatThrownBy(() -> TextTable.of()).isInstanceOf(IllegalArgumentException.class);
  }
}
