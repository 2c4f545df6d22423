package dev.finops.advisor;

import java.util.Arrays;

/**
 * Hourly forecasts with daily and weekly seasonality: a value is forecast as the mean of the same hour of
 * the week over the last {@code weeks} weeks (the same hour of the day over the last days when the
 * history is shorter than two weeks), shifted by the linear trend between those periods' means. Averaging
 * several periods is what beats the seasonal-naive baseline (last week's value) on noisy series; the
 * trend shift keeps a growing series from lagging. Prediction intervals are empirical: the quantiles of
 * the errors a rolling-origin backtest made. Statistics in double; never money.
 */
public final class SeasonalForecast {
  public static final int DAY = 24;
  public static final int WEEK = 168;

  private final int periods;

  /** @param periods how many past weeks (or days) to average, at least 1 (1 is seasonal-naive with trend off) */
  public SeasonalForecast(int periods) {
    if (periods < 1) {
      throw new IllegalArgumentException("periods must be at least 1: " + periods);
    }
    this.periods = periods;
  }

  /** The season a history of {@code n} hours is forecast with: a week from two weeks of history on, else a day. */
  public static int season(int n) {
    return n >= 2 * WEEK ? WEEK : DAY;
  }

  /** Point forecasts of the {@code horizon} hours after {@code history}. */
  public double[] forecast(double[] history, int horizon) {
    int n = history.length;
    int p = season(n);
    if (n < p) {
      throw new IllegalArgumentException("need at least " + p + " hours of history, got " + n);
    }
    int k = Math.min(periods, n / p);
    double slope = 0;
    if (k >= 2) {
      double recent = mean(history, n - p, n);
      double old = mean(history, n - k * p, n - (k - 1) * p);
      slope = (recent - old) / ((double) (k - 1) * p);
    }
    double[] out = new double[horizon];
    for (int h = 0; h < horizon; h++) {
      int t = n + h;
      int back = (t - n) / p + 1;          // whole periods back to land inside the history
      int j1 = t - back * p;
      double sum = 0;
      for (int i = 0; i < k; i++) {
        sum += history[j1 - i * p];
      }
      double centre = j1 - (k - 1) * p / 2.0;
      out[h] = sum / k + slope * (t - centre);
    }
    return out;
  }

  /** The seasonal-naive baseline: the value one season (a week, or a day) earlier. */
  public static double[] seasonalNaive(double[] history, int horizon) {
    int n = history.length;
    int p = season(n);
    if (n < p) {
      throw new IllegalArgumentException("need at least " + p + " hours of history, got " + n);
    }
    double[] out = new double[horizon];
    for (int h = 0; h < horizon; h++) {
      int t = n + h;
      out[h] = history[t - ((t - n) / p + 1) * p];
    }
    return out;
  }

  /**
   * A rolling-origin backtest: forecasts of {@code horizon} hours from every origin {@code step} hours
   * apart, from {@code firstOrigin} to the last that leaves a whole horizon, against what happened.
   *
   * @param modelMae mean absolute error of this forecast
   * @param naiveMae of the seasonal-naive baseline
   * @param errors this forecast's errors (actual − forecast), sorted, for the intervals
   */
  public record Backtest(int origins, double modelMae, double naiveMae, double[] errors) {
    /** The empirical {@code q} quantile of the errors (nearest rank). */
    public double errorQuantile(double q) {
      if (errors.length == 0) {
        return 0;
      }
      int rank = (int) Math.ceil(q * errors.length);
      return errors[Math.max(0, Math.min(errors.length - 1, rank - 1))];
    }
  }

  public Backtest backtest(double[] y, int horizon, int firstOrigin, int step) {
    double model = 0;
    double naive = 0;
    int count = 0;
    int origins = 0;
    double[] errors = new double[0];
    int e = 0;
    for (int o = firstOrigin; o + horizon <= y.length; o += step) {
      double[] history = Arrays.copyOf(y, o);
      double[] f = forecast(history, horizon);
      double[] nv = seasonalNaive(history, horizon);
      origins++;
      if (errors.length < e + horizon) {
        errors = Arrays.copyOf(errors, Math.max(2 * errors.length, e + horizon));
      }
      for (int h = 0; h < horizon; h++) {
        double actual = y[o + h];
        model += Math.abs(actual - f[h]);
        naive += Math.abs(actual - nv[h]);
        errors[e++] = actual - f[h];
        count++;
      }
    }
    double[] sorted = Arrays.copyOf(errors, e);
    Arrays.sort(sorted);
    return new Backtest(origins, count == 0 ? Double.NaN : model / count, count == 0 ? Double.NaN : naive / count,
        sorted);
  }

  private static double mean(double[] a, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += a[i];
    }
    return s / (to - from);
  }
}
