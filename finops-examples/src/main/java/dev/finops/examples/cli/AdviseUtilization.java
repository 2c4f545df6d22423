package dev.finops.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.advisor.GpuSeries;
import dev.finops.advisor.UtilizationAdvice;
import dev.finops.advisor.UtilizationAdvisor;
import dev.finops.advisor.UtilizationColumns;
import dev.finops.advisor.UtilizationReader;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.PurchaseOption;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** {@code finops advise utilization}: idle GPUs, consolidation and right-sizing from a GPU utilization CSV. */
final class AdviseUtilization implements AdviseCommand.Subject {

  private static final String FILE = "--file";
  private static final String INSTANCE = "--instance";
  private static final String PROVIDER = "--provider";
  private static final String REGION = "--region";
  private static final String PURCHASE = "--purchase";
  private static final String IDLE_BELOW = "--idle-below";
  private static final String QUANTILE = "--quantile";
  private static final String HEADROOM = "--headroom";
  private static final String RELATIVE = "--relative-throughput";
  private static final String COLUMN = "--column";
  private static final String FRACTION = "--utilization-fraction";

  private static final ArgSpec SPEC = new ArgSpec()
      .value(FILE, INSTANCE, PROVIDER, REGION, PURCHASE, IDLE_BELOW, QUANTILE, HEADROOM)
      .repeatable(RELATIVE, COLUMN, CommonOptions.CATALOG)
      .flag(FRACTION, CommonOptions.NO_BUNDLED, CommonOptions.JSON);

  @Override
  public String name() {
    return "utilization";
  }

  @Override
  public String summary() {
    return "idle GPUs, consolidation and right-sizing from a GPU utilization CSV (DCGM-shaped)";
  }

  @Override
  public String usage() {
    return "usage: finops advise utilization --file FILE.csv --instance TYPE [--provider P] [--region R]\n"
        + "                                 [--purchase on_demand|spot|committed] [--idle-below PCT]\n"
        + "                                 [--quantile Q] [--headroom F] [--relative-throughput ACCEL=F]...\n"
        + "                                 [--column KEY=NAME]... [--utilization-fraction] [--json]\n"
        + "\n"
        + "Reads one row per GPU per sample: timestamp (ISO 8601 or epoch seconds), gpu, utilization (percent;\n"
        + "a 0-1 fraction with --utilization-fraction), memory_used_mib, and optionally memory_total_mib,\n"
        + "power_w, job, team. Rename with --column KEY=NAME (keys: time, gpu, utilization, memory_used,\n"
        + "memory_total, power, job, team), e.g. --column utilization=DCGM_FI_DEV_GPU_UTIL.\n"
        + "Each GPU is sized by its Q utilization quantile (default 0.95) and its peak memory, plus headroom\n"
        + "F (default 0.10). Idle GPUs (quantile at or below PCT, default 5) are released; the others are\n"
        + "packed onto as few GPUs as fit (optimal up to 14 GPUs of a memory size, first-fit decreasing\n"
        + "beyond); a GPU left alone moves to a MIG slice or, with --relative-throughput L4-24GB=0.3 (the\n"
        + "share of this GPU's throughput one L4 gives), to a cheaper GPU of the same provider and region.\n"
        + "Savings: the catalog's price of the instance (per GPU) at the last sample, over 730 hours.\n"
        + "\n"
        + "options:\n"
        + CommonOptions.optionsHelpWithoutAt(
            FILE + " FILE.csv", "the utilization samples",
            INSTANCE + " TYPE", "the catalog instance type the GPUs run on (p4d.24xlarge)",
            PROVIDER + " P", "its provider (default: the first match)",
            REGION + " R", "its region (default: the first match)",
            PURCHASE + " OPTION", "on_demand (default), spot or committed",
            IDLE_BELOW + " PCT", "idle threshold, percent (default 5)",
            QUANTILE + " Q", "utilization quantile to size by, (0, 1] (default 0.95)",
            HEADROOM + " F", "headroom on compute and memory (default 0.10)",
            RELATIVE + " ACCEL=F", "consider accelerator ACCEL at F of this GPU's throughput; repeatable",
            COLUMN + " KEY=NAME", "the CSV column for KEY; repeatable",
            FRACTION, "the utilization column is a fraction 0-1 (DCGM_FI_PROF_SM_ACTIVE)");
  }

  @Override
  public int run(List<String> argList, PrintStream out, PrintStream err) {
    Args args = SPEC.parse(argList);
    String file = args.required(FILE);
    PurchaseOption option = purchase(args.value(PURCHASE));
    UtilizationColumns columns = UtilizationColumns.DEFAULTS.withFraction(args.flag(FRACTION));
    for (String c : args.values(COLUMN)) {
      String[] kv = keyValue(COLUMN, c);
      try {
        columns = columns.with(kv[0], kv[1]);
      } catch (IllegalArgumentException e) {
        throw Args.invalid(COLUMN, e.getMessage(), c);
      }
    }
    AdviseCommand.Target target = AdviseCommand.target(args, err, args.required(INSTANCE), PROVIDER, REGION);
    GpuInstance instance = target.instance();
    UtilizationAdvisor.Builder builder =
        UtilizationAdvisor.builder(target.candidates(), instance).purchaseOption(option);
    try {
      if (args.has(IDLE_BELOW)) {
        builder.idleBelowPercent(args.decimal(IDLE_BELOW));
      }
      if (args.has(QUANTILE)) {
        builder.quantile(args.decimal(QUANTILE).doubleValue());
      }
      if (args.has(HEADROOM)) {
        builder.headroom(args.decimal(HEADROOM));
      }
      for (String r : args.values(RELATIVE)) {
        String[] kv = keyValue(RELATIVE, r);
        builder.relativeThroughput(kv[0], Args.parseDecimal(RELATIVE, kv[1]));
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    List<GpuSeries> series = UtilizationReader.read(Path.of(file), columns);
    UtilizationAdvice advice;
    try {
      advice = builder.build().advise(series);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.NO_PRICE, e.getMessage());
    }
    if (CommonOptions.json(args)) {
      Formats.printJson(out, json(advice, file));
    } else {
      print(advice, file, out);
    }
    return ExitCode.OK;
  }

  static PurchaseOption purchase(String value) {
    if (value == null) {
      return PurchaseOption.ON_DEMAND;
    }
    for (PurchaseOption o : PurchaseOption.values()) {
      if (o.jsonName().equals(value.replace('-', '_'))) {
        return o;
      }
    }
    throw Args.invalid(PURCHASE, "not on_demand, spot or committed", value);
  }

  static String[] keyValue(String option, String text) {
    int eq = text.indexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw Args.invalid(option, "not KEY=VALUE", text);
    }
    return new String[] {text.substring(0, eq).strip(), text.substring(eq + 1).strip()};
  }

  private static void print(UtilizationAdvice a, String file, PrintStream out) {
    GpuInstance g = a.instance();
    out.println("GPU utilization advice for " + file + ": " + a.gpus().size() + " GPUs of " + g + " (" + g.accelerator()
        + "), " + a.purchaseOption().jsonName() + ", " + a.perGpuHour().amount(6).toPlainString() + " "
        + a.perGpuHour().currency().getCurrencyCode() + " per GPU-hour");
    out.println("window " + Instant.ofEpochMilli(a.windowStartMillis()) + " to " + Instant.ofEpochMilli(a.windowEndMillis())
        + "; the GPUs cost " + AdviseCommand.amount(a.fleetMonthlyCost()) + " a month");
    out.println();
    out.println(String.format(Locale.ROOT, "%-16s %9s %7s %7s %10s %10s  %-12s %s", "gpu", "samples", "mean%",
        "q%", "peak MiB", "total MiB", "verdict", "jobs"));
    for (UtilizationAdvice.GpuFinding f : a.gpus()) {
      out.println(String.format(Locale.ROOT, "%-16s %9d %7.1f %7.1f %10.0f %10.0f  %-12s %s", f.gpu(), f.samples(),
          f.meanUtilizationPercent(), f.quantileUtilizationPerMille() / 10.0, f.peakMemoryMib(), f.memoryTotalMib(),
          f.verdict(), String.join(",", f.jobs())));
    }
    out.println();
    AdviseCommand.printRecommendations(out, a.recommendations(), a.totalMonthlySaving(), a.fleetMonthlyCost(),
        "the GPUs' cost");
    if (!a.packingOptimal()) {
      out.println("(consolidation by first-fit decreasing: a better packing may exist)");
    }
  }

  private static ObjectNode json(UtilizationAdvice a, String file) {
    ObjectNode o = Formats.object();
    o.put("file", file);
    o.put("provider", a.instance().provider());
    o.put("region", a.instance().region());
    o.put("instance", a.instance().instanceType());
    o.put("accelerator", a.instance().accelerator());
    o.put("purchase_option", a.purchaseOption().jsonName());
    o.put("per_gpu_hour", Formats.money(a.perGpuHour()));
    o.put("currency", a.perGpuHour().currency().getCurrencyCode());
    o.put("hours_per_month", dev.finops.advisor.Advisor.HOURS_PER_MONTH);
    o.put("window_start", Instant.ofEpochMilli(a.windowStartMillis()).toString());
    o.put("window_end", Instant.ofEpochMilli(a.windowEndMillis()).toString());
    o.put("monthly_cost", Formats.money(a.fleetMonthlyCost()));
    o.put("total_monthly_saving", Formats.money(a.totalMonthlySaving()));
    o.put("packing_optimal", a.packingOptimal());
    ArrayNode gpus = o.putArray("gpus");
    for (UtilizationAdvice.GpuFinding f : a.gpus()) {
      ObjectNode j = gpus.addObject();
      j.put("gpu", f.gpu());
      j.put("samples", f.samples());
      j.put("mean_utilization_percent", Formats.decimal(BigDecimal.valueOf(f.meanUtilizationPercent())));
      j.put("quantile_utilization_percent", Formats.decimal(BigDecimal.valueOf(f.quantileUtilizationPerMille(), 1)));
      j.put("peak_memory_mib", Formats.decimal(BigDecimal.valueOf(f.peakMemoryMib())));
      j.put("memory_total_mib", Formats.decimal(BigDecimal.valueOf(f.memoryTotalMib())));
      j.put("compute_demand_percent", Formats.decimal(BigDecimal.valueOf(f.computeDemandPerMille(), 1)));
      j.put("memory_demand_mib", f.memoryDemandMib());
      ArrayNode jobs = j.putArray("jobs");
      f.jobs().forEach(jobs::add);
      ArrayNode teams = j.putArray("teams");
      f.teams().forEach(teams::add);
      j.put("verdict", f.verdict());
    }
    AdviseCommand.recommendationsJson(o, a.recommendations());
    return o;
  }
}
