package dev.finops.springai;

import com.google.genai.types.GenerateContentResponseUsageMetadata;
import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import java.util.Locale;
import org.springframework.ai.anthropic.api.AnthropicApi;
import org.springframework.ai.openai.api.OpenAiApi;

/**
 * The one place Spring AI's usage becomes finops {@link Usage}: from the provider's native usage when
 * Spring AI keeps it ({@link org.springframework.ai.chat.metadata.Usage#getNativeUsage()}), so cache
 * reads, cache writes and reasoning are priced at their own rates; from the generic prompt and
 * completion counts otherwise (then every input token is priced uncached, and {@link #hasCacheDetail}
 * says so).
 *
 * <ul>
 *   <li>OpenAI: inclusive counts; {@code prompt_tokens_details.cached_tokens} are cache reads, {@code
 *       completion_tokens_details.reasoning_tokens} reasoning. Spring AI 1.x's {@code OpenAiApi.Usage},
 *       or the OpenAI Java SDK's {@code CompletionUsage} (Spring AI 2's {@code spring-ai-openai}, 1.1's
 *       {@code spring-ai-openai-sdk}).
 *   <li>Anthropic: exclusive counts; {@code cache_read_input_tokens} and {@code
 *       cache_creation_input_tokens} (5-minute writes) beside {@code input_tokens}. Spring AI 1.x's {@code
 *       AnthropicApi.Usage}, or the Anthropic Java SDK's {@code Usage} (Spring AI 2) and, for a stream's
 *       last event, its {@code MessageDeltaUsage} (cumulative counts; read only when it carries the input
 *       count, as Anthropic's API sends today).
 *   <li>Google Gemini ({@code spring-ai-google-genai}: its {@code GoogleGenAiUsage} carries the
 *       google-genai SDK's {@code GenerateContentResponseUsageMetadata} as native usage): {@code
 *       promptTokenCount} includes {@code cachedContentTokenCount} (cache reads); {@code
 *       toolUsePromptTokenCount} is input beside it; {@code candidatesTokenCount} excludes {@code
 *       thoughtsTokenCount}, reasoning billed at the output price.
 * </ul>
 *
 * The provider modules ({@code spring-ai-openai}, {@code spring-ai-anthropic}, {@code
 * spring-ai-google-genai}) and the SDKs are optional: their types are only looked at when they are on the
 * class path, so one jar serves Spring AI 1.1 and 2.
 */
public final class SpringAiUsage {
  private static final boolean OPENAI = present("org.springframework.ai.openai.api.OpenAiApi$Usage");
  private static final boolean ANTHROPIC = present("org.springframework.ai.anthropic.api.AnthropicApi$Usage");
  private static final boolean GEMINI = present("com.google.genai.types.GenerateContentResponseUsageMetadata");
  private static final boolean OPENAI_SDK = present("com.openai.models.completions.CompletionUsage");
  private static final boolean ANTHROPIC_SDK = present("com.anthropic.models.messages.MessageDeltaUsage");

  private SpringAiUsage() {}

  /**
   * The usage Spring AI reports, or {@code null} when it reports none (no usage object, or zero tokens
   * both ways: a stream without its usage chunk).
   *
   * @throws IllegalArgumentException for counts that contradict their convention
   */
  public static Usage toUsage(org.springframework.ai.chat.metadata.Usage usage) {
    if (usage == null) {
      return null;
    }
    Usage exact = fromNative(usage.getNativeUsage());
    if (exact != null) {
      return exact;
    }
    long in = count(usage.getPromptTokens());
    long out = count(usage.getCompletionTokens());
    if (in == 0 && out == 0) {
      return null;
    }
    return TokenConventions.fromInclusive(in, out, 0, 0, 0);
  }

  /**
   * The usage of a provider's native usage object, or {@code null} for a type this class does not know
   * (or one that reports no tokens).
   */
  public static Usage fromNative(Object nativeUsage) {
    if (nativeUsage == null) {
      return null;
    }
    if (OPENAI && OpenAi.is(nativeUsage)) {
      return OpenAi.usage(nativeUsage);
    }
    if (ANTHROPIC && Anthropic.is(nativeUsage)) {
      return Anthropic.usage(nativeUsage);
    }
    if (GEMINI && Gemini.is(nativeUsage)) {
      return Gemini.usage(nativeUsage);
    }
    if (OPENAI_SDK && OpenAiSdk.is(nativeUsage)) {
      return OpenAiSdk.usage(nativeUsage);
    }
    if (ANTHROPIC_SDK && AnthropicSdk.is(nativeUsage)) {
      return AnthropicSdk.usage(nativeUsage);
    }
    return null;
  }

  /** True when {@code usage} carries the provider's native counts, cache detail included. */
  public static boolean hasCacheDetail(org.springframework.ai.chat.metadata.Usage usage) {
    return usage != null && fromNative(usage.getNativeUsage()) != null;
  }

  /**
   * The catalog's spelling of a Spring AI provider name ({@code AiProvider}'s value: {@code openai},
   * {@code anthropic}, {@code vertex_ai}, {@code google_genai}, {@code mistral_ai}, ...), or {@code
   * null} to resolve the model by its name alone.
   */
  public static String catalogProvider(String springAiProvider) {
    if (springAiProvider == null) {
      return null;
    }
    String known = known(springAiProvider); // Spring AI's own names, as they come: no copy
    if (known != null) {
      return known;
    }
    String p = springAiProvider.toLowerCase(Locale.ROOT).replace('-', '_');
    return p.equals(springAiProvider) ? null : known(p);
  }

  private static String known(String p) {
    switch (p) {
      case "openai":
      case "openai_sdk":
        return "openai";
      case "anthropic":
        return "anthropic";
      case "vertex_ai":
      case "google_genai":
      case "google_genai_ai":
        return "google";
      case "mistral_ai":
        return "mistral";
      case "deepseek":
        return "deepseek";
      default:
        return null; // Azure deployments, Bedrock, Ollama...: by model name
    }
  }

  static long count(Integer n) {
    return n == null || n < 0 ? 0 : n;
  }

  static long count(long n) {
    return Math.max(n, 0);
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, SpringAiUsage.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Loaded only with spring-ai-openai. */
  private static final class OpenAi {
    static boolean is(Object o) {
      return o instanceof OpenAiApi.Usage;
    }

    static Usage usage(Object o) {
      OpenAiApi.Usage u = (OpenAiApi.Usage) o;
      long in = count(u.promptTokens());
      long out = count(u.completionTokens());
      if (in == 0 && out == 0) {
        return null;
      }
      long cached = u.promptTokensDetails() == null ? 0 : count(u.promptTokensDetails().cachedTokens());
      long reasoning = u.completionTokenDetails() == null ? 0 : count(u.completionTokenDetails().reasoningTokens());
      return TokenConventions.fromInclusive(in, out, cached, 0, reasoning);
    }
  }

  /** Loaded only with spring-ai-anthropic. */
  private static final class Anthropic {
    static boolean is(Object o) {
      return o instanceof AnthropicApi.Usage;
    }

    static Usage usage(Object o) {
      AnthropicApi.Usage u = (AnthropicApi.Usage) o;
      long in = count(u.inputTokens());
      long out = count(u.outputTokens());
      long read = count(u.cacheReadInputTokens());
      long write = count(u.cacheCreationInputTokens());
      if (in == 0 && out == 0 && read == 0 && write == 0) {
        return null;
      }
      return TokenConventions.fromExclusive(in, out, read, write, 0);
    }
  }

  /**
   * Loaded only with the google-genai SDK (which spring-ai-google-genai brings). The counts, per the
   * Gemini API reference of {@code UsageMetadata} (https://ai.google.dev/api/generate-content#UsageMetadata):
   * {@code promptTokenCount}: "When cachedContent is set, this is still the total effective prompt
   * size meaning this includes the number of tokens in the cached content" ({@code
   * cachedContentTokenCount}, implicit cache hits included); {@code toolUsePromptTokenCount} counts tool-use prompts beside the
   * prompt; {@code candidatesTokenCount} the response, and {@code thoughtsTokenCount} the thinking
   * beside it. Thinking is billed as output ("output price, including thinking tokens",
   * https://ai.google.dev/gemini-api/docs/pricing).
   */
  private static final class Gemini {
    static boolean is(Object o) {
      return o instanceof GenerateContentResponseUsageMetadata;
    }

    static Usage usage(Object o) {
      GenerateContentResponseUsageMetadata u = (GenerateContentResponseUsageMetadata) o;
      long prompt = count(u.promptTokenCount().orElse(null));
      long toolUse = count(u.toolUsePromptTokenCount().orElse(null));
      long candidates = count(u.candidatesTokenCount().orElse(null));
      long thoughts = count(u.thoughtsTokenCount().orElse(null));
      long cached = count(u.cachedContentTokenCount().orElse(null));
      if (prompt == 0 && toolUse == 0 && candidates == 0 && thoughts == 0) {
        return null;
      }
      return TokenConventions.fromInclusive(prompt + toolUse, candidates + thoughts, cached, 0, thoughts);
    }
  }

  /** Loaded only with the OpenAI Java SDK (Spring AI 2's spring-ai-openai, 1.1's spring-ai-openai-sdk). */
  private static final class OpenAiSdk {
    static boolean is(Object o) {
      return o instanceof com.openai.models.completions.CompletionUsage;
    }

    static Usage usage(Object o) {
      com.openai.models.completions.CompletionUsage u = (com.openai.models.completions.CompletionUsage) o;
      long in = count(u.promptTokens());
      long out = count(u.completionTokens());
      if (in == 0 && out == 0) {
        return null; // a stream's chunk before its usage chunk
      }
      long cached = count(u.promptTokensDetails().flatMap(d -> d.cachedTokens()).orElse(0L));
      long reasoning = count(u.completionTokensDetails().flatMap(d -> d.reasoningTokens()).orElse(0L));
      return TokenConventions.fromInclusive(in, out, cached, 0, reasoning);
    }
  }

  /** Loaded only with the Anthropic Java SDK (Spring AI 2's spring-ai-anthropic). */
  private static final class AnthropicSdk {
    static boolean is(Object o) {
      return o instanceof com.anthropic.models.messages.Usage
          || o instanceof com.anthropic.models.messages.MessageDeltaUsage;
    }

    static Usage usage(Object o) {
      long in;
      long out;
      long read;
      long write;
      if (o instanceof com.anthropic.models.messages.MessageDeltaUsage d) {
        if (d.inputTokens().isEmpty()) {
          return null; // input and cache counts only in message_start, which Spring AI 2 does not pass on
        }
        in = count(d.inputTokens().get());
        out = count(d.outputTokens());
        read = count(d.cacheReadInputTokens().orElse(0L));
        write = count(d.cacheCreationInputTokens().orElse(0L));
      } else {
        com.anthropic.models.messages.Usage u = (com.anthropic.models.messages.Usage) o;
        in = count(u.inputTokens());
        out = count(u.outputTokens());
        read = count(u.cacheReadInputTokens().orElse(0L));
        write = count(u.cacheCreationInputTokens().orElse(0L));
      }
      if (in == 0 && out == 0 && read == 0 && write == 0) {
        return null;
      }
      return TokenConventions.fromExclusive(in, out, read, write, 0);
    }
  }
}
