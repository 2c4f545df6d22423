package dev.finops.core.ledger;

import static dev.finops.core.ledger.LedgerFixtures.PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Counters past 64 bits: the ledger keeps quantities exactly however large they grow (in one cell, over
 * threads, over compaction and over accounts), so no cost turns negative and no total throws.
 */
class LedgerNoWrapTest {

  /** 4·10^18 output tokens: three of them pass {@link Long#MAX_VALUE} (about 9.22·10^18). */
  private static final long HUGE = 4_000_000_000_000_000_000L;
  private static final BigInteger THREE_HUGE = BigInteger.valueOf(HUGE).multiply(BigInteger.valueOf(3));
  /** m1's output price: 10.00 per 1M tokens. */
  private static final Money COST_OF_THREE_HUGE = Money.usd("10.00").times(new BigDecimal(THREE_HUGE))
      .dividedBy(1_000_000);

  private final ManualClock clock = LedgerFixtures.clock();
  private final Ledger ledger = LedgerFixtures.ledger(clock);
  private final Pricing pricing = LedgerFixtures.pricing(LedgerFixtures.tokenCatalog());
  private final BoundModel m1 = pricing.bind(PROVIDER, "m1");
  private final Tags nlp = LedgerFixtures.tags("nlp", "m1");

  @Test
  void threeHugeRecordsInOneAccountAndMinuteStayExact() {
    Account a = ledger.account(nlp);
    for (int i = 0; i < 3; i++) {
      a.record(m1, Usage.builder().output(HUGE).build());
    }

    LedgerSnapshot s = ledger.snapshot();

    assertThat(s.entries()).hasSize(1);
    LedgerSnapshot.Entry e = s.entries().get(0);
    assertThat(e.quantityExact(UsageBucket.OUTPUT)).isEqualTo(THREE_HUGE);
    assertThat(e.records()).isEqualTo(3);
    assertThat(e.cost()).isEqualTo(COST_OF_THREE_HUGE);
    assertThat(e.cost().signum()).isPositive();
    assertThat(s.total().cost()).isEqualTo(COST_OF_THREE_HUGE);
    assertThat(s.total().quantityExact(UsageBucket.OUTPUT)).isEqualTo(THREE_HUGE);
    // a long cannot hold it: the long accessors say so instead of wrapping
    assertThatThrownBy(() -> e.quantity(UsageBucket.OUTPUT)).isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("output").hasMessageContaining(THREE_HUGE.toString()).hasMessageContaining("quantityExact");
    assertThatThrownBy(() -> s.total().outputTokens()).isInstanceOf(ArithmeticException.class);
    assertThat(s.total().costPer1mTokens(2)).isEqualByComparingTo("10.00");
  }

  @Test
  void hugeRecordsSpreadOverMinutesTotalWithoutThrowingAndCompactExactly() {
    Account a = ledger.account(nlp);
    long t0 = clock.wallTimeMillis();
    for (int i = 0; i < 3; i++) {
      a.record(m1, Usage.builder().output(HUGE).build());
      clock.advance(Duration.ofMinutes(1));
    }

    LedgerSnapshot before = ledger.snapshot();
    assertThat(before.entries()).hasSize(3);
    assertThat(before.total().cost()).isEqualTo(COST_OF_THREE_HUGE);
    assertThat(before.total().quantityExact(UsageBucket.OUTPUT)).isEqualTo(THREE_HUGE);
    assertThat(before.total().records()).isEqualTo(3);

    clock.advance(Duration.ofDays(3));
    a.record(m1, Usage.builder().output(1).build()); // a newer slot, so the three old ones merge
    ledger.compact();
    LedgerSnapshot after = ledger.snapshot();

    assertThat(after.entries()).hasSize(2); // the merged hour and the new minute
    LedgerSnapshot.Entry merged = after.entries().stream().filter(e -> e.startMillis() < t0 + 60_000).findFirst()
        .orElseThrow();
    assertThat(merged.quantityExact(UsageBucket.OUTPUT)).isEqualTo(THREE_HUGE);
    assertThat(merged.records()).isEqualTo(3);
    assertThat(merged.cost()).isEqualTo(COST_OF_THREE_HUGE);
    assertThat(after.total().quantityExact(UsageBucket.OUTPUT)).isEqualTo(THREE_HUGE.add(BigInteger.ONE));
    // the merged slot still takes late records, exactly
    a.record(m1, Usage.builder().output(HUGE).build(), t0 + 1);
    assertThat(ledger.snapshot().total().quantityExact(UsageBucket.OUTPUT))
        .isEqualTo(THREE_HUGE.add(BigInteger.valueOf(HUGE)).add(BigInteger.ONE));
    assertThat(ledger.snapshot().entries()).hasSize(2);
  }

  @Test
  void manyThreadsPastSixtyFourBitsInOneSlotStayExact() throws Exception {
    Account a = ledger.account(nlp);
    int threads = StripedCounters.MAX_OWNED + 4; // owned rows and the shared row
    int each = 5;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < each; i++) {
          a.record(m1, Usage.builder().output(HUGE).build(), clock.wallTimeMillis());
        }
      });
      ts.add(th);
      th.start();
    }
    start.countDown();
    for (Thread th : ts) {
      th.join();
    }

    BigInteger expected = BigInteger.valueOf(HUGE).multiply(BigInteger.valueOf((long) threads * each));
    LedgerSnapshot.Totals total = ledger.snapshot().total();
    assertThat(total.quantityExact(UsageBucket.OUTPUT)).isEqualTo(expected);
    assertThat(total.records()).isEqualTo((long) threads * each);
    assertThat(total.cost()).isEqualTo(Money.usd("10.00").times(new BigDecimal(expected)).dividedBy(1_000_000));
  }

  @Test
  void pricedUsageNearLongMaxPicoUnitsAddsUpWithoutWrapping() {
    // 9.2e11 output tokens at 10.00 per 1M = 9,200,000 USD = 9.2e18 pico-units, just under Long.MAX_VALUE
    Usage usage = Usage.builder().output(920_000_000_000L).build();
    PricedUsage priced = m1.price(usage, clock.wallTimeMillis());
    assertThat(priced.hasFixedPointTotal()).isTrue();
    assertThat(priced.totalPico()).isEqualTo(9_200_000_000_000_000_000L);
    Account a = ledger.account(nlp);
    for (int i = 0; i < 4; i++) {
      a.record(priced);
    }
    Account b = ledger.account(LedgerFixtures.tags("ads", "m1"));
    b.record(priced);

    LedgerSnapshot s = ledger.snapshot();

    assertThat(s.total().cost()).isEqualTo(Money.usd("46000000"));
    assertThat(s.total().cost().toPico(java.math.RoundingMode.UNNECESSARY)).isEqualTo(Long.MAX_VALUE); // saturates
    assertThat(s.where("team", "nlp").total().cost()).isEqualTo(Money.usd("36800000"));
    assertThat(s.total().outputTokens()).isEqualTo(5 * 920_000_000_000L);
  }
}
