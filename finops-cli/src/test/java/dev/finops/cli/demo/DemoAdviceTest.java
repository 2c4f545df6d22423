package dev.finops.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.advisor.GpuSeries;
import dev.finops.advisor.RequestLog;
import dev.finops.core.Money;
import dev.finops.core.UsageBucket;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.core.ledger.WhatIf;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's advice, each line re-computed here from the day's records with BigDecimal and the catalog's
 * published prices written out (bundled catalog 2026-11-28), not through the pricing engine.
 */
class DemoAdviceTest {

  private static final long HOUR_MS = 3_600_000L;
  private static final long MILLION = 1_000_000L;

  private static PlatformDemo.Result day;
  private static DemoAdvice.Advice advice;
  private static List<WhatIf.Line> lines;

  @BeforeAll
  static void runTheDay() {
    day = PlatformDemo.run(42);
    advice = DemoAdvice.advise(day);
    lines = advice.whatIf().lines();
  }

  /** gpt-4o per 1M tokens: input 2.50, cache read 1.25, output 10.00 (the numerator over 1M). */
  private static BigDecimal gpt4o(PlatformDemo.ApiCall c) {
    assertThat(c.usage().get(UsageBucket.CACHE_WRITE_5M) + c.usage().get(UsageBucket.CACHE_WRITE_1H)
        + c.usage().get(UsageBucket.OUTPUT_REASONING)).isZero();
    return new BigDecimal("2.50").multiply(BigDecimal.valueOf(c.usage().get(UsageBucket.INPUT_UNCACHED)))
        .add(new BigDecimal("1.25").multiply(BigDecimal.valueOf(c.usage().get(UsageBucket.CACHE_READ))))
        .add(new BigDecimal("10.00").multiply(BigDecimal.valueOf(c.usage().get(UsageBucket.OUTPUT))));
  }

  private static Money perMillion(BigDecimal numerator) {
    return Money.ofFraction(numerator, MILLION, Money.USD);
  }

  private static Money gpuHours(BigDecimal gpuMillisTimesRate) {
    return Money.ofFraction(gpuMillisTimesRate, HOUR_MS, Money.USD);
  }

  @Test
  void routingDropsExactlyTheGpt4oUsageOfTheCallsNoLongerThanWhatChatSmallServes() {
    RequestLog served = day.endpointRequests();
    long longest = 0;
    for (int i = 0; i < served.size(); i++) {
      longest = Math.max(longest, served.inputTokens(i));
    }
    BigDecimal all = BigDecimal.ZERO;
    BigDecimal kept = BigDecimal.ZERO;
    int routed = 0;
    for (PlatformDemo.ApiCall c : day.productApiCalls()) {
      all = all.add(gpt4o(c));
      if (c.usage().inputTokens() > longest) {
        kept = kept.add(gpt4o(c));
      } else {
        routed++;
      }
    }
    WhatIf.Line route = lines.get(0);
    assertThat(route.name()).startsWith("route " + routed + " GPT-4o calls");
    assertThat(routed).isPositive().isLessThan(day.productApiCalls().size());
    assertThat(route.before()).isEqualTo(perMillion(all));
    assertThat(route.after()).isEqualTo(perMillion(kept));
    assertThat(advice.routedCalls()).hasSize(routed);
  }

  @Test
  void theEndpointKeepsItsOneL40sBecauseTheL4MissesTheLatencyTargetAndOneReplicaCarriesThePeak() {
    // the recorded day: one g6e.xlarge (1 GPU) all day
    assertThat(day.snapshot().where("endpoint", "chat-small").total().gpuMillis()).isEqualTo(24 * HOUR_MS);
    // brute force: per 5-minute slice, the output tokens of chat-small's requests and the routed calls;
    // one L40S replica serves 1005.0 tokens/s at most 70 % busy
    Map<Long, Long> out = new HashMap<>();
    RequestLog served = day.endpointRequests();
    long start = Math.floorDiv(Math.min(served.time(0), advice.routedCalls().get(0).atMillis()), 300_000L) * 300_000L;
    for (int i = 0; i < served.size(); i++) {
      out.merge((served.time(i) - start) / 300_000L, served.outputTokens(i), Long::sum);
    }
    for (PlatformDemo.ApiCall c : advice.routedCalls()) {
      out.merge((c.atMillis() - start) / 300_000L, c.usage().outputTokens(), Long::sum);
    }
    BigDecimal perReplicaSlice = new BigDecimal("1005.0").multiply(new BigDecimal("0.7"))
        .multiply(BigDecimal.valueOf(300));
    long peak = 0;
    for (long tokens : out.values()) {
      peak = Math.max(peak,
          BigDecimal.valueOf(tokens).divide(perReplicaSlice, 0, RoundingMode.CEILING).longValueExact());
    }
    assertThat(peak).isEqualTo(1);
    assertThat(out).hasSize(24 * 12); // every slice has requests: nothing to scale to zero
    assertThat(advice.endpointInstance().instanceType()).isEqualTo("g6e.xlarge");
    assertThat(advice.endpointOutputTokensPerSecond()).isEqualByComparingTo("1005.0");
    // the L4 decodes at 300 / 864 of the L40S's bandwidth: 42.2 ms / 0.3472 per token, over the 50 ms target
    assertThat(advice.endpoint().excluded()).singleElement().asString()
        .contains("g6.xlarge", "121.5 ms", "50 ms target");
    assertThat(lines).noneMatch(l -> l.name().startsWith("endpoint"));
    assertThat(advice.notes()).anyMatch(n -> n.startsWith("endpoint chat-small: the advisor keeps its one g6e.xlarge"));
  }

  @Test
  void theFineTuneIsItsRecordedGpuTimeShrunkByThePeaksRatioAtH200SpotPrices() {
    LedgerSnapshot run = day.snapshot().where("run", day.trainingRun().runId());
    BigDecimal before = BigDecimal.ZERO;
    BigDecimal after = BigDecimal.ZERO;
    for (LedgerSnapshot.Entry e : run.entries()) {
      long q = e.quantity(UsageBucket.GPU_TIME);
      // p4d.24xlarge spot 12.50 / 8 GPUs
      before = before.add(new BigDecimal("12.50").divide(BigDecimal.valueOf(8)).multiply(BigDecimal.valueOf(q)));
      // q × 312 / 989.4 = q × 1560 / 4947, rounded half-even to a whole millisecond (4947 is odd: no ties)
      BigInteger[] qr = BigInteger.valueOf(q).multiply(BigInteger.valueOf(1560))
          .divideAndRemainder(BigInteger.valueOf(4947));
      long shrunk = qr[0].longValueExact() + (qr[1].shiftLeft(1).compareTo(BigInteger.valueOf(4947)) > 0 ? 1 : 0);
      // p5en.48xlarge spot 27.1988 / 8 GPUs
      after = after.add(new BigDecimal("27.1988").divide(BigDecimal.valueOf(8)).multiply(BigDecimal.valueOf(shrunk)));
    }
    WhatIf.Line fineTune = lines.get(1);
    assertThat(fineTune.name()).contains("p5en.48xlarge").contains("spot");
    assertThat(fineTune.before()).isEqualTo(gpuHours(before)).isEqualTo(day.trainingRun().cost());
    assertThat(fineTune.after()).isEqualTo(gpuHours(after));
    // the MFU the planner was calibrated with: 6 N D over the productive GPU time at 312 TFLOPS
    long productive = day.trainingRun().gpuMillis() - day.trainingRun().lostGpuMillis()
        - day.trainingRun().restartGpuMillis();
    BigDecimal mfu = BigDecimal.valueOf(6).multiply(BigDecimal.valueOf(DemoAdvice.FINE_TUNE_PARAMETERS))
        .multiply(BigDecimal.valueOf(day.trainingRun().tokens()))
        .divide(BigDecimal.valueOf(productive).multiply(new BigDecimal("312e9")), 6, RoundingMode.HALF_EVEN);
    assertThat(advice.mfu()).isEqualByComparingTo(mfu);
  }

  @Test
  void theEvalBoxKeepsOneOfItsFourL4sByItsOwnSamplesAndIsPricedAsOneG6Xlarge() {
    // brute force over the same samples: p95 of each GPU (sorted, nearest rank rounded up to 0.1 %) and peak memory
    SplittableRandom random = new SplittableRandom(42 * 31 + 7);
    double[][] util = new double[4][24 * 60];
    double[] peakMemory = new double[4];
    for (int minute = 0; minute < 24 * 60; minute++) {
      List<GpuSeries> one = new ArrayList<>();
      for (int g = 0; g < 4; g++) {
        one.add(new GpuSeries("g" + g));
      }
      PlatformDemo.sampleEvalBox(one, minute * 60_000L, minute / 60, random);
      for (int g = 0; g < 4; g++) {
        util[g][minute] = one.get(g).meanUtilizationPercent();
        peakMemory[g] = Math.max(peakMemory[g], one.get(g).peakMemoryMib());
      }
    }
    double[] p95 = new double[4];
    for (int g = 0; g < 4; g++) {
      double[] sorted = util[g].clone();
      Arrays.sort(sorted);
      p95[g] = Math.ceil(sorted[(int) Math.ceil(0.95 * sorted.length) - 1] * 10 - 1e-9) / 10;
    }
    // GPUs 2 and 3 idle (p95 at most 5 %); 0 and 1 fit one L4 with 10 % headroom (22,888 MiB: 24 × 10^9 bytes),
    // and the advisor saw the same
    List<String> verdicts = advice.evalBox().gpus().stream().map(f -> f.verdict()).toList();
    assertThat(verdicts).containsExactly("consolidate", "consolidate", "idle", "idle");
    assertThat(p95[2]).isLessThanOrEqualTo(5);
    assertThat(p95[3]).isLessThanOrEqualTo(5);
    assertThat(p95[0]).isGreaterThan(5);
    assertThat(p95[1]).isGreaterThan(5);
    assertThat(Math.ceil(p95[0] * 10 * 1.1) + Math.ceil(p95[1] * 10 * 1.1)).isLessThanOrEqualTo(1000);
    assertThat(Math.ceil(peakMemory[0] * 1.1) + Math.ceil(peakMemory[1] * 1.1)).isLessThanOrEqualTo(22_888);

    // the recorded day: one g6.12xlarge (4 GPUs) all day at 4.6016 an hour; after: one g6.xlarge at 0.8048
    LedgerSnapshot box = day.snapshot().where("project", PlatformDemo.EVAL_BOX_PROJECT);
    assertThat(box.total().gpuMillis()).isEqualTo(4 * 24 * HOUR_MS);
    WhatIf.Line line = lines.get(2);
    assertThat(line.name()).isEqualTo("eval box on 1 x g6.xlarge (1 x L4-24GB) instead of g6.12xlarge");
    assertThat(line.evidence()).contains("release GPU eval-box/2", "release GPU eval-box/3",
        "run the work of GPUs eval-box/0, eval-box/1 on one GPU");
    assertThat(line.before()).isEqualTo(gpuHours(new BigDecimal("4.6016").divide(BigDecimal.valueOf(4))
        .multiply(BigDecimal.valueOf(4 * 24 * HOUR_MS))));
    assertThat(line.after()).isEqualTo(gpuHours(new BigDecimal("0.8048").multiply(BigDecimal.valueOf(24 * HOUR_MS))));
  }

  @Test
  void theJudgeCallsCostHalfAtTheBatchTier() {
    LedgerSnapshot.Totals judge = day.snapshot().where("experiment", "llama-ft-v3")
        .filter(e -> e.key().resource().equals("claude-sonnet-4-5")).total();
    Map<UsageBucket, String> sonnet = new EnumMap<>(UsageBucket.class);
    sonnet.put(UsageBucket.INPUT_UNCACHED, "3.00");
    sonnet.put(UsageBucket.CACHE_READ, "0.30");
    sonnet.put(UsageBucket.CACHE_WRITE_5M, "3.75");
    sonnet.put(UsageBucket.OUTPUT, "15.00");
    BigDecimal standard = BigDecimal.ZERO;
    long priced = 0;
    for (Map.Entry<UsageBucket, String> p : sonnet.entrySet()) {
      standard = standard.add(new BigDecimal(p.getValue()).multiply(BigDecimal.valueOf(judge.quantity(p.getKey()))));
      priced += judge.quantity(p.getKey());
    }
    assertThat(priced).isEqualTo(judge.tokens()); // no bucket left out
    WhatIf.Line batch = lines.get(3);
    assertThat(batch.before()).isEqualTo(perMillion(standard));
    assertThat(batch.after()).isEqualTo(perMillion(standard.multiply(new BigDecimal("0.5"))));
  }

  @Test
  void theLinesAddUpToTheDayLeaveWhatNoLineTouchedAsItWasAndSaveAtLeastThirtyPercent() {
    WhatIf.Result r = advice.whatIf();
    assertThat(lines).hasSize(4);
    assertThat(r.totalBefore()).isEqualTo(day.snapshot().total().cost());
    Money saved = Money.zero(Money.USD);
    for (WhatIf.Line l : lines) {
      assertThat(l.saving().signum()).isPositive();
      saved = saved.plus(l.saving());
    }
    assertThat(r.saving()).isEqualTo(saved);
    assertThat(r.totalAfter()).isEqualTo(r.totalBefore().minus(saved));
    // the same ledger less the lines: what no line touched costs the same after
    for (String[] untouched : new String[][] {{"experiment", "lr-sweep"}, {"endpoint", "chat-small"}}) {
      assertThat(r.after().where(untouched[0], untouched[1]).total().cost())
          .isEqualTo(day.snapshot().where(untouched[0], untouched[1]).total().cost());
    }
    assertThat(saved.times(100).compareTo(r.totalBefore().times(30))).isGreaterThanOrEqualTo(0);
  }
}
