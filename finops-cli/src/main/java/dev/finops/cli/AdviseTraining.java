package dev.finops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.advisor.SpotRisk;
import dev.finops.advisor.TrainingPlanner;
import dev.finops.core.catalog.GpuInstance;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code finops advise training}: every catalog instance × purchase option × count ranked by expected cost. */
@Command(name = "training", description = {
    "a training run's instance type, count and purchase option ranked by expected cost", "",
    "Compute is 6·N·D FLOPs; the training state, N × B bytes (default 16: mixed-precision Adam) × (1 + A) (default "
        + "0.2 for activations), is sharded over the GPUs, which gives each instance type its fewest instances; every "
        + "count from there to K (default 8) is planned. Time = FLOPs / (GPUs × T × U), U (default 0.4) the model "
        + "FLOPs utilization, perfect scaling assumed. Only accelerators whose dense peak TFLOP/s you give "
        + "(--peak-tflops H100-80GB=989, as the catalog names them) are planned. Spot adds its expected lost work at "
        + "the Young/Daly interval for the band's interruption rate (default 5-10%%), checkpoints of C seconds "
        + "(default 300) and restarts of R (default 600). Time is billed in whole seconds; costs are exact. Prints the "
        + "T cheapest (default 10) beside the naive pick: the lowest hourly on-demand price that fits."})
final class AdviseTraining extends AdviseCommand.Subject {

  private static final String PEAK = "--peak-tflops";

  @Option(names = "--parameters", paramLabel = "N", required = true, converter = Magnitude.class,
      description = "model parameters (8e9 or 8000000000)")
  double parameters;

  @Option(names = "--tokens", paramLabel = "D", required = true, converter = Magnitude.class,
      description = "training tokens")
  double tokens;

  @Option(names = PEAK, paramLabel = "ACCEL=T", required = true,
      description = "dense peak TFLOP/s of one ACCEL GPU at the training precision; repeatable")
  List<String> peaks = new ArrayList<>();

  @Option(names = "--mfu", paramLabel = "U", converter = Converters.Decimal.class,
      description = "model FLOPs utilization (default 0.4)")
  BigDecimal mfu;

  @Option(names = "--bytes-per-parameter", paramLabel = "B", converter = Converters.Decimal.class,
      description = "bytes of training state per parameter (default 16)")
  BigDecimal bytesPerParameter;

  @Option(names = "--activation-overhead", paramLabel = "A", converter = Converters.Decimal.class,
      description = "activation memory on top, as a share (default 0.2)")
  BigDecimal activationOverhead;

  @Option(names = "--max-instances", paramLabel = "K", converter = Converters.Positive.class,
      description = "most instances to plan (default 8)")
  int maxInstances = 8;

  @Option(names = "--checkpoint-seconds", paramLabel = "C", converter = Converters.Decimal.class,
      description = "seconds to write a checkpoint (default 300)")
  BigDecimal checkpointSeconds;

  @Option(names = "--restart-seconds", paramLabel = "R", converter = Converters.Decimal.class,
      description = "seconds to restart after an interruption (default 600)")
  BigDecimal restartSeconds;

  @Option(names = "--spot-band", paramLabel = "BAND", converter = AdviseSpot.BandConverter.class,
      description = "spot interruption band: <5%%, 5-10%%, 10-15%%, 15-20%%, >20%% (default 5-10%%)")
  SpotRisk.Band band;

  @Option(names = "--provider", paramLabel = "P", description = "only this provider's instance types")
  String provider;

  @Option(names = "--top", paramLabel = "T", converter = Converters.Positive.class,
      description = "plans to print (default 10)")
  int top = 10;

  @Mixin
  CommonOptions.Catalogs catalogs;

  @Mixin
  CommonOptions.Json json;

  /** A positive number, exponent allowed ({@code 8e9}): a count of parameters or tokens, not an amount. */
  static final class Magnitude implements ITypeConverter<Double> {
    @Override
    public Double convert(String v) {
      BigDecimal d;
      try {
        d = new BigDecimal(v.trim());
      } catch (NumberFormatException e) {
        throw Converters.invalid("not a number (8e9 or 8000000000)", v);
      }
      if (d.signum() <= 0) {
        throw Converters.invalid("must be positive", v);
      }
      return d.doubleValue();
    }
  }

  @Override
  int advise() {
    TrainingPlanner.Builder b;
    try {
      b = TrainingPlanner.builder(parameters, tokens);
      for (String p : peaks) {
        String[] kv = AdviseCommand.keyValue(PEAK, p);
        b.peakTflops(kv[0], Converters.decimal(PEAK, kv[1]).doubleValue());
      }
      if (mfu != null) {
        b.mfu(mfu.doubleValue());
      }
      if (bytesPerParameter != null) {
        b.bytesPerParameter(bytesPerParameter.doubleValue());
      }
      if (activationOverhead != null) {
        b.activationOverhead(activationOverhead.doubleValue());
      }
      b.maxInstances(maxInstances);
      if (checkpointSeconds != null) {
        b.checkpointSeconds(checkpointSeconds.doubleValue());
      }
      if (restartSeconds != null) {
        b.restartSeconds(restartSeconds.doubleValue());
      }
      if (band != null) {
        b.interruptionsPerInstanceHour(band.ratePerHour());
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    List<GpuInstance> catalog = new ArrayList<>();
    for (GpuInstance g : AdviseCommand.catalogInstances(catalogs, err)) {
      if (provider == null || g.provider().equalsIgnoreCase(provider)) {
        catalog.add(g);
      }
    }
    TrainingPlanner.Result r;
    try {
      r = b.build().plan(catalog, System.currentTimeMillis());
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.NO_PRICE, e.getMessage());
    }
    if (json.json) {
      Formats.printJson(out, json(r, top));
    } else {
      print(r, top, out);
    }
    return ExitCode.OK;
  }

  private static void print(TrainingPlanner.Result r, int top, PrintStream out) {
    out.println(String.format(Locale.ROOT, "Training plan: %.3g FLOPs (6·N·D), %.1f GB of training state; %d plans",
        r.flops(), r.memoryBytes() / 1e9, r.ranked().size()));
    out.println();
    out.println(String.format(Locale.ROOT, "%4s  %-48s %10s %9s %14s %16s", "rank", "plan", "hours", "spot loss",
        "per hour", "expected cost"));
    for (int i = 0; i < Math.min(top, r.ranked().size()); i++) {
      row(out, i + 1, r.ranked().get(i));
    }
    int naiveRank = r.ranked().indexOf(r.naive()) + 1;
    out.println("naive pick (lowest hourly on-demand price that fits):");
    row(out, naiveRank, r.naive());
    TrainingPlanner.Plan best = r.ranked().get(0);
    out.println();
    out.println("the cheapest plan saves " + AdviseCommand.amount(r.naive().expectedCost().minus(best.expectedCost()))
        + " per run against the naive pick");
    out.println("assumption: perfect scaling at the given MFU and peak; spot loss at the Young/Daly interval");
  }

  private static void row(PrintStream out, int rank, TrainingPlanner.Plan p) {
    out.println(String.format(Locale.ROOT, "%4d  %-48s %10.2f %8s%% %14s %16s", rank, p.describe(), p.hours(),
        p.lostWorkShare().movePointRight(2).stripTrailingZeros().toPlainString(), p.hourly().amount(4).toPlainString(),
        AdviseCommand.amount(p.expectedCost())));
  }

  private static ObjectNode json(TrainingPlanner.Result r, int top) {
    ObjectNode o = Formats.object();
    o.put("flops", r.flops());
    o.put("memory_bytes", r.memoryBytes());
    o.put("plans", r.ranked().size());
    ArrayNode ranked = o.putArray("ranked");
    for (int i = 0; i < Math.min(top, r.ranked().size()); i++) {
      plan(ranked.addObject(), i + 1, r.ranked().get(i));
    }
    plan(o.putObject("naive"), r.ranked().indexOf(r.naive()) + 1, r.naive());
    o.put("saving_vs_naive", Formats.money(r.naive().expectedCost().minus(r.ranked().get(0).expectedCost())));
    return o;
  }

  private static void plan(ObjectNode j, int rank, TrainingPlanner.Plan p) {
    j.put("rank", rank);
    j.put("provider", p.instance().provider());
    j.put("region", p.instance().region());
    j.put("instance", p.instance().instanceType());
    j.put("accelerator", p.instance().accelerator());
    j.put("purchase_option", p.option().jsonName());
    j.put("instances", p.instances());
    j.put("gpus", p.gpus());
    j.put("hours", p.hours());
    j.put("spot_lost_work_share", Formats.decimal(p.lostWorkShare()));
    j.put("billed_seconds", p.billedSeconds());
    j.put("hourly", Formats.money(p.hourly()));
    j.put("expected_cost", Formats.money(p.expectedCost()));
    j.put("currency", p.expectedCost().currency().getCurrencyCode());
  }
}
