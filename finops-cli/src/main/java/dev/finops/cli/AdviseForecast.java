package dev.finops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.advisor.DemandForecast;
import dev.finops.advisor.RequestLog;
import dev.finops.core.Money;
import dev.finops.core.pricing.Pricing;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code finops advise forecast}: requests, tokens and spend per hour ahead, backtested, and when a budget runs out. */
@Command(name = "forecast", description = {
    "requests, tokens and spend per hour ahead, backtested against seasonal-naive; budget run-out", "",
    "Counts requests, tokens and spend (each request priced exactly as model M at its time) per hour, and forecasts "
        + "the next H hours (default 168): the mean of the same hour of the week over the last K weeks (default 4; the "
        + "same hour of the day with under two weeks of history) shifted by their trend. Each series is backtested by "
        + "rolling origin (24-hour forecasts, one origin a day) against seasonal-naive (last week's value), and both "
        + "mean absolute errors are printed; the C (default 0.9) prediction interval is the backtest errors' central "
        + "quantiles. With a budget (USD), the spend from TIME (default: the first request) is subtracted and the hour "
        + "the forecast spend uses up the rest is given, with the interval's earliest and latest. Needs at least 3 "
        + "days of requests. Request columns as for 'advise endpoint'."})
final class AdviseForecast extends AdviseCommand.Subject {

  private static final String CONFIDENCE = "--confidence";
  private static final String BUDGET = "--budget";
  private static final String SINCE = "--since";

  @Option(names = "--requests", paramLabel = "FILE.csv", required = true,
      description = "the requests (timestamp, input_tokens, output_tokens)")
  String file;

  @Option(names = "--model", paramLabel = "M", required = true, description = "the model the requests are priced as")
  String model;

  @Option(names = "--provider", paramLabel = "P", description = "its provider")
  String provider;

  @Option(names = "--horizon-hours", paramLabel = "H", converter = Converters.Positive.class,
      description = "hours to forecast (default 168)")
  int horizon = 168;

  @Option(names = "--weeks", paramLabel = "K", converter = Converters.Positive.class,
      description = "past weeks (or days) averaged (default 4)")
  int weeks = 4;

  @Option(names = CONFIDENCE, paramLabel = "C", converter = Converters.Probability.class,
      description = "prediction interval probability (default 0.9)")
  BigDecimal confidence = new BigDecimal("0.9");

  @Option(names = BUDGET, paramLabel = "AMOUNT", converter = Converters.Decimal.class,
      description = "a budget in USD to forecast the exhaustion of")
  BigDecimal budget;

  @Option(names = SINCE, paramLabel = "TIME", converter = Converters.Time.class,
      description = "the budget's start, ISO 8601 UTC or a date (default: the first request)")
  Instant since;

  @Mixin
  AdviseEndpoint.RequestColumns columns;

  @Mixin
  CommonOptions.Catalogs catalogs;

  @Mixin
  CommonOptions.Json json;

  @Override
  int advise() {
    RequestLog.Columns columns = this.columns.columns();
    Money budget = this.budget == null ? null : Money.of(this.budget, Money.USD);
    if (since != null && budget == null) {
      throw CliException.usage(SINCE + " only goes with " + BUDGET);
    }
    Pricing pricing = catalogs.pricing(err);
    RequestLog log = RequestLog.read(Path.of(file), columns);
    DemandForecast.Result r;
    try {
      r = DemandForecast.forecast(log, pricing, provider, model, horizon, weeks, confidence.doubleValue(), budget,
          since == null ? Long.MIN_VALUE : since.toEpochMilli());
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    if (json.json) {
      Formats.printJson(out, json(r, file, model));
    } else {
      print(r, file, model, out);
    }
    return ExitCode.OK;
  }

  private static void print(DemandForecast.Result r, String file, String model, PrintStream out) {
    int n = r.requests().history().length;
    out.println("Forecast from " + file + ": " + n + " hours from " + Instant.ofEpochMilli(r.startMillis()) + ", priced as "
        + model + "; next " + r.horizonHours() + " h from " + Instant.ofEpochMilli(r.forecastStartMillis()));
    Money total = r.hourlySpend().stream().reduce(Money::plus).orElseThrow();
    out.println("spend in the history: " + AdviseCommand.amount(total) + " (exact)");
    out.println();
    out.println(String.format(Locale.ROOT, "%-9s %16s %16s %20s %12s %12s", "series", "last " + Math.min(n, r.horizonHours())
        + " h", "next " + r.horizonHours() + " h", (int) Math.round(r.confidence() * 100) + "% per-hour band",
        "MAE model", "MAE naive"));
    for (DemandForecast.Series s : List.of(r.requests(), r.tokens(), r.spend())) {
      double last = 0;
      for (int i = Math.max(0, n - r.horizonHours()); i < n; i++) {
        last += s.history()[i];
      }
      out.println(String.format(Locale.ROOT, "%-9s %16.2f %16.2f %9.2f to %8.2f %12.3f %12.3f", s.name(), last,
          DemandForecast.total(s.point()), DemandForecast.total(s.low()), DemandForecast.total(s.high()), s.modelMae(),
          s.naiveMae()));
    }
    out.println("(backtest: " + r.requests().backtestOrigins() + " rolling origins of 24 h; the band adds up the per-hour"
        + " intervals)");
    DemandForecast.Exhaustion ex = r.exhaustion();
    if (ex != null) {
      out.println();
      out.println("budget " + AdviseCommand.amount(ex.budget()) + ": spent " + AdviseCommand.amount(ex.spent()) + ", left "
          + AdviseCommand.amount(ex.remaining()));
      out.println("runs out: " + time(ex.pointMillis(), r) + " (earliest " + time(ex.earliestMillis(), r) + ", latest "
          + time(ex.latestMillis(), r) + ")");
    }
  }

  private static String time(Long millis, DemandForecast.Result r) {
    return millis == null ? "not within " + r.horizonHours() + " h" : Instant.ofEpochMilli(millis).toString();
  }

  private static ObjectNode json(DemandForecast.Result r, String file, String model) {
    ObjectNode o = Formats.object();
    o.put("file", file);
    o.put("model", model);
    o.put("history_start", Instant.ofEpochMilli(r.startMillis()).toString());
    o.put("history_hours", r.requests().history().length);
    o.put("forecast_start", Instant.ofEpochMilli(r.forecastStartMillis()).toString());
    o.put("horizon_hours", r.horizonHours());
    o.put("confidence", r.confidence());
    o.put("history_spend", Formats.money(r.hourlySpend().stream().reduce(Money::plus).orElseThrow()));
    ObjectNode series = o.putObject("series");
    for (DemandForecast.Series s : List.of(r.requests(), r.tokens(), r.spend())) {
      ObjectNode j = series.putObject(s.name());
      j.put("backtest_origins", s.backtestOrigins());
      j.put("mae_model", s.modelMae());
      j.put("mae_seasonal_naive", s.naiveMae());
      j.put("forecast_total", DemandForecast.total(s.point()));
      ArrayNode hours = j.putArray("hours");
      for (int h = 0; h < s.point().length; h++) {
        ObjectNode x = hours.addObject();
        x.put("start", Instant.ofEpochMilli(r.forecastStartMillis() + h * 3_600_000L).toString());
        x.put("point", s.point()[h]);
        x.put("low", s.low()[h]);
        x.put("high", s.high()[h]);
      }
    }
    DemandForecast.Exhaustion ex = r.exhaustion();
    if (ex != null) {
      ObjectNode b = o.putObject("budget");
      b.put("amount", Formats.money(ex.budget()));
      b.put("spent", Formats.money(ex.spent()));
      b.put("remaining", Formats.money(ex.remaining()));
      Formats.put(b, "runs_out", ex.pointMillis() == null ? null : Instant.ofEpochMilli(ex.pointMillis()).toString());
      Formats.put(b, "earliest", ex.earliestMillis() == null ? null : Instant.ofEpochMilli(ex.earliestMillis()).toString());
      Formats.put(b, "latest", ex.latestMillis() == null ? null : Instant.ofEpochMilli(ex.latestMillis()).toString());
    }
    return o;
  }
}
