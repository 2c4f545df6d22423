package dev.finops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code finops advise endpoint} on the bundled catalog's g6.xlarge (0.8048 USD an hour). */
class AdviseEndpointCommandTest {

  @TempDir
  Path dir;

  /** A day of 20,000 requests: busy 08:00 to 20:00 UTC, a trickle at night with long gaps. */
  static String day(int requests, long seed) {
    Random random = new Random(seed);
    StringBuilder sb = new StringBuilder("ts,prompt_tokens,completion_tokens\n");
    long start = Instant.parse("2026-11-02T00:00:00Z").getEpochSecond();
    for (int i = 0; i < requests; i++) {
      long second = random.nextInt(20) == 0 ? random.nextInt(86_400) : 8 * 3600 + random.nextInt(12 * 3600);
      sb.append(Instant.ofEpochSecond(start + second)).append(',').append(200 + random.nextInt(2000)).append(',')
          .append(50 + random.nextInt(400)).append('\n');
    }
    return sb.toString();
  }

  Cli.Result advise(Path file, String... more) {
    String[] base = {"advise", "endpoint", "--requests", file.toString(), "--instance", "g6.xlarge", "--replicas", "4",
        "--output-tokens-per-second", "60", "--column", "time=ts", "--column", "input_tokens=prompt_tokens",
        "--column", "output_tokens=completion_tokens"};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return Cli.run(all);
  }

  @Test
  void aDayOfRequestsGetsAutoscalingScaleToZeroAndTheBestWhatIf() throws IOException {
    Path f = dir.resolve("requests.csv");
    Files.writeString(f, day(20_000, 1));
    Cli.Result r = advise(f, "--quantized", "1.6", "--what-if", "g5.xlarge=1.2", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("requests").asInt()).isEqualTo(20_000);
    assertThat(j.get("slices")).hasSize(288);
    BigDecimal current = new BigDecimal(j.get("current_monthly_cost").textValue());
    assertThat(current).isEqualByComparingTo(new BigDecimal("0.8048").multiply(BigDecimal.valueOf(4 * 730)));
    BigDecimal total = BigDecimal.ZERO;
    for (JsonNode rec : j.get("recommendations")) {
      total = total.add(new BigDecimal(rec.get("monthly_saving").textValue()));
      assertThat(rec.get("evidence").textValue()).isNotBlank();
      assertThat(rec.get("assumption").textValue()).isNotBlank();
    }
    assertThat(j.get("recommendations").get(0).get("kind").textValue()).isEqualTo("autoscale");
    assertThat(j.get("recommendations").get(1).get("kind").textValue()).isEqualTo("scale-to-zero");
    assertThat(j.get("recommendations").get(2).get("kind").textValue()).isEqualTo("quantize");
    // the JSON shows each exact amount to 12 places at most; they add up within that rounding
    assertThat(total.subtract(new BigDecimal(j.get("total_monthly_saving").textValue())).abs())
        .isLessThan(new BigDecimal("1e-11"));
    assertThat(new BigDecimal(j.get("advised_monthly_cost").textValue()).add(
        new BigDecimal(j.get("total_monthly_saving").textValue())).subtract(current).abs())
        .isLessThan(new BigDecimal("1e-11"));

    Cli.Result text = advise(f);
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).contains("1. [autoscale]", "   evidence:", "   assumption:", "   monthly saving:",
        "total monthly saving:");
  }

  @Test
  void badRequestFileAndOptions() throws IOException {
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, "ts,prompt_tokens,completion_tokens\n2026-11-02T00:00:00Z,10,5\n2026-11-02T00:00:01Z,10,x\n");
    Cli.Result r = advise(f);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(f + ", line 3, column completion_tokens: not a whole number: 'x'");

    Path ok = dir.resolve("ok.csv");
    Files.writeString(ok, "ts,prompt_tokens,completion_tokens\n2026-11-02T00:00:00Z,10,5\n");
    assertThat(advise(ok, "--what-if", "p9.huge=2").code()).isEqualTo(3);
    assertThat(advise(ok, "--target-utilization", "1.5").err()).contains("target utilization");
    assertThat(advise(ok, "--max-batch", "4").code()).isEqualTo(2);
    assertThat(Cli.run("advise", "endpoint", "--requests", ok.toString(), "--instance", "g6.xlarge",
        "--output-tokens-per-second", "10").err()).contains("missing required option --replicas");
    assertThat(Cli.run("advise", "nothing").code()).isEqualTo(2);
  }
}
