package dev.finops.core.budget;

import static dev.finops.core.budget.BudgetFixtures.T0;
import static dev.finops.core.budget.BudgetFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.ManualClock;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.UnknownModelPolicy;
import dev.finops.core.training.Hardware;
import dev.finops.core.training.TrainingRun;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Upper-bound estimates: an LLM call's input plus max_tokens, a slice of GPU time. */
class CostEstimatorTest {

  private final ManualClock clock = ManualClock.at(T0);
  private final Pricing pricing = BudgetFixtures.pricing();
  private final CostEstimator estimator = CostEstimator.of(pricing, clock);

  @Test
  void an_llm_call_is_bounded_by_its_input_and_max_tokens_at_the_dearest_prices() {
    // m1: 1,000 input at 2.50/1M + 500 output at 10/1M
    assertThat(estimator.llmCall("p", "m1", 1_000, 500).amount()).isEqualTo(usd("0.0075"));
    // m2: input at the 1-hour cache write price (6.1234567), output at 15.00 (above reasoning), a request
    assertThat(estimator.llmCall("p", "m2", 1_000, 500).amount()).isEqualTo(usd("0.0140234567"));
    assertThat(estimator.llmCall(pricing.bind("p", "m1"), 0, 0).amount()).isEqualTo(usd("0"));
  }

  @Test
  void the_bound_is_never_below_the_actual_cost_of_a_call_that_honours_max_tokens() {
    BoundModel m2 = pricing.bind("p", "m2");
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 2_000; i++) {
      long input = random.nextInt(200_000);
      long maxTokens = random.nextInt(20_000);
      long cacheRead = random.nextLong(input + 1);
      long cacheWrite = random.nextLong(input - cacheRead + 1);
      long output = random.nextLong(maxTokens + 1);
      long reasoning = random.nextLong(maxTokens - output + 1);
      Usage actual = Usage.builder().inputUncached(input - cacheRead - cacheWrite).cacheRead(cacheRead)
          .cacheWrite1h(cacheWrite).output(output).reasoning(reasoning).requests(1).build();
      Estimate bound = estimator.llmCall(m2, input, maxTokens);
      assertThat(bound.amount()).isGreaterThanOrEqualTo(m2.price(actual, T0.toEpochMilli()).total());
    }
  }

  /**
   * Prices with at most six decimals per 1M tokens take the fixed-point path, finer ones the decimal
   * path; both must give price × tokens / 10^6 (+ the request price), rounded up to the pico-unit, as
   * an independent decimal sum does; past 64 bits of pico-units the bound saturates (no budget admits it).
   */
  @Test
  void the_fixed_point_and_decimal_bounds_equal_an_independent_decimal_sum() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 500; i++) {
      java.util.Map<dev.finops.core.UsageBucket, java.math.BigDecimal> prices =
          new java.util.EnumMap<>(dev.finops.core.UsageBucket.class);
      for (dev.finops.core.UsageBucket b : new dev.finops.core.UsageBucket[] {
          dev.finops.core.UsageBucket.INPUT_UNCACHED, dev.finops.core.UsageBucket.CACHE_WRITE_1H,
          dev.finops.core.UsageBucket.OUTPUT, dev.finops.core.UsageBucket.OUTPUT_REASONING,
          dev.finops.core.UsageBucket.REQUESTS}) {
        if (b == dev.finops.core.UsageBucket.INPUT_UNCACHED || b == dev.finops.core.UsageBucket.OUTPUT
            || random.nextBoolean()) {
          // 2 to 9 decimals: some exact in pico-units per token, some not
          prices.put(b, java.math.BigDecimal.valueOf(random.nextLong(1, 100_000_000), random.nextInt(2, 10)));
        }
      }
      Pricing p = dev.finops.core.ledger.LedgerFixtures.pricing(dev.finops.core.catalog.PriceCatalog.builder("r", "1")
          .addModel("p", "m", dev.finops.core.catalog.BucketPrices.of(prices)).build());
      long input = random.nextLong(0, 2_000_000);
      long maxTokens = random.nextLong(0, 200_000);
      java.math.BigDecimal in = prices.get(dev.finops.core.UsageBucket.INPUT_UNCACHED)
          .max(prices.getOrDefault(dev.finops.core.UsageBucket.CACHE_WRITE_1H, java.math.BigDecimal.ZERO));
      java.math.BigDecimal out = prices.get(dev.finops.core.UsageBucket.OUTPUT)
          .max(prices.getOrDefault(dev.finops.core.UsageBucket.OUTPUT_REASONING, java.math.BigDecimal.ZERO));
      java.math.BigDecimal exact = in.multiply(java.math.BigDecimal.valueOf(input))
          .add(out.multiply(java.math.BigDecimal.valueOf(maxTokens))).movePointLeft(6)
          .add(prices.getOrDefault(dev.finops.core.UsageBucket.REQUESTS, java.math.BigDecimal.ZERO))
          .setScale(12, java.math.RoundingMode.CEILING);
      Estimate e = CostEstimator.of(p, clock).llmCall(p.bind("p", "m"), input, maxTokens);
      assertThat(e.amount().exactAmount()).as("prices %s, %d in, %d max out", prices, input, maxTokens)
          .isEqualByComparingTo(exact);
    }
    // 9.2 million USD of pico-units is the 64-bit edge: 10^12 tokens at 10/1M is 10^7 USD
    Pricing p = dev.finops.core.ledger.LedgerFixtures.pricing(dev.finops.core.catalog.PriceCatalog.builder("r", "1")
        .addModel("p", "m", dev.finops.core.catalog.BucketPrices.ofTokens("10", "10")).build());
    assertThat(CostEstimator.of(p, clock).llmCall(p.bind("p", "m"), 1_000_000_000_000L, 0).amount())
        .isEqualTo(Pico.money(Long.MAX_VALUE, dev.finops.core.Money.USD));
    assertThat(CostEstimator.of(p, clock).llmCall(p.bind("p", "m"), 900_000_000_000L, 0).amount())
        .isEqualTo(usd("9000000"));
  }

  @Test
  void a_model_without_a_price_has_an_unknown_cost() {
    assertThat(estimator.llmCall("p", "nope", 10, 10).isKnown()).isFalse();
    CostEstimator failing = CostEstimator.of(BudgetFixtures.pricing(UnknownModelPolicy.FAIL), clock);
    Estimate e = failing.llmCall("p", "nope", 10, 10);
    assertThat(e.isKnown()).isFalse();
    assertThat(e.unknownReason()).contains("nope");
    assertThat(e.amount()).isNull();
    assertThatThrownBy(() -> estimator.llmCall("p", "m1", -1, 10)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void gpu_work_is_bounded_by_its_slice_at_the_hardware_rate() {
    Pricing noCatalog = Pricing.builder().bundledCatalog(null).build();
    CostEstimator gpu = CostEstimator.of(noCatalog, clock);
    Hardware h100s = Hardware.customRate("h100", 8, usd("2.50")); // 20 an hour
    assertThat(gpu.gpu(h100s, Duration.ofMinutes(10)).amount()).isEqualTo(usd("3.333333333334")); // rounded up
    try (TrainingRun run = TrainingRun.builder(noCatalog, Ledger.builder().clock(clock).build())
        .runId("r").tags(Tags.EMPTY).hardware(h100s).start()) {
      assertThat(gpu.gpu(run, Duration.ofMinutes(30)).amount()).isEqualTo(usd("10"));
    }
    assertThat(gpu.gpu(Hardware.instances("aws", null, "p5.48xlarge", 1,
        dev.finops.core.catalog.PurchaseOption.ON_DEMAND), Duration.ofMinutes(1)).isKnown()).isFalse();
  }

  @Test
  void usage_given_as_the_bound_is_priced_as_it_is() {
    assertThat(estimator.usage(pricing.bind("p", "m1"), Usage.ofTokens(1_000_000, 0)).amount()).isEqualTo(usd("2.5"));
  }
}
