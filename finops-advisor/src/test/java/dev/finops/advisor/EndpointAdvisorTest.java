package dev.finops.advisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Money;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EndpointAdvisorTest {
  private static final long T0 = Fixtures.FROM.toEpochMilli() + 86_400_000L; // a whole minute

  private static EndpointAdvisor.Builder g6(int replicas) {
    return EndpointAdvisor.builder(Fixtures.CATALOG.gpuInstances(), Fixtures.G6).currentReplicas(replicas)
        .outputTokensPerSecond(new BigDecimal("100")).targetUtilization(new BigDecimal("0.5")).sliceSeconds(60)
        .coldStartSeconds(30).idleTimeoutSeconds(10);
  }

  /** Four one-minute slices: 7,000 / 100 / 3,001 / 1 output tokens; a replica-slice serves 3,000. */
  private static RequestLog fourSlices() {
    return new RequestLog(new long[] {T0 + 185_000, T0, T0 + 61_000, T0 + 125_000}, new long[] {10, 10, 10, 10},
        new long[] {1, 7000, 100, 3001});
  }

  /** Brute force: count up from zero until the replicas' capacity covers the slice. */
  private static int[] bruteForceReplicas(RequestLog log, long sliceMs, BigDecimal perReplica, BigDecimal inPerReplica,
      int min) {
    long start = log.time(0) / sliceMs * sliceMs;
    int slices = (int) ((log.time(log.size() - 1) - start) / sliceMs) + 1;
    int[] out = new int[slices];
    for (int s = 0; s < slices; s++) {
      long o = 0;
      long in = 0;
      int n = 0;
      for (int i = 0; i < log.size(); i++) {
        if ((log.time(i) - start) / sliceMs == s) {
          o += log.outputTokens(i);
          in += log.inputTokens(i);
          n++;
        }
      }
      int r = 0;
      while (r < min || (n > 0 && r == 0) || perReplica.multiply(BigDecimal.valueOf(r)).compareTo(BigDecimal.valueOf(o)) < 0
          || (inPerReplica != null && inPerReplica.multiply(BigDecimal.valueOf(r)).compareTo(BigDecimal.valueOf(in)) < 0)) {
        r++;
      }
      out[s] = r;
    }
    return out;
  }

  @Test
  void replicasPerSliceEqualBruteForce() {
    Random random = new Random(11);
    for (int round = 0; round < 40; round++) {
      int n = 1 + random.nextInt(300);
      long[] t = new long[n];
      long[] in = new long[n];
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        t[i] = T0 + random.nextInt(3_600_000);
        in[i] = random.nextInt(4000);
        out[i] = random.nextInt(round % 2 == 0 ? 500 : 5000);
      }
      RequestLog log = new RequestLog(t, in, out);
      int min = round % 3;
      EndpointAdvisor a = g6(2).minReplicas(min).inputTokensPerSecond(new BigDecimal("2500")).build();
      // per replica-slice: 0.5 × 60 s × 100 = 3,000 output tokens, 0.5 × 60 × 2,500 = 75,000 input tokens
      assertThat(a.replicasPerSlice(log, BigDecimal.ONE))
          .containsExactly(bruteForceReplicas(log, 60_000, new BigDecimal("3000"), new BigDecimal("75000"), min));
      assertThat(a.replicasPerSlice(log, new BigDecimal("1.5")))
          .containsExactly(bruteForceReplicas(log, 60_000, new BigDecimal("4500"), new BigDecimal("112500"), min));
    }
  }

  @Test
  void scaleToZeroWindowsEqualBruteForce() {
    Random random = new Random(5);
    long[] t = new long[500];
    for (int i = 0; i < t.length; i++) {
      t[i] = T0 + random.nextInt(86_400_000);
    }
    RequestLog log = new RequestLog(t, new long[500], new long[500]);
    long[] sorted = t.clone();
    java.util.Arrays.sort(sorted);
    long zero = 0;
    long starts = 0;
    for (int i = 1; i < sorted.length; i++) {
      long gap = sorted[i] - sorted[i - 1];
      if (gap >= 10_000 + 30_000) {       // the idle timeout, then at least a cold start's worth of nothing
        zero += gap - 10_000;
        starts++;
      }
    }
    assertThat(g6(1).build().scaleToZero(log)).containsExactly(zero, starts);
  }

  @Test
  void knownCase_autoscaleScaleToZeroAndQuantizedSaveExactly() {
    EndpointAdvice a = g6(4).quantized(new BigDecimal("2")).build().advise(fourSlices());
    assertThat(a.replicasPerSlice()).containsExactly(3, 1, 2, 1);
    assertThat(a.requestsPerSlice()).containsExactly(1, 1, 1, 1);
    // a month of 4 replicas at 0.8048 an hour
    assertThat(a.currentMonthlyCost().exactAmount()).isEqualByComparingTo("2350.016");
    assertThat(a.recommendations()).extracting(Recommendation::kind)
        .containsExactly("autoscale", "scale-to-zero", "quantize");
    // 16 → 7 replica-minutes of a 4-minute window: 9/4 replica-months
    assertThat(a.recommendations().get(0).monthlySaving().exactAmount())
        .isEqualByComparingTo(new BigDecimal("0.8048").multiply(new BigDecimal("2.25")).multiply(BigDecimal.valueOf(730)));
    // gaps 61, 64, 60 s: 51 + 54 + 50 = 155 s without a replica, 3 cold starts
    Money zero = a.recommendations().get(1).monthlySaving();
    assertThat(zero.times(240_000).exactAmount())
        .isEqualByComparingTo(new BigDecimal("0.8048").multiply(BigDecimal.valueOf(155_000L * 730)));
    assertThat(a.recommendations().get(1).evidence()).contains("3 idle gaps", "adds 3 cold starts");
    // twice the throughput: [2, 1, 1, 1], two replica-minutes fewer
    assertThat(a.recommendations().get(2).monthlySaving().exactAmount())
        .isEqualByComparingTo(new BigDecimal("0.8048").multiply(new BigDecimal("0.5")).multiply(BigDecimal.valueOf(730)));
    assertThat(a.totalMonthlySaving()).isEqualTo(a.currentMonthlyCost().minus(a.advisedMonthlyCost()));
    Money added = Money.zero(Money.USD);
    for (Recommendation r : a.recommendations()) {
      added = added.plus(r.monthlySaving());
    }
    assertThat(added).isEqualTo(a.totalMonthlySaving());
    assertThat(a.coldStartsPerMonth()).isEqualTo(3 * 730 * 60 / 4.0);
  }

  @Test
  void cheaperGpuWhatIfIsPricedAtItsOwnRateAndOnlyTheBestCounts() {
    // g5.xlarge at 1.006 an hour with 3 × the throughput: [1, 1, 1, 1] = 4 replica-minutes
    EndpointAdvice a = g6(4).quantized(new BigDecimal("2")).whatIf("g5.xlarge", new BigDecimal("3")).build()
        .advise(fourSlices());
    Recommendation best = a.recommendations().get(2);
    assertThat(best.kind()).isEqualTo("cheaper-gpu");
    assertThat(best.evidence()).contains("instead, quantize would cost");
    // after scale-to-zero: g6 7 replica-min − 155 s; g5: 4 replica-min − 155 s at 1.006
    BigDecimal g6Ms = BigDecimal.valueOf(7 * 60_000 - 155_000).multiply(new BigDecimal("0.8048"));
    BigDecimal g5Ms = BigDecimal.valueOf(4 * 60_000 - 155_000).multiply(new BigDecimal("1.006"));
    assertThat(best.monthlySaving().times(240_000).exactAmount())
        .isEqualByComparingTo(g6Ms.subtract(g5Ms).multiply(BigDecimal.valueOf(730)));
  }

  @Test
  void aGpuOrQuantizedModelTooSlowPerTokenForTheLatencyTargetIsLeftOutWithWhy() {
    // 30 ms per token at the given throughput, 50 ms allowed: the g5 at 0.5 × decodes at 60 ms, out;
    // at 0.6 × it takes exactly 50 ms, in; a quantized model at 0.5 × is out too
    EndpointAdvice slow = g6(4).timePerOutputToken(new BigDecimal("30"), new BigDecimal("50"))
        .quantized(new BigDecimal("0.5")).whatIf("g5.xlarge", new BigDecimal("0.5")).build().advise(fourSlices());
    assertThat(slow.recommendations()).extracting(Recommendation::kind).doesNotContain("cheaper-gpu", "quantize");
    assertThat(slow.excluded()).containsExactly(
        "a quantized model at 0.5 × the throughput: time per output token 30 ms / 0.5 = 60.0 ms, over the 50 ms target",
        "g5.xlarge (1 × A10G-24GB) at 0.5 × the throughput: time per output token 30 ms / 0.5 = 60.0 ms, over the"
            + " 50 ms target");
    EndpointAdvice atTheLimit = g6(4).timePerOutputToken(new BigDecimal("30"), new BigDecimal("50"))
        .whatIf("g5.xlarge", new BigDecimal("0.6")).build().advise(fourSlices());
    assertThat(atTheLimit.excluded()).isEmpty();
    // without a target nothing is left out
    assertThat(g6(4).whatIf("g5.xlarge", new BigDecimal("0.5")).build().advise(fourSlices()).excluded()).isEmpty();
    assertThatThrownBy(() -> g6(4).timePerOutputToken(new BigDecimal("60"), new BigDecimal("50")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already over the 50 ms target");
  }

  @Test
  void batchingIsOfferedOnlyWhenArrivalsFormBatches() {
    EndpointAdvisor batching = g6(4).batching(new BigDecimal("2"), 50, 8).build();
    assertThat(batching.advise(fourSlices()).recommendations()).extracting(Recommendation::kind)
        .doesNotContain("batching");  // one request per minute: batches of 1
    long[] t = new long[40];
    long[] out = new long[40];
    for (int i = 0; i < 40; i++) {
      t[i] = T0 + (i / 4) * 20_000 + (i % 4) * 10;   // bursts of 4 within 30 ms
      out[i] = 900;
    }
    RequestLog bursts = new RequestLog(t, new long[40], out);
    assertThat(batching.meanBatchSize(bursts)).isEqualTo(4.0);
    EndpointAdvice a = batching.advise(bursts);
    assertThat(a.recommendations()).extracting(Recommendation::kind).contains("batching");
  }

  @Test
  void requestCsvErrorsNameFileLineAndColumn() {
    RequestLog.Columns cols = new RequestLog.Columns("ts", "prompt_tokens", "completion_tokens");
    String h = "ts,prompt_tokens,completion_tokens\n";
    assertThat(RequestLog.read("r.csv", new StringReader(h + "2025-06-02T00:00:00Z,10,20\n"), cols).size()).isEqualTo(1);
    assertThatThrownBy(() -> RequestLog.read("r.csv", new StringReader(h + "2025-06-02T00:00:00Z,10,20\n"
        + "2025-06-02T00:00:01Z,-3,20\n"), cols))
        .isInstanceOf(AdvisorInputException.class)
        .hasMessage("r.csv, line 3, column prompt_tokens: must not be negative: '-3'");
    assertThatThrownBy(() -> RequestLog.read("r.csv", new StringReader(h + "2025-06-02T00:00:00Z,10,2.5\n"), cols))
        .hasMessage("r.csv, line 2, column completion_tokens: not a whole number: '2.5'");
    assertThatThrownBy(() -> RequestLog.read("r.csv", new StringReader(h), cols)).hasMessage("r.csv: no requests");
    assertThatThrownBy(() -> RequestLog.read("r.csv", new StringReader(h), RequestLog.Columns.DEFAULTS))
        .hasMessageStartingWith("r.csv, line 1: no column 'timestamp'");
  }
}
