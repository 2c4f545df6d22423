package dev.finops.otel;

import java.util.Locale;
import java.util.Map;

/**
 * Provider names between the catalog's spelling ({@code openai}, {@code google}, {@code mistral}) and
 * the GenAI conventions' ({@code gen_ai.provider.name}: {@code openai}, {@code gcp.gemini}, {@code
 * mistral_ai}; the deprecated {@code gen_ai.system}; LangChain4j's {@code ModelProvider} names
 * lower-cased, {@code open_ai}, {@code google_ai_gemini}).
 */
final class Providers {
  private static final Map<String, String> TO_SEMCONV = Map.of(
      "google", "gcp.gemini",
      "mistral", "mistral_ai",
      "xai", "x_ai");

  private static final Map<String, String> TO_CATALOG = Map.ofEntries(
      Map.entry("open_ai", "openai"),
      Map.entry("azure.ai.openai", "openai"),
      Map.entry("azure_open_ai", "openai"),
      Map.entry("gcp.gemini", "google"),
      Map.entry("gcp.vertex_ai", "google"),
      Map.entry("gcp.gen_ai", "google"),
      Map.entry("google_ai_gemini", "google"),
      Map.entry("google_vertex_ai_gemini", "google"),
      Map.entry("vertex_ai", "google"),
      Map.entry("mistral_ai", "mistral"),
      Map.entry("x_ai", "xai"));

  private Providers() {}

  /** The conventions' name of a catalog provider; {@code null} stays {@code null}. */
  static String toSemconv(String catalogProvider) {
    if (catalogProvider == null) {
      return null;
    }
    return TO_SEMCONV.getOrDefault(catalogProvider, catalogProvider);
  }

  /** The catalog's name of a provider as instrumentations write it; unknown names pass lower-cased. */
  static String toCatalog(String name) {
    if (name == null) {
      return null;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return TO_CATALOG.getOrDefault(lower, lower);
  }
}
