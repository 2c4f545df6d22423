package dev.finops.advisor;

import dev.finops.core.Money;
import dev.finops.core.TokenConventions;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Forecasts of requests, tokens and spend per hour from a request log ({@link SeasonalForecast}), each
 * backtested by rolling origin against seasonal-naive, with prediction intervals from the backtest's
 * errors, and the date a budget runs out. Spend per hour is exact (every request priced from the
 * catalog); its forecast, like any forecast, is a statistic.
 */
public final class DemandForecast {
  private static final long HOUR_MS = 3_600_000L;

  /** The forecast of one hourly series. */
  public record Series(String name, double[] history, double[] point, double[] low, double[] high, int backtestOrigins,
      double modelMae, double naiveMae) {}

  /**
   * When a budget runs out: at the point forecast, and at the interval's upper (earliest) and lower
   * (latest) ends; {@code null} when not within the horizon.
   */
  public record Exhaustion(Money budget, Money spent, Money remaining, Long pointMillis, Long earliestMillis,
      Long latestMillis) {}

  /**
   * @param startMillis the first hour of the history
   * @param hourlySpend the exact spend of each hour of the history
   */
  public record Result(long startMillis, int horizonHours, double confidence, Series requests, Series tokens,
      Series spend, List<Money> hourlySpend, Exhaustion exhaustion) {
    public Result {
      hourlySpend = List.copyOf(hourlySpend);
    }

    /** The start of the forecast: the hour after the history. */
    public long forecastStartMillis() {
      return startMillis + requests.history().length * HOUR_MS;
    }
  }

  private DemandForecast() {}

  /**
   * @param pricing prices every request as {@code provider}/{@code model} at its time
   * @param budget a budget whose exhaustion to forecast, or {@code null}
   * @param budgetSinceMillis what counts as spent against it: requests from then on
   */
  public static Result forecast(RequestLog log, Pricing pricing, String provider, String model, int horizonHours,
      int weeks, double confidence, Money budget, long budgetSinceMillis) {
    Objects.requireNonNull(pricing, "pricing");
    if (horizonHours < 1 || !(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("need a horizon of at least 1 hour and a confidence in (0, 1)");
    }
    long start = Math.floorDiv(log.time(0), HOUR_MS) * HOUR_MS;
    int hours = (int) ((log.time(log.size() - 1) - start) / HOUR_MS + 1);
    if (hours < 3 * SeasonalForecast.DAY) {
      throw new IllegalArgumentException("need at least 3 days of requests to forecast, got " + hours + " hours");
    }
    double[] requests = new double[hours];
    double[] tokens = new double[hours];
    Money[] spend = new Money[hours];
    Money spent = null;
    for (int i = 0; i < log.size(); i++) {
      int h = (int) ((log.time(i) - start) / HOUR_MS);
      requests[h]++;
      tokens[h] += log.inputTokens(i) + log.outputTokens(i);
      PricedUsage p = pricing.price(provider, model,
          TokenConventions.fromInclusive(log.inputTokens(i), log.outputTokens(i), 0, 0, 0), log.time(i));
      if (!p.isPriced()) {
        throw new IllegalArgumentException("no price for " + provider + "/" + model + ": " + p.unpricedReason());
      }
      Money cost = p.total();
      spend[h] = spend[h] == null ? cost : spend[h].plus(cost);
      if (log.time(i) >= budgetSinceMillis) {
        spent = spent == null ? cost : spent.plus(cost);
      }
    }
    Money zero = null;
    for (Money m : spend) {
      if (m != null) {
        zero = Money.zero(m.currency());
        break;
      }
    }
    double[] spendValues = new double[hours];
    List<Money> hourly = new ArrayList<>(hours);
    for (int h = 0; h < hours; h++) {
      Money m = spend[h] == null ? zero : spend[h];
      hourly.add(m);
      spendValues[h] = m.doubleValue();
    }
    SeasonalForecast model0 = new SeasonalForecast(weeks);
    Series r = series("requests", requests, model0, horizonHours, confidence);
    Series t = series("tokens", tokens, model0, horizonHours, confidence);
    Series s = series("spend", spendValues, model0, horizonHours, confidence);
    Exhaustion ex = null;
    if (budget != null) {
      Money used = spent == null ? Money.zero(budget.currency()) : spent;
      Money remaining = budget.minus(used);
      long forecastStart = start + hours * HOUR_MS;
      if (remaining.signum() <= 0) {
        long at = crossedInHistory(hourly, start, budgetSinceMillis, budget);
        ex = new Exhaustion(budget, used, remaining, at, at, at);
      } else {
        double left = remaining.doubleValue();
        ex = new Exhaustion(budget, used, remaining, crossing(s.point(), left, forecastStart),
            crossing(s.high(), left, forecastStart), crossing(s.low(), left, forecastStart));
      }
    }
    return new Result(start, horizonHours, confidence, r, t, s, hourly, ex);
  }

  private static long crossedInHistory(List<Money> hourly, long start, long since, Money budget) {
    Money sum = Money.zero(budget.currency());
    for (int h = 0; h < hourly.size(); h++) {
      long hourStart = start + h * HOUR_MS;
      if (hourStart + HOUR_MS <= since) {
        continue;
      }
      sum = sum.plus(hourly.get(h));
      if (sum.compareTo(budget) >= 0) {
        return hourStart;
      }
    }
    return start + hourly.size() * HOUR_MS;
  }

  /** The start of the first forecast hour by whose end the cumulative forecast reaches {@code left}. */
  private static Long crossing(double[] perHour, double left, long forecastStart) {
    double sum = 0;
    for (int h = 0; h < perHour.length; h++) {
      sum += Math.max(0, perHour[h]);
      if (sum >= left) {
        return forecastStart + h * HOUR_MS;
      }
    }
    return null;
  }

  private static Series series(String name, double[] y, SeasonalForecast model, int horizon, double confidence) {
    int n = y.length;
    int backtestHorizon = Math.min(horizon, SeasonalForecast.DAY);
    int first = n >= 2 * SeasonalForecast.WEEK + backtestHorizon ? 2 * SeasonalForecast.WEEK : 2 * SeasonalForecast.DAY;
    SeasonalForecast.Backtest b = model.backtest(y, backtestHorizon, first, SeasonalForecast.DAY);
    double[] point = model.forecast(y, horizon);
    double lo = b.errorQuantile((1 - confidence) / 2);
    double hi = b.errorQuantile((1 + confidence) / 2);
    double[] low = new double[horizon];
    double[] high = new double[horizon];
    for (int h = 0; h < horizon; h++) {
      point[h] = Math.max(0, point[h]);
      low[h] = Math.max(0, point[h] + lo);
      high[h] = Math.max(0, point[h] + hi);
    }
    return new Series(name, y, point, low, high, b.origins(), b.modelMae(), b.naiveMae());
  }

  /** The sum of the point forecast. */
  public static double total(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }
}
