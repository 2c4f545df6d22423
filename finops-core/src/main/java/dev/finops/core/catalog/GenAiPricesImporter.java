package dev.finops.core.catalog;

import dev.finops.core.Money;
import dev.finops.core.UsageBucket;
import dev.finops.core.internal.LocatedJson.Arr;
import dev.finops.core.internal.LocatedJson.Node;
import dev.finops.core.internal.LocatedJson.Obj;
import dev.finops.core.internal.LocatedJson.Scalar;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Imports pydantic's genai-prices dataset ({@code prices/data.json} of the pydantic/genai-prices
 * repository, MIT; the same file ships in the npm package {@code @pydantic/genai-prices}) as a {@link
 * PriceCatalog}. The dataset is a JSON array of providers, each with models; a model has an id, a
 * match rule and prices.
 *
 * <p><b>Names.</b> The match rule is a tree of clauses ({@code equals}, {@code starts_with}, {@code
 * ends_with}, {@code contains}, {@code regex}, {@code or}, {@code and}) applied to the lower-cased model
 * name; the dataset takes the first model of the provider, in file order, whose rule matches. Each
 * {@code equals} at the top (or under a top-level {@code or}) becomes an alias; every other clause
 * becomes one whole-name pattern. finops looks up exact names before patterns, so an alias that an
 * earlier model's rule already claims in the dataset is left out (listed in {@link Result#notes()}),
 * which keeps the dataset's first-match answer.
 *
 * <p><b>Prices.</b> Every price is read from its JSON text as a {@link BigDecimal}, never through
 * {@code double}. The price keys map to buckets as follows: {@code input_mtok} → {@code input}, {@code
 * output_mtok} → {@code output}, {@code cache_read_mtok} → {@code cache_read}, {@code cache_write_mtok}
 * and {@code cache_write_5m_mtok} → {@code cache_write_5m}, {@code cache_write_1h_mtok} → {@code
 * cache_write_1h}, {@code input_audio_mtok} / {@code output_audio_mtok} → {@code input_audio} / {@code
 * output_audio}, {@code input_image_mtok} / {@code output_image_mtok} → {@code input_image} / {@code
 * output_image}, {@code output_reasoning_mtok} → {@code reasoning}, and {@code requests_kcount} (per
 * 1,000 requests) → {@code request} divided by 1,000. A key with no bucket (audio cache reads, video,
 * characters, pages, searches) is dropped from the model and listed in {@link Result#dropped()}; the
 * model's other prices are still imported, since finops has no quantity that those prices would
 * apply to.
 *
 * <p>A tiered price ({@code {"base": 3, "tiers": [{"start": 200000, "price": 6}]}}) applies the tier
 * rate to every token once the request's total input tokens exceed {@code start}; that is exactly a
 * {@link ContextTier} with {@code above_input_tokens} = start. Keys with different thresholds are
 * merged into one ascending list of context tiers.
 *
 * <p><b>Conditional prices.</b> When {@code prices} is a list of {@code {constraint, prices}}, the
 * dataset uses the last entry whose constraint holds at the request time, or the first entry if none
 * does. {@code start_date} constraints (UTC dates) become effective-dated versions; {@code
 * start_time}/{@code end_time} constraints (UTC times, active when {@code start <= t < end}) become
 * {@link TimeOfDayPrice} windows of a version. The import evaluates the rule on every interval
 * between the dates and times the file names, so the result is exact for every instant.
 *
 * <p><b>Skipped.</b> A model with no price at all, an unknown constraint, a tier starting at 0 or a
 * second model with the same id (case-insensitive) of a provider is skipped and listed in {@link
 * Result#skipped()} with the reason. Malformed JSON or a field of the wrong type throws a {@link
 * CatalogException} naming the file, line, column, JSON path and field.
 */
public final class GenAiPricesImporter {

  /** The dataset's name in provenance strings. */
  public static final String DATASET = "pydantic/genai-prices";

  /** genai-prices provider ids that finops spells differently. */
  public static final Map<String, String> PROVIDER_NAMES = Map.of(
      "aws", "bedrock",
      "x-ai", "xai",
      "moonshotai", "moonshot",
      "voyageai", "voyage");

  private static final Map<String, UsageBucket> KEYS = Map.ofEntries(
      Map.entry("input_mtok", UsageBucket.INPUT_UNCACHED),
      Map.entry("output_mtok", UsageBucket.OUTPUT),
      Map.entry("cache_read_mtok", UsageBucket.CACHE_READ),
      Map.entry("cache_write_mtok", UsageBucket.CACHE_WRITE_5M),
      Map.entry("cache_write_5m_mtok", UsageBucket.CACHE_WRITE_5M),
      Map.entry("cache_write_1h_mtok", UsageBucket.CACHE_WRITE_1H),
      Map.entry("input_audio_mtok", UsageBucket.INPUT_AUDIO),
      Map.entry("output_audio_mtok", UsageBucket.OUTPUT_AUDIO),
      Map.entry("input_image_mtok", UsageBucket.INPUT_IMAGE),
      Map.entry("output_image_mtok", UsageBucket.OUTPUT_IMAGE),
      Map.entry("output_reasoning_mtok", UsageBucket.OUTPUT_REASONING),
      Map.entry("requests_kcount", UsageBucket.REQUESTS));

  private static final Set<String> MODEL_FIELDS = Set.of(
      "id", "match", "prices", "name", "description", "context_window", "price_comments", "deprecated");

  private GenAiPricesImporter() {}

  /** Why a model was not imported. */
  public enum SkipReason {
    /** The model lists no price at all (many OpenRouter entries). */
    NO_PRICES,
    /** A constraint other than {@code start_date} or {@code start_time}/{@code end_time}. */
    UNSUPPORTED_CONSTRAINT,
    /** A price shape finops cannot hold exactly (a tier starting at 0, unsorted dated prices). */
    UNSUPPORTED_PRICE,
    /** Another model of the provider already has this id. */
    DUPLICATE_ID
  }

  /** A model that was not imported. */
  public record Skipped(String provider, String model, SkipReason reason, String detail) {}

  /** A price key of an imported model that has no finops bucket and was left out. */
  public record Dropped(String provider, String model, String priceKey, String detail) {}

  /** The imported catalog and everything that was not imported as it stands in the file. */
  public record Result(PriceCatalog catalog, List<Skipped> skipped, List<Dropped> dropped, List<String> notes) {
    public Result {
      Objects.requireNonNull(catalog, "catalog");
      skipped = List.copyOf(skipped);
      dropped = List.copyOf(dropped);
      notes = List.copyOf(notes);
    }

    /** Skipped models per reason. */
    public Map<SkipReason, Long> skippedCounts() {
      return skipped.stream().collect(java.util.stream.Collectors.groupingBy(Skipped::reason,
          () -> new EnumMap<>(SkipReason.class), java.util.stream.Collectors.counting()));
    }
  }

  /** Imports a genai-prices {@code data.json}. */
  public static Result read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(file.toString(), in);
    } catch (IOException e) {
      throw new CatalogException(file.toString(), 0, 0, null, "cannot read genai-prices file: " + e, e);
    }
  }

  /** Imports a genai-prices {@code data.json}; {@code name} appears in errors and provenance. */
  public static Result read(String name, InputStream json) {
    DatasetFile f = DatasetFile.read(name, json, "genai-prices file");
    return new Reader(name, f.version("genai-prices")).read(f.root());
  }

  /** The finops provider name of a genai-prices provider id. */
  public static String providerName(String genaiPricesId) {
    String lower = genaiPricesId.toLowerCase(Locale.ROOT);
    return PROVIDER_NAMES.getOrDefault(lower, lower);
  }

  // ---- reading -------------------------------------------------------------------------------

  /** One entry of a model's conditional price list. */
  private record Conditional(LocalDate startDate, int fromSecond, int toSecond, ModelPrice prices) {
    boolean timed() {
      return fromSecond >= 0;
    }

    /** Active on a day on or after {@code day}'s start and at {@code second} of the day. */
    boolean activeAt(LocalDate day, int second) {
      if (startDate != null) {
        return !day.isBefore(startDate);
      }
      if (timed()) {
        return fromSecond <= second && second < toSecond;
      }
      return true;
    }
  }

  private static final class SkipModel extends Exception {
    final SkipReason reason;

    SkipModel(SkipReason reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }

  private static final class Reader {
    private final String file;
    private final String version;
    private final List<Skipped> skipped = new ArrayList<>();
    private final List<Dropped> dropped = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private String provider;
    private String modelId;

    Reader(String file, String version) {
      this.file = file;
      this.version = version;
    }

    Result read(Node root) {
      Arr providers = arr(root, "genai-prices data (a JSON array of providers)");
      PriceCatalog.Builder builder = PriceCatalog.builder(file, version).currency(Money.USD);
      for (Node pn : providers.items) {
        Obj p = obj(pn, "provider");
        String pid = text(p, "id", true);
        provider = providerName(pid);
        Map<String, String> seen = new HashMap<>();
        List<Pattern> earlier = new ArrayList<>(); // the rules of earlier models, as whole-name patterns
        for (Node mn : arr(required(p, "models"), "models").items) {
          Obj m = obj(mn, "model");
          modelId = text(m, "id", true);
          Pattern rule = rulePattern(required(m, "match"));
          try {
            String key = modelId.toLowerCase(Locale.ROOT);
            if (seen.containsKey(key)) {
              throw new SkipModel(SkipReason.DUPLICATE_ID, "id already used by model '" + seen.get(key) + "'");
            }
            ModelEntry e = model(m, pid, earlier);
            seen.put(key, modelId);
            builder.addModel(e);
          } catch (SkipModel s) {
            skipped.add(new Skipped(provider, modelId, s.reason, s.getMessage()));
          }
          earlier.add(rule);
        }
      }
      return new Result(builder.build(), skipped, dropped, notes);
    }

    private ModelEntry model(Obj m, String pid, List<Pattern> earlier) throws SkipModel {
      for (String f : m.fields.keySet()) {
        if (!MODEL_FIELDS.contains(f)) {
          notes.add(provider + "/" + modelId + ": field '" + f + "' ignored");
        }
      }
      List<String> aliases = new ArrayList<>();
      List<Pattern> patterns = new ArrayList<>();
      split(required(m, "match"), aliases, patterns);
      aliases.removeIf(a -> {
        for (Pattern p : earlier) {
          if (p.matcher(a).matches()) {
            notes.add(provider + "/" + modelId + ": alias '" + a + "' left out: an earlier model of the provider"
                + " claims it in the dataset");
            return true;
          }
        }
        return false;
      });
      aliases.removeIf(a -> a.equalsIgnoreCase(modelId));
      String lowerId = modelId.toLowerCase(Locale.ROOT);
      if (!rulePattern(required(m, "match")).matcher(lowerId).matches()) {
        notes.add(provider + "/" + modelId + ": the id is not matched by the model's own rule; finops resolves it"
            + " to this model");
      } else {
        for (Pattern p : earlier) {
          if (p.matcher(lowerId).matches()) {
            notes.add(provider + "/" + modelId + ": the id is claimed by an earlier model in the dataset; finops"
                + " resolves it to this model");
            break;
          }
        }
      }
      List<ModelPrice> versions = versions(required(m, "prices"));
      String source = DATASET + " " + version + " (" + file + "), provider '" + pid + "', model '" + modelId + "'";
      return new ModelEntry(provider, modelId, new ArrayList<>(new LinkedHashSet<>(aliases)), patterns, source,
          versions);
    }

    // ---- match rules -------------------------------------------------------------------------

    /** Top-level equals (also under a top-level or) become aliases; the rest whole-name patterns. */
    private void split(Node rule, List<String> aliases, List<Pattern> patterns) {
      Obj o = obj(rule, "match rule");
      if (o.fields.size() == 1 && o.fields.containsKey("or")) {
        for (Node n : arr(o.fields.get("or"), "or").items) {
          split(n, aliases, patterns);
        }
        return;
      }
      if (o.fields.size() == 1 && o.fields.containsKey("equals")) {
        aliases.add(text(o, "equals", true).toLowerCase(Locale.ROOT));
        return;
      }
      patterns.add(compile(rule, regex(rule)));
    }

    private Pattern rulePattern(Node rule) {
      return compile(rule, regex(rule));
    }

    private Pattern compile(Node at, String regex) {
      try {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
      } catch (PatternSyntaxException e) {
        throw error(at, "match: the rule does not translate to a valid regular expression: " + e.getDescription());
      }
    }

    /** A regular expression that matches a whole name exactly when the dataset's rule matches it. */
    private String regex(Node rule) {
      Obj o = obj(rule, "match rule");
      if (o.fields.size() != 1) {
        throw error(o, "match: a clause has exactly one of equals, starts_with, ends_with, contains, regex, or, and;"
            + " got " + o.fields.keySet());
      }
      Map.Entry<String, Node> c = o.fields.entrySet().iterator().next();
      switch (c.getKey()) {
        case "equals":
          return Pattern.quote(text(o, "equals", true).toLowerCase(Locale.ROOT));
        case "starts_with":
          return Pattern.quote(text(o, "starts_with", true).toLowerCase(Locale.ROOT)) + "(?s:.*)";
        case "ends_with":
          return "(?s:.*)" + Pattern.quote(text(o, "ends_with", true).toLowerCase(Locale.ROOT));
        case "contains":
          return "(?s:.*)" + Pattern.quote(text(o, "contains", true).toLowerCase(Locale.ROOT)) + "(?s:.*)";
        case "regex": {
          String r = text(o, "regex", true);
          compile(c.getValue(), r);
          return "(?s:.*?)(?:" + r + ")(?s:.*)"; // the dataset searches for the regex anywhere in the name
        }
        case "or": {
          List<String> parts = new ArrayList<>();
          for (Node n : arr(c.getValue(), "or").items) {
            parts.add("(?:" + regex(n) + ")");
          }
          return String.join("|", parts);
        }
        case "and": {
          StringBuilder sb = new StringBuilder();
          for (Node n : arr(c.getValue(), "and").items) {
            sb.append("(?=(?:").append(regex(n)).append(")\\z)");
          }
          return sb.append("(?s:.*)").toString();
        }
        default:
          throw error(c.getValue(), c.getKey() + ": unknown match clause '" + c.getKey() + "'");
      }
    }

    // ---- prices ------------------------------------------------------------------------------

    private List<ModelPrice> versions(Node prices) throws SkipModel {
      if (prices instanceof Obj po) {
        ModelPrice mp = price(po, Instant.EPOCH, null);
        return List.of(mp);
      }
      Arr list = arr(prices, "prices");
      if (list.items.isEmpty()) {
        throw new SkipModel(SkipReason.NO_PRICES, "empty price list");
      }
      List<Conditional> conds = new ArrayList<>();
      TreeSet<LocalDate> dates = new TreeSet<>();
      TreeSet<Integer> seconds = new TreeSet<>(List.of(0, TimeOfDayPrice.SECONDS_PER_DAY));
      for (Node n : list.items) {
        Obj c = obj(n, "conditional price");
        Node constraint = c.fields.get("constraint");
        LocalDate start = null;
        int from = -1;
        int to = -1;
        if (constraint != null && !(constraint instanceof Scalar s && s.isNull())) {
          Obj co = obj(constraint, "constraint");
          if (co.fields.keySet().equals(Set.of("start_date"))) {
            start = date(co.fields.get("start_date"));
            dates.add(start);
          } else if (co.fields.keySet().equals(Set.of("start_time", "end_time"))) {
            from = time(co.fields.get("start_time"));
            to = time(co.fields.get("end_time"));
            seconds.add(from);
            seconds.add(to);
          } else {
            throw new SkipModel(SkipReason.UNSUPPORTED_CONSTRAINT, "constraint " + co.fields.keySet());
          }
        }
        conds.add(new Conditional(start, from, to, price(obj(required(c, "prices"), "prices"), Instant.EPOCH, null)));
      }
      // Evaluate the dataset's rule on every interval between the named dates and times.
      List<LocalDate> starts = new ArrayList<>();
      starts.add(LocalDate.of(1970, 1, 1));
      for (LocalDate d : dates) {
        if (d.isAfter(starts.get(0))) {
          starts.add(d);
        }
      }
      Integer[] cuts = seconds.toArray(new Integer[0]);
      List<ModelPrice> out = new ArrayList<>();
      String previousShape = null;
      for (int i = 0; i < starts.size(); i++) {
        LocalDate day = starts.get(i);
        int base = choose(conds, day, -1);
        List<int[]> windows = new ArrayList<>(); // from, to, conditional index
        for (int k = 0; k + 1 < cuts.length; k++) {
          int chosen = choose(conds, day, cuts[k]);
          if (chosen == base) {
            continue;
          }
          int[] last = windows.isEmpty() ? null : windows.get(windows.size() - 1);
          if (last != null && last[1] == cuts[k] && last[2] == chosen) {
            last[1] = cuts[k + 1];
          } else {
            windows.add(new int[] {cuts[k], cuts[k + 1], chosen});
          }
        }
        StringBuilder shape = new StringBuilder().append(base);
        for (int[] w : windows) {
          shape.append(',').append(w[0]).append('-').append(w[1]).append(':').append(w[2]);
        }
        if (shape.toString().equals(previousShape)) {
          continue; // same prices as the interval before: one version
        }
        previousShape = shape.toString();
        Instant from = i == 0 ? Instant.EPOCH : day.atStartOfDay(ZoneOffset.UTC).toInstant();
        if (!out.isEmpty()) {
          ModelPrice prev = out.remove(out.size() - 1);
          out.add(copy(prev, prev.validFrom(), from, prev.timeOfDay()));
        }
        List<TimeOfDayPrice> tod = new ArrayList<>();
        for (int[] w : windows) {
          tod.add(new TimeOfDayPrice(w[0], w[1], copy(conds.get(w[2]).prices(), from, null, List.of())));
        }
        out.add(copy(conds.get(base).prices(), from, null, tod));
      }
      return out;
    }

    /** The dataset's choice: the last active entry, else the first; {@code second} -1 = no window active. */
    private static int choose(List<Conditional> conds, LocalDate day, int second) {
      for (int i = conds.size() - 1; i >= 0; i--) {
        Conditional c = conds.get(i);
        if (c.timed() ? second >= 0 && c.activeAt(day, second) : c.activeAt(day, second)) {
          return i;
        }
      }
      return 0;
    }

    private static ModelPrice copy(ModelPrice p, Instant from, Instant to, List<TimeOfDayPrice> tod) {
      List<TimeOfDayPrice> windows = new ArrayList<>();
      for (TimeOfDayPrice w : tod) {
        windows.add(new TimeOfDayPrice(w.fromSecondOfDay(), w.toSecondOfDay(),
            copy(w.price(), from, to, List.of())));
      }
      return new ModelPrice(from, to, p.currency(), p.base(), p.contextTiers(), p.serviceTierMultipliers(), windows);
    }

    private ModelPrice price(Obj prices, Instant from, Instant to) throws SkipModel {
      Map<UsageBucket, BigDecimal> base = new EnumMap<>(UsageBucket.class);
      Map<UsageBucket, TreeMap<Long, BigDecimal>> tiered = new EnumMap<>(UsageBucket.class);
      TreeSet<Long> thresholds = new TreeSet<>();
      for (Map.Entry<String, Node> e : prices.fields.entrySet()) {
        String key = e.getKey();
        Node v = e.getValue();
        if (v instanceof Scalar s && s.isNull()) {
          continue;
        }
        UsageBucket b = KEYS.get(key);
        if (b == null) {
          dropped.add(new Dropped(provider, modelId, key, "no finops bucket for '" + key + "'"));
          continue;
        }
        BigDecimal scale = b == UsageBucket.REQUESTS ? new BigDecimal("0.001") : BigDecimal.ONE;
        if (v instanceof Obj t) {
          BigDecimal basePrice = decimal(required(t, "base"), "base");
          put(base, b, basePrice.multiply(scale), key, v);
          TreeMap<Long, BigDecimal> tiers = new TreeMap<>();
          for (Node tn : arr(required(t, "tiers"), "tiers").items) {
            Obj to2 = obj(tn, "tier");
            Node sn = required(to2, "start");
            long start = wholeNumber(sn, "start");
            if (start <= 0) {
              throw new SkipModel(SkipReason.UNSUPPORTED_PRICE, key + ": tier starting at " + start
                  + " (finops context tiers start above a positive number of input tokens)");
            }
            if (tiers.put(start, decimal(required(to2, "price"), "price").multiply(scale)) != null) {
              throw new SkipModel(SkipReason.UNSUPPORTED_PRICE, key + ": two tiers start at " + start);
            }
            thresholds.add(start);
          }
          tiered.put(b, tiers);
        } else {
          put(base, b, decimal(v, key).multiply(scale), key, v);
        }
      }
      if (base.isEmpty()) {
        throw new SkipModel(SkipReason.NO_PRICES, dropped.stream().anyMatch(d -> d.model().equals(modelId)
            && d.provider().equals(provider)) ? "only prices without a finops bucket" : "no prices");
      }
      List<ContextTier> contextTiers = new ArrayList<>();
      for (long t : thresholds) {
        Map<UsageBucket, BigDecimal> at = new EnumMap<>(UsageBucket.class);
        for (Map.Entry<UsageBucket, TreeMap<Long, BigDecimal>> e : tiered.entrySet()) {
          Map.Entry<Long, BigDecimal> applicable = e.getValue().floorEntry(t);
          at.put(e.getKey(), applicable == null ? base.get(e.getKey()) : applicable.getValue());
        }
        contextTiers.add(new ContextTier(t, BucketPrices.of(at)));
      }
      return new ModelPrice(from, to, Money.USD, BucketPrices.of(base), contextTiers, Map.of());
    }

    private void put(Map<UsageBucket, BigDecimal> base, UsageBucket b, BigDecimal price, String key, Node at)
        throws SkipModel {
      if (base.containsKey(b)) {
        throw new SkipModel(SkipReason.UNSUPPORTED_PRICE, key + ": a second price for bucket " + b.jsonName());
      }
      if (price.signum() < 0) {
        throw error(at, key + ": price must not be negative, got " + price.toPlainString());
      }
      base.put(b, price.stripTrailingZeros().scale() < 0 ? price.setScale(0) : price.stripTrailingZeros());
    }

    // ---- JSON helpers ------------------------------------------------------------------------

    private CatalogException error(Node n, String detail) {
      return new CatalogException(file, n.line, n.column, n.path, detail);
    }

    private Obj obj(Node n, String what) {
      if (!(n instanceof Obj o)) {
        throw error(n, field(n) + ": expected a JSON object (" + what + "), got " + n.kind());
      }
      return o;
    }

    private Arr arr(Node n, String what) {
      if (!(n instanceof Arr a)) {
        throw error(n, field(n) + ": expected a JSON array (" + what + "), got " + n.kind());
      }
      return a;
    }

    private static String field(Node n) {
      String p = n.path;
      int dot = p.lastIndexOf('.');
      return dot < 0 ? p : p.substring(dot + 1);
    }

    private Node required(Obj o, String name) {
      Node n = o.fields.get(name);
      if (n == null || (n instanceof Scalar s && s.isNull())) {
        throw new CatalogException(file, o.line, o.column, o.path + "." + name, name + ": required field '" + name
            + "' is missing");
      }
      return n;
    }

    private String text(Obj o, String name, boolean required) {
      Node n = required ? required(o, name) : o.fields.get(name);
      if (n == null) {
        return null;
      }
      if (!(n instanceof Scalar s) || !s.isString() || s.text.isEmpty()) {
        throw error(n, name + ": expected a non-empty string, got " + n.kind());
      }
      return s.text;
    }

    private BigDecimal decimal(Node n, String name) {
      if (!(n instanceof Scalar s) || !s.isNumber()) {
        throw error(n, name + ": expected a number, got " + n.kind());
      }
      try {
        return dev.finops.core.Money.parseDecimal(s.text, true); // the one decimal syntax, bounded
      } catch (NumberFormatException e) {
        throw error(n, name + ": " + e.getMessage());
      }
    }

    private long wholeNumber(Node n, String name) {
      if (!(n instanceof Scalar s) || s.token != com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT) {
        throw error(n, name + ": expected a whole number, got " + n.kind());
      }
      try {
        return Long.parseLong(s.text);
      } catch (NumberFormatException e) {
        throw error(n, name + ": out of range: " + s.text);
      }
    }

    private LocalDate date(Node n) {
      if (!(n instanceof Scalar s) || !s.isString()) {
        throw error(n, "start_date: expected a date YYYY-MM-DD, got " + n.kind());
      }
      try {
        return LocalDate.parse(s.text);
      } catch (DateTimeParseException e) {
        throw error(n, "start_date: not a date YYYY-MM-DD: \"" + s.text + "\"");
      }
    }

    /** "HH:MM:SS" with an optional Z or +00:00, as seconds of the UTC day. */
    private int time(Node n) {
      String name = field(n);
      if (!(n instanceof Scalar s) || !s.isString()) {
        throw error(n, name + ": expected a time HH:MM:SSZ, got " + n.kind());
      }
      String t = s.text;
      if (t.endsWith("Z")) {
        t = t.substring(0, t.length() - 1);
      } else if (t.endsWith("+00:00")) {
        t = t.substring(0, t.length() - 6);
      } else if (t.matches(".*[+-]\\d\\d:\\d\\d")) {
        throw error(n, name + ": only UTC times are supported: \"" + s.text + "\"");
      }
      try {
        return LocalTime.parse(t).toSecondOfDay();
      } catch (DateTimeParseException e) {
        throw error(n, name + ": not a time HH:MM:SS: \"" + s.text + "\"");
      }
    }
  }
}
