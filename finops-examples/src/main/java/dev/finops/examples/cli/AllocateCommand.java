package dev.finops.examples.cli;

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
import dev.finops.core.report.TextTable;
import dev.finops.core.report.TextTable.Align;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code finops allocate}: splits a shared asset's cost (a GPU node, an endpoint, a bill line) among
 * the tenants of a usage CSV, places the idle part by a policy, and prints the split as a table, JSON
 * or FOCUS CSV. See docs/allocation.md.
 */
final class AllocateCommand implements Command {

  private static final String ASSET_COST = "--asset-cost";
  private static final String USAGE = "--usage";
  private static final String SPLIT = "--split";
  private static final String METRIC = "--metric";
  private static final String IDLE = "--idle";
  private static final String CAPACITY = "--capacity";
  private static final String OWNER = "--owner";
  private static final String SCALE = "--scale";
  private static final String ASSET = "--asset";
  private static final String FROM = "--from";
  private static final String TO = "--to";
  private static final String FORMAT = "--format";
  private static final String OUTPUT = "--output";

  private static final List<String> SPLITS = List.of("proportional", "even", "weighted");
  private static final List<String> FORMATS = List.of("table", "json", "focus-csv");
  private static final int DEFAULT_SCALE = 2;

  private static final ArgSpec SPEC = new ArgSpec()
      .value(ASSET_COST, USAGE, SPLIT, METRIC, IDLE, CAPACITY, OWNER, SCALE, ASSET, FROM, TO, FORMAT, OUTPUT);

  @Override
  public String name() {
    return "allocate";
  }

  @Override
  public String summary() {
    return "split a shared asset's cost among tenants by usage, with idle cost";
  }

  @Override
  public String usage() {
    return "usage: finops allocate --asset-cost AMOUNT --usage FILE.csv [--split proportional|even|weighted]\n"
        + "                       [--metric gpu_seconds|utilized_gpu_seconds|tokens|requests]\n"
        + "                       [--idle share|owner|separate] [--capacity GPU_SECONDS] [--owner TENANT]\n"
        + "                       [--scale N] [--asset NAME] [--from TIME --to TIME]\n"
        + "                       [--format table|json|focus-csv] [--output FILE]\n"
        + "\n"
        + "Splits AMOUNT (USD, the asset's cost over the window) among the tenants of FILE. With a\n"
        + "capacity, the GPU time nobody used is idle cost, placed by --idle. Amounts add up to AMOUNT\n"
        + "exactly, in units of 10^-N (largest remainder; ties to the tenant first by name).\n"
        + "\n"
        + "The usage file is CSV with a header; tenant is required, the other columns optional:\n"
        + "  tenant        who used the asset\n"
        + "  gpu_seconds   wall GPU-seconds on the record's device (at most 3 decimals)\n"
        + "  utilization   measured utilization, 0.4 or 40% (empty: not measured)\n"
        + "  tokens        tokens, a whole number\n"
        + "  requests      requests, a whole number\n"
        + "  weight        a custom weight, for --split weighted\n"
        + "  gpu_fraction  the share of a GPU: 0.5, 1/7, or a MIG profile 1g.10gb = 1/7 (empty: 1)\n"
        + "  owner         true for the asset's owner, charged idle under --idle owner (empty: false)\n"
        + "A tenant may have many lines; they are added up. A bad value, a missing value or an unknown\n"
        + "column stops with exit 2 and names the file, line and column.\n"
        + "\n"
        + "options:\n"
        + CommonOptions.ownOptionsHelp(
            ASSET_COST + " AMOUNT", "the asset's cost over the window, in USD",
            USAGE + " FILE.csv", "the usage records (format above)",
            SPLIT + " S", "proportional (default: to --metric), even, or weighted (the weight column)",
            METRIC + " M", "for proportional: gpu_seconds (GPU-seconds × fraction), utilized_gpu_seconds,\n"
                + "tokens or requests (default: the first of gpu_seconds, tokens, requests\nthe file has)",
            IDLE + " P", "separate (default: an __idle__ line), share (by the split), or owner",
            CAPACITY + " S", "GPU-seconds the asset could serve in the window (GPUs × seconds);\n"
                + "without it nothing is idle",
            OWNER + " TENANT", "the owner for --idle owner (instead of an owner column)",
            SCALE + " N", "decimal places of the amounts (default: 2, cents, or as many more,\n"
                + "up to 12, as it takes for no tenant with usage to get 0)",
            ASSET + " NAME", "the asset's name (default shared-asset)",
            FROM + " TIME", "the window's start, ISO 8601 UTC (2026-11-02T00:00:00Z) or a date;\n"
                + "with " + TO + ", required for focus-csv (its ChargePeriodStart)",
            TO + " TIME", "the window's end (exclusive), as " + FROM + " (its ChargePeriodEnd)",
            FORMAT + " F", "table (default), json, or focus-csv (FOCUS 1.3 split cost rows)",
            OUTPUT + " FILE", "write to FILE instead of stdout; written whole or not at all");
  }

  @Override
  public int run(List<String> argList, PrintStream out, PrintStream err) {
    Args args = SPEC.parse(argList);
    Money cost = Money.of(args.requiredDecimal(ASSET_COST), Money.USD);
    String format = choice(args, FORMAT, FORMATS, "table");
    UsageCsv usage = readUsage(args.required(USAGE));
    SharedAsset asset = asset(args, cost, format.equals("focus-csv"));
    SharedCostAllocation allocation = allocate(args, usage, asset);
    String text;
    switch (format) {
      case "json":
        text = capture(o -> Formats.printJson(o, json(allocation, asset)));
        break;
      case "focus-csv":
        text = focusCsv(allocation);
        break;
      default:
        text = capture(o -> printTable(allocation, o));
        break;
    }
    write(args, text, out);
    return ExitCode.OK;
  }

  /**
   * At {@code --scale}; by default in cents, unless they round someone's share to nothing (19,366
   * requests sharing $40): then at the fewest places that give every tenant with usage a nonzero amount.
   */
  private static SharedCostAllocation allocate(Args args, UsageCsv usage, SharedAsset asset) {
    int scale = scale(args);
    SharedCostAllocation allocation = allocate(args, usage, asset, scale);
    while (!args.has(SCALE) && scale < Money.PRESENTATION_SCALE && roundsAShareToZero(allocation)) {
      allocation = allocate(args, usage, asset, ++scale);
    }
    return allocation;
  }

  private static SharedCostAllocation allocate(Args args, UsageCsv usage, SharedAsset asset, int scale) {
    try {
      return allocator(args, usage, scale).allocate(asset, usage.records());
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

  private static SharedCostAllocator allocator(Args args, UsageCsv usage, int scale) {
    SharedCostAllocator.Builder b = SharedCostAllocator.builder().split(split(args, usage)).idle(idle(args))
        .scale(scale);
    String owner = args.value(OWNER);
    if (owner != null) {
      try {
        b.owner(owner);
      } catch (IllegalArgumentException e) {
        throw Args.invalid(OWNER, e.getMessage(), owner);
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

  private static String choice(Args args, String option, List<String> allowed, String defaultValue) {
    String v = args.value(option);
    if (v == null) {
      return defaultValue;
    }
    if (!allowed.contains(v)) {
      throw Args.invalid(option, "not one of " + String.join(", ", allowed), v);
    }
    return v;
  }

  private static Split split(Args args, UsageCsv usage) {
    String split = choice(args, SPLIT, SPLITS, "proportional");
    if (!split.equals("proportional")) {
      if (args.has(METRIC)) {
        throw CliException.usage(METRIC + ": only goes with " + SPLIT + " proportional");
      }
      if (split.equals("weighted") && !usage.has(UsageCsv.WEIGHT)) {
        throw CliException.usage(SPLIT + " weighted: " + usage.source() + " has no weight column");
      }
      return split.equals("even") ? Split.even() : Split.weighted();
    }
    Split.Metric metric = metric(args, usage);
    String column = metric == Split.Metric.UTILIZED_GPU_TIME ? UsageCsv.GPU_SECONDS : metric.metricName();
    if (!usage.has(column)) {
      throw CliException.usage(METRIC + " " + metric.metricName() + ": " + usage.source() + " has no " + column
          + " column");
    }
    return Split.proportional(metric);
  }

  private static Split.Metric metric(Args args, UsageCsv usage) {
    String name = args.value(METRIC);
    if (name != null) {
      Split.Metric m = Split.Metric.byName(name);
      if (m == null) {
        throw Args.invalid(METRIC, "not one of gpu_seconds, utilized_gpu_seconds, tokens, requests", name);
      }
      return m;
    }
    for (Split.Metric m : List.of(Split.Metric.GPU_TIME, Split.Metric.TOKENS, Split.Metric.REQUESTS)) {
      if (usage.has(m.metricName())) {
        return m;
      }
    }
    throw CliException.usage(SPLIT + " proportional: " + usage.source()
        + " has no gpu_seconds, tokens or requests column (use " + SPLIT + " even or weighted)");
  }

  private static IdlePolicy idle(Args args) {
    String v = args.value(IDLE);
    if (v == null) {
      return IdlePolicy.SEPARATE;
    }
    IdlePolicy p = IdlePolicy.byName(v);
    if (p == null) {
      throw Args.invalid(IDLE, "not one of share, owner, separate", v);
    }
    return p;
  }

  private static int scale(Args args) {
    long n = args.count(SCALE, DEFAULT_SCALE);
    if (n > Money.PRESENTATION_SCALE) {
      throw Args.invalid(SCALE, "at most " + Money.PRESENTATION_SCALE, args.value(SCALE));
    }
    return (int) n;
  }

  private static SharedAsset asset(Args args, Money cost, boolean needsWindow) {
    String name = args.value(ASSET) == null ? "shared-asset" : args.value(ASSET);
    SharedAsset.Builder b = SharedAsset.builder(name, cost);
    Instant from = instant(args, FROM);
    Instant to = instant(args, TO);
    if ((from == null) != (to == null)) {
      throw CliException.usage(FROM + " and " + TO + ": give both or neither");
    }
    if (from == null && needsWindow) {
      throw CliException.usage(FORMAT + " focus-csv: needs " + FROM + " and " + TO
          + " (the charge period, ISO 8601 UTC)");
    }
    if (from != null) {
      if (!to.isAfter(from)) {
        throw Args.invalid(TO, "must be after " + FROM + " " + from, args.value(TO));
      }
      b.window(from, to);
    }
    BigDecimal capacity = args.decimal(CAPACITY);
    if (capacity != null) {
      if (capacity.signum() == 0 || capacity.stripTrailingZeros().scale() > 3) {
        throw Args.invalid(CAPACITY, "must be positive GPU-seconds with at most 3 decimals", args.value(CAPACITY));
      }
      try {
        b.capacityGpuMillis(capacity.movePointRight(3).longValueExact());
      } catch (ArithmeticException e) {
        throw Args.invalid(CAPACITY, "too large", args.value(CAPACITY));
      }
    }
    return b.build();
  }

  /** An ISO 8601 instant, or a date at 00:00 UTC; {@code null} when absent. */
  static Instant instant(Args args, String option) {
    String v = args.value(option);
    if (v == null) {
      return null;
    }
    try {
      return v.contains("T") ? Instant.parse(v.trim())
          : LocalDate.parse(v.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw Args.invalid(option, "not an ISO 8601 UTC time (2026-11-02T00:00:00Z) or date", v);
    }
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

  private static void write(Args args, String text, PrintStream out) {
    String file = args.value(OUTPUT);
    if (file == null) {
      out.print(text);
    } else {
      OutputFiles.write(OUTPUT, file, w -> w.write(text));
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
