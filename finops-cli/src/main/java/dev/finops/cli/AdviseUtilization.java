package dev.finops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.advisor.GpuSeries;
import dev.finops.advisor.UtilizationAdvice;
import dev.finops.advisor.UtilizationAdvisor;
import dev.finops.advisor.UtilizationColumns;
import dev.finops.advisor.UtilizationReader;
import dev.finops.core.catalog.GpuInstance;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code finops advise utilization}: idle GPUs, consolidation and right-sizing from a GPU utilization CSV. */
@Command(name = "utilization", description = {
    "idle GPUs, consolidation and right-sizing from a GPU utilization CSV (DCGM-shaped)", "",
    "Reads one row per GPU per sample: timestamp (ISO 8601 or epoch seconds), gpu, utilization (percent; a 0-1 "
        + "fraction with --utilization-fraction), memory_used_mib, and optionally memory_total_mib, power_w, job, "
        + "team. Rename with --column KEY=NAME (keys: time, gpu, utilization, memory_used, memory_total, power, job, "
        + "team), e.g. --column utilization=DCGM_FI_DEV_GPU_UTIL. Each GPU is sized by its Q utilization quantile "
        + "(default 0.95) and its peak memory, plus headroom F (default 0.10). Idle GPUs (quantile at or below PCT, "
        + "default 5) are released; the others are packed onto as few GPUs as fit (optimal up to 14 GPUs of a memory "
        + "size, first-fit decreasing beyond); a GPU left alone moves to a MIG slice or, with --relative-throughput "
        + "L4-24GB=0.3 (the share of this GPU's throughput one L4 gives), to a cheaper GPU of the same provider and "
        + "region. Savings: the catalog's price of the instance (per GPU) at the last sample, over 730 hours."})
final class AdviseUtilization extends AdviseCommand.Subject {

  private static final String COLUMN = "--column";
  private static final String RELATIVE = "--relative-throughput";

  @Option(names = "--file", paramLabel = "FILE.csv", required = true, description = "the utilization samples")
  String file;

  @Option(names = "--instance", paramLabel = "TYPE", required = true,
      description = "the catalog instance type the GPUs run on (p4d.24xlarge)")
  String instance;

  @Mixin
  AdviseCommand.Fleet fleet;

  @Option(names = "--idle-below", paramLabel = "PCT", converter = Converters.Decimal.class,
      description = "idle threshold, percent (default 5)")
  BigDecimal idleBelow;

  @Option(names = "--quantile", paramLabel = "Q", converter = Converters.Decimal.class,
      description = "utilization quantile to size by, (0, 1] (default 0.95)")
  BigDecimal quantile;

  @Option(names = "--headroom", paramLabel = "F", converter = Converters.Decimal.class,
      description = "headroom on compute and memory (default 0.10)")
  BigDecimal headroom;

  @Option(names = RELATIVE, paramLabel = "ACCEL=F",
      description = "consider accelerator ACCEL at F of this GPU's throughput; repeatable")
  List<String> relative = new ArrayList<>();

  @Option(names = COLUMN, paramLabel = "KEY=NAME", description = "the CSV column for KEY; repeatable")
  List<String> renames = new ArrayList<>();

  @Option(names = "--utilization-fraction",
      description = "the utilization column is a fraction 0-1 (DCGM_FI_PROF_SM_ACTIVE)")
  boolean fraction;

  @Mixin
  CommonOptions.Catalogs catalogs;

  @Mixin
  CommonOptions.Json json;

  @Override
  int advise() {
    UtilizationColumns columns = UtilizationColumns.DEFAULTS.withFraction(fraction);
    for (String c : renames) {
      String[] kv = AdviseCommand.keyValue(COLUMN, c);
      try {
        columns = columns.with(kv[0], kv[1]);
      } catch (IllegalArgumentException e) {
        throw Converters.invalid(COLUMN, e.getMessage(), c);
      }
    }
    AdviseCommand.Target target = fleet.target(catalogs, err, instance);
    UtilizationAdvisor.Builder builder =
        UtilizationAdvisor.builder(target.candidates(), target.instance()).purchaseOption(fleet.purchase);
    try {
      if (idleBelow != null) {
        builder.idleBelowPercent(idleBelow);
      }
      if (quantile != null) {
        builder.quantile(quantile.doubleValue());
      }
      if (headroom != null) {
        builder.headroom(headroom);
      }
      for (String r : relative) {
        String[] kv = AdviseCommand.keyValue(RELATIVE, r);
        builder.relativeThroughput(kv[0], Converters.decimal(RELATIVE, kv[1]));
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
    if (json.json) {
      Formats.printJson(out, json(advice, file));
    } else {
      print(advice, file, out);
    }
    return ExitCode.OK;
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
