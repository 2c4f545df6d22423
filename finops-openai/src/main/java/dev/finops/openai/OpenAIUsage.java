package dev.finops.openai;

import com.openai.core.JsonField;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.responses.ResponseUsage;
import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import java.util.Locale;
import java.util.Optional;

/**
 * The SDK's native usage objects in finops' canonical buckets. OpenAI's counts are inclusive: {@code
 * prompt_tokens} includes the cached, cache-written, audio and image tokens of the prompt, {@code
 * completion_tokens} includes the reasoning and audio tokens. Text goes through {@link
 * TokenConventions#fromInclusive}; the audio (and image) parts are taken out of the text counts exactly
 * and carried in {@link UsageBucket#INPUT_AUDIO}, {@link UsageBucket#OUTPUT_AUDIO} and {@link
 * UsageBucket#INPUT_IMAGE} (which the catalog prices at the text rate when it has no image price, and
 * leaves unpriced when a model has no audio price). Counts are read through the SDK's {@code _field()}
 * accessors, so a field missing from the JSON reads as 0 instead of throwing.
 */
final class OpenAIUsage {
  private OpenAIUsage() {}

  /** A chat completion's (or chunk's) usage. */
  static Usage chat(CompletionUsage u, String serviceTier) {
    long prompt = count(u._promptTokens());
    long completion = count(u._completionTokens());
    long cached = 0;
    long cacheWrite = 0;
    long audioIn = 0;
    long imageIn = 0;
    long reasoning = 0;
    long audioOut = 0;
    Optional<CompletionUsage.PromptTokensDetails> pd = u._promptTokensDetails().asKnown();
    if (pd.isPresent()) {
      cached = count(pd.get()._cachedTokens());
      cacheWrite = count(pd.get()._cacheWriteTokens());
      audioIn = count(pd.get()._audioTokens());
      imageIn = count(pd.get()._imageTokens());
    }
    Optional<CompletionUsage.CompletionTokensDetails> cd = u._completionTokensDetails().asKnown();
    if (cd.isPresent()) {
      reasoning = count(cd.get()._reasoningTokens());
      audioOut = count(cd.get()._audioTokens());
    }
    return convert(prompt, completion, cached, cacheWrite, audioIn, imageIn, reasoning, audioOut, serviceTier);
  }

  /** A Responses API response's usage. */
  static Usage responses(ResponseUsage u, String serviceTier) {
    long input = count(u._inputTokens());
    long output = count(u._outputTokens());
    long cached = 0;
    long cacheWrite = 0;
    long reasoning = 0;
    Optional<ResponseUsage.InputTokensDetails> in = u._inputTokensDetails().asKnown();
    if (in.isPresent()) {
      cached = count(in.get()._cachedTokens());
      cacheWrite = count(in.get()._cacheWriteTokens());
    }
    Optional<ResponseUsage.OutputTokensDetails> out = u._outputTokensDetails().asKnown();
    if (out.isPresent()) {
      reasoning = count(out.get()._reasoningTokens());
    }
    return convert(input, output, cached, cacheWrite, 0, 0, reasoning, 0, serviceTier);
  }

  /** An embeddings response's usage: all prompt tokens, uncached input. */
  static Usage embeddings(CreateEmbeddingResponse.Usage u) {
    return TokenConventions.fromInclusive(count(u._promptTokens()), 0, 0, 0, 0);
  }

  /**
   * Inclusive counts in canonical buckets. The audio and image tokens of the prompt are taken from the
   * part that was neither read from nor written to the cache (so a cached audio token is counted once, as
   * a cache read), and the audio tokens of the completion from the part that is not reasoning.
   *
   * @throws IllegalArgumentException for counts that do not fit the inclusive convention
   */
  static Usage convert(long input, long output, long cacheRead, long cacheWrite, long audioIn, long imageIn,
      long reasoning, long audioOut, String serviceTier) {
    long freshIn = input - cacheRead - cacheWrite;
    long aIn = clamp(audioIn, freshIn);
    long iIn = clamp(imageIn, freshIn - aIn);
    long aOut = clamp(audioOut, output - reasoning);
    Usage usage = TokenConventions.fromInclusive(input - aIn - iIn, output - aOut, cacheRead, cacheWrite, reasoning);
    if (aIn != 0 || iIn != 0 || aOut != 0) {
      usage = usage.plus(Usage.builder()
          .add(UsageBucket.INPUT_AUDIO, aIn)
          .add(UsageBucket.INPUT_IMAGE, iIn)
          .add(UsageBucket.OUTPUT_AUDIO, aOut)
          .build());
    }
    String tier = tier(serviceTier);
    return tier == null ? usage : usage.withServiceTier(tier);
  }

  /**
   * OpenAI's billed service tier as finops names it: {@code flex}, {@code priority}, {@code scale}, ...;
   * {@code null} for the standard tier ({@code default}, {@code auto}, absent).
   */
  static String tier(String serviceTier) {
    if (serviceTier == null || serviceTier.isBlank()) {
      return null;
    }
    String t = serviceTier.trim().toLowerCase(Locale.ROOT);
    return t.equals("default") || t.equals("auto") || t.equals(Usage.STANDARD_TIER) ? null : t;
  }

  private static long clamp(long part, long room) {
    return Math.max(0, Math.min(part, room));
  }

  private static long count(JsonField<Long> field) {
    return field.asKnown().orElse(0L);
  }
}
