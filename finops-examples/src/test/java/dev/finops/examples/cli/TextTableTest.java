package dev.finops.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.examples.cli.TextTable.Align;
import org.junit.jupiter.api.Test;

class TextTableTest {

  @Test
  void alignsDecimalPointsAndRightAlignsOtherCells() {
    TextTable t = TextTable.withHeader("name", Align.LEFT, "n", Align.RIGHT, "amount", Align.DECIMAL);
    t.row("a", "1", "10.5");
    t.row("bbb", "100", "0.125");
    t.row("c", "", "n/a");

    assertThat(t.render()).containsExactly(
        "name    n  amount",
        "a       1  10.5",
        "bbb   100   0.125",
        "c             n/a");
  }

  @Test
  void plainTableHasNoHeader() {
    TextTable t = TextTable.plain(Align.LEFT, Align.LEFT);
    t.row("key", "value");
    t.row("longer key", null);

    assertThat(t.render()).containsExactly("key         value", "longer key");
  }
}
