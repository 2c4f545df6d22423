package dev.finops.otel;

/**
 * A prompt's size for the budget reservation at a call's start ({@link FinOpsTelemetry#startCall}):
 * byte-level BPE tokenizers (OpenAI's, Anthropic's) never make more tokens of a text than it has UTF-8
 * bytes, so the integrations bound a prompt's tokens by its UTF-8 length, counted here.
 */
public final class PromptBytes {
  private PromptBytes() {}

  /**
   * The UTF-8 length of {@code s} without encoding it (no allocation): 1 byte below U+0080, 2 below
   * U+0800, 4 for a surrogate pair, else 3; a lone surrogate counts 3, what the U+FFFD a server reads
   * it as takes. {@code null} is 0.
   */
  public static long utf8Length(CharSequence s) {
    if (s == null) {
      return 0;
    }
    int n = s.length();
    long b = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (c < 0x800) {
        b += 1;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        b += 2; // the pair: 2 chars counted already, 4 bytes
        i++;
      } else {
        b += 2;
      }
    }
    return b;
  }
}
