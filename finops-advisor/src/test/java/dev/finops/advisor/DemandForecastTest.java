package dev.finops.advisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Money;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.pricing.Pricing;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DemandForecastTest {
  private static final long T0 = Fixtures.FROM.toEpochMilli() + 7 * 86_400_000L;
  private static final Pricing PRICING = Pricing.builder().bundledCatalog(null)
      .userCatalog(PriceCatalog.builder("t", "1").addModel("acme", "chat-1", BucketPrices.ofTokens("2.00", "8.00")).build())
      .build();

  /** Requests per hour with a daily cycle and quiet weekends (Poisson-ish noise); 1,000 in, 200 out each. */
  static RequestLog log(int hours, long seed) {
    Random random = new Random(seed);
    List<Long> times = new ArrayList<>();
    for (int h = 0; h < hours; h++) {
      double rate = 60 + 40 * Math.sin(2 * Math.PI * (h % 24) / 24) - ((h / 24) % 7 >= 5 ? 30 : 0);
      int n = (int) Math.max(0, Math.round(rate + Math.sqrt(rate) * random.nextGaussian()));
      for (int i = 0; i < n; i++) {
        times.add(T0 + h * 3_600_000L + random.nextInt(3_600_000));
      }
    }
    long[] t = times.stream().mapToLong(Long::longValue).toArray();
    long[] in = new long[t.length];
    long[] out = new long[t.length];
    java.util.Arrays.fill(in, 1000);
    java.util.Arrays.fill(out, 200);
    return new RequestLog(t, in, out);
  }

  @Test
  void hourlySpendIsExactAndTheForecastBeatsSeasonalNaive() {
    RequestLog log = log(6 * 168, 2);
    DemandForecast.Result r = DemandForecast.forecast(log, PRICING, "acme", "chat-1", 168, 4, 0.9, null, 0);
    // every request costs 1,000 × 2.00 / 1M + 200 × 8.00 / 1M = 0.0036 exactly
    for (int h = 0; h < r.hourlySpend().size(); h++) {
      assertThat(r.hourlySpend().get(h).exactAmount())
          .isEqualByComparingTo(new BigDecimal("0.0036").multiply(BigDecimal.valueOf((long) r.requests().history()[h])));
    }
    for (DemandForecast.Series s : List.of(r.requests(), r.tokens(), r.spend())) {
      assertThat(s.backtestOrigins()).isEqualTo((6 * 168 - 24 - 2 * 168) / 24 + 1);
      assertThat(s.modelMae()).as(s.name()).isLessThan(s.naiveMae());
      for (int h = 0; h < 168; h++) {
        assertThat(s.low()[h]).isLessThanOrEqualTo(s.point()[h]);
        assertThat(s.high()[h]).isGreaterThanOrEqualTo(s.point()[h]);
      }
    }
  }

  @Test
  void budgetRunsOutWhenTheCumulativeForecastReachesWhatIsLeft() {
    RequestLog log = log(4 * 168, 9);
    long since = T0 + 3 * 168 * 3_600_000L;  // the budget's period began a week ago
    Money budget = Money.usd("50");  // about 31 spent in the last week
    DemandForecast.Result r = DemandForecast.forecast(log, PRICING, "acme", "chat-1", 168, 4, 0.9, budget, since);
    Money spent = Money.zero(Money.USD);
    for (int i = 0; i < log.size(); i++) {
      if (log.time(i) >= since) {
        spent = spent.plus(Money.usd("0.0036"));
      }
    }
    DemandForecast.Exhaustion ex = r.exhaustion();
    assertThat(ex.spent()).isEqualTo(spent);
    assertThat(ex.remaining()).isEqualTo(budget.minus(spent));
    // brute force: walk the point forecast hour by hour
    double left = ex.remaining().amount(12).doubleValue();
    double sum = 0;
    Long expected = null;
    for (int h = 0; h < 168 && expected == null; h++) {
      sum += r.spend().point()[h];
      if (sum >= left) {
        expected = r.forecastStartMillis() + h * 3_600_000L;
      }
    }
    assertThat(ex.pointMillis()).isEqualTo(expected).isNotNull();
    assertThat(ex.earliestMillis()).isLessThanOrEqualTo(ex.pointMillis());
    assertThat(ex.latestMillis() == null || ex.latestMillis() >= ex.pointMillis()).isTrue();

    // a budget already spent ran out in the history: the hour its exact running sum reached it
    DemandForecast.Exhaustion gone =
        DemandForecast.forecast(log, PRICING, "acme", "chat-1", 24, 4, 0.9, Money.usd("10"), since).exhaustion();
    assertThat(gone.remaining().signum()).isNegative();
    Money running = Money.zero(Money.USD);
    long hour = 0;
    for (int i = 0; i < log.size(); i++) {
      if (log.time(i) >= since) {
        running = running.plus(Money.usd("0.0036"));
        if (running.compareTo(Money.usd("10")) >= 0) {
          hour = Math.floorDiv(log.time(i), 3_600_000L) * 3_600_000L;
          break;
        }
      }
    }
    assertThat(gone.pointMillis()).isEqualTo(hour);
  }

  @Test
  void tooShortAHistoryOrAnUnknownModelIsRefused() {
    assertThatThrownBy(() -> DemandForecast.forecast(log(48, 1), PRICING, "acme", "chat-1", 24, 4, 0.9, null, 0))
        .hasMessageContaining("at least 3 days");
    assertThatThrownBy(() -> DemandForecast.forecast(log(100, 1), PRICING, "acme", "nope", 24, 4, 0.9, null, 0))
        .isInstanceOf(RuntimeException.class);
  }
}
