package dev.finops.core.catalog;

import dev.finops.core.UsageBucket;
import dev.finops.core.internal.LocatedJson;
import dev.finops.core.internal.LocatedJson.Arr;
import dev.finops.core.internal.LocatedJson.Node;
import dev.finops.core.internal.LocatedJson.Obj;
import dev.finops.core.internal.LocatedJson.Scalar;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads the catalog format of docs/catalog-format.md, strictly. Not thread-safe; one per read. */
final class CatalogReader {

  static final int FORMAT_VERSION = 1;

  private static final Set<String> TOP = Set.of(
      "format_version", "catalog_version", "currency", "description", "models", "gpu_instances", "on_prem_gpus");
  private static final Set<String> MODEL = Set.of(
      "provider", "id", "aliases", "match", "source", "notes", "versions", "prices", "context_tiers",
      "service_tiers", "currency", "checked_on");
  private static final Set<String> VERSION = Set.of(
      "valid_from", "valid_to", "currency", "prices", "context_tiers", "service_tiers", "time_of_day");
  private static final Set<String> WINDOW = Set.of("from", "to", "prices", "context_tiers");
  private static final Pattern TIME_OF_DAY = Pattern.compile("([01]\\d|2[0-4]):([0-5]\\d)(?::([0-5]\\d))?");
  private static final Set<String> TIER = Set.of("above_input_tokens", "prices");
  private static final Set<String> GPU = Set.of(
      "provider", "region", "instance_type", "accelerator", "gpus", "source", "notes", "versions");
  private static final Set<String> GPU_VERSION = Set.of(
      "valid_from", "valid_to", "currency", "on_demand_hourly", "spot_hourly", "committed_hourly");
  private static final Set<String> ONPREM = Set.of("id", "accelerator", "gpus", "source", "notes", "versions");
  private static final Set<String> ONPREM_VERSION = Set.of(
      "valid_from", "valid_to", "currency", "amortized_gpu_hourly", "energy_per_kwh");

  private final String file;
  private Currency defaultCurrency = Currency.getInstance("USD");

  CatalogReader(String file) {
    this.file = file;
  }

  PriceCatalog read(InputStream in) {
    Node root;
    try {
      root = LocatedJson.read(in);
    } catch (LocatedJson.ParseError e) {
      throw new CatalogException(file, e.line, e.column, e.path, e.getMessage(), e);
    } catch (IOException e) {
      throw new CatalogException(file, 0, 0, null, "cannot read: " + e.getMessage(), e);
    }
    Obj top = obj(root, "catalog");
    allowOnly(top, TOP);
    Scalar fv = scalar(required(top, "format_version"));
    if (!fv.isNumber() || !fv.text.equals(String.valueOf(FORMAT_VERSION))) {
      throw error(fv, "format_version: unsupported format version " + fv.text + " (this finops reads "
          + FORMAT_VERSION + ")");
    }
    String version = string(required(top, "catalog_version"), "catalog_version");
    if (top.fields.containsKey("currency")) {
      defaultCurrency = currency(top.fields.get("currency"));
    }
    List<ModelEntry> models = new ArrayList<>();
    Map<String, Node> seenIds = new HashMap<>();
    for (Node n : items(top.fields.get("models"), "models")) {
      ModelEntry m = model(obj(n, "model"));
      String key = m.provider() + "/" + m.id().toLowerCase(Locale.ROOT);
      if (seenIds.containsKey(key)) {
        throw error(((Obj) n).fields.get("id"), "id: model '" + m.id() + "' of provider '" + m.provider()
            + "' is defined twice (first at " + seenIds.get(key).path + "); put all its prices in one entry's versions");
      }
      seenIds.put(key, n);
      models.add(m);
    }
    List<GpuInstance> gpus = new ArrayList<>();
    Map<String, Node> seenGpu = new HashMap<>();
    for (Node n : items(top.fields.get("gpu_instances"), "gpu_instances")) {
      GpuInstance g = gpu(obj(n, "gpu instance"));
      String key = g.provider() + "/" + g.region() + "/" + g.instanceType();
      if (seenGpu.containsKey(key)) {
        throw error(((Obj) n).fields.get("instance_type"), "instance_type: '" + key
            + "' is defined twice (first at " + seenGpu.get(key).path + ")");
      }
      seenGpu.put(key, n);
      gpus.add(g);
    }
    List<OnPremGpu> onPrem = new ArrayList<>();
    for (Node n : items(top.fields.get("on_prem_gpus"), "on_prem_gpus")) {
      onPrem.add(onPrem(obj(n, "on-prem gpu")));
    }
    return new PriceCatalog(file, version, defaultCurrency, models, gpus, onPrem);
  }

  private ModelEntry model(Obj o) {
    allowOnly(o, MODEL);
    String provider = string(required(o, "provider"), "provider").toLowerCase(Locale.ROOT);
    String id = string(required(o, "id"), "id");
    List<String> aliases = new ArrayList<>();
    for (Node a : items(o.fields.get("aliases"), "aliases")) {
      aliases.add(string(a, "aliases"));
    }
    List<Pattern> patterns = new ArrayList<>();
    for (Node a : items(o.fields.get("match"), "match")) {
      String regex = string(a, "match");
      try {
        patterns.add(Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
      } catch (PatternSyntaxException e) {
        throw error(a, "match: invalid regular expression '" + regex + "': " + e.getDescription());
      }
    }
    String source = o.fields.containsKey("source") ? string(o.fields.get("source"), "source") : null;
    List<ModelPrice> versions = new ArrayList<>();
    boolean hasVersions = o.fields.containsKey("versions");
    boolean hasInline = o.fields.containsKey("prices");
    if (hasVersions && hasInline) {
      throw error(o.fields.get("prices"), "prices: give either 'versions' or inline 'prices', not both");
    }
    if (hasVersions) {
      for (String f : List.of("context_tiers", "service_tiers", "currency")) {
        if (o.fields.containsKey(f)) {
          throw error(o.fields.get(f), f + ": belongs inside a version when 'versions' is used");
        }
      }
      Arr arr = arr(o.fields.get("versions"), "versions");
      if (arr.items.isEmpty()) {
        throw error(arr, "versions: a model needs at least one price version");
      }
      for (Node v : arr.items) {
        versions.add(modelVersion(obj(v, "version"), false));
      }
    } else if (hasInline) {
      versions.add(modelVersion(o, true));
    } else {
      throw error(o, "versions: model '" + id + "' has no prices (need 'versions' or 'prices')");
    }
    checkOrder(arr(o.fields.get("versions"), hasVersions), versions, o);
    LocalDate checkedOn = null;
    if (o.fields.containsKey("checked_on")) {
      Node c = o.fields.get("checked_on");
      String text = string(c, "checked_on");
      checkedOn = isoDate(text);
      if (checkedOn == null) {
        throw error(c, "checked_on: not a date YYYY-MM-DD: \"" + text + "\"");
      }
    }
    return new ModelEntry(provider, id, aliases, patterns, source, versions, checkedOn, notes(o));
  }

  private ModelPrice modelVersion(Obj v, boolean inline) {
    if (!inline) {
      allowOnly(v, VERSION);
    }
    Instant from = inline ? Instant.EPOCH : instant(required(v, "valid_from"), "valid_from");
    Instant to = inline ? null : optionalInstant(v.fields.get("valid_to"), "valid_to");
    if (to != null && !to.isAfter(from)) {
      throw error(v.fields.get("valid_to"), "valid_to: " + to + " must be after valid_from " + from);
    }
    Currency cur = v.fields.containsKey("currency") ? currency(v.fields.get("currency")) : defaultCurrency;
    BucketPrices base = bucketPrices(obj(required(v, "prices"), "prices"));
    List<ContextTier> tiers = contextTiers(v);
    Map<String, BigDecimal> multipliers = new LinkedHashMap<>();
    Node st = v.fields.get("service_tiers");
    if (st != null && !isNull(st)) {
      for (Map.Entry<String, Node> e : obj(st, "service_tiers").fields.entrySet()) {
        BigDecimal m = decimal(e.getValue(), e.getKey());
        if (m.signum() <= 0) {
          throw error(e.getValue(), e.getKey() + ": service tier multiplier must be positive, got " + m.toPlainString());
        }
        String name = e.getKey().toLowerCase(Locale.ROOT);
        if (name.equals(dev.finops.core.Usage.STANDARD_TIER)) {
          throw error(e.getValue(), e.getKey() + ": the standard tier is the listed prices and takes no multiplier");
        }
        if (multipliers.put(name, m) != null) {
          throw error(e.getValue(), e.getKey() + ": duplicate service tier '" + name + "' (names are case-insensitive)");
        }
      }
    }
    List<TimeOfDayPrice> windows = new ArrayList<>();
    int previousEnd = 0;
    for (Node w : items(v.fields.get("time_of_day"), "time_of_day")) {
      Obj wo = obj(w, "time-of-day window");
      allowOnly(wo, WINDOW);
      int start = secondOfDay(required(wo, "from"), "from");
      int end = secondOfDay(required(wo, "to"), "to");
      if (end <= start) {
        throw error(wo.fields.get("to"), "to: the window must end after it starts (" + TimeOfDayPrice.format(start)
            + "); a window over midnight is written as two windows");
      }
      if (start < previousEnd) {
        throw error(wo.fields.get("from"), "from: time-of-day windows must be sorted and must not overlap; "
            + TimeOfDayPrice.format(start) + " is before the previous window's end " + TimeOfDayPrice.format(previousEnd));
      }
      previousEnd = end;
      ModelPrice wp = new ModelPrice(from, to, cur, bucketPrices(obj(required(wo, "prices"), "prices")),
          contextTiers(wo), multipliers);
      windows.add(new TimeOfDayPrice(start, end, wp));
    }
    return new ModelPrice(from, to, cur, base, tiers, multipliers, windows);
  }

  private List<ContextTier> contextTiers(Obj owner) {
    List<ContextTier> tiers = new ArrayList<>();
    long previous = 0;
    for (Node t : items(owner.fields.get("context_tiers"), "context_tiers")) {
      Obj to2 = obj(t, "context tier");
      allowOnly(to2, TIER);
      Node above = required(to2, "above_input_tokens");
      long threshold = positiveLong(above, "above_input_tokens");
      if (threshold <= previous) {
        throw error(above, "above_input_tokens: tiers out of order: " + threshold
            + " must be greater than the previous tier's " + previous);
      }
      previous = threshold;
      tiers.add(new ContextTier(threshold, bucketPrices(obj(required(to2, "prices"), "prices"))));
    }
    return tiers;
  }

  /** "HH:MM" or "HH:MM:SS" in UTC, up to "24:00". */
  private int secondOfDay(Node n, String name) {
    String text = string(n, name);
    java.util.regex.Matcher m = TIME_OF_DAY.matcher(text);
    if (!m.matches()) {
      throw error(n, name + ": not a time of day HH:MM or HH:MM:SS (UTC): \"" + text + "\"");
    }
    int s = Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60
        + (m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    if (s > TimeOfDayPrice.SECONDS_PER_DAY) {
      throw error(n, name + ": after 24:00: \"" + text + "\"");
    }
    return s;
  }

  private BucketPrices bucketPrices(Obj o) {
    Map<UsageBucket, BigDecimal> prices = new EnumMap<>(UsageBucket.class);
    for (Map.Entry<String, Node> e : o.fields.entrySet()) {
      UsageBucket b = UsageBucket.byJsonName(e.getKey());
      if (b == null || b == UsageBucket.GPU_TIME || b == UsageBucket.ENERGY) {
        throw error(e.getValue(), e.getKey() + ": unknown price bucket '" + e.getKey() + "' (known: input, cache_read, "
            + "cache_write_5m, cache_write_1h, output, reasoning, input_audio, output_audio, input_image, "
            + "output_image, request)");
      }
      if (prices.put(b, price(e.getValue(), e.getKey())) != null) {
        throw error(e.getValue(), e.getKey() + ": duplicate price bucket '" + b.jsonName()
            + "' (bucket names are case-insensitive)");
      }
    }
    if (prices.isEmpty()) {
      throw error(o, "prices: at least one bucket price is required");
    }
    return BucketPrices.of(prices);
  }

  private GpuInstance gpu(Obj o) {
    allowOnly(o, GPU);
    String provider = string(required(o, "provider"), "provider").toLowerCase(Locale.ROOT);
    String region = string(required(o, "region"), "region");
    String type = string(required(o, "instance_type"), "instance_type");
    String accel = string(required(o, "accelerator"), "accelerator");
    int gpus = (int) positiveLong(required(o, "gpus"), "gpus");
    String source = o.fields.containsKey("source") ? string(o.fields.get("source"), "source") : null;
    Arr arr = arr(required(o, "versions"), "versions");
    if (arr.items.isEmpty()) {
      throw error(arr, "versions: an instance needs at least one price version");
    }
    List<GpuPrice> prices = new ArrayList<>();
    for (Node n : arr.items) {
      Obj v = obj(n, "version");
      allowOnly(v, GPU_VERSION);
      Instant from = instant(required(v, "valid_from"), "valid_from");
      Instant to = optionalInstant(v.fields.get("valid_to"), "valid_to");
      if (to != null && !to.isAfter(from)) {
        throw error(v.fields.get("valid_to"), "valid_to: " + to + " must be after valid_from " + from);
      }
      Currency cur = v.fields.containsKey("currency") ? currency(v.fields.get("currency")) : defaultCurrency;
      prices.add(new GpuPrice(from, to, cur, price(required(v, "on_demand_hourly"), "on_demand_hourly"),
          optionalPrice(v.fields.get("spot_hourly"), "spot_hourly"),
          optionalPrice(v.fields.get("committed_hourly"), "committed_hourly")));
    }
    checkOrder(arr, prices, o);
    return new GpuInstance(provider, region, type, accel, gpus, source, prices, notes(o));
  }

  private OnPremGpu onPrem(Obj o) {
    allowOnly(o, ONPREM);
    String id = string(required(o, "id"), "id");
    String accel = string(required(o, "accelerator"), "accelerator");
    int gpus = (int) positiveLong(required(o, "gpus"), "gpus");
    String source = o.fields.containsKey("source") ? string(o.fields.get("source"), "source") : null;
    Arr arr = arr(required(o, "versions"), "versions");
    if (arr.items.isEmpty()) {
      throw error(arr, "versions: an on-prem entry needs at least one price version");
    }
    List<OnPremGpu.Price> prices = new ArrayList<>();
    for (Node n : arr.items) {
      Obj v = obj(n, "version");
      allowOnly(v, ONPREM_VERSION);
      Instant from = instant(required(v, "valid_from"), "valid_from");
      Instant to = optionalInstant(v.fields.get("valid_to"), "valid_to");
      if (to != null && !to.isAfter(from)) {
        throw error(v.fields.get("valid_to"), "valid_to: " + to + " must be after valid_from " + from);
      }
      Currency cur = v.fields.containsKey("currency") ? currency(v.fields.get("currency")) : defaultCurrency;
      prices.add(new OnPremGpu.Price(from, to, cur, price(required(v, "amortized_gpu_hourly"), "amortized_gpu_hourly"),
          price(required(v, "energy_per_kwh"), "energy_per_kwh")));
    }
    checkOrder(arr, prices, o);
    return new OnPremGpu(id, accel, gpus, source, prices, notes(o));
  }

  private String notes(Obj o) {
    Node n = o.fields.get("notes");
    return n == null || isNull(n) ? null : string(n, "notes");
  }

  /**
   * Versions must be sorted by valid_from, and each must end before the next starts. (A plain loop: a
   * stream here is linked and run interpreted once per entry of a cold catalog load.)
   */
  private void checkOrder(Arr arr, List<? extends EffectiveDated> versions, Obj owner) {
    for (int i = 1; i < versions.size(); i++) {
      Instant from = versions.get(i).validFrom();
      Instant prevFrom = versions.get(i - 1).validFrom();
      Node at = arr == null ? owner : arr.items.get(i);
      Node fromNode = at instanceof Obj && ((Obj) at).fields.containsKey("valid_from")
          ? ((Obj) at).fields.get("valid_from") : at;
      if (!from.isAfter(prevFrom)) {
        throw error(fromNode, "valid_from: versions must be sorted by valid_from; " + from
            + " does not come after " + prevFrom);
      }
      Instant prevTo = versions.get(i - 1).validTo();
      if (prevTo == null || prevTo.isAfter(from)) {
        throw error(fromNode, "valid_from: overlapping validity ranges: the version valid from " + prevFrom
            + " runs " + (prevTo == null ? "open-ended" : "to " + prevTo) + ", past " + from);
      }
    }
  }

  private Arr arr(Node n, boolean present) {
    return present ? (Arr) n : null;
  }

  // ---- scalar helpers ------------------------------------------------------------------------

  private static String field(Node n) {
    String p = n.path;
    int dot = p.lastIndexOf('.');
    return dot < 0 ? p : p.substring(dot + 1);
  }

  private CatalogException error(Node n, String detail) {
    return new CatalogException(file, n.line, n.column, n.path, detail);
  }

  private void allowOnly(Obj o, Set<String> allowed) {
    for (Map.Entry<String, Node> e : o.fields.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw error(e.getValue(), e.getKey() + ": unknown field '" + e.getKey() + "' (allowed here: "
            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      }
    }
  }

  private Node required(Obj o, String name) {
    Node n = o.fields.get(name);
    if (n == null || isNull(n)) {
      throw new CatalogException(file, o.line, o.column, o.path + "." + name, name + ": required field '" + name
          + "' is missing");
    }
    return n;
  }

  private static boolean isNull(Node n) {
    return n instanceof Scalar && ((Scalar) n).isNull();
  }

  private Obj obj(Node n, String what) {
    if (!(n instanceof Obj)) {
      throw error(n, field(n) + ": expected a JSON object (" + what + "), got " + n.kind());
    }
    return (Obj) n;
  }

  private Arr arr(Node n, String name) {
    if (!(n instanceof Arr)) {
      throw error(n, name + ": expected a JSON array, got " + n.kind());
    }
    return (Arr) n;
  }

  private List<Node> items(Node n, String name) {
    if (n == null || isNull(n)) {
      return List.of();
    }
    return arr(n, name).items;
  }

  private Scalar scalar(Node n) {
    if (!(n instanceof Scalar)) {
      throw error(n, field(n) + ": expected a value, got " + n.kind());
    }
    return (Scalar) n;
  }

  private String string(Node n, String name) {
    Scalar s = scalar(n);
    if (!s.isString()) {
      throw error(n, name + ": expected a string, got " + s.kind());
    }
    if (s.text.isBlank()) {
      throw error(n, name + ": must not be empty");
    }
    return s.text;
  }

  private BigDecimal decimal(Node n, String name) {
    Scalar s = scalar(n);
    if (!s.isString() && !s.isNumber()) {
      throw error(n, name + ": expected a decimal number as a string, got " + s.kind());
    }
    try {
      return dev.finops.core.Money.parseDecimal(s.text, true);
    } catch (NumberFormatException e) {
      throw error(n, name + ": " + e.getMessage());
    }
  }

  private BigDecimal price(Node n, String name) {
    BigDecimal d = decimal(n, name);
    if (d.signum() < 0) {
      throw error(n, name + ": price must not be negative, got \"" + scalar(n).text + "\"");
    }
    return d;
  }

  private BigDecimal optionalPrice(Node n, String name) {
    return n == null || isNull(n) ? null : price(n, name);
  }

  private long positiveLong(Node n, String name) {
    Scalar s = scalar(n);
    if (s.token != com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT) {
      throw error(n, name + ": expected a whole number, got " + (s.isString() ? "\"" + s.text + "\"" : s.text));
    }
    long v;
    try {
      v = Long.parseLong(s.text);
    } catch (NumberFormatException e) {
      throw error(n, name + ": out of range: " + s.text);
    }
    if (v <= 0) {
      throw error(n, name + ": must be positive, got " + v);
    }
    return v;
  }

  private Currency currency(Node n) {
    String code = string(n, "currency");
    try {
      Currency c = Currency.getInstance(code);
      if (!c.getCurrencyCode().equals(code)) {
        throw new IllegalArgumentException();
      }
      return c;
    } catch (IllegalArgumentException e) {
      throw error(n, "currency: unknown ISO 4217 currency code '" + code + "'");
    }
  }

  private Instant instant(Node n, String name) {
    String text = string(n, name);
    if (text.length() == 10) {
      LocalDate d = isoDate(text);
      if (d != null) {
        return Instant.ofEpochSecond(d.toEpochDay() * 86_400L);
      }
    } else {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        // named below
      }
    }
    throw error(n, name + ": not a date (YYYY-MM-DD) or ISO-8601 instant: \"" + text + "\"");
  }

  /**
   * {@code YYYY-MM-DD} as {@link LocalDate#parse} reads it (a real calendar day, four-digit year), or
   * {@code null}. Catalogs carry a date on every price version; reading them by hand instead of through
   * {@code java.time.format} takes most of the date cost out of a cold start.
   */
  static LocalDate isoDate(String text) {
    if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    return LocalDate.of(year, month, day);
  }

  private static int digits(String text, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private Instant optionalInstant(Node n, String name) {
    return n == null || isNull(n) ? null : instant(n, name);
  }
}
