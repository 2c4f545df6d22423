package dev.finops.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.PricingException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Done-when of issue 12: walks the whole genai-prices dataset and, for every model finops imports, prices
 * representative usages at several instants both ways — with finops (import, catalog, name resolution,
 * {@link Pricing}) and with the dataset's own rules, worked out here from the JSON independently of the
 * importer (first matching model of the provider; last active conditional price, else the first; tier
 * rates on every token once total input exceeds the start; each token priced at its most specific priced
 * unit; unpriced units free). The totals must agree exactly as decimals, except for the names listed with
 * a reason and a source in {@code datasets/genai-prices-disagreements.tsv} (kind {@code name}: the two
 * resolve the name differently; kind {@code price}: the figures differ); a listed name that agrees again
 * fails the test too, so the list stays reviewed. The names tried are each model's id and every name its
 * rule lists with {@code equals}.
 */
class GenAiPricesConformanceTest {

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1_000);

  /** The dataset's token units (as in its units.yml) and the dimensions that order them. */
  private static final Map<String, Set<String>> UNITS = Map.of(
      "input_mtok", Set.of("input"),
      "output_mtok", Set.of("output"),
      "cache_read_mtok", Set.of("input", "cache_read"),
      "cache_write_mtok", Set.of("input", "cache_write"),
      "input_audio_mtok", Set.of("input", "audio"),
      "cache_audio_read_mtok", Set.of("input", "audio", "cache_read"),
      "output_audio_mtok", Set.of("output", "audio"));

  /** A usage in the dataset's terms: totals per direction plus the more specific counts. */
  record DsUsage(long input, long cacheRead, long cacheWrite, long inputAudio, long output, long outputAudio) {
    long count(String key) {
      return switch (key) {
        case "input_mtok" -> input;
        case "output_mtok" -> output;
        case "cache_read_mtok" -> cacheRead;
        case "cache_write_mtok" -> cacheWrite;
        case "input_audio_mtok" -> inputAudio;
        case "output_audio_mtok" -> outputAudio;
        default -> 0;
      };
    }

    /** The same usage in finops' disjoint buckets, one request. */
    Usage toFinops() {
      return Usage.builder()
          .inputUncached(input - cacheRead - cacheWrite - inputAudio)
          .cacheRead(cacheRead)
          .cacheWrite5m(cacheWrite)
          .add(UsageBucket.INPUT_AUDIO, inputAudio)
          .output(output - outputAudio)
          .add(UsageBucket.OUTPUT_AUDIO, outputAudio)
          .requests(1)
          .build();
    }
  }

  // ---- the dataset's semantics ----------------------------------------------------------------

  static boolean matches(JsonNode clause, String lowerName) {
    Map.Entry<String, JsonNode> c = clause.fields().next();
    String v = c.getValue().isTextual() ? c.getValue().asText() : null;
    switch (c.getKey()) {
      case "equals":
        return lowerName.equals(v.toLowerCase(Locale.ROOT));
      case "starts_with":
        return lowerName.startsWith(v.toLowerCase(Locale.ROOT));
      case "ends_with":
        return lowerName.endsWith(v.toLowerCase(Locale.ROOT));
      case "contains":
        return lowerName.contains(v.toLowerCase(Locale.ROOT));
      case "regex":
        return java.util.regex.Pattern.compile(v).matcher(lowerName).find();
      case "or":
        for (JsonNode n : c.getValue()) {
          if (matches(n, lowerName)) {
            return true;
          }
        }
        return false;
      case "and":
        for (JsonNode n : c.getValue()) {
          if (!matches(n, lowerName)) {
            return false;
          }
        }
        return true;
      default:
        throw new AssertionError("unknown clause " + c.getKey());
    }
  }

  /** The first model of the provider whose rule matches the name, or null. */
  static JsonNode findModel(JsonNode provider, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (JsonNode m : provider.get("models")) {
      if (matches(m.get("match"), lower)) {
        return m;
      }
    }
    return null;
  }

  /** The price object in force at {@code t}: the last active conditional price, else the first. */
  static JsonNode pricesAt(JsonNode model, ZonedDateTime t) {
    JsonNode prices = model.get("prices");
    if (prices.isObject()) {
      return prices;
    }
    for (int i = prices.size() - 1; i >= 0; i--) {
      JsonNode c = prices.get(i).get("constraint");
      if (c == null || c.isNull()) {
        return prices.get(i).get("prices");
      }
      if (c.has("start_date") && !t.toLocalDate().isBefore(LocalDate.parse(c.get("start_date").asText()))) {
        return prices.get(i).get("prices");
      }
      if (c.has("start_time")) {
        LocalTime now = t.toLocalTime();
        LocalTime from = LocalTime.parse(c.get("start_time").asText().replace("Z", ""));
        LocalTime to = LocalTime.parse(c.get("end_time").asText().replace("Z", ""));
        if (!now.isBefore(from) && now.isBefore(to)) {
          return prices.get(i).get("prices");
        }
      }
    }
    return prices.get(0).get("prices");
  }

  /** The dataset's price of a usage. */
  static BigDecimal datasetPrice(JsonNode prices, DsUsage u) {
    List<String> priced = new ArrayList<>();
    prices.fieldNames().forEachRemaining(k -> {
      if (UNITS.containsKey(k) && !prices.get(k).isNull()) {
        priced.add(k);
      }
    });
    priced.sort((a, b) -> UNITS.get(b).size() - UNITS.get(a).size()); // most specific first
    Map<String, Long> leaf = new LinkedHashMap<>();
    for (String unit : priced) {
      long v = u.count(unit);
      for (String d : priced) {
        if (!d.equals(unit) && UNITS.get(d).containsAll(UNITS.get(unit))) {
          v -= leaf.get(d);
        }
      }
      leaf.put(unit, v);
    }
    BigDecimal total = BigDecimal.ZERO;
    for (String unit : priced) {
      total = total.add(rate(prices.get(unit), u.input()).multiply(BigDecimal.valueOf(leaf.get(unit)))
          .divide(MILLION));
    }
    JsonNode requests = prices.get("requests_kcount");
    if (requests != null && !requests.isNull()) {
      total = total.add(rate(requests, u.input()).divide(THOUSAND));
    }
    return total;
  }

  /** A flat price, or the tier whose start the total input exceeds (the highest such), else the base. */
  static BigDecimal rate(JsonNode price, long totalInput) {
    if (!price.isObject()) {
      return price.decimalValue();
    }
    BigDecimal r = price.get("base").decimalValue();
    long best = -1;
    for (JsonNode t : price.get("tiers")) {
      long start = t.get("start").asLong();
      if (totalInput > start && start > best) {
        best = start;
        r = t.get("price").decimalValue();
      }
    }
    return r;
  }

  // ---- the walk ------------------------------------------------------------------------------

  /** Reviewed disagreements: "provider/name TAB kind" (name or price) -> reason. */
  static Map<String, String> reviewed(String resource) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (InputStream in = GenAiPricesConformanceTest.class.getResourceAsStream(resource)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        assertThat(f).as("provider, name, kind, reason and source in %s: %s", resource, line).hasSize(5);
        assertThat(f[2]).as("kind of " + line).isIn("name", "price");
        assertThat(f[3]).as("reason of " + line).isNotBlank();
        assertThat(f[4]).as("source of " + line).isNotBlank();
        out.put(f[0] + "/" + f[1] + "\t" + f[2], f[3]);
      }
    }
    return out;
  }

  @Test
  void finopsPricesEveryImportedModelExactlyAsTheDatasetDoes() throws Exception {
    Path file = GenAiPricesImporterTest.dataset();
    JsonNode data = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .readTree(Files.readAllBytes(file));
    GenAiPricesImporter.Result imported = GenAiPricesImporter.read(file);
    PriceCatalog catalog = imported.catalog();
    Pricing pricing = Pricing.builder().bundledCatalog(null).userCatalog(catalog).build();

    Map<String, String> disagreements = new TreeMap<>();
    int models = 0;
    long comparisons = 0;
    for (JsonNode provider : data) {
      String finopsProvider = GenAiPricesImporter.providerName(provider.get("id").asText());
      for (JsonNode model : provider.get("models")) {
        String id = model.get("id").asText();
        if (catalog.findExact(finopsProvider, id.toLowerCase(Locale.ROOT)) == null) {
          continue; // skipped by the importer, with a reason (GenAiPricesImporterTest)
        }
        models++;
        Set<String> names = new LinkedHashSet<>();
        names.add(id);
        collectEquals(model.get("match"), names);
        for (String name : names) {
          JsonNode expectedModel = findModel(provider, name);
          String key = finopsProvider + "/" + name;
          if (expectedModel == null) {
            // The id is a label its own rule does not match: the dataset prices no request by that name.
            // finops resolves a model's id to the model; its prices are still compared below.
            disagreements.put(key + "\tname", "the dataset resolves no model for this name; finops resolves "
                + pricing.resolve(finopsProvider, name).entry());
            expectedModel = model;
          }
          for (Instant at : instants(expectedModel)) {
            JsonNode prices = pricesAt(expectedModel, at.atZone(ZoneOffset.UTC));
            for (DsUsage u : usages(prices)) {
              comparisons++;
              BigDecimal expected = datasetPrice(prices, u);
              String actual;
              try {
                PricedUsage p = pricing.price(finopsProvider, name, u.toFinops(), at);
                BigDecimal got = p.total().exactAmount();
                if (got.compareTo(expected) == 0) {
                  continue;
                }
                actual = got.toPlainString() + " (" + p.modelId() + ")";
              } catch (PricingException e) {
                actual = "refused: " + e.getMessage();
              }
              disagreements.putIfAbsent(key + "\tprice", "at " + at + " " + u + ": dataset " + expected.toPlainString()
                  + " (" + expectedModel.get("id").asText() + "), finops " + actual);
            }
          }
        }
      }
    }
    Path dump = Path.of("target", "genai-prices-disagreements.found.tsv");
    Files.createDirectories(dump.getParent());
    Files.write(dump, disagreements.entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue()).toList());
    Map<String, String> reviewed = reviewed("/datasets/genai-prices-disagreements.tsv");
    Map<String, String> unreviewed = new TreeMap<>(disagreements);
    unreviewed.keySet().removeAll(reviewed.keySet());
    Set<String> stale = new TreeSet<>(reviewed.keySet());
    stale.removeAll(disagreements.keySet());

    assertThat(models).as("models compared").isGreaterThan(1200);
    assertThat(comparisons).as("prices compared").isGreaterThan(20_000);
    assertThat(unreviewed).as("disagreements not in genai-prices-disagreements.tsv").isEmpty();
    assertThat(stale).as("listed disagreements that now agree (remove them from the file)").isEmpty();
  }

  static void collectEquals(JsonNode clause, Set<String> out) {
    JsonNode eq = clause.get("equals");
    if (eq != null) {
      out.add(eq.asText());
    }
    JsonNode or = clause.get("or");
    if (or != null) {
      for (JsonNode n : or) {
        collectEquals(n, out);
      }
    }
  }

  /** Instants around every date and time the model's prices name, plus a spread of ordinary ones. */
  static List<Instant> instants(JsonNode model) {
    Set<Instant> out = new TreeSet<>();
    for (String s : List.of("2023-06-01T10:00:00Z", "2025-01-15T20:00:00Z", "2025-12-31T23:59:59Z",
        "2026-08-21T12:00:00Z", "2026-12-06T03:00:00Z")) {
      out.add(Instant.parse(s));
    }
    JsonNode prices = model.get("prices");
    if (prices.isArray()) {
      for (JsonNode c : prices) {
        JsonNode k = c.get("constraint");
        if (k == null || k.isNull()) {
          continue;
        }
        if (k.has("start_date")) {
          Instant d = LocalDate.parse(k.get("start_date").asText()).atStartOfDay(ZoneOffset.UTC).toInstant();
          out.add(d);
          out.add(d.minusSeconds(1));
        }
        if (k.has("start_time")) {
          for (String f : List.of("start_time", "end_time")) {
            LocalTime t = LocalTime.parse(k.get(f).asText().replace("Z", ""));
            Instant i = LocalDate.of(2026, 6, 1).atTime(t).toInstant(ZoneOffset.UTC);
            out.add(i);
            out.add(i.minusSeconds(1));
          }
        }
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * Input only, cached input, output only, a mix of every priced unit, and the mix just at and just
   * above each tier threshold. A unit enters a usage only where the dataset prices it, or (cache reads
   * and writes) where it prices input: a unit it does not price is free there and unpriced in finops.
   */
  static List<DsUsage> usages(JsonNode prices) {
    boolean in = has(prices, "input_mtok");
    boolean out = has(prices, "output_mtok");
    boolean cr = has(prices, "cache_read_mtok") || in;
    boolean cw = has(prices, "cache_write_mtok") || in;
    boolean ia = has(prices, "input_audio_mtok");
    boolean oa = has(prices, "output_audio_mtok");
    List<DsUsage> list = new ArrayList<>();
    if (in) {
      list.add(new DsUsage(1_000, 0, 0, 0, 0, 0));
      list.add(new DsUsage(1_000, 300, 0, 0, 0, 0));
    }
    if (out) {
      list.add(new DsUsage(0, 0, 0, 0, 1_234, 0));
    }
    TreeSet<Long> thresholds = new TreeSet<>(List.of(12_345L));
    prices.fields().forEachRemaining(e -> {
      if (e.getValue().isObject()) {
        for (JsonNode t : e.getValue().get("tiers")) {
          thresholds.add(t.get("start").asLong());
          thresholds.add(t.get("start").asLong() + 1);
        }
      }
    });
    for (long total : thresholds) {
      long cacheRead = cr ? total / 5 : 0;
      long cacheWrite = cw ? total / 7 : 0;
      long audio = ia ? total / 11 : 0;
      long uncached = in ? total - cacheRead - cacheWrite - audio : 0;
      list.add(new DsUsage(uncached + cacheRead + cacheWrite + audio, cacheRead, cacheWrite, audio,
          (out ? 2_222 : 0) + (oa ? 444 : 0), oa ? 444 : 0));
    }
    return list;
  }

  private static boolean has(JsonNode prices, String key) {
    return prices.has(key) && !prices.get(key).isNull();
  }
}
