package dev.finops.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.allocation.ChargeCosts;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.core.ledger.Retention;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.spot.SpotEconomics;
import dev.finops.core.training.Hardware;
import dev.finops.core.training.ModelFlops;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Value types of the public packages compare by value (they compared by identity before). */
class ValueTypesTest {

  @Test
  void retention() {
    Retention a = Retention.of(Duration.ofHours(6), Duration.ofDays(7), Duration.ofDays(90));
    assertThat(a).isEqualTo(Retention.defaults()).hasSameHashCodeAs(Retention.defaults());
    assertThat(a).isNotEqualTo(Retention.of(Duration.ofHours(2), Duration.ofDays(7), Duration.ofDays(90)));
  }

  @Test
  void spotEconomics() {
    SpotEconomics a = SpotEconomics.of(Money.usd("12"), Money.usd("32"), Money.usd("1.5"), Money.usd("0.25"));
    SpotEconomics b = SpotEconomics.of(Money.usd("12.00"), Money.usd("32"), Money.usd("1.50"), Money.usd("0.25"));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(SpotEconomics.of(Money.usd("12"), Money.usd("32"), Money.usd("1.5"), Money.usd("0")));
  }

  @Test
  void chargeCosts() {
    ChargeCosts a = ChargeCosts.standard(Money.usd("4.20"));
    assertThat(a).isEqualTo(ChargeCosts.standard(Money.usd("4.2"))).hasSameHashCodeAs(ChargeCosts.standard(Money.usd("4.2")));
    assertThat(a).isNotEqualTo(ChargeCosts.standard(Money.usd("4.21")));
  }

  @Test
  void hardware() {
    Hardware a = Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 2, PurchaseOption.SPOT);
    assertThat(a).isEqualTo(Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 2, PurchaseOption.SPOT))
        .hasSameHashCodeAs(Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 2, PurchaseOption.SPOT));
    assertThat(a).isNotEqualTo(Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 3, PurchaseOption.SPOT));
    assertThat(Hardware.customRate("lab", 8, Money.usd("2"))).isEqualTo(Hardware.customRate("lab", 8, Money.usd("2.0")));
  }

  @Test
  void modelFlopsComparesItsPeakAsANumber() {
    ModelFlops a = ModelFlops.of(7_000_000_000L, 7_000_000_000L, new BigDecimal("989"));
    ModelFlops b = ModelFlops.of(7_000_000_000L, 7_000_000_000L, new BigDecimal("989.0"));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(ModelFlops.of(7_000_000_000L, 6_000_000_000L, new BigDecimal("989")));
  }

  @Test
  void snapshotEntriesOfAnUnchangedLedgerAreEqual() {
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-02T10:00:00Z"));
    Ledger ledger = Ledger.builder().clock(clock).build();
    PriceKey key = PriceKey.custom("lab", "gpu-box", dev.finops.core.catalog.BucketPrices.ofTokens("1", "2"), Money.USD);
    ledger.account(Tags.builder().team("nlp").build()).record(key, Usage.ofTokens(10, 20), clock.wallTimeMillis());

    LedgerSnapshot.Entry a = ledger.snapshot().entries().get(0);
    LedgerSnapshot.Entry b = ledger.snapshot().entries().get(0);

    assertThat(a).isNotSameAs(b).isEqualTo(b).hasSameHashCodeAs(b);
    ledger.account(Tags.builder().team("nlp").build()).record(key, Usage.ofTokens(1, 0), clock.wallTimeMillis());
    assertThat(ledger.snapshot().entries().get(0)).isNotEqualTo(a);
  }
}
