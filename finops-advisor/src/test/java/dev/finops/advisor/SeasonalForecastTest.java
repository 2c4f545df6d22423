package dev.finops.advisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SeasonalForecastTest {

  /** Daily cycle, quieter weekends, optional trend and noise. */
  static double[] synthetic(int hours, double trendPerHour, double noise, long seed) {
    Random random = new Random(seed);
    double[] y = new double[hours];
    for (int t = 0; t < hours; t++) {
      int hourOfDay = t % 24;
      int dayOfWeek = (t / 24) % 7;
      double season = 100 + 40 * Math.sin(2 * Math.PI * hourOfDay / 24) + (dayOfWeek >= 5 ? -30 : 0);
      y[t] = season + trendPerHour * t + noise * random.nextGaussian();
    }
    return y;
  }

  @Test
  void noiselessSeasonalSeriesWithATrendIsForecastExactly() {
    double[] y = synthetic(6 * 168, 0.05, 0, 1);
    double[] history = java.util.Arrays.copyOf(y, 5 * 168);
    double[] f = new SeasonalForecast(4).forecast(history, 168);
    for (int h = 0; h < 168; h++) {
      assertThat(f[h]).isCloseTo(y[5 * 168 + h], within(1e-9));
    }
  }

  @Test
  void beatsSeasonalNaiveInARollingOriginBacktestOnANoisySeries() {
    double[] y = synthetic(10 * 168, 0.02, 12, 7);
    SeasonalForecast.Backtest b = new SeasonalForecast(4).backtest(y, 24, 2 * 168, 24);
    assertThat(b.origins()).isEqualTo((10 * 168 - 24 - 2 * 168) / 24 + 1);
    assertThat(b.modelMae()).isLessThan(b.naiveMae() * 0.85);
    // the errors' central 90 % holds about 90 % of them, by construction
    double lo = b.errorQuantile(0.05);
    double hi = b.errorQuantile(0.95);
    long inside = java.util.Arrays.stream(b.errors()).filter(e -> e >= lo && e <= hi).count();
    assertThat((double) inside / b.errors().length).isBetween(0.89, 0.92);
  }

  @Test
  void seasonalNaiveIsLastWeeksValueOrYesterdaysOnShortHistory() {
    double[] y = synthetic(3 * 168, 0, 5, 3);
    double[] nv = SeasonalForecast.seasonalNaive(y, 200);
    assertThat(nv[0]).isEqualTo(y[3 * 168 - 168]);
    assertThat(nv[199]).isEqualTo(y[3 * 168 + 199 - 2 * 168]);
    double[] shortHistory = java.util.Arrays.copyOf(y, 100);
    assertThat(SeasonalForecast.seasonalNaive(shortHistory, 30)[29]).isEqualTo(y[100 + 29 - 2 * 24]);
  }
}
