package dev.finops.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.ledger.LedgerFixtures;
import dev.finops.core.ledger.LedgerSnapshot;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Four runs at 2.50 per GPU-hour: three iterations of llama-ft on 8 GPUs (20.00 an hour) and one of
 * bert-ft on 4 GPUs (10.00 an hour); r1 and r2 overlap in time.
 *
 * <pre>
 * run  model     GPUs  hours  cost
 * r1   llama-ft  8     1      20.00
 * r2   llama-ft  8     1.5    30.00
 * r3   llama-ft  8     0.5    10.00
 * r4   bert-ft   4     1      10.00
 * </pre>
 */
class CostPerModelIterationTest {

  private static final Tags LLAMA = Tags.builder().team("nlp").model("llama-ft").build();
  private static final Tags BERT = Tags.builder().team("nlp").model("bert-ft").build();

  private final TrainingFixtures f = new TrainingFixtures();

  @BeforeEach
  void runFourIterations() {
    TrainingRun r1 = f.start("r1", LLAMA, TrainingFixtures.eightGpusAt250());
    TrainingRun r2 = f.start("r2", LLAMA, TrainingFixtures.eightGpusAt250());
    f.stepAfter(r1, Duration.ofHours(1));
    r1.close();
    f.clock.advance(Duration.ofMinutes(30));
    r2.close();
    try (TrainingRun r3 = f.start("r3", LLAMA, TrainingFixtures.eightGpusAt250())) {
      f.stepAfter(r3, Duration.ofMinutes(30));
    }
    try (TrainingRun r4 = f.start("r4", BERT, Hardware.customRate("test", 4, Money.usd("2.50")))) {
      f.stepAfter(r4, Duration.ofHours(1));
    }
  }

  @Test
  void distinctCountsTheRunsOfEachModel() {
    Map<Tags, Long> runsPerModel = f.ledger.snapshot().distinct("run", "model");

    assertThat(runsPerModel).containsOnly(
        Map.entry(Tags.of("model", "llama-ft"), 3L),
        Map.entry(Tags.of("model", "bert-ft"), 1L));
  }

  @Test
  void costPerModelIterationIsTheModelsCostOverItsRuns() {
    LedgerSnapshot snapshot = f.ledger.snapshot();
    Map<Tags, Long> runs = snapshot.distinct("run", "model");

    Map<String, BigDecimal> perIteration = new HashMap<>();
    for (LedgerSnapshot.Totals t : snapshot.totalsBy("model")) {
      perIteration.put(t.group().model(),
          t.cost().amount(6).divide(BigDecimal.valueOf(runs.get(t.group())), 6, RoundingMode.HALF_EVEN));
    }

    // llama-ft: (20 + 30 + 10) / 3 = 20; bert-ft: 10 / 1 = 10
    assertThat(snapshot.totalsBy("model")).extracting(LedgerSnapshot.Totals::cost)
        .containsExactly(Money.usd("60.00"), Money.usd("10.00"));
    assertThat(perIteration).containsOnly(
        Map.entry("llama-ft", new BigDecimal("20.000000")),
        Map.entry("bert-ft", new BigDecimal("10.000000")));
  }

  @Test
  void usageWithoutARunTagAddsToTheModelsCostButIsNotAnIteration() {
    // inference on the fine-tuned model: 1,000,000 input tokens of m1 at 2.50 per 1M
    var pricing = LedgerFixtures.pricing(LedgerFixtures.tokenCatalog());
    f.ledger.account(LLAMA).record(pricing.bind(LedgerFixtures.PROVIDER, "m1"), LedgerFixtures.tokens(1_000_000, 0));
    LedgerSnapshot snapshot = f.ledger.snapshot();

    assertThat(snapshot.distinct("run", "model")).containsEntry(Tags.of("model", "llama-ft"), 3L);
    assertThat(snapshot.where("model", "llama-ft").total().cost()).isEqualTo(Money.usd("62.50"));
    // training cost only: entries that carry a run tag
    LedgerSnapshot training = snapshot.filter(e -> e.tags().run() != null);
    assertThat(training.where("model", "llama-ft").total().cost()).isEqualTo(Money.usd("60.00"));
  }

  @Test
  void costPerRunIsAvailableByGroupingOnRunAndModel() {
    Map<String, Money> byRun = new HashMap<>();
    f.ledger.snapshot().totalsBy("run", "model").forEach(t -> byRun.put(t.group().run(), t.cost()));

    assertThat(byRun).containsOnly(
        Map.entry("r1", Money.usd("20.00")),
        Map.entry("r2", Money.usd("30.00")),
        Map.entry("r3", Money.usd("10.00")),
        Map.entry("r4", Money.usd("10.00")));
  }
}
