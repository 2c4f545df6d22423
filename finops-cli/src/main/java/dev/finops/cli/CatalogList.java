package dev.finops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.GpuPrice;
import dev.finops.core.catalog.ModelEntry;
import dev.finops.core.catalog.ModelPrice;
import dev.finops.core.catalog.OnPremGpu;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.report.TextTable.Align;
import dev.finops.core.report.TextTable;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code finops catalog list}: what is priced, at which prices, and since when. Entries a
 * higher-precedence layer redefines (same provider and id, or same provider, region and instance
 * type) are listed once, from the layer that wins. Each section is built once as rows and printed
 * either as a text table or as a JSON array.
 */
@Command(name = "list", description = {"what is priced, at which prices, and since when", "",
    "Lists the priced models (input, cache read, cache write and output prices per 1M tokens) and GPU instances "
        + "(on-demand and spot price per instance-hour) with the date each price is valid from and the catalog layer "
        + "it comes from, and the catalogs in force with their versions."})
final class CatalogList extends CliCommand {

  @Option(names = "--provider", paramLabel = "P", description = "only this provider's models and instances")
  String provider;

  @Option(names = "--stale", paramLabel = "DAYS", converter = Converters.Count.class, description = {
      "only models due for a check: checked_on more than DAYS days before --at (or today), or never recorded"})
  Long stale;

  @Mixin
  CommonOptions common;

  /** A column: its JSON field, its text header ({@code null}: JSON only) and alignment. */
  private static final class Column {
    final String field;
    final String header;
    final Align align;

    Column(String field, String header, Align align) {
      this.field = field;
      this.header = header;
      this.align = align;
    }
  }

  private static Column col(String field, String header, Align align) {
    return new Column(field, header, align);
  }

  /** Columns every entry ends with: where its current price comes from. */
  private static final List<Column> PRICE_ORIGIN = List.of(col("currency", "currency", Align.LEFT),
      col("valid_from", "valid from", Align.LEFT), col("price_source", "source", Align.LEFT),
      col("catalog_version", null, Align.LEFT));

  private static final List<Column> MODEL_COLUMNS = columns(col("provider", "provider", Align.LEFT),
      col("id", "model", Align.LEFT), col("aliases", null, Align.LEFT),
      col("input", "input", Align.DECIMAL), col("cache_read", "cache read", Align.DECIMAL),
      col("cache_write_5m", "cache write", Align.DECIMAL), col("output", "output", Align.DECIMAL),
      col("context_tiers", null, Align.RIGHT), col("checked_on", null, Align.LEFT), col("source", null, Align.LEFT));

  private static final List<Column> GPU_COLUMNS = columns(col("provider", "provider", Align.LEFT),
      col("region", "region", Align.LEFT), col("instance_type", "instance", Align.LEFT),
      col("accelerator", "accelerator", Align.LEFT), col("gpus", "gpus", Align.RIGHT),
      col("on_demand_hourly", "on-demand", Align.DECIMAL), col("spot_hourly", "spot", Align.DECIMAL),
      col("committed_hourly", null, Align.DECIMAL));

  private static final List<Column> ON_PREM_COLUMNS = columns(col("id", "id", Align.LEFT),
      col("accelerator", "accelerator", Align.LEFT), col("gpus", "gpus", Align.RIGHT),
      col("amortized_gpu_hourly", "per GPU-hour", Align.DECIMAL), col("energy_per_kwh", "per kWh", Align.DECIMAL));

  private static List<Column> columns(Column... own) {
    List<Column> all = new ArrayList<>(Arrays.asList(own));
    all.addAll(PRICE_ORIGIN);
    return List.copyOf(all);
  }

  @Override
  int run() {
    long at = common.at();
    List<Pricing.Layer> layers = common.pricing(err).catalogLayers();

    List<Object[]> catalogs = new ArrayList<>();
    for (Pricing.Layer l : layers) {
      catalogs.add(new Object[] {l.source().jsonName(), l.catalog().version(), l.catalog().name()});
    }
    List<Object[]> models = rows(layers, PriceCatalog::models, ModelEntry::provider,
        m -> m.provider() + "/" + m.id(), provider, (m, layer) -> modelRow(m, layer, at));
    if (stale != null) {
      long days = stale;
      String due = java.time.Instant.ofEpochMilli(at).atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(days)
          .toString();
      int checked = MODEL_COLUMNS.indexOf(MODEL_COLUMNS.stream().filter(c -> c.field.equals("checked_on"))
          .findFirst().orElseThrow());
      models.removeIf(r -> r[checked] != null && ((String) r[checked]).compareTo(due) >= 0);
    }
    List<Object[]> gpus = rows(layers, PriceCatalog::gpuInstances, GpuInstance::provider,
        g -> g.provider() + "/" + g.region() + "/" + g.instanceType(), provider, (g, layer) -> gpuRow(g, layer, at));
    List<Object[]> onPrem = provider != null ? List.of()
        : rows(layers, PriceCatalog::onPremGpus, g -> null, OnPremGpu::id, null, (g, layer) -> onPremRow(g, layer, at));

    List<Column> catalogColumns = List.of(col("source", "source", Align.LEFT),
        col("catalog_version", "version", Align.LEFT), col("name", "file", Align.LEFT));
    if (common.json()) {
      ObjectNode json = Formats.object();
      common.putAt(json);
      putJson(json.putArray("catalogs"), catalogColumns, catalogs);
      putJson(json.putArray("models"), MODEL_COLUMNS, models);
      putJson(json.putArray("gpu_instances"), GPU_COLUMNS, gpus);
      putJson(json.putArray("on_prem_gpus"), ON_PREM_COLUMNS, onPrem);
      Formats.printJson(out, json);
    } else {
      printText(out, "catalogs, highest precedence first:", catalogColumns, catalogs);
      out.println();
      printText(out, "models, prices per 1M tokens:", MODEL_COLUMNS, models);
      out.println();
      printText(out, "GPU instances, prices per instance-hour:", GPU_COLUMNS, gpus);
      if (!onPrem.isEmpty()) {
        out.println();
        printText(out, "on-prem GPUs:", ON_PREM_COLUMNS, onPrem);
      }
    }
    return ExitCode.OK;
  }

  /** Builds one row of an entry found in a layer. */
  private interface RowBuilder<T> {
    Object[] row(T entry, Pricing.Layer layer);
  }

  /**
   * One row per entry of every layer, highest precedence first, leaving out entries a higher layer
   * redefines (same key, case-insensitive) and, with {@code provider}, other providers' entries.
   */
  private static <T> List<Object[]> rows(List<Pricing.Layer> layers, Function<PriceCatalog, List<T>> entries,
      Function<T, String> providerOf, Function<T, String> key, String provider, RowBuilder<T> builder) {
    List<Object[]> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Pricing.Layer layer : layers) {
      for (T e : entries.apply(layer.catalog())) {
        if ((provider == null || provider.equalsIgnoreCase(providerOf.apply(e)))
            && seen.add(key.apply(e).toLowerCase(Locale.ROOT))) {
          out.add(builder.row(e, layer));
        }
      }
    }
    // Sorted by the leading text columns (provider, id / region, instance type).
    out.sort(Comparator.comparing((Object[] r) -> String.valueOf(r[0]).toLowerCase(Locale.ROOT))
        .thenComparing(r -> String.valueOf(r[1]).toLowerCase(Locale.ROOT))
        .thenComparing(r -> String.valueOf(r[2]).toLowerCase(Locale.ROOT)));
    return out;
  }

  private static Object[] modelRow(ModelEntry m, Pricing.Layer layer, long at) {
    ModelPrice p = m.priceAt(at);
    BucketPrices b = p == null ? null : p.base();
    return withOrigin(new Object[] {m.provider(), m.id(), m.aliases(),
        price(b, UsageBucket.INPUT_UNCACHED), price(b, UsageBucket.CACHE_READ), price(b, UsageBucket.CACHE_WRITE_5M),
        price(b, UsageBucket.OUTPUT), p == null ? null : p.contextTiers().size(),
        m.checkedOn() == null ? null : m.checkedOn().toString(), m.source()},
        p == null ? null : p.currency(), p == null ? null : p.validFrom(), layer);
  }

  private static Object[] gpuRow(GpuInstance g, Pricing.Layer layer, long at) {
    GpuPrice p = g.priceAt(at);
    return withOrigin(new Object[] {g.provider(), g.region(), g.instanceType(), g.accelerator(), g.gpuCount(),
        p == null ? null : p.onDemandHourly(), p == null ? null : p.spotHourly(),
        p == null ? null : p.committedHourly()},
        p == null ? null : p.currency(), p == null ? null : p.validFrom(), layer);
  }

  private static Object[] onPremRow(OnPremGpu g, Pricing.Layer layer, long at) {
    OnPremGpu.Price p = g.priceAt(at);
    return withOrigin(new Object[] {g.id(), g.accelerator(), g.gpuCount(),
        p == null ? null : p.amortizedGpuHourly(), p == null ? null : p.energyPerKwh()},
        p == null ? null : p.currency(), p == null ? null : p.validFrom(), layer);
  }

  /** The row followed by the {@link #PRICE_ORIGIN} cells. */
  private static Object[] withOrigin(Object[] own, Currency currency, Instant validFrom, Pricing.Layer layer) {
    Object[] row = Arrays.copyOf(own, own.length + PRICE_ORIGIN.size());
    row[own.length] = currency == null ? null : currency.getCurrencyCode();
    row[own.length + 1] = Formats.date(validFrom);
    row[own.length + 2] = layer.source().jsonName();
    row[own.length + 3] = layer.catalog().version();
    return row;
  }

  /** A bucket's price after fallbacks, as the catalog wrote it. */
  private static String price(BucketPrices prices, UsageBucket bucket) {
    return prices == null ? null : Formats.price(prices.price(bucket));
  }

  /** Cells are strings, numbers, decimal prices, lists of strings, or {@code null}. */
  private static void putJson(ArrayNode array, List<Column> columns, List<Object[]> rows) {
    for (Object[] row : rows) {
      ObjectNode o = array.addObject();
      for (int i = 0; i < columns.size(); i++) {
        String field = columns.get(i).field;
        Object v = row[i];
        if (v instanceof Integer) {
          o.put(field, (Integer) v);
        } else if (v instanceof List) {
          ArrayNode list = o.putArray(field);
          ((List<?>) v).forEach(x -> list.add(String.valueOf(x)));
        } else {
          Formats.put(o, field, text(v));
        }
      }
    }
  }

  private static void printText(PrintStream out, String title, List<Column> columns, List<Object[]> rows) {
    out.println(title);
    if (rows.isEmpty()) {
      out.println("  (none)");
      return;
    }
    List<Integer> shown = new ArrayList<>();
    List<TextTable.Column> header = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).header != null) {
        shown.add(i);
        header.add(TextTable.Column.of(columns.get(i).header, columns.get(i).align));
      }
    }
    TextTable table = TextTable.of(header).noUnderline();
    for (Object[] row : rows) {
      String[] cells = new String[shown.size()];
      for (int c = 0; c < cells.length; c++) {
        cells[c] = Formats.orNone(text(row[shown.get(c)]));
      }
      table.addRow(cells);
    }
    out.print(table.render());
  }

  /** A cell as text: decimals exactly as the catalog wrote them; {@code null} stays null. */
  private static String text(Object v) {
    if (v instanceof BigDecimal) {
      return Formats.price((BigDecimal) v);
    }
    return v == null ? null : v.toString();
  }
}
