package dev.finops.cli;

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
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code finops advise spot}: interruption rates from run journals and the Young/Daly checkpoint interval. */
@Command(name = "spot", description = {
    "spot interruption rates from run journals, Young/Daly checkpoint interval, spot or on-demand", "",
    "Reads the journals of the runs under DIR (every run there, or the --run-id ones) and estimates each spot "
        + "instance type's interruption rate per instance-hour: interruptions (attempts with a notice, or ended "
        + "without closing and followed by another) over instance-hours, with a gamma prior centred on an AWS Spot "
        + "Instance Advisor band (default 5-10%%: a 7.5%% chance of reclaim per instance-month) weighing H "
        + "instance-hours (default 730), and a central P interval (default 0.9). For a run of N instances (default 1) "
        + "it gives the checkpoint interval sqrt(2 C MTBF) (Young/Daly) against today's M minutes, and says whether "
        + "on-demand is cheaper than spot with its expected lost work. R defaults to the restart time the journals "
        + "measured (0 when none)."})
final class AdviseSpot extends AdviseCommand.Subject {

  private static final String JOURNAL = "--journal";
  private static final String CHECKPOINT = "--checkpoint-seconds";
  private static final String CURRENT = "--current-interval-minutes";
  private static final String WEIGHT = "--prior-weight-hours";
  private static final String CONFIDENCE = "--confidence";

  @Option(names = JOURNAL, paramLabel = "DIR", required = true,
      description = "the journal directory (as given to TrainingRun or run-sim)")
  Path dir;

  @Option(names = "--run-id", paramLabel = "ID", description = "a run to read; repeatable (default: every run under DIR)")
  List<String> runIds = new ArrayList<>();

  @Option(names = CHECKPOINT, paramLabel = "C", required = true, converter = Converters.Decimal.class,
      description = "seconds one checkpoint takes to write")
  BigDecimal checkpoint;

  @Option(names = CURRENT, paramLabel = "M", required = true, converter = Converters.Decimal.class,
      description = "minutes between checkpoints today")
  BigDecimal current;

  @Option(names = "--restart-seconds", paramLabel = "R", converter = Converters.Decimal.class,
      description = "seconds a restart takes (default: measured)")
  BigDecimal restart;

  @Option(names = "--instances", paramLabel = "N", converter = Converters.Positive.class,
      description = "instances of the run to advise on (default 1)")
  int instances = 1;

  @Option(names = "--prior-band", paramLabel = "B", converter = BandConverter.class,
      description = "the prior's interruption band: <5%%, 5-10%%, 10-15%%, 15-20%% or >20%% (default 5-10%%)")
  SpotRisk.Band band = SpotRisk.Band.FROM_5_TO_10;

  @Option(names = WEIGHT, paramLabel = "H", converter = Converters.Decimal.class,
      description = "the prior's weight in instance-hours (default 730)")
  BigDecimal weight = BigDecimal.valueOf(730);

  @Option(names = CONFIDENCE, paramLabel = "P", converter = Converters.Probability.class,
      description = "the interval's probability (default 0.9)")
  BigDecimal confidence = new BigDecimal("0.9");

  @Mixin
  CommonOptions.Catalogs catalogs;

  @Mixin
  CommonOptions.Json json;

  /** An AWS Spot Instance Advisor interruption band: {@code <5%}, {@code 5-10%}, ... */
  static final class BandConverter implements ITypeConverter<SpotRisk.Band> {
    @Override
    public SpotRisk.Band convert(String v) {
      try {
        return SpotRisk.Band.parse(v);
      } catch (IllegalArgumentException e) {
        throw Converters.invalid(e.getMessage(), v);
      }
    }
  }

  @Override
  int advise() {
    double checkpoint = positive(this.checkpoint, CHECKPOINT);
    double current = positive(this.current, CURRENT) * 60;
    double weight = positive(this.weight, WEIGHT);
    double confidence = this.confidence.doubleValue();
    List<GpuInstance> catalog = AdviseCommand.catalogInstances(catalogs, err);
    List<RunState> runs = new ArrayList<>();
    for (String id : runIds()) {
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
      double restart = this.restart != null ? this.restart.doubleValue()
          : Double.isNaN(e.meanRestartSeconds()) ? 0 : e.meanRestartSeconds();
      GpuInstance g = catalog.stream().filter(x -> x.toString().equals(e.provider() + "/" + e.region() + "/"
          + e.instanceType())).findFirst().orElseThrow();
      try {
        advice.add(SpotAdvice.advise(est, g, instances, checkpoint, restart, current, at));
      } catch (IllegalArgumentException ex) {
        throw new CliException(ExitCode.NO_PRICE, ex.getMessage());
      }
    }
    if (json.json) {
      Formats.printJson(out, json(advice, dir));
    } else {
      print(advice, dir, runs.size(), out);
    }
    return ExitCode.OK;
  }

  private static double positive(BigDecimal d, String option) {
    if (d.signum() <= 0) {
      throw Converters.invalid(option, "must be positive", d.toPlainString());
    }
    return d.doubleValue();
  }

  private List<String> runIds() {
    if (!runIds.isEmpty()) {
      return runIds;
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
