package dev.finops.core.ledger;

import static dev.finops.core.ledger.LedgerFixtures.INSTANCE;
import static dev.finops.core.ledger.LedgerFixtures.PROVIDER;
import static dev.finops.core.ledger.LedgerFixtures.tags;
import static dev.finops.core.ledger.LedgerFixtures.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WhatIfTest {

  private static final long HOUR = 3_600_000L;

  private final ManualClock clock = LedgerFixtures.clock();
  private final Ledger ledger = LedgerFixtures.ledger(clock);
  private final Pricing pricing = LedgerFixtures.pricing(LedgerFixtures.tokenCatalog(), LedgerFixtures.gpuCatalog());
  private final Tags gpuTags = Tags.builder().team("ml").run("r1").build();

  /**
   * Minute 0: team nlp calls m1 with 1,000 in / 100 out and 3,000 in / 300 out (two records); the run
   * books 8 GPUs × 1 h on demand. Minute 1: nlp calls m1 with 500 in / 50 out; the run books 8 × 1 h.
   */
  private LedgerSnapshot day() {
    PriceKey onDemand = pricing.gpuKey("aws", "us-east-1", INSTANCE, PurchaseOption.ON_DEMAND, clock.wallTimeMillis());
    Account nlp = ledger.account(tags("nlp", "m1"));
    Account run = ledger.account(gpuTags);
    nlp.record(pricing.bind(PROVIDER, "m1"), tokens(1_000, 100));
    nlp.record(pricing.bind(PROVIDER, "m1"), tokens(3_000, 300));
    run.record(onDemand, UsageBucket.GPU_TIME, 8 * HOUR, clock.wallTimeMillis());
    clock.advance(Duration.ofMinutes(1));
    nlp.record(pricing.bind(PROVIDER, "m1"), tokens(500, 50));
    run.record(onDemand, UsageBucket.GPU_TIME, 8 * HOUR, clock.wallTimeMillis());
    return ledger.snapshot();
  }

  private static Money usd(String numerator, long denominator) {
    return Money.ofFraction(new BigDecimal(numerator), denominator, Money.USD);
  }

  @Test
  void theResultCoversTheIntervalOfTheSnapshotItChanged() {
    LedgerSnapshot minute0 = day().between(LedgerFixtures.T0, LedgerFixtures.T0.plus(Duration.ofMinutes(1)));

    WhatIf.Result r = WhatIf.on(minute0).change("no GPU", "idle", "not needed", e -> e.tags().equals(gpuTags),
        WhatIf.drop()).apply();

    assertThat(r.after().coveredFrom()).isEqualTo(minute0.coveredFrom()).contains(LedgerFixtures.T0);
    assertThat(r.after().coveredTo()).contains(LedgerFixtures.T0.plus(Duration.ofMinutes(1)));
  }

  @Test
  void eachLineIsTheExactCostOfItsEntriesBeforeAndAfterAndTheLinesAddUpToTheTotal() {
    LedgerSnapshot day = day();
    long minute1 = LedgerFixtures.T0.toEpochMilli() + 60_000;
    // a third of the GPU time on spot (the work on a GPU three times as fast), minute 1's calls dropped,
    // then 1,000 in / 100 out of minute 0's calls moved to m2 with one record
    WhatIf.Result r = WhatIf.on(day)
        .change("faster GPU on spot", "measured", "3x throughput", e -> e.tags().equals(gpuTags),
            WhatIf.scale(new BigDecimal("1").divide(new BigDecimal("3"), 20, java.math.RoundingMode.HALF_EVEN),
                e -> pricing.gpuKey("aws", "us-east-1", INSTANCE, PurchaseOption.SPOT, e.startMillis())))
        .change("no calls in minute 1", "idle", "nobody waits", e -> e.key().resource().equals("m1")
            && e.startMillis() == minute1, WhatIf.drop())
        .change("route", "short prompts", "m2 answers them", e -> e.key().resource().equals("m1"),
            WhatIf.split(e -> {
              long[] q = new long[UsageBucket.COUNT];
              q[UsageBucket.INPUT_UNCACHED.ordinal()] = 1_000;
              q[UsageBucket.OUTPUT.ordinal()] = 100;
              return new WhatIf.Part(q, 1);
            }, e -> pricing.modelKey(PROVIDER, "m2", e.key().serviceTier(), 0, e.startMillis())))
        .apply();

    List<WhatIf.Line> lines = r.lines();
    assertThat(lines).extracting(WhatIf.Line::entries).containsExactly(2, 1, 1);
    // GPU: 16 GPU-h on demand at 4.00 = 64.00; after: round(8 h in ms / 3) = 9,600,000 ms per entry, twice,
    // at 1.50 per GPU-hour = 19,200,000 × 1.50 / 3,600,000 = 8.00
    assertThat(WhatIf.scaled(8 * HOUR, new BigDecimal("0.33333333333333333333"))).isEqualTo(9_600_000L);
    assertThat(lines.get(0).before()).isEqualTo(Money.usd("64.00"));
    assertThat(lines.get(0).after()).isEqualTo(usd("28800000.00", 3_600_000L));
    // minute 1: 500 × 2.50 + 50 × 10.00 per 1M = 0.00175; dropped
    assertThat(lines.get(1).before()).isEqualTo(usd("1750.00", 1_000_000L));
    assertThat(lines.get(1).after()).isEqualTo(Money.usd("0"));
    // minute 0: 4,000 × 2.50 + 400 × 10.00 = 0.014 on m1; after: 3,000 × 2.50 + 300 × 10.00 on m1
    // + 1,000 × 3.00 + 100 × 15.00 on m2 = 0.0105 + 0.0045 = 0.015
    assertThat(lines.get(2).before()).isEqualTo(usd("14000.00", 1_000_000L));
    assertThat(lines.get(2).after()).isEqualTo(usd("15000.00", 1_000_000L));
    assertThat(lines.get(2).saving()).isEqualTo(usd("-1000", 1_000_000L));

    Money sum = Money.zero(Money.USD);
    for (WhatIf.Line l : lines) {
      sum = sum.plus(l.saving());
    }
    assertThat(r.saving()).isEqualTo(sum);
    assertThat(r.totalAfter()).isEqualTo(r.totalBefore().minus(sum));
    assertThat(r.totalBefore()).isEqualTo(day.total().cost());
    // the after-snapshot: m2 holds one record of 1,000 in; m1 the other of minute 0
    assertThat(r.after().filter(e -> e.key().resource().equals("m2")).total().records()).isEqualTo(1);
    assertThat(r.after().filter(e -> e.key().resource().equals("m1")).total().quantity(UsageBucket.INPUT_UNCACHED))
        .isEqualTo(3_000);
    assertThat(r.after().where("run", "r1").total().gpuMillis()).isEqualTo(19_200_000L);
    // the base snapshot is untouched
    assertThat(day.total().cost()).isEqualTo(r.before().total().cost());
    assertThat(day.where("run", "r1").total().gpuMillis()).isEqualTo(16 * HOUR);
  }

  @Test
  void aSplitOfTheWholeEntryWithNoTargetRemovesIt() {
    LedgerSnapshot day = day();
    WhatIf.Result r = WhatIf.on(day)
        .change("all of it", "e", "a", e -> e.tags().equals(gpuTags),
            WhatIf.split(e -> new WhatIf.Part(e.quantities(), e.records()), null))
        .apply();

    assertThat(r.after().where("run", "r1").entries()).isEmpty();
    assertThat(r.lines().get(0).saving()).isEqualTo(Money.usd("64.00"));
  }

  @Test
  void aShareOfEachEntryMovesToAnotherPurchaseOptionRoundedToWholeUnits() {
    LedgerSnapshot day = day();
    // 40 % of each 8 GPU-hour entry to spot: 11,520,000 ms at 1.50 and 17,280,000 ms at 4.00 per GPU-hour,
    // twice: (11,520,000 × 1.50 + 17,280,000 × 4.00) × 2 / 3,600,000 = 48.00; records 0.4 → 0 moved
    WhatIf.Result r = WhatIf.on(day)
        .change("40 % on spot", "e", "a", e -> e.tags().equals(gpuTags),
            WhatIf.split(e -> WhatIf.Part.share(e, new BigDecimal("0.4")),
                e -> pricing.gpuKey("aws", "us-east-1", INSTANCE, PurchaseOption.SPOT, e.startMillis())))
        .apply();

    assertThat(r.lines().get(0).after()).isEqualTo(Money.usd("48.00"));
    assertThat(r.after().where("run", "r1").filter(e -> e.key().purchaseOption() == PurchaseOption.SPOT).total())
        .satisfies(t -> {
          assertThat(t.gpuMillis()).isEqualTo(2 * 11_520_000L);
          assertThat(t.records()).isZero();
        });
    assertThat(r.after().where("run", "r1").total().records()).isEqualTo(2);
    assertThatThrownBy(() -> WhatIf.Part.share(day.entries().get(0), new BigDecimal("1.5")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fraction: 1.5");
  }

  @Test
  void badChangesAreNamed() {
    LedgerSnapshot day = day();
    assertThatThrownBy(() -> WhatIf.on(day).change("nothing", "e", "a", e -> false, WhatIf.drop()).apply())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nothing' matches no entry");
    assertThatThrownBy(() -> WhatIf.on(day).change("too much", "e", "a", e -> e.tags().equals(gpuTags),
        WhatIf.split(e -> {
          long[] q = e.quantities();
          q[UsageBucket.GPU_TIME.ordinal()]++;
          return new WhatIf.Part(q, 0);
        }, null)).apply())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("change 'too much'")
        .hasMessageContaining("GPU_TIME").hasMessageContaining("not within");
    assertThatThrownBy(() -> WhatIf.scale(new BigDecimal("-1"), e -> e.key()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("factor");
  }
}
