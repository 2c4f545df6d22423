package dev.finops.otel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PromptBytesTest {

  @Test
  void countsWhatUtf8EncodingWritesWithoutEncoding() {
    assertThat(PromptBytes.utf8Length("a\u00e9\u20ac\uD83D\uDE00")).isEqualTo(1 + 2 + 3 + 4);
    assertThat(PromptBytes.utf8Length("")).isZero();
    assertThat(PromptBytes.utf8Length(null)).isZero();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder s = new StringBuilder();
      for (int n = random.nextInt(40); n > 0; n--) {
        int cp = switch (random.nextInt(4)) {
          case 0 -> random.nextInt(0x80);
          case 1 -> random.nextInt(0x80, 0x800);
          case 2 -> random.nextInt(0x800, 0xD800);
          default -> random.nextInt(0x10000, 0x110000);
        };
        s.appendCodePoint(cp);
      }
      assertThat(PromptBytes.utf8Length(s)).as(s.toString())
          .isEqualTo(s.toString().getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void aLoneSurrogateCountsAsTheReplacementCharacterAServerReadsItAs() {
    // Java encodes a lone surrogate as '?' (1 byte); a server decoding it reads U+FFFD (3 bytes): the bound takes 3.
    assertThat(PromptBytes.utf8Length("\ud800x")).isEqualTo(4);
    assertThat(PromptBytes.utf8Length("x\udc00")).isEqualTo(4);
  }
}
