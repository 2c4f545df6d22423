package dev.finops.core.pricing;

import com.github.benmanes.caffeine.cache.Cache;
import dev.finops.core.catalog.ModelEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolution of raw model names to catalog entries: deployment names (Azure OpenAI's), a {@code
 * provider/} prefix, routing prefixes users write and catalogs leave out (Google's {@code models/},
 * Fireworks' accounts, Bedrock's cross-region prefixes), exact ids and aliases layer by layer, then
 * patterns, and the choice among several providers' entries (the model vendor's, or one price shared
 * by all, else ambiguous). Resolutions, misses included, are cached in the {@link LayerStack}; so are
 * the closest known names of an unknown one.
 */
final class NameResolver {

  /** A cached miss. */
  static final Pricing.Match NO_MATCH = new Pricing.Match(null, null);

  /**
   * Providers that make the models they sell: a name without a provider that one of them prices
   * resolves to that vendor's own price rather than a reseller's ({@code gpt-4o} to OpenAI, not to
   * Azure or OpenRouter; {@code claude-sonnet-4-5} to Anthropic).
   */
  static final Set<String> MODEL_VENDORS = Set.of("openai", "anthropic", "google", "mistral",
      "deepseek", "xai", "cohere", "moonshot", "voyage", "perplexity", "zhipuai", "minimax", "ai21");

  /** Bedrock's cross-region inference prefixes ({@code us.anthropic.claude-...}). */
  private static final Pattern CROSS_REGION =
      Pattern.compile("(?i)(?:us|eu|apac|global|us-gov|jp|au|ca)\\.([a-z0-9-]+\\..+)");

  /**
   * A region or data-zone segment ({@code us-gov-west-1/}, {@code eu/}): prices differ there, so the
   * name is not shortened to the model's standard price.
   */
  private static final Pattern REGION_SEGMENT = Pattern.compile("us|eu|apac|global|[a-z]{2}(?:-gov)?-[a-z]+-\\d+");

  private final Map<String, String[]> deployments; // "provider/name" lower case -> {provider, model}

  NameResolver(Map<String, String[]> deployments) {
    this.deployments = Map.copyOf(deployments);
  }

  /** The entry of a raw name through the stack's cache; {@code null} if no layer knows it. */
  Pricing.Match resolve(LayerStack s, String provider, String model) {
    Objects.requireNonNull(model, "model");
    String p = provider == null ? null : provider.toLowerCase(Locale.ROOT);
    Cache<String, Pricing.Match> cache = s.cacheFor(p);
    Pricing.Match m = cache.getIfPresent(model);
    if (m == null) {
      m = cache.get(model, k -> lookup(s.layers, p, k));
    }
    return m.entry() == null ? null : m;
  }

  /** The candidates, {@code provider/id}, if {@code model} without a provider is ambiguous; else empty. */
  List<String> ambiguity(LayerStack s, String provider, String model) {
    if (resolve(s, provider, model) != null) {
      return List.of();
    }
    Pricing.Match m = s.cacheFor(provider == null ? null : provider.toLowerCase(Locale.ROOT)).getIfPresent(model);
    if (m == null || m.candidates() == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (ModelEntry e : m.candidates()) {
      out.add(e.provider() + "/" + e.id());
    }
    return out;
  }

  /** The exception for a name no layer resolves: ambiguous, or unknown with the closest known names. */
  PricingException notResolved(LayerStack s, String provider, String model) {
    List<String> candidates = ambiguity(s, provider, model);
    return candidates.isEmpty() ? new UnknownModelException(provider, model, closest(s, provider, model))
        : new AmbiguousModelException(model, candidates);
  }

  private Pricing.Match lookup(List<Pricing.Layer> layers, String provider, String raw) {
    String name = raw.trim();
    String[] deployment = deployments.get((provider == null ? "" : provider + "/") + name.toLowerCase(Locale.ROOT));
    if (deployment != null) {
      return lookup(layers, deployment[0], deployment[1]);
    }
    return lookupPrefixed(layers, provider, name);
  }

  /**
   * The name without one routing prefix users write and catalogs leave out: {@code models/}
   * (Google), {@code accounts/<account>/models/} (Fireworks), a Bedrock cross-region prefix, or a
   * leading {@code provider/} segment that names no catalog provider ({@code bedrock/}, {@code
   * azure/}); {@code null} if it has none.
   */
  static String withoutRoutingPrefix(List<Pricing.Layer> layers, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.startsWith("models/")) {
      return name.substring("models/".length());
    }
    if (lower.startsWith("accounts/")) {
      int models = lower.indexOf("/models/");
      return models > 0 ? name.substring(models + "/models/".length()) : null;
    }
    int slash = name.indexOf('/');
    if (slash > 0 && slash < name.length() - 1 && !LayerStack.anyHasProvider(layers, lower.substring(0, slash))
        && !REGION_SEGMENT.matcher(lower.substring(0, slash)).matches()) {
      return name.substring(slash + 1);
    }
    Matcher m = CROSS_REGION.matcher(name);
    return m.matches() ? m.group(1) : null;
  }

  private static Pricing.Match lookupPrefixed(List<Pricing.Layer> layers, String provider, String name) {
    int slash = name.indexOf('/');
    if (slash > 0) {
      // "openai/gpt-4o": strip a known provider prefix (but keep ids that contain slashes).
      String prefix = name.substring(0, slash).toLowerCase(Locale.ROOT);
      String rest = name.substring(slash + 1);
      if ((provider == null || provider.equals(prefix)) && LayerStack.anyHasProvider(layers, prefix)) {
        Pricing.Match m = lookupShortening(layers, prefix, rest);
        if (m != NO_MATCH) {
          return m;
        }
      }
    }
    return lookupShortening(layers, provider, name);
  }

  /** The name as given, else without its routing prefix (the name shrinks, so this ends). */
  private static Pricing.Match lookupShortening(List<Pricing.Layer> layers, String provider, String name) {
    Pricing.Match m = lookupName(layers, provider, name);
    if (m == NO_MATCH) {
      String shorter = withoutRoutingPrefix(layers, name);
      if (shorter != null) {
        return lookupPrefixed(layers, provider, shorter);
      }
    }
    return m;
  }

  /**
   * Among entries of several providers for one name: the single model vendor's entry, else the first
   * entry when all charge the same, else {@code null} (ambiguous).
   */
  static ModelEntry unambiguous(List<ModelEntry> all) {
    ModelEntry vendor = null;
    for (ModelEntry m : all) {
      if (MODEL_VENDORS.contains(m.provider())) {
        if (vendor != null && !vendor.provider().equals(m.provider())) {
          vendor = null;
          break;
        }
        vendor = vendor == null ? m : vendor;
      }
    }
    if (vendor != null) {
      return vendor;
    }
    for (ModelEntry other : all) {
      if (!other.samePrices(all.get(0))) {
        return null;
      }
    }
    return all.get(0);
  }

  private static Pricing.Match lookupName(List<Pricing.Layer> layers, String provider, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (Pricing.Layer l : layers) {
      ModelEntry e = l.catalog().findExact(provider, lower);
      if (e != null) {
        if (provider == null) {
          List<ModelEntry> all = l.catalog().findAllExact(lower);
          if (all.size() > 1) {
            ModelEntry chosen = unambiguous(all);
            if (chosen == null) {
              return new Pricing.Match(null, null, all); // several providers, different prices: ambiguous
            }
            return new Pricing.Match(chosen, l);
          }
        }
        return new Pricing.Match(e, l);
      }
    }
    String[] segments = lower.split("/");
    for (int i = 0; i < segments.length - 1; i++) {
      if (REGION_SEGMENT.matcher(segments[i]).matches()) {
        return NO_MATCH; // a regional name: only an exact entry has its price, a pattern stands for the standard one
      }
    }
    for (Pricing.Layer l : layers) {
      ModelEntry e = l.catalog().findByPattern(provider, name);
      if (e != null) {
        return new Pricing.Match(e, l);
      }
    }
    return NO_MATCH;
  }

  /**
   * Up to three known ids closest to {@code model} (edit distance), closest first. Worked out once per
   * name and catalog state (cached like resolutions), so a repeated unknown name costs no scan.
   */
  List<String> closest(LayerStack s, String provider, String model) {
    return s.closest.get((provider == null ? "" : provider) + "\u0000" + model,
        k -> computeClosest(s.layers, provider, model));
  }

  private static List<String> computeClosest(List<Pricing.Layer> layers, String provider, String model) {
    String target = model.toLowerCase(Locale.ROOT);
    Map<String, Integer> best = new LinkedHashMap<>();
    for (Pricing.Layer l : layers) {
      for (ModelEntry e : l.catalog().models()) {
        if (provider != null && !provider.equalsIgnoreCase(e.provider())) {
          continue;
        }
        List<String> names = new ArrayList<>(e.aliases());
        names.add(0, e.id());
        for (String n : names) {
          int d = editDistance(target, n.toLowerCase(Locale.ROOT));
          if (n.toLowerCase(Locale.ROOT).startsWith(target) || target.startsWith(n.toLowerCase(Locale.ROOT))) {
            d = Math.min(d, Math.abs(n.length() - target.length()) / 2);
          }
          best.merge(n, d, Math::min);
        }
      }
    }
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(best.entrySet());
    sorted.sort(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < sorted.size() && out.size() < 3; i++) {
      if (sorted.get(i).getValue() <= Math.max(3, target.length() / 2)) {
        out.add(sorted.get(i).getKey());
      }
    }
    return List.copyOf(out);
  }

  /** Levenshtein distance. */
  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
