package dev.finops.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.advisor.Recommendation;
import dev.finops.advisor.SpotAdvice;
import dev.finops.advisor.SpotRisk;
import dev.finops.core.Money;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.journal.JournalException;
import dev.finops.core.journal.RunJournal;
import dev.finops.core.journal.RunState;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** {@code finops advise spot}: interruption rates from run journals and the Young/Daly checkpoint interval. */
final class AdviseSpot implements AdviseCommand.Subject {

  private static final String JOURNAL = "--journal";
  private static final String RUN_ID = "--run-id";
  private static final String CHECKPOINT = "--checkpoint-seconds";
  private static final String RESTART = "--restart-seconds";
  private static final String INSTANCES = "--instances";
  private static final String CURRENT = "--current-interval-minutes";
  private static final String BAND = "--prior-band";
  private static final String WEIGHT = "--prior-weight-hours";
  private static final String CONFIDENCE = "--confidence";

  private static final ArgSpec SPEC = new ArgSpec()
      .value(JOURNAL, CHECKPOINT, RESTART, INSTANCES, CURRENT, BAND, WEIGHT, CONFIDENCE)
      .repeatable(RUN_ID, CommonOptions.CATALOG)
      .flag(CommonOptions.NO_BUNDLED, CommonOptions.JSON);

  @Override
  public String name() {
    return "spot";
  }

  @Override
  public String summary() {
    return "spot interruption rates from run journals, Young/Daly checkpoint interval, spot or on-demand";
  }

  @Override
  public String usage() {
    return "usage: finops advise spot --journal DIR [--run-id ID]... --checkpoint-seconds C\n"
        + "                          --current-interval-minutes M [--restart-seconds R] [--instances N]\n"
        + "                          [--prior-band <5%|5-10%|10-15%|15-20%|>20%] [--prior-weight-hours H]\n"
        + "                          [--confidence P] [--json]\n"
        + "\n"
        + "Reads the journals of the runs under DIR (every run there, or the --run-id ones) and estimates each\n"
        + "spot instance type's interruption rate per instance-hour: interruptions (attempts with a notice, or\n"
        + "ended without closing and followed by another) over instance-hours, with a gamma prior centred on an\n"
        + "AWS Spot Instance Advisor band (default 5-10%: a 7.5% chance of reclaim per instance-month) weighing\n"
        + "H instance-hours (default 730), and a central P interval (default 0.9). For a run of N instances\n"
        + "(default 1) it gives the checkpoint interval sqrt(2 C MTBF) (Young/Daly) against today's M minutes,\n"
        + "and says whether on-demand is cheaper than spot with its expected lost work. R defaults to the\n"
        + "restart time the journals measured (0 when none).\n"
        + "\n"
        + "options:\n"
        + CommonOptions.optionsHelpWithoutAt(
            JOURNAL + " DIR", "the journal directory (as given to TrainingRun or run-sim)",
            RUN_ID + " ID", "a run to read; repeatable (default: every run under DIR)",
            CHECKPOINT + " C", "seconds one checkpoint takes to write",
            CURRENT + " M", "minutes between checkpoints today",
            RESTART + " R", "seconds a restart takes (default: measured)",
            INSTANCES + " N", "instances of the run to advise on (default 1)",
            BAND + " B", "the prior's interruption band (default 5-10%)",
            WEIGHT + " H", "the prior's weight in instance-hours (default 730)",
            CONFIDENCE + " P", "the interval's probability (default 0.9)");
  }

  @Override
  public int run(List<String> argList, PrintStream out, PrintStream err) {
    Args args = SPEC.parse(argList);
    Path dir = Path.of(args.required(JOURNAL));
    double checkpoint = positive(args.requiredDecimal(CHECKPOINT), CHECKPOINT);
    double current = positive(args.requiredDecimal(CURRENT), CURRENT) * 60;
    int instances = args.positiveInt(INSTANCES, 1);
    SpotRisk.Band band;
    try {
      band = args.has(BAND) ? SpotRisk.Band.parse(args.value(BAND)) : SpotRisk.Band.FROM_5_TO_10;
    } catch (IllegalArgumentException e) {
      throw Args.invalid(BAND, e.getMessage(), args.value(BAND));
    }
    double weight = args.has(WEIGHT) ? positive(args.decimal(WEIGHT), WEIGHT) : 730;
    double confidence = args.has(CONFIDENCE) ? args.decimal(CONFIDENCE).doubleValue() : 0.9;
    if (!(confidence > 0 && confidence < 1)) {
      throw Args.invalid(CONFIDENCE, "must be between 0 and 1", args.value(CONFIDENCE));
    }
    List<GpuInstance> catalog = AdviseCommand.catalogInstances(args, err);
    List<RunState> runs = new ArrayList<>();
    for (String id : runIds(args, dir)) {
      try {
        runs.add(RunJournal.read(dir, id).state());
      } catch (JournalException | IllegalArgumentException e) {
        throw CliException.usage(JOURNAL + ": " + e.getMessage());
      }
    }
    List<SpotRisk.Exposure> exposures = SpotRisk.exposures(runs, catalog);
    if (exposures.isEmpty()) {
      throw CliException.usage(JOURNAL + ": no spot attempt of a catalog instance type in " + runs.size() + " runs under "
          + dir);
    }
    long at = System.currentTimeMillis();
    List<SpotAdvice> advice = new ArrayList<>();
    for (SpotRisk.Exposure e : exposures) {
      SpotRisk.Estimate est = SpotRisk.estimate(e, band, weight, confidence);
      double restart = args.has(RESTART) ? args.decimal(RESTART).doubleValue()
          : Double.isNaN(e.meanRestartSeconds()) ? 0 : e.meanRestartSeconds();
      GpuInstance g = catalog.stream().filter(x -> x.toString().equals(e.provider() + "/" + e.region() + "/"
          + e.instanceType())).findFirst().orElseThrow();
      try {
        advice.add(SpotAdvice.advise(est, g, instances, checkpoint, restart, current, at));
      } catch (IllegalArgumentException ex) {
        throw new CliException(ExitCode.NO_PRICE, ex.getMessage());
      }
    }
    if (CommonOptions.json(args)) {
      Formats.printJson(out, json(advice, dir));
    } else {
      print(advice, dir, runs.size(), out);
    }
    return ExitCode.OK;
  }

  private static double positive(BigDecimal d, String option) {
    if (d.signum() <= 0) {
      throw Args.invalid(option, "must be positive", d.toPlainString());
    }
    return d.doubleValue();
  }

  private static List<String> runIds(Args args, Path dir) {
    if (!args.values(RUN_ID).isEmpty()) {
      return args.values(RUN_ID);
    }
    if (!Files.isDirectory(dir)) {
      throw CliException.usage(JOURNAL + ": no such directory: '" + dir + "'");
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<String> ids = s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(id -> RunJournal.exists(dir, id)).sorted().toList();
      if (ids.isEmpty()) {
        throw CliException.usage(JOURNAL + ": no run journal under '" + dir + "'");
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void print(List<SpotAdvice> all, Path dir, int runs, PrintStream out) {
    out.println("Spot advice from " + runs + " run journals under " + dir);
    Money total = null;
    List<Recommendation> recs = new ArrayList<>();
    for (SpotAdvice a : all) {
      SpotRisk.Estimate e = a.estimate();
      out.println(String.format(Locale.ROOT, "%s: %d interruptions in %.1f instance-hours; rate %.5f/h (%.0f%% interval"
          + " %.5f to %.5f), %.1f%% a month; Young/Daly interval for %d instances: %.1f min", a.instance(),
          e.exposure().interruptions(), e.exposure().instanceHours(), e.meanPerHour(), e.confidence() * 100,
          e.lowPerHour(), e.highPerHour(), e.monthlyProbability() * 100, a.instances(), a.intervalSeconds() / 60));
      recs.addAll(a.recommendations());
      for (Recommendation r : a.recommendations()) {
        total = total == null ? r.monthlySaving() : total.plus(r.monthlySaving());
      }
    }
    out.println();
    AdviseCommand.printRecommendations(out, recs, total == null ? Money.zero(Money.USD) : total, null, null);
  }

  private static ObjectNode json(List<SpotAdvice> all, Path dir) {
    ObjectNode o = Formats.object();
    o.put("journal", dir.toString());
    o.put("hours_per_month", dev.finops.advisor.Advisor.HOURS_PER_MONTH);
    ArrayNode types = o.putArray("instance_types");
    List<Recommendation> recs = new ArrayList<>();
    for (SpotAdvice a : all) {
      SpotRisk.Estimate e = a.estimate();
      ObjectNode j = types.addObject();
      j.put("provider", e.exposure().provider());
      j.put("region", e.exposure().region());
      j.put("instance", e.exposure().instanceType());
      j.put("runs", e.exposure().runs());
      j.put("attempts", e.exposure().attempts());
      j.put("interruptions", e.exposure().interruptions());
      j.put("instance_hours", e.exposure().instanceHours());
      j.put("prior_band", e.prior().label());
      j.put("prior_weight_hours", e.priorWeightHours());
      j.put("rate_per_instance_hour", e.meanPerHour());
      j.put("rate_low", e.lowPerHour());
      j.put("rate_high", e.highPerHour());
      j.put("confidence", e.confidence());
      j.put("monthly_interruption_probability", e.monthlyProbability());
      j.put("instances", a.instances());
      j.put("checkpoint_seconds", a.checkpointSeconds());
      j.put("restart_seconds", a.restartSeconds());
      j.put("current_interval_seconds", a.currentIntervalSeconds());
      j.put("young_daly_interval_seconds", a.intervalSeconds());
      j.put("expected_loss_now", Formats.decimal(a.currentWaste()));
      j.put("expected_loss_at_interval", Formats.decimal(a.optimalWaste()));
      j.put("spot_monthly", Formats.money(a.spotMonthly()));
      j.put("on_demand_monthly", Formats.money(a.onDemandMonthly()));
      recs.addAll(a.recommendations());
    }
    AdviseCommand.recommendationsJson(o, recs);
    return o;
  }
}
