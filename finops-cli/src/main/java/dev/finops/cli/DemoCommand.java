package dev.finops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.cli.demo.DemoAdvice;
import dev.finops.cli.demo.PlatformDemo;
import dev.finops.core.Money;
import dev.finops.core.allocation.EndpointAllocation;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.export.FocusExporter;
import dev.finops.core.ledger.WhatIf;
import dev.finops.core.report.CostReport;
import dev.finops.core.report.CostReportJson;
import dev.finops.core.report.CostReportText;
import dev.finops.core.report.TextTable;
import dev.finops.core.report.html.HtmlReport;
import dev.finops.core.report.html.ReportSections;
import dev.finops.core.spot.SpotEconomics;
import dev.finops.core.training.TrainingRunReport;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code finops demo}: one simulated day of a small AI platform (see {@link PlatformDemo}) and its
 * cost report: per team, experiment, run and model, per request and per 1k tokens, the fine-tuning
 * run's effective GPU cost and idle cost, and the self-hosted endpoint's cost per request.
 */
@Command(name = "demo", description = {
    "simulate one day of a small AI platform and print its cost report and advice", "",
    "Simulates one day for two teams on the bundled catalog: a fine-tuning run on 8 spot A100s with a measured "
        + "utilization profile, preempted twice and resumed from its journal (the report shows the work lost and what "
        + "spot saved net of it), a self-hosted inference endpoint serving requests of varied size, and API calls to "
        + "GPT-4o and Claude Sonnet 4.5 with prompt-cache hits. Prints the cost report, then the advice: the advisors "
        + "on the day's own records, applied to its ledger and re-priced line by line, with evidence and assumptions. "
        + "The same seed gives the same report."})
final class DemoCommand extends CliCommand {

  private static final String FOCUS = "--focus";
  private static final String HTML = "--html";
  /** A budget event line as the demo writes it: at, type, scope, window, threshold %, spent, reserved, limit. */
  private static final Pattern EVENT = Pattern.compile(
      "(\\S+)\\s+(\\S+)\\s+(\\S+) (\\S+)(?: at (\\S+)%)?: spent (\\S+) \\+ reserved (\\S+) of (\\S+)");
  private static final int SCALE = CostReport.PER_UNIT_SCALE;

  // The demo prices on the bundled catalog, now: no --at, no --catalog.
  @Option(names = "--seed", paramLabel = "N", converter = Converters.Count.class,
      description = "the simulation's random seed (default 42)")
  long seed = 42L;

  @Option(names = "--json",
      description = "print one JSON object instead of text (with the time series the HTML page draws)")
  boolean json;

  @Option(names = HTML, paramLabel = "FILE.html", description = {
      "also write the report as one self-contained HTML page with charts (spend over time, useful vs idle GPU cost, "
          + "cost per request, budget burn-down, the training run's cumulative cost); the same page 'finops report "
          + "--html' makes from the JSON"})
  String html;

  @Option(names = FOCUS, paramLabel = "FILE.csv", description = {
      "after the report, write the day's spend as FOCUS 1.3 rows to FILE (one row per ledger entry and usage bucket; "
          + "BilledCost adds up to the total)"})
  String focus;

  @Override
  int run() {
    PlatformDemo.Result day = PlatformDemo.run(seed);
    CostReport report = CostReport.of(day.snapshot());
    DemoAdvice.Advice advice = DemoAdvice.advise(day);
    ObjectNode json = this.json || html != null ? json(day, report) : null;
    if (json != null) {
      json.set("advice", adviceJson(advice));
    }
    if (html != null) {
      OutputFiles.write(HTML, html, w -> w.write(HtmlReport.render(json)));
    }
    if (this.json) {
      out.println(CostReportJson.write(json));
    } else {
      out.println("finops demo: one simulated day from " + PlatformDemo.DAY_START + ", seed " + seed
          + ", bundled catalog " + day.finops().pricing().catalogLayers().get(0).catalog().version());
      out.println();
      out.print(CostReportText.of(report)
          .addSection("Training run " + day.trainingRun().runId(), runTable(day.trainingRun()))
          .addSection("Self-hosted endpoint chat-small (GPU cost split over requests by tokens)",
              endpointTable(day.endpoint()))
          .addSection("Budgets at 23:59", budgetTable(day))
          .addSection("Budget events", budgetEvents(day))
          .addSection("Advice (the advisors on the day's own records, applied to its ledger and re-priced)",
              adviceText(advice))
          .render());
    }
    if (focus != null) {
      OutputFiles.write(FOCUS, focus,
          FocusExporter.builder().listPrices(day.finops().pricing()).build().export(day.snapshot())::writeCsv);
    }
    return ExitCode.OK;
  }

  /** The day as one report JSON: the cost report, the run, the endpoint, the budgets and the time series. */
  static ObjectNode json(PlatformDemo.Result day, CostReport report) {
    ObjectNode json = CostReportJson.toJson(report);
    json.put("seed", day.seed());
    json.put("day", PlatformDemo.DAY_START.toString());
    json.set("spend_over_time", ReportSections.spendOverTime(day.snapshot(), Duration.ofHours(1), 6,
        "team", "model", CostReport.RESOURCE));
    ObjectNode run = runJson(day.trainingRun());
    run.set("timeline", ReportSections.costTimeline(day.snapshot().where("run", day.trainingRun().runId()),
        Duration.ofMinutes(1)));
    json.set("training_run", run);
    ObjectNode endpoint = endpointJson(day.endpoint());
    endpoint.set("request_costs", ReportSections.distribution(
        day.endpoint().requests().stream().map(EndpointAllocation.RequestCost::cost).toList(), 24));
    json.set("endpoint", endpoint);
    json.set("budgets", budgetsJson(day));
    return json;
  }

  /** The advice: a table of lines before and after, the total, then each line's evidence and assumption. */
  static String adviceText(DemoAdvice.Advice advice) {
    WhatIf.Result r = advice.whatIf();
    TextTable t = TextTable.of(TextTable.Column.left("recommendation"), TextTable.Column.right("before"),
        TextTable.Column.right("after"), TextTable.Column.right("saving"));
    for (WhatIf.Line l : r.lines()) {
      t.addRow(l.name(), fmt(amount(l.before())), fmt(amount(l.after())), fmt(amount(l.saving())));
    }
    t.addRow("day total", fmt(amount(r.totalBefore())), fmt(amount(r.totalAfter())), fmt(amount(r.saving())));
    StringBuilder sb = new StringBuilder(t.render());
    sb.append('\n').append("saving: ").append(amount(r.saving())).append(" of ").append(amount(r.totalBefore()))
        .append(" = ").append(percent(r.savingShare(6))).append(" of the day's spend\n");
    int i = 0;
    for (WhatIf.Line l : r.lines()) {
      sb.append('\n').append(++i).append(". ").append(l.name()).append(" (").append(l.entries())
          .append(" ledger entries)\n   evidence: ").append(l.evidence()).append("\n   assumption: ")
          .append(l.assumption()).append('\n');
    }
    for (String note : advice.notes()) {
      sb.append('\n').append("no line: ").append(note);
    }
    return sb.append('\n').toString();
  }

  static ObjectNode adviceJson(DemoAdvice.Advice advice) {
    WhatIf.Result r = advice.whatIf();
    ObjectNode o = Formats.object();
    o.put("total_before", r.totalBefore().toPlainString());
    o.put("total_after", r.totalAfter().toPlainString());
    o.put("saving", r.saving().toPlainString());
    Formats.put(o, "saving_share", plain(r.savingShare(6)));
    com.fasterxml.jackson.databind.node.ArrayNode lines = o.putArray("lines");
    for (WhatIf.Line l : r.lines()) {
      ObjectNode line = lines.addObject();
      line.put("recommendation", l.name());
      line.put("evidence", l.evidence());
      line.put("assumption", l.assumption());
      line.put("entries", l.entries());
      line.put("before", l.before().toPlainString());
      line.put("after", l.after().toPlainString());
      line.put("saving", l.saving().toPlainString());
    }
    advice.notes().forEach(o.putArray("notes")::add);
    return o;
  }

  private static TextTable runTable(TrainingRunReport r) {
    TextTable t = TextTable.of(TextTable.Column.left("figure"), TextTable.Column.right("value"));
    t.addRow("hardware", r.hardware());
    t.addRow("GPUs", String.valueOf(r.gpus()));
    t.addRow("GPU-hours", r.gpuHours(2).toPlainString());
    t.addRow("steps / epochs / checkpoints", r.steps() + " / " + r.epochs() + " / " + r.checkpoints());
    t.addRow("cost", fmt(r.cost().amount(CostReport.TOTAL_SCALE)));
    t.addRow("billed per GPU-hour", fmt(r.gpuHourlyRate().amount(CostReport.TOTAL_SCALE)));
    t.addRow("measured utilization", percent(r.measuredUtilization(6)));
    t.addRow("useful cost", fmt(amount(r.usefulCost())));
    t.addRow("idle cost", fmt(amount(r.idleCost())));
    t.addRow("effective per useful GPU-hour", fmt(amount(r.effectiveCostPerUsefulGpuHour())));
    t.addRow("cost per step", fmt(r.costPerStep(SCALE)));
    t.addRow("cost per epoch", fmt(r.costPerEpoch(CostReport.TOTAL_SCALE)));
    t.addRow("cost per 1M training tokens", fmt(r.costPer1mTokens(SCALE)));
    t.addRow("samples per second per dollar", fmt(r.samplesPerSecondPerCurrencyUnit(SCALE)));
    SpotEconomics spot = r.spotEconomics();
    t.addRow("attempts / interruptions", r.attempts() + " / " + r.interruptions());
    t.addRow("GPU-hours lost to preemptions", hours(r.lostGpuMillis()));
    t.addRow("GPU-hours restarting", hours(r.restartGpuMillis()));
    t.addRow("lost work and restart cost", fmt(amount(r.lostWorkCost().plus(r.restartCost()))));
    t.addRow("same work on demand, uninterrupted", fmt(amount(spot == null ? null : spot.onDemandCost())));
    t.addRow("spot savings, net of lost work", fmt(amount(spot == null ? null : spot.netSavings())));
    return t;
  }

  private static String hours(long gpuMillis) {
    return BigDecimal.valueOf(gpuMillis).divide(BigDecimal.valueOf(3_600_000L), 2, RoundingMode.HALF_EVEN)
        .toPlainString();
  }

  private static TextTable endpointTable(EndpointAllocation e) {
    TextTable t = TextTable.of(TextTable.Column.left("figure"), TextTable.Column.right("value"));
    t.addRow("GPU cost", fmt(e.endpointCost().amount(CostReport.TOTAL_SCALE)));
    t.addRow("requests", String.valueOf(e.requestCount()));
    t.addRow("tokens", String.valueOf(e.totalTokens()));
    t.addRow("cost per request", fmt(e.costPerRequest().setScale(SCALE, RoundingMode.HALF_EVEN)));
    t.addRow("cost per 1k tokens", fmt(scaled(e.costPer1kTokens())));
    t.addRow("requests per dollar", fmt(scaled(e.requestsPerCurrencyUnit())));
    t.addRow("latency ms per dollar", fmt(scaled(e.latencyMillisPerCurrencyUnit())));
    t.addRow("request costs add up to the GPU cost", e.isConserved() ? "yes, exactly" : "NO");
    return t;
  }

  private static TextTable budgetTable(PlatformDemo.Result day) {
    TextTable t = TextTable.of(TextTable.Column.left("scope"), TextTable.Column.left("window"),
        TextTable.Column.right("limit"), TextTable.Column.right("spent"), TextTable.Column.right("remaining"),
        TextTable.Column.right("used"), TextTable.Column.right("burn/hour"));
    for (BudgetStatus b : day.budgetStatuses()) {
      t.addRow(b.scope(), b.window().toString(), fmt(b.limit().amount(2)), fmt(b.spent().amount(CostReport.TOTAL_SCALE)),
          fmt(b.remaining().amount(CostReport.TOTAL_SCALE)), percent(b.usedFraction()),
          fmt(amount(b.burnRatePerHour())));
    }
    return t;
  }

  private static String budgetEvents(PlatformDemo.Result day) {
    long[] calls = day.productCalls();
    StringBuilder sb = new StringBuilder();
    for (String e : day.budgetEvents()) {
      sb.append(e).append('\n');
    }
    sb.append('\n').append("product API calls: ").append(calls[0]).append(", throttled near the limit: ")
        .append(calls[1]).append(", denied: ").append(calls[2]).append('\n');
    for (String stop : day.stoppedSweepRuns()) {
      sb.append(stop).append('\n');
    }
    sb.append("checkpoints written by the stopped sweep runs: ").append(day.sweepStopCheckpoints()).append('\n');
    return sb.toString();
  }

  private static ObjectNode budgetsJson(PlatformDemo.Result day) {
    ObjectNode o = Formats.object();
    com.fasterxml.jackson.databind.node.ArrayNode statuses = o.putArray("statuses");
    for (BudgetStatus b : day.budgetStatuses()) {
      ObjectNode s = statuses.addObject();
      s.put("scope", b.scope());
      s.put("window", b.window().toString());
      s.put("limit", b.limit().toPlainString());
      s.put("spent", b.spent().toPlainString());
      s.put("remaining", b.remaining().toPlainString());
      s.put("reserved", b.reserved().toPlainString());
      s.put("at", b.at().toString());
      Formats.put(s, "period_start", b.periodStart() == null ? null : b.periodStart().toString());
      Formats.put(s, "period_end", b.periodEnd() == null ? null : b.periodEnd().toString());
      Formats.put(s, "burn_rate_per_hour", Formats.money(b.burnRatePerHour()));
      Formats.put(s, "projected_exhaustion", b.projectedExhaustion() == null ? null : b.projectedExhaustion().toString());
    }
    long[] calls = day.productCalls();
    o.put("product_calls", calls[0]);
    o.put("throttled_calls", calls[1]);
    o.put("denied_calls", calls[2]);
    o.put("sweep_stop_checkpoints", day.sweepStopCheckpoints());
    day.budgetEvents().forEach(o.putArray("events")::add);
    com.fasterxml.jackson.databind.node.ArrayNode points = o.putArray("event_points");
    for (String e : day.budgetEvents()) {
      Matcher m = EVENT.matcher(e.trim());
      if (m.matches()) { // the events as data: what the burn-down chart marks
        ObjectNode p = points.addObject();
        p.put("at", m.group(1));
        p.put("type", m.group(2));
        p.put("scope", m.group(3));
        p.put("window", m.group(4));
        Formats.put(p, "threshold", m.group(5));
        p.put("spent", m.group(6));
        p.put("reserved", m.group(7));
        p.put("limit", m.group(8));
      }
    }
    day.stoppedSweepRuns().forEach(o.putArray("stopped_runs")::add);
    return o;
  }

  private static ObjectNode runJson(TrainingRunReport r) {
    ObjectNode o = Formats.object();
    o.put("run_id", r.runId());
    o.put("hardware", r.hardware());
    o.put("gpus", r.gpus());
    o.put("gpu_millis", r.gpuMillis());
    o.put("steps", r.steps());
    o.put("epochs", r.epochs());
    o.put("checkpoints", r.checkpoints());
    o.put("samples", r.samples());
    o.put("tokens", r.tokens());
    o.put("cost", r.cost().toPlainString());
    o.put("gpu_hourly_rate", r.gpuHourlyRate().toPlainString());
    Formats.put(o, "measured_utilization", plain(r.measuredUtilization(6)));
    Formats.put(o, "useful_cost", r.usefulCost() == null ? null : r.usefulCost().toPlainString());
    Formats.put(o, "idle_cost", r.idleCost() == null ? null : r.idleCost().toPlainString());
    Formats.put(o, "effective_cost_per_useful_gpu_hour",
        r.effectiveCostPerUsefulGpuHour() == null ? null : r.effectiveCostPerUsefulGpuHour().toPlainString());
    Formats.put(o, "cost_per_step", plain(r.costPerStep(SCALE)));
    Formats.put(o, "cost_per_epoch", plain(r.costPerEpoch(SCALE)));
    Formats.put(o, "cost_per_1m_tokens", plain(r.costPer1mTokens(SCALE)));
    Formats.put(o, "samples_per_second_per_currency_unit", plain(r.samplesPerSecondPerCurrencyUnit(SCALE)));
    o.put("attempts", r.attempts());
    o.put("interruptions", r.interruptions());
    o.put("notices", r.notices());
    o.put("lost_gpu_millis", r.lostGpuMillis());
    o.put("restart_gpu_millis", r.restartGpuMillis());
    o.put("lost_work_cost", r.lostWorkCost().toPlainString());
    o.put("restart_cost", r.restartCost().toPlainString());
    SpotEconomics spot = r.spotEconomics();
    Formats.put(o, "on_demand_cost", spot == null ? null : spot.onDemandCost().toPlainString());
    Formats.put(o, "spot_gross_savings", spot == null ? null : spot.grossSavings().toPlainString());
    Formats.put(o, "spot_net_savings", spot == null ? null : spot.netSavings().toPlainString());
    return o;
  }

  private static ObjectNode endpointJson(EndpointAllocation e) {
    ObjectNode o = Formats.object();
    o.put("name", "chat-small");
    o.put("gpu_cost", e.endpointCost().toPlainString());
    o.put("allocated_total", e.allocatedTotal().toPlainString());
    o.put("conserved", e.isConserved());
    o.put("requests", e.requestCount());
    o.put("tokens", e.totalTokens());
    Formats.put(o, "cost_per_request", plain(e.costPerRequest()));
    Formats.put(o, "cost_per_1k_tokens", plain(e.costPer1kTokens()));
    Formats.put(o, "requests_per_currency_unit", plain(e.requestsPerCurrencyUnit()));
    Formats.put(o, "latency_ms_per_currency_unit", plain(e.latencyMillisPerCurrencyUnit()));
    return o;
  }

  private static BigDecimal amount(Money m) {
    return m == null ? null : m.amount(CostReport.TOTAL_SCALE);
  }

  private static BigDecimal scaled(BigDecimal d) {
    return d == null ? null : d.setScale(SCALE, RoundingMode.HALF_EVEN);
  }

  private static String plain(BigDecimal d) {
    return d == null ? null : Money.plain(d);
  }

  private static String fmt(BigDecimal d) {
    return d == null ? Formats.NONE : d.toPlainString();
  }

  private static String percent(BigDecimal fraction) {
    return fraction == null ? Formats.NONE : fraction.movePointRight(2).setScale(2, RoundingMode.HALF_EVEN) + "%";
  }
}
