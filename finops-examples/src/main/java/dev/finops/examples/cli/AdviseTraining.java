package dev.finops.examples.cli;

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

/** {@code finops advise training}: every catalog instance × purchase option × count ranked by expected cost. */
final class AdviseTraining implements AdviseCommand.Subject {

  private static final String PARAMETERS = "--parameters";
  private static final String TOKENS = "--tokens";
  private static final String PEAK = "--peak-tflops";
  private static final String MFU = "--mfu";
  private static final String BYTES = "--bytes-per-parameter";
  private static final String ACTIVATIONS = "--activation-overhead";
  private static final String MAX = "--max-instances";
  private static final String CHECKPOINT = "--checkpoint-seconds";
  private static final String RESTART = "--restart-seconds";
  private static final String BAND = "--spot-band";
  private static final String PROVIDER = "--provider";
  private static final String TOP = "--top";

  private static final ArgSpec SPEC = new ArgSpec()
      .value(PARAMETERS, TOKENS, MFU, BYTES, ACTIVATIONS, MAX, CHECKPOINT, RESTART, BAND, PROVIDER, TOP)
      .repeatable(PEAK, CommonOptions.CATALOG)
      .flag(CommonOptions.NO_BUNDLED, CommonOptions.JSON);

  @Override
  public String name() {
    return "training";
  }

  @Override
  public String summary() {
    return "a training run's instance type, count and purchase option ranked by expected cost";
  }

  @Override
  public String usage() {
    return "usage: finops advise training --parameters N --tokens D --peak-tflops ACCEL=T... [--mfu U]\n"
        + "                              [--bytes-per-parameter B] [--activation-overhead A] [--max-instances K]\n"
        + "                              [--checkpoint-seconds C] [--restart-seconds R] [--spot-band BAND]\n"
        + "                              [--provider P] [--top T] [--json]\n"
        + "\n"
        + "Compute is 6·N·D FLOPs; the training state, N × B bytes (default 16: mixed-precision Adam) × (1 + A)\n"
        + "(default 0.2 for activations), is sharded over the GPUs, which gives each instance type its fewest\n"
        + "instances; every count from there to K (default 8) is planned. Time = FLOPs / (GPUs × T × U), U\n"
        + "(default 0.4) the model FLOPs utilization, perfect scaling assumed. Only accelerators whose dense\n"
        + "peak TFLOP/s you give (--peak-tflops H100-80GB=989, as the catalog names them) are planned. Spot adds\n"
        + "its expected lost work at the Young/Daly interval for the band's interruption rate (default 5-10%),\n"
        + "checkpoints of C seconds (default 300) and restarts of R (default 600). Time is billed in whole\n"
        + "seconds; costs are exact. Prints the T cheapest (default 10) beside the naive pick: the lowest\n"
        + "hourly on-demand price that fits.\n"
        + "\n"
        + "options:\n"
        + CommonOptions.optionsHelpWithoutAt(
            PARAMETERS + " N", "model parameters (8e9 or 8000000000)",
            TOKENS + " D", "training tokens",
            PEAK + " ACCEL=T", "dense peak TFLOP/s of one ACCEL GPU at the training precision; repeatable",
            MFU + " U", "model FLOPs utilization (default 0.4)",
            BYTES + " B", "bytes of training state per parameter (default 16)",
            ACTIVATIONS + " A", "activation memory on top, as a share (default 0.2)",
            MAX + " K", "most instances to plan (default 8)",
            CHECKPOINT + " C", "seconds to write a checkpoint (default 300)",
            RESTART + " R", "seconds to restart after an interruption (default 600)",
            BAND + " BAND", "spot interruption band: <5%, 5-10%, 10-15%, 15-20%, >20% (default 5-10%)",
            PROVIDER + " P", "only this provider's instance types",
            TOP + " T", "plans to print (default 10)");
  }

  @Override
  public int run(List<String> argList, PrintStream out, PrintStream err) {
    Args args = SPEC.parse(argList);
    double parameters = number(args, PARAMETERS);
    double tokens = number(args, TOKENS);
    if (args.values(PEAK).isEmpty()) {
      throw CliException.usage("missing required option " + PEAK + " (the dense peak TFLOP/s of the accelerators to plan)");
    }
    TrainingPlanner.Builder b;
    try {
      b = TrainingPlanner.builder(parameters, tokens);
      for (String p : args.values(PEAK)) {
        String[] kv = AdviseUtilization.keyValue(PEAK, p);
        b.peakTflops(kv[0], Args.parseDecimal(PEAK, kv[1]).doubleValue());
      }
      if (args.has(MFU)) {
        b.mfu(args.decimal(MFU).doubleValue());
      }
      if (args.has(BYTES)) {
        b.bytesPerParameter(args.decimal(BYTES).doubleValue());
      }
      if (args.has(ACTIVATIONS)) {
        b.activationOverhead(args.decimal(ACTIVATIONS).doubleValue());
      }
      b.maxInstances(args.positiveInt(MAX, 8));
      if (args.has(CHECKPOINT)) {
        b.checkpointSeconds(args.decimal(CHECKPOINT).doubleValue());
      }
      if (args.has(RESTART)) {
        b.restartSeconds(args.decimal(RESTART).doubleValue());
      }
      if (args.has(BAND)) {
        b.interruptionsPerInstanceHour(SpotRisk.Band.parse(args.value(BAND)).ratePerHour());
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    List<GpuInstance> catalog = new ArrayList<>();
    for (GpuInstance g : AdviseCommand.catalogInstances(args, err)) {
      if (!args.has(PROVIDER) || g.provider().equalsIgnoreCase(args.value(PROVIDER))) {
        catalog.add(g);
      }
    }
    TrainingPlanner.Result r;
    try {
      r = b.build().plan(catalog, System.currentTimeMillis());
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.NO_PRICE, e.getMessage());
    }
    int top = args.positiveInt(TOP, 10);
    if (CommonOptions.json(args)) {
      Formats.printJson(out, json(r, top));
    } else {
      print(r, top, out);
    }
    return ExitCode.OK;
  }

  private static double number(Args args, String option) {
    String v = args.required(option);
    try {
      BigDecimal d = new BigDecimal(v.trim());
      if (d.signum() <= 0) {
        throw Args.invalid(option, "must be positive", v);
      }
      return d.doubleValue();
    } catch (NumberFormatException e) {
      throw Args.invalid(option, "not a number (8e9 or 8000000000)", v);
    }
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
