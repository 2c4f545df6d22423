package dev.finops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finops.core.Money;
import dev.finops.core.TokenConventions;
import dev.finops.core.pricing.Pricing;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code finops advise forecast} on three weeks of requests priced as openai/gpt-4o from the bundled catalog. */
class AdviseForecastCommandTest {

  @TempDir
  Path dir;

  @Test
  void forecastsBacktestsAndPricesTheHistoryExactly() throws IOException {
    Random random = new Random(4);
    StringBuilder sb = new StringBuilder("timestamp,input_tokens,output_tokens\n");
    Pricing pricing = Pricing.builder().build();
    Money expected = Money.zero(Money.USD);
    long start = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
    for (int h = 0; h < 21 * 24; h++) {
      double rate = 12 + 8 * Math.sin(2 * Math.PI * (h % 24) / 24) - ((h / 24) % 7 >= 5 ? 6 : 0);
      int n = (int) Math.max(0, Math.round(rate + 2 * random.nextGaussian()));
      for (int i = 0; i < n; i++) {
        long t = start + h * 3_600_000L + random.nextInt(3_600_000);
        int in = 500 + random.nextInt(1500);
        int out = 100 + random.nextInt(300);
        sb.append(Instant.ofEpochMilli(t)).append(',').append(in).append(',').append(out).append('\n');
        expected = expected.plus(pricing.price("openai", "gpt-4o", TokenConventions.fromInclusive(in, out, 0, 0, 0), t)
            .total());
      }
    }
    Path f = dir.resolve("requests.csv");
    Files.writeString(f, sb.toString());
    Cli.Result r = Cli.run("advise", "forecast", "--requests", f.toString(), "--model", "gpt-4o", "--provider", "openai",
        "--budget", "100", "--since", "2026-11-16", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(new BigDecimal(j.get("history_spend").textValue())).isEqualByComparingTo(expected.exactAmount());
    assertThat(j.get("history_hours").asInt()).isEqualTo(21 * 24);
    for (String s : new String[] {"requests", "tokens", "spend"}) {
      JsonNode series = j.get("series").get(s);
      assertThat(series.get("hours")).hasSize(168);
      assertThat(series.get("mae_model").asDouble()).as(s).isLessThan(series.get("mae_seasonal_naive").asDouble());
    }
    assertThat(j.get("budget").get("remaining").textValue()).isNotNull();

    Cli.Result text = Cli.run("advise", "forecast", "--requests", f.toString(), "--model", "gpt-4o");
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).contains("MAE model", "MAE naive", "spend in the history: ");
  }

  @Test
  void shortHistoryAndBadLinesAreExit2() throws IOException {
    Path f = dir.resolve("short.csv");
    Files.writeString(f, "timestamp,input_tokens,output_tokens\n2026-11-02T00:00:00Z,10,5\n2026-11-03T00:00:00Z,10,5\n");
    Cli.Result r = Cli.run("advise", "forecast", "--requests", f.toString(), "--model", "gpt-4o");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("at least 3 days");
    Files.writeString(f, "timestamp,input_tokens,output_tokens\n2026-11-02T00:00:00Z,10,5\nnoon,10,5\n");
    Cli.Result bad = Cli.run("advise", "forecast", "--requests", f.toString(), "--model", "gpt-4o");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains(f + ", line 3, column timestamp: not a time");
  }
}
