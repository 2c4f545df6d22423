package dev.finops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.Money;
import dev.finops.core.allocation.IdlePolicy;
import dev.finops.core.allocation.SharedAsset;
import dev.finops.core.allocation.SharedCostAllocation;
import dev.finops.core.allocation.SharedCostAllocator;
import dev.finops.core.allocation.Split;
import dev.finops.core.allocation.UsageCsv;
import dev.finops.core.allocation.UsageCsvException;
import dev.finops.core.export.FocusExporter;
import dev.finops.core.report.TextTable.Align;
import dev.finops.core.report.TextTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code finops allocate}: splits a shared asset's cost (a GPU node, an endpoint, a bill line) among
 * the tenants of a usage CSV, places the idle part by a policy, and prints the split as a table, JSON
 * or FOCUS CSV. See docs/allocation.md.
 */
@Command(name = "allocate", description = {"split a shared asset's cost among tenants by usage, with idle cost", "",
    "Splits AMOUNT (USD, the asset's cost over the window) among the tenants of FILE. With a capacity, the GPU time "
        + "nobody used is idle cost, placed by --idle. Amounts add up to AMOUNT exactly, in units of 10^-N (largest "
        + "remainder; ties to the tenant first by name).", "",
    "The usage file is CSV with a header; tenant is required, the other columns optional:",
    "  tenant        who used the asset",
    "  gpu_seconds   wall GPU-seconds on the record's device (at most 3 decimals)",
    "  utilization   measured utilization, 0.4 or 40%% (empty: not measured)",
    "  tokens        tokens, a whole number",
    "  requests      requests, a whole number",
    "  weight        a custom weight, for --split weighted",
    "  gpu_fraction  the share of a GPU: 0.5, 1/7, or a MIG profile 1g.10gb = 1/7 (empty: 1)",
    "  owner         true for the asset's owner, charged idle under --idle owner (empty: false)",
    "A tenant may have many lines; they are added up. A bad value, a missing value or an unknown column stops with "
        + "exit 2 and names the file, line and column."})
final class AllocateCommand extends CliCommand {

  private static final String USAGE = "--usage";
  private static final String SPLIT = "--split";
  private static final String METRIC = "--metric";
  private static final String OWNER = "--owner";
  private static final String FROM = "--from";
  private static final String TO = "--to";
  private static final String FORMAT = "--format";
  private static final String OUTPUT = "--output";
  private static final String CAPACITY = "--capacity";
  private static final String SCALE = "--scale";
  private static final int DEFAULT_SCALE = 2;

  /** How the cost is split. */
  enum SplitKind {
    PROPORTIONAL, EVEN, WEIGHTED
  }

  /** What the split is printed as. */
  enum Format {
    TABLE, JSON, FOCUS_CSV
  }

  @Option(names = "--asset-cost", paramLabel = "AMOUNT", required = true, converter = Converters.Decimal.class,
      description = "the asset's cost over the window, in USD")
  BigDecimal assetCost;

  @Option(names = USAGE, paramLabel = "FILE.csv", required = true, description = "the usage records (format above)")
  String usageFile;

  @Option(names = SPLIT, paramLabel = "S", converter = SplitConverter.class,
      description = "proportional (default: to --metric), even, or weighted (the weight column)")
  SplitKind split = SplitKind.PROPORTIONAL;

  @Option(names = METRIC, paramLabel = "M", converter = MetricConverter.class, description = {
      "for proportional: gpu_seconds (GPU-seconds × fraction), utilized_gpu_seconds, tokens or requests "
          + "(default: the first of gpu_seconds, tokens, requests the file has)"})
  Split.Metric metric;

  @Option(names = "--idle", paramLabel = "P", converter = IdleConverter.class,
      description = "separate (default: an __idle__ line), share (by the split), or owner")
  IdlePolicy idle = IdlePolicy.SEPARATE;

  @Option(names = CAPACITY, paramLabel = "S", converter = Converters.Decimal.class,
      description = "GPU-seconds the asset could serve in the window (GPUs × seconds); without it nothing is idle")
  BigDecimal capacity;

  @Option(names = OWNER, paramLabel = "TENANT",
      description = "the owner for --idle owner (instead of an owner column)")
  String owner;

  @Option(names = SCALE, paramLabel = "N", converter = Converters.Count.class, description = {
      "decimal places of the amounts (default: 2, cents, or as many more, up to 12, as it takes for no tenant "
          + "with usage to get 0)"})
  Long scale;

  @Option(names = "--asset", paramLabel = "NAME", description = "the asset's name (default shared-asset)")
  String assetName = "shared-asset";

  @Option(names = FROM, paramLabel = "TIME", converter = Converters.Time.class, description = {
      "the window's start, ISO 8601 UTC (2026-11-02T00:00:00Z) or a date; with " + TO
          + ", required for focus-csv (its ChargePeriodStart)"})
  Instant from;

  @Option(names = TO, paramLabel = "TIME", converter = Converters.Time.class,
      description = "the window's end (exclusive), as " + FROM + " (its ChargePeriodEnd)")
  Instant to;

  @Option(names = FORMAT, paramLabel = "F", converter = FormatConverter.class,
      description = "table (default), json, or focus-csv (FOCUS 1.3 split cost rows)")
  Format format = Format.TABLE;

  @Option(names = OUTPUT, paramLabel = "FILE", description = "write to FILE instead of stdout; written whole or not at all")
  String output;

  static final class SplitConverter extends Converters.Named<SplitKind> {
    SplitConverter() {
      super(SplitKind.class);
    }
  }

  static final class FormatConverter extends Converters.Named<Format> {
    FormatConverter() {
      super(Format.class);
    }
  }

  static final class MetricConverter implements ITypeConverter<Split.Metric> {
    @Override
    public Split.Metric convert(String v) {
      Split.Metric m = Split.Metric.byName(v);
      if (m == null) {
        throw Converters.invalid("not one of gpu_seconds, utilized_gpu_seconds, tokens, requests", v);
      }
      return m;
    }
  }

  static final class IdleConverter implements ITypeConverter<IdlePolicy> {
    @Override
    public IdlePolicy convert(String v) {
      IdlePolicy p = IdlePolicy.byName(v);
      if (p == null) {
        throw Converters.invalid("not one of share, owner, separate", v);
      }
      return p;
    }
  }

  @Override
  int run() {
    Money cost = Money.of(assetCost, Money.USD);
    UsageCsv usage = readUsage(usageFile);
    SharedAsset asset = asset(cost, format == Format.FOCUS_CSV);
    SharedCostAllocation allocation = allocate(usage, asset);
    String text = switch (format) {
      case JSON -> capture(o -> Formats.printJson(o, json(allocation, asset)));
      case FOCUS_CSV -> focusCsv(allocation);
      case TABLE -> capture(o -> printTable(allocation, o));
    };
    write(text);
    return ExitCode.OK;
  }

  /**
   * At {@code --scale}; by default in cents, unless they round someone's share to nothing (19,366
   * requests sharing $40): then at the fewest places that give every tenant with usage a nonzero amount.
   */
  private SharedCostAllocation allocate(UsageCsv usage, SharedAsset asset) {
    int places = scale();
    SharedCostAllocation allocation = allocate(usage, asset, places);
    while (scale == null && places < Money.PRESENTATION_SCALE && roundsAShareToZero(allocation)) {
      allocation = allocate(usage, asset, ++places);
    }
    return allocation;
  }

  private SharedCostAllocation allocate(UsageCsv usage, SharedAsset asset, int places) {
    try {
      return allocator(usage, places).allocate(asset, usage.records());
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /** True when a line with usage (a positive quantity of the split) gets 0 at the allocation's scale. */
  private static boolean roundsAShareToZero(SharedCostAllocation a) {
    for (SharedCostAllocation.Line l : a.lines()) {
      if (l.quantity().signum() > 0 && l.total().isZero()) {
        return true;
      }
    }
    return false;
  }

  private SharedCostAllocator allocator(UsageCsv usage, int places) {
    SharedCostAllocator.Builder b = SharedCostAllocator.builder().split(split(usage)).idle(idle).scale(places);
    if (owner != null) {
      try {
        b.owner(owner);
      } catch (IllegalArgumentException e) {
        throw Converters.invalid(OWNER, e.getMessage(), owner);
      }
    }
    return b.build();
  }

  private static UsageCsv readUsage(String file) {
    try {
      return UsageCsv.read(Path.of(file));
    } catch (UsageCsvException e) {
      throw CliException.usage(e.getMessage());
    } catch (NoSuchFileException e) {
      throw CliException.usage(USAGE + ": no such file: '" + file + "'");
    } catch (IOException e) {
      throw CliException.usage(USAGE + ": cannot read '" + file + "': " + e.getMessage());
    }
  }

  private Split split(UsageCsv usage) {
    if (split != SplitKind.PROPORTIONAL) {
      if (metric != null) {
        throw CliException.usage(METRIC + ": only goes with " + SPLIT + " proportional");
      }
      if (split == SplitKind.WEIGHTED && !usage.has(UsageCsv.WEIGHT)) {
        throw CliException.usage(SPLIT + " weighted: " + usage.source() + " has no weight column");
      }
      return split == SplitKind.EVEN ? Split.even() : Split.weighted();
    }
    Split.Metric m = metric(usage);
    String column = m == Split.Metric.UTILIZED_GPU_TIME ? UsageCsv.GPU_SECONDS : m.metricName();
    if (!usage.has(column)) {
      throw CliException.usage(METRIC + " " + m.metricName() + ": " + usage.source() + " has no " + column
          + " column");
    }
    return Split.proportional(m);
  }

  private Split.Metric metric(UsageCsv usage) {
    if (metric != null) {
      return metric;
    }
    for (Split.Metric m : List.of(Split.Metric.GPU_TIME, Split.Metric.TOKENS, Split.Metric.REQUESTS)) {
      if (usage.has(m.metricName())) {
        return m;
      }
    }
    throw CliException.usage(SPLIT + " proportional: " + usage.source()
        + " has no gpu_seconds, tokens or requests column (use " + SPLIT + " even or weighted)");
  }

  private int scale() {
    long n = scale == null ? DEFAULT_SCALE : scale;
    if (n > Money.PRESENTATION_SCALE) {
      throw Converters.invalid(SCALE, "at most " + Money.PRESENTATION_SCALE, n);
    }
    return (int) n;
  }

  private SharedAsset asset(Money cost, boolean needsWindow) {
    SharedAsset.Builder b = SharedAsset.builder(assetName, cost);
    if ((from == null) != (to == null)) {
      throw CliException.usage(FROM + " and " + TO + ": give both or neither");
    }
    if (from == null && needsWindow) {
      throw CliException.usage(FORMAT + " focus-csv: needs " + FROM + " and " + TO
          + " (the charge period, ISO 8601 UTC)");
    }
    if (from != null) {
      if (!to.isAfter(from)) {
        throw Converters.invalid(TO, "must be after " + FROM + " " + from, to);
      }
      b.window(from, to);
    }
    if (capacity != null) {
      if (capacity.signum() == 0 || capacity.stripTrailingZeros().scale() > 3) {
        throw Converters.invalid(CAPACITY, "must be positive GPU-seconds with at most 3 decimals",
            capacity.toPlainString());
      }
      try {
        b.capacityGpuMillis(capacity.movePointRight(3).longValueExact());
      } catch (ArithmeticException e) {
        throw Converters.invalid(CAPACITY, "too large", capacity.toPlainString());
      }
    }
    return b.build();
  }

  private static String focusCsv(SharedCostAllocation allocation) {
    StringWriter w = new StringWriter();
    try {
      FocusExporter.builder().build().export(allocation).writeCsv(w);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }

  private interface Printer {
    void print(PrintStream out);
  }

  private static String capture(Printer printer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      printer.print(o);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void write(String text) {
    if (output == null) {
      out.print(text);
    } else {
      OutputFiles.write(OUTPUT, output, w -> w.write(text));
    }
  }

  private static void printTable(SharedCostAllocation a, PrintStream out) {
    int scale = a.scale();
    String currency = a.total().currency().getCurrencyCode();
    out.println("Shared asset " + a.asset().name() + ": " + a.total().amount(scale).toPlainString() + " " + currency
        + ", split " + a.split().name() + ", idle " + a.idlePolicy().cliName());
    if (a.usedGpuSeconds() != null) {
      BigDecimal capacity = BigDecimal.valueOf(a.asset().capacityGpuMillis()).movePointLeft(3);
      out.println("capacity " + Formats.decimal(capacity) + " GPU-seconds, used "
          + Formats.decimal(a.usedGpuSeconds().setScale(3, RoundingMode.HALF_EVEN)) + " ("
          + percent(a.usedGpuSeconds().divide(capacity, 6, RoundingMode.HALF_EVEN)) + "), idle cost "
          + a.idleCost().amount(scale).toPlainString() + " " + currency);
    }
    out.println();
    TextTable t = TextTable.of(TextTable.Column.of("tenant", Align.LEFT), TextTable.Column.of(a.split().unit(), Align.DECIMAL), TextTable.Column.of("allocated", Align.DECIMAL), TextTable.Column.of("shared idle", Align.DECIMAL), TextTable.Column.of("idle", Align.DECIMAL), TextTable.Column.of("total", Align.DECIMAL), TextTable.Column.of("share", Align.RIGHT)).noUnderline();
    for (SharedCostAllocation.Line l : a.lines()) {
      t.addRow(l.tenant() + (l.usage().isOwner() ? " (owner)" : ""),
          Formats.decimal(l.quantity().setScale(Math.min(3, l.quantity().scale()), RoundingMode.HALF_EVEN)),
          l.allocated().amount(scale).toPlainString(), l.shared().amount(scale).toPlainString(),
          l.idle().amount(scale).toPlainString(), l.total().amount(scale).toPlainString(), percent(l.ratio()));
    }
    t.addRow("total", "", a.allocatedTotal().amount(scale).toPlainString(), a.sharedTotal().amount(scale).toPlainString(),
        a.idleTotal().amount(scale).toPlainString(), a.total().amount(scale).toPlainString(), "100.00%");
    out.print(t.render());
  }

  private static String percent(BigDecimal fraction) {
    return fraction.movePointRight(2).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "%";
  }

  private static ObjectNode json(SharedCostAllocation a, SharedAsset asset) {
    ObjectNode o = Formats.object();
    o.put("asset", asset.name());
    o.put("currency", a.total().currency().getCurrencyCode());
    o.put("scale", a.scale());
    o.put("split", a.split().name());
    o.put("idle_policy", a.idlePolicy().cliName());
    Formats.put(o, "owner", a.owner());
    o.put("asset_cost", Formats.money(asset.costs().effective()));
    o.put("total", Formats.money(a.total()));
    Formats.put(o, "capacity_gpu_seconds", asset.capacityGpuMillis() == null ? null
        : Formats.decimal(BigDecimal.valueOf(asset.capacityGpuMillis()).movePointLeft(3)));
    Formats.put(o, "used_gpu_seconds", Formats.decimal(a.usedGpuSeconds()));
    o.put("idle_cost", Formats.money(a.idleCost()));
    o.put("allocated_total", Formats.money(a.allocatedTotal()));
    o.put("shared_total", Formats.money(a.sharedTotal()));
    o.put("idle_total", Formats.money(a.idleTotal()));
    o.put("conserved", a.isConserved());
    ArrayNode lines = o.putArray("lines");
    for (SharedCostAllocation.Line l : a.lines()) {
      ObjectNode j = lines.addObject();
      j.put("tenant", l.tenant());
      j.put("idle_line", l.isIdleLine());
      j.put("owner", l.usage().isOwner());
      j.put("records", l.usage().records());
      j.put("quantity", Formats.decimal(l.quantity()));
      j.put("unit", l.quantityUnit());
      j.put("gpu_seconds", Formats.decimal(l.usage().gpuSeconds()));
      Formats.put(j, "utilization", Formats.decimal(l.usage().measuredUtilization()));
      j.put("tokens", l.usage().tokens());
      j.put("requests", l.usage().requests());
      j.put("allocated", Formats.money(l.allocated()));
      j.put("shared", Formats.money(l.shared()));
      j.put("idle", Formats.money(l.idle()));
      j.put("total", Formats.money(l.total()));
      j.put("ratio", Formats.decimal(l.ratio()));
    }
    return o;
  }
}
