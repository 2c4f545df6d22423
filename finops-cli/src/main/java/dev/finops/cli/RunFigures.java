package dev.finops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.Money;
import dev.finops.core.journal.AttemptSummary;
import dev.finops.core.journal.RecoveryReport;
import dev.finops.core.journal.RunJournal;
import dev.finops.core.journal.RunState;
import dev.finops.core.journal.RunTotals;
import dev.finops.core.spot.SpotEconomics;
import dev.finops.core.report.TextTable;
import dev.finops.core.report.TextTable.Align;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * A journaled training run's totals as {@code run-sim} and {@code run-report} print them, from the
 * run's journal alone: steps, GPU time, exact cost, attempts and interruptions, lost work and
 * restarts, and spot against on-demand when the run is on catalog spot capacity.
 */
final class RunFigures {

  private static final int TEXT_SCALE = 4;

  private RunFigures() {}

  /** The run's figures as JSON: amounts are exact decimal strings, GPU seconds exact numbers. */
  static ObjectNode json(RunJournal.Contents c) {
    RunState s = c.state();
    RunTotals t = s.totals();
    ObjectNode o = Formats.object();
    o.put("run_id", s.runId());
    o.put("status", status(s));
    o.put("steps", t.steps());
    o.put("epochs", t.epochs());
    o.put("samples", t.samples());
    o.put("tokens", t.tokens());
    o.put("checkpoints", t.checkpoints());
    o.put("gpu_millis", t.gpuMillis());
    seconds(o, "gpu_seconds", t.gpuMillis());
    o.put("currency", s.currency().getCurrencyCode());
    o.put("cost", s.cost().toPlainString());
    o.put("attempts", s.attempts().size());
    o.put("interruptions", s.interruptions());
    o.put("notices", s.notices());
    seconds(o, "lost_gpu_seconds", s.lostGpuMillis());
    seconds(o, "restart_gpu_seconds", s.restartGpuMillis());
    o.put("lost_work_cost", s.lostWorkCost().toPlainString());
    o.put("restart_cost", s.restartCost().toPlainString());
    SpotEconomics spot = s.spotEconomics();
    if (spot != null) {
      o.put("spot_cost", spot.spotCost().toPlainString());
      o.put("on_demand_cost", spot.onDemandCost().toPlainString());
      o.put("gross_savings", spot.grossSavings().toPlainString());
      o.put("net_savings", spot.netSavings().toPlainString());
      Formats.put(o, "net_savings_fraction", Formats.decimal(spot.netSavingsFraction(6)));
    }
    AttemptSummary last = s.lastAttempt();
    if (last != null) {
      Formats.put(o, "hardware", last.hardware());
      o.put("gpus", last.gpus());
      o.put("gpu_hourly_rate", Money.plain(last.rate()));
      o.put("started", s.start().toString());
      o.put("last_record", s.lastTime().toString());
    }
    o.put("last_seq", s.lastSeq());
    ArrayNode attempts = o.putArray("attempt_details");
    for (AttemptSummary a : s.attempts()) {
      ObjectNode n = attempts.addObject();
      n.put("attempt", a.number());
      Formats.put(n, "hardware", a.hardware());
      n.put("gpu_hourly_rate", Money.plain(a.rate()));
      Formats.put(n, "on_demand_gpu_hourly_rate", a.onDemandRate() == null ? null : Money.plain(a.onDemandRate()));
      seconds(n, "gpu_seconds", a.gpuMillis());
      seconds(n, "restart_gpu_seconds", a.restartGpuMillis());
      seconds(n, "lost_gpu_seconds", a.lostGpuMillis());
      n.put("cost", a.cost().toPlainString());
      n.put("outcome", a.outcome().name().toLowerCase(Locale.ROOT));
      if (a.notice() != null) {
        n.put("notice", a.notice().toString());
      }
    }
    ObjectNode journal = o.putObject("journal");
    RecoveryReport r = c.recovery();
    journal.put("records", r.records());
    journal.put("torn_tail_bytes", r.tornTailBytes());
    journal.put("quarantined_ranges", r.quarantined().size());
    ArrayNode findings = journal.putArray("findings");
    r.findings().forEach(findings::add);
    return o;
  }

  /** The run's figures as text. */
  static void printText(RunJournal.Contents c, PrintStream out) {
    RunState s = c.state();
    RunTotals t = s.totals();
    String cur = s.currency().getCurrencyCode();
    out.println("run " + s.runId() + ": " + status(s) + ", " + s.attempts().size() + " attempt"
        + (s.attempts().size() == 1 ? "" : "s") + ", " + s.interruptions() + " interruption"
        + (s.interruptions() == 1 ? "" : "s"));
    AttemptSummary last = s.lastAttempt();
    if (last != null && last.hardware() != null) {
      out.println("hardware: " + last.hardware() + ", " + Money.plain(last.rate()) + " " + cur + " per GPU-hour");
    }
    TextTable table = TextTable.headerless(Align.LEFT, Align.DECIMAL, Align.LEFT);
    table.addRow("steps", String.valueOf(t.steps()), "");
    table.addRow("epochs / checkpoints", t.epochs() + " / " + t.checkpoints(), "");
    table.addRow("GPU time", seconds(t.gpuMillis()), "GPU-seconds");
    table.addRow("cost", amount(s.cost()), cur);
    table.addRow("lost work", seconds(s.lostGpuMillis()), "GPU-seconds, " + amount(s.lostWorkCost()) + " " + cur);
    table.addRow("restarts", seconds(s.restartGpuMillis()), "GPU-seconds, " + amount(s.restartCost()) + " " + cur);
    SpotEconomics spot = s.spotEconomics();
    if (spot != null) {
      table.addRow("on demand, same work", amount(spot.onDemandCost()), cur + " (uninterrupted)");
      table.addRow("spot savings, net", amount(spot.netSavings()), cur + percent(spot));
    }
    out.print(table.render());
    for (String finding : c.recovery().findings()) {
      out.println("journal: " + finding);
    }
  }

  private static String status(RunState s) {
    return s.isClosed() ? "complete" : "in_progress";
  }

  private static String amount(Money m) {
    return m.amount(TEXT_SCALE).toPlainString();
  }

  private static String percent(SpotEconomics spot) {
    BigDecimal f = spot.netSavingsFraction(4);
    return f == null ? "" : " (" + f.movePointRight(2).setScale(2, RoundingMode.HALF_EVEN) + "% of on demand)";
  }

  /** GPU-milliseconds as exact seconds ({@code 1500} → {@code "1.5"}). */
  private static String seconds(long millis) {
    return Money.plain(BigDecimal.valueOf(millis, 3));
  }

  /** Puts GPU-milliseconds as an exact number of seconds: whole seconds as an integer. */
  private static void seconds(ObjectNode o, String field, long millis) {
    if (millis % 1_000 == 0) {
      o.put(field, millis / 1_000);
    } else {
      o.put(field, BigDecimal.valueOf(millis, 3).stripTrailingZeros());
    }
  }
}
