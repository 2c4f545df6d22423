package dev.finops.core.catalog;

import dev.finops.core.Money;
import dev.finops.core.UsageBucket;
import dev.finops.core.internal.LocatedJson.Node;
import dev.finops.core.internal.LocatedJson.Obj;
import dev.finops.core.internal.LocatedJson.Scalar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports LiteLLM's community price file {@code model_prices_and_context_window.json} (from
 * BerriAI/litellm) as a {@link PriceCatalog}, to be used as a user catalog:
 *
 * <pre>{@code
 * PriceCatalog litellm = LiteLlmImporter.load(Path.of("model_prices_and_context_window.json"));
 * Pricing pricing = Pricing.builder().userCatalog(litellm).build();
 * }</pre>
 *
 * <p><b>What is imported.</b> The file is one JSON object keyed by model name. Each entry becomes a
 * model with {@code provider} = its {@code litellm_provider} in lower case and {@code id} = its key;
 * a key that starts with {@code "<litellm_provider>/"} ({@code azure/gpt-4o}, {@code
 * gemini/gemini-2.5-pro}) loses that prefix, since the pricing engine understands {@code
 * provider/model} names anyway. Only entries whose {@code mode} is one of {@link #IMPORTED_MODES}
 * (chat, completion, responses, embedding, and image generation, image edit, audio transcription and
 * realtime priced per token, such as {@code gpt-image-1}'s image tokens), or that have no {@code
 * mode}, and that give {@code input_cost_per_token} or {@code output_cost_per_token} are imported;
 * per-image, per-pixel, per-second and per-character figures are not token prices and are ignored.
 * The rest (image models priced only per image or pixel, speech, rerank, search, entries without
 * {@code litellm_provider}, providers left out by {@link Options#onlyProviders(String...)}) are
 * skipped and reported in {@link Result#skipped()}, as is every entry after the first that maps to an
 * id its provider already has. The {@code sample_spec} entry that documents the format is ignored;
 * a top-level {@code last_updated} string (added by mirrors of the file) is skipped as metadata.
 *
 * <p><b>Prices.</b> LiteLLM gives USD per token as JSON numbers ({@code 2.5e-06}). Each is read from
 * its source text into a {@link BigDecimal}, never through {@code double}, and multiplied by
 * 1,000,000 to give this SDK's price per 1M tokens, exactly ({@code 2.5e-06} becomes {@code 2.5}).
 * The fields:
 *
 * <table>
 *   <caption>LiteLLM fields and the price buckets they fill</caption>
 *   <tr><th>LiteLLM field</th><th>bucket</th></tr>
 *   <tr><td>{@code input_cost_per_token}</td><td>{@code input}</td></tr>
 *   <tr><td>{@code output_cost_per_token}</td><td>{@code output}</td></tr>
 *   <tr><td>{@code cache_read_input_token_cost}</td><td>{@code cache_read}</td></tr>
 *   <tr><td>{@code cache_creation_input_token_cost}</td><td>{@code cache_write_5m}</td></tr>
 *   <tr><td>{@code cache_creation_input_token_cost_above_1hr}</td><td>{@code cache_write_1h}</td></tr>
 *   <tr><td>{@code output_cost_per_reasoning_token}</td><td>{@code reasoning}</td></tr>
 *   <tr><td>{@code input_cost_per_audio_token}, {@code output_cost_per_audio_token}</td>
 *       <td>{@code input_audio}, {@code output_audio}</td></tr>
 *   <tr><td>{@code input_cost_per_image_token}, {@code output_cost_per_image_token}</td>
 *       <td>{@code input_image}, {@code output_image}</td></tr>
 *   <tr><td>{@code input_cost_per_request}</td><td>{@code request} (already per request: not scaled)</td></tr>
 * </table>
 *
 * <p>Any of these fields with the suffix {@code _above_<N>k_tokens} ({@code
 * input_cost_per_token_above_200k_tokens}, {@code cache_read_input_token_cost_above_128k_tokens},
 * {@code cache_creation_input_token_cost_above_1hr_above_200k_tokens}, ...) becomes a context tier
 * with {@code above_input_tokens} N × 1000 (128000, 200000, 272000, 512000), in ascending order;
 * buckets a tier does not list keep the base price, as in LiteLLM. The service-tier variants {@code
 * *_batches}, {@code *_flex} and {@code *_priority} become the {@code batch}, {@code flex} and
 * {@code priority} service-tier multipliers when every such price is the matching standard price
 * times one common, exact factor ({@code input_cost_per_token_batches} 1.25e-06 against 2.5e-06 and
 * {@code output_cost_per_token_batches} 5e-06 against 1e-05 give {@code batch} = 0.5); otherwise
 * that service tier is left out and a line is added to {@link Result#warnings()}. Every other
 * LiteLLM field (there are hundreds) is ignored, never an error.
 *
 * <p><b>Versions.</b> LiteLLM has no effective dating: every price is valid from the epoch and
 * open-ended. The catalog's {@link PriceCatalog#version() version} is {@code "litellm:"} followed by
 * the first 12 hex digits of the SHA-256 of the file's bytes, so a result records which copy of the
 * file priced it.
 *
 * <p><b>Errors.</b> Malformed JSON, a top level or an entry that is not a JSON object, and a mapped
 * price that is negative, not a number, or absurdly large or precise throw a {@link CatalogException}
 * naming the file, line:column, the JSON path ({@code $['azure/gpt-4o'].input_cost_per_token}) and
 * the field. Only entries that would be imported are checked: skipped entries are not read further.
 * Duplicate keys are rejected, as everywhere in this SDK.
 */
public final class LiteLlmImporter {

  /** The documentation entry at the top of LiteLLM's file; never imported, never counted. */
  public static final String SAMPLE_SPEC = "sample_spec";

  /** The {@code mode} values imported; an entry without a {@code mode} is imported too. */
  public static final Set<String> IMPORTED_MODES = Set.of("chat", "completion", "responses", "embedding",
      "image_generation", "image_edit", "audio_transcription", "realtime");

  /**
   * A top-level string that mirrors of the file add (RoCry/llm-api-price stamps the download time);
   * skipped as {@link SkipReason#METADATA}, never an error.
   */
  public static final String LAST_UPDATED = "last_updated";

  private static final Logger log = LoggerFactory.getLogger(LiteLlmImporter.class);

  /** LiteLLM's base price fields and the bucket each fills. */
  private static final Map<String, UsageBucket> FIELDS = Map.ofEntries(
      Map.entry("input_cost_per_token", UsageBucket.INPUT_UNCACHED),
      Map.entry("output_cost_per_token", UsageBucket.OUTPUT),
      Map.entry("cache_read_input_token_cost", UsageBucket.CACHE_READ),
      Map.entry("cache_creation_input_token_cost", UsageBucket.CACHE_WRITE_5M),
      Map.entry("cache_creation_input_token_cost_above_1hr", UsageBucket.CACHE_WRITE_1H),
      Map.entry("output_cost_per_reasoning_token", UsageBucket.OUTPUT_REASONING),
      Map.entry("input_cost_per_audio_token", UsageBucket.INPUT_AUDIO),
      Map.entry("output_cost_per_audio_token", UsageBucket.OUTPUT_AUDIO),
      Map.entry("input_cost_per_image_token", UsageBucket.INPUT_IMAGE),
      Map.entry("output_cost_per_image_token", UsageBucket.OUTPUT_IMAGE),
      Map.entry("input_cost_per_request", UsageBucket.REQUESTS));

  /** A base field with a long-context threshold: {@code <field>_above_<N>k_tokens}. */
  private static final Pattern ABOVE = Pattern.compile("(.+)_above_([1-9]\\d{0,5})k_tokens");

  /** Service tier names and the suffix LiteLLM gives their prices, in import order. */
  private static final List<String[]> SERVICE_TIERS = List.of(
      new String[] {"batch", "_batches"}, new String[] {"flex", "_flex"}, new String[] {"priority", "_priority"});

  /** Keys that can stand in a JSON path after a dot. */
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  /** Prices per base unit (per token) at or above this are rejected as absurd. */
  private static final BigDecimal MAX_PRICE_PER_BASE_UNIT = BigDecimal.valueOf(1_000_000_000L);

  /** Prices with more decimal places than this are rejected. */
  private static final int MAX_SCALE = 30;

  private LiteLlmImporter() {}

  /**
   * Imports every importable entry of a LiteLLM price file.
   *
   * @throws CatalogException naming the file, line, column, JSON path and field of the first problem
   */
  public static PriceCatalog load(Path file) {
    return read(file, Options.all()).catalog();
  }

  /**
   * Imports every importable entry of a LiteLLM price file read from {@code json}, which is read to
   * its end and not closed; {@code name} is used in error messages and as {@link PriceCatalog#name()}.
   */
  public static PriceCatalog parse(String name, InputStream json) {
    return read(name, json, Options.all()).catalog();
  }

  /** Imports a LiteLLM price file held in a string. */
  public static PriceCatalog parse(String name, String json) {
    return parse(name, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  /** Imports a LiteLLM price file with options, reporting what was skipped and why. */
  public static Result read(Path file, Options options) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(file.toString(), in, options);
    } catch (IOException e) {
      throw new CatalogException(file.toString(), 0, 0, null, "cannot read LiteLLM price file: " + e, e);
    }
  }

  /**
   * Imports a LiteLLM price file read from {@code json} (read to its end, not closed) with options,
   * reporting what was skipped and why.
   */
  public static Result read(String name, InputStream json, Options options) {
    Objects.requireNonNull(options, "options");
    DatasetFile f = DatasetFile.read(name, json, "LiteLLM price file");
    Result result = new Reader(name, options).read(f.root(), f.version("litellm"));
    log.info("LiteLLM price file {}: imported {} models as catalog_version {}; skipped {} entries {}", name,
        result.catalog().models().size(), result.catalog().version(), result.skippedCount(), result.skippedCounts());
    for (String w : result.warnings()) {
      log.debug("LiteLLM price file {}: {}", name, w);
    }
    return result;
  }


  // ---- options and result --------------------------------------------------------------------

  /** What to import. Immutable. */
  public static final class Options {
    private static final Options ALL = new Options(Set.of());

    private final Set<String> providers;

    private Options(Set<String> providers) {
      this.providers = providers;
    }

    /** Every provider. */
    public static Options all() {
      return ALL;
    }

    /** Only entries whose {@code litellm_provider} is one of these (case-insensitive). */
    public static Options onlyProviders(String... providers) {
      return onlyProviders(Arrays.asList(providers));
    }

    /** Only entries whose {@code litellm_provider} is one of these (case-insensitive). */
    public static Options onlyProviders(Collection<String> providers) {
      Set<String> set = new LinkedHashSet<>();
      for (String p : providers) {
        if (p == null || p.isBlank()) {
          throw new IllegalArgumentException("provider names must not be blank");
        }
        set.add(p.trim().toLowerCase(Locale.ROOT));
      }
      if (set.isEmpty()) {
        throw new IllegalArgumentException("name at least one provider, or use Options.all()");
      }
      return new Options(Collections.unmodifiableSet(set));
    }

    /** The selected providers, lower case; empty means every provider. */
    public Set<String> providers() {
      return providers;
    }

    boolean selects(String provider) {
      return providers.isEmpty() || providers.contains(provider);
    }

    @Override
    public String toString() {
      return providers.isEmpty() ? "all providers" : "providers " + providers;
    }
  }

  /** Why an entry was not imported. */
  public enum SkipReason {
    /** The entry has no {@code litellm_provider}. */
    NO_PROVIDER,
    /** Its provider is not among {@link Options#providers()}. */
    PROVIDER_NOT_SELECTED,
    /** A mirror's metadata string ({@link #LAST_UPDATED}), not a model. */
    METADATA,
    /** Its {@code mode} is not one of {@link #IMPORTED_MODES} (audio_speech, rerank, search, ...). */
    MODE,
    /** It has neither {@code input_cost_per_token} nor {@code output_cost_per_token}. */
    NO_TOKEN_PRICE,
    /** An earlier entry already gave its provider a model with the same id. */
    DUPLICATE_ID
  }

  /**
   * An entry that was not imported.
   *
   * @param key the entry's key in the file
   * @param provider its provider in lower case, or {@code null} when it has none
   * @param reason why it was skipped
   * @param detail a readable explanation, e.g. {@code mode 'embedding'}
   */
  public record Skipped(String key, String provider, SkipReason reason, String detail) {
    public Skipped {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * The outcome of an import.
   *
   * @param catalog the imported models
   * @param skipped the entries not imported, in file order ({@code sample_spec} is not listed)
   * @param warnings prices that were read but could not be represented (a service tier whose prices
   *     are not one common multiple of the standard prices), one readable line each
   */
  public record Result(PriceCatalog catalog, List<Skipped> skipped, List<String> warnings) {
    public Result {
      Objects.requireNonNull(catalog, "catalog");
      skipped = List.copyOf(skipped);
      warnings = List.copyOf(warnings);
    }

    /** How many entries were skipped, for every reason. */
    public int skippedCount() {
      return skipped.size();
    }

    /** How many entries were skipped for {@code reason}. */
    public int skippedCount(SkipReason reason) {
      int n = 0;
      for (Skipped s : skipped) {
        if (s.reason() == reason) {
          n++;
        }
      }
      return n;
    }

    /** Skipped entries counted by reason; reasons with none are left out. */
    public Map<SkipReason, Integer> skippedCounts() {
      Map<SkipReason, Integer> counts = new EnumMap<>(SkipReason.class);
      for (Skipped s : skipped) {
        counts.merge(s.reason(), 1, Integer::sum);
      }
      return Collections.unmodifiableMap(counts);
    }

    /** The keys of the skipped entries, in file order. */
    public List<String> skippedKeys() {
      return skipped.stream().map(Skipped::key).toList();
    }
  }

  // ---- reading -------------------------------------------------------------------------------

  /** A price field: the bucket it fills and its context threshold (0 for the base price). */
  private record FieldRef(UsageBucket bucket, long aboveInputTokens) {}

  /** The bucket and threshold of a mapped price field, or {@code null} for a field not mapped. */
  private static FieldRef classify(String field) {
    UsageBucket b = FIELDS.get(field);
    if (b != null) {
      return new FieldRef(b, 0);
    }
    Matcher m = ABOVE.matcher(field);
    if (m.matches()) {
      b = FIELDS.get(m.group(1));
      if (b != null) {
        return new FieldRef(b, Long.parseLong(m.group(2)) * 1000L);
      }
    }
    return null;
  }

  /** One import. Not thread-safe. */
  private static final class Reader {
    private final String file;
    private final Options options;
    private final List<Skipped> skipped = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    Reader(String file, Options options) {
      this.file = file;
      this.options = options;
    }

    Result read(Node root, String version) {
      if (!(root instanceof Obj)) {
        throw new CatalogException(file, root.line, root.column, "$", "expected a JSON object keyed by model name "
            + "(LiteLLM's model_prices_and_context_window.json), got " + root.kind());
      }
      PriceCatalog.Builder builder = PriceCatalog.builder(file, version).currency(Money.USD);
      Map<String, String> firstKeyById = new HashMap<>();
      for (Map.Entry<String, Node> e : ((Obj) root).fields.entrySet()) {
        String key = e.getKey();
        if (SAMPLE_SPEC.equals(key)) {
          continue;
        }
        if (LAST_UPDATED.equals(key) && e.getValue() instanceof Scalar ts && ts.isString()) {
          skip(key, null, SkipReason.METADATA, "mirror metadata: " + ts.text);
          continue;
        }
        ModelEntry model = entry(key, e.getValue());
        if (model == null) {
          continue;
        }
        String id = model.provider() + "/" + model.id().toLowerCase(Locale.ROOT);
        String first = firstKeyById.putIfAbsent(id, key);
        if (first != null) {
          skip(key, model.provider(), SkipReason.DUPLICATE_ID, "id '" + model.id() + "' of provider '"
              + model.provider() + "' was already imported from entry '" + first + "'");
          continue;
        }
        builder.addModel(model);
      }
      return new Result(builder.build(), skipped, warnings);
    }

    /** The model of one entry, or {@code null} when the entry is skipped. */
    private ModelEntry entry(String key, Node node) {
      if (!(node instanceof Obj)) {
        throw error(node, key, null, key + ": expected a JSON object (a model entry), got " + node.kind());
      }
      Obj o = (Obj) node;
      String provider = text(o, key, "litellm_provider");
      if (provider == null || provider.isBlank()) {
        skip(key, null, SkipReason.NO_PROVIDER, "no litellm_provider");
        return null;
      }
      provider = provider.trim().toLowerCase(Locale.ROOT);
      if (!options.selects(provider)) {
        skip(key, provider, SkipReason.PROVIDER_NOT_SELECTED, "provider '" + provider + "' not selected");
        return null;
      }
      String mode = text(o, key, "mode");
      if (mode != null && !IMPORTED_MODES.contains(mode.trim().toLowerCase(Locale.ROOT))) {
        skip(key, provider, SkipReason.MODE, "mode '" + mode + "'");
        return null;
      }

      Map<String, BigDecimal> byField = new HashMap<>();
      Map<UsageBucket, BigDecimal> base = new EnumMap<>(UsageBucket.class);
      TreeMap<Long, Map<UsageBucket, BigDecimal>> tiers = new TreeMap<>();
      for (Map.Entry<String, Node> f : o.fields.entrySet()) {
        FieldRef ref = classify(f.getKey());
        BigDecimal price = ref == null ? null : price(key, f.getKey(), f.getValue(), ref.bucket());
        if (price == null) {
          continue;
        }
        byField.put(f.getKey(), price);
        (ref.aboveInputTokens() == 0 ? base
            : tiers.computeIfAbsent(ref.aboveInputTokens(), t -> new EnumMap<>(UsageBucket.class)))
            .put(ref.bucket(), price);
      }
      if (!base.containsKey(UsageBucket.INPUT_UNCACHED) && !base.containsKey(UsageBucket.OUTPUT)) {
        skip(key, provider, SkipReason.NO_TOKEN_PRICE, "no input_cost_per_token or output_cost_per_token");
        return null;
      }

      List<ContextTier> contextTiers = new ArrayList<>();
      for (Map.Entry<Long, Map<UsageBucket, BigDecimal>> t : tiers.entrySet()) {
        contextTiers.add(new ContextTier(t.getKey(), BucketPrices.of(t.getValue())));
      }
      Map<String, BigDecimal> multipliers = new LinkedHashMap<>();
      for (String[] tier : SERVICE_TIERS) {
        BigDecimal factor = serviceTierFactor(key, o, byField, tier[0], tier[1]);
        if (factor != null) {
          multipliers.put(tier[0], factor);
        }
      }
      ModelPrice price = new ModelPrice(Instant.EPOCH, null, Money.USD, BucketPrices.of(base), contextTiers,
          multipliers);
      return new ModelEntry(provider, id(key, provider), List.of(), List.of(), "LiteLLM " + file + ": " + key,
          List.of(price));
    }

    /**
     * The multiplier that turns every standard price of the entry into its {@code suffix} price, or
     * {@code null} when the entry has no such prices or they are not one common exact multiple.
     */
    private BigDecimal serviceTierFactor(String key, Obj o, Map<String, BigDecimal> standard, String tier,
        String suffix) {
      List<BigDecimal[]> pairs = new ArrayList<>(); // {standard, tier}
      for (Map.Entry<String, Node> f : o.fields.entrySet()) {
        String field = f.getKey();
        FieldRef ref = field.endsWith(suffix) ? classify(field.substring(0, field.length() - suffix.length())) : null;
        BigDecimal tierPrice = ref == null ? null : price(key, field, f.getValue(), ref.bucket());
        if (tierPrice == null) {
          continue;
        }
        BigDecimal standardPrice = standard.get(field.substring(0, field.length() - suffix.length()));
        if (standardPrice == null) {
          return leaveOut(key, tier, field + " has no standard price to compare with");
        }
        pairs.add(new BigDecimal[] {standardPrice, tierPrice});
      }
      BigDecimal[] reference = null;
      for (BigDecimal[] p : pairs) {
        if (p[0].signum() != 0) {
          reference = p;
          break;
        }
      }
      if (reference == null) {
        return null; // no prices, or only free ones: nothing to scale
      }
      for (BigDecimal[] p : pairs) {
        // p.tier / p.standard == reference.tier / reference.standard, cross-multiplied to stay exact
        if (p[1].multiply(reference[0]).compareTo(reference[1].multiply(p[0])) != 0) {
          return leaveOut(key, tier, "its prices are not one common multiple of the standard prices");
        }
      }
      if (reference[1].signum() == 0) {
        return leaveOut(key, tier, "its prices are zero");
      }
      try {
        return plain(reference[1].divide(reference[0]));
      } catch (ArithmeticException nonTerminating) {
        return leaveOut(key, tier, "the multiplier " + reference[1].toPlainString() + " / "
            + reference[0].toPlainString() + " is not an exact decimal");
      }
    }

    private BigDecimal leaveOut(String key, String tier, String why) {
      warnings.add(key + ": service tier '" + tier + "' not imported: " + why);
      return null;
    }

    private void skip(String key, String provider, SkipReason reason, String detail) {
      skipped.add(new Skipped(key, provider, reason, detail));
    }

    /** A string field, or {@code null} when absent or null. */
    private String text(Obj o, String key, String field) {
      Node n = o.fields.get(field);
      if (n == null || (n instanceof Scalar s && s.isNull())) {
        return null;
      }
      if (!(n instanceof Scalar s && s.isString())) {
        throw error(n, key, field, field + ": expected a string, got " + n.kind());
      }
      return s.text;
    }

    /**
     * A LiteLLM price (per token, or per request) as this SDK's price per pricing unit (per 1M
     * tokens, or per request), exactly; {@code null} for a JSON null.
     */
    private BigDecimal price(String key, String field, Node n, UsageBucket bucket) {
      if (n instanceof Scalar s && s.isNull()) {
        return null;
      }
      if (!(n instanceof Scalar s && (s.isNumber() || s.isString()))) {
        throw error(n, key, field, field + ": expected a number, got " + n.kind());
      }
      BigDecimal perBaseUnit;
      try {
        perBaseUnit = Money.parseDecimal(s.text, true);
      } catch (NumberFormatException e) {
        throw error(n, key, field, field + ": " + e.getMessage());
      }
      if (perBaseUnit.signum() < 0) {
        throw error(n, key, field, field + ": price must not be negative, got " + s.text);
      }
      if (perBaseUnit.scale() > MAX_SCALE || perBaseUnit.compareTo(MAX_PRICE_PER_BASE_UNIT) >= 0) {
        throw error(n, key, field, field + ": price out of range, got " + s.text);
      }
      return plain(perBaseUnit.multiply(BigDecimal.valueOf(bucket.unit().basePerPricingUnit())));
    }

    private CatalogException error(Node n, String key, String field, String detail) {
      return new CatalogException(file, n.line, n.column, path(key, field), detail);
    }
  }

  /** The model id of an entry: its key, less a {@code "<provider>/"} prefix. */
  static String id(String key, String provider) {
    int slash = key.indexOf('/');
    if (slash > 0 && slash < key.length() - 1 && key.substring(0, slash).equalsIgnoreCase(provider)) {
      return key.substring(slash + 1);
    }
    return key;
  }

  /** {@code $.key.field}, or {@code $['key'].field} when the key has dots, slashes and the like. */
  static String path(String key, String field) {
    String p = PLAIN_KEY.matcher(key).matches() ? "$." + key : "$['" + key.replace("'", "\\'") + "']";
    return field == null ? p : p + "." + field;
  }

  /** Trailing zeros stripped, never in exponent form ({@code 10}, not {@code 1E+1}). */
  private static BigDecimal plain(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
