package dev.finops.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A cost the provider reported wins over the catalog and survives into the ledger. */
class CallerSuppliedCostTest {

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-11-02T10:00:00Z"));
  private final Pricing pricing = Pricing.builder().bundledCatalog(null)
      .userCatalog(PriceCatalog.builder("t", "1").addModel("p", "m", BucketPrices.ofTokens("2.50", "10.00")).build())
      .build();

  @Test
  void reportedCostsAreKeptExactlyAndCountAsPriced() {
    Ledger ledger = Ledger.builder().clock(clock).build();
    Account acct = ledger.account(Tags.builder().team("nlp").build());
    Usage usage = Usage.ofTokens(1_000, 100);

    PricedUsage reported = pricing.priceReported("p", "m", usage, Money.usd("0.00325"));
    acct.record(reported);
    acct.record(reported);
    acct.record(pricing.price("p", "m", usage, clock.wallTimeMillis())); // 0.0025 + 0.001 = 0.0035

    LedgerSnapshot.Totals total = ledger.snapshot().total();
    assertThat(total.cost()).isEqualTo(Money.usd("0.0100"));
    assertThat(total.requests()).isEqualTo(3);
    assertThat(total.hasUnpriced()).isFalse();
    assertThat(ledger.snapshot().entries()).anySatisfy(e -> assertThat(e.key().isPriced()).isTrue());
  }

  @Test
  void reportedCostsBeyondALongOfPicoUnitsStayExact() {
    Ledger ledger = Ledger.builder().clock(clock).build();
    Account acct = ledger.account(Tags.builder().team("nlp").build());
    PricedUsage big = pricing.priceReported("p", "m", Usage.ofTokens(1, 1), Money.usd("5000000.000000000001"));

    acct.record(big);
    acct.record(big); // 10,000,000.000000000002: more than Long.MAX_VALUE pico-units

    assertThat(ledger.snapshot().total().cost()).isEqualTo(Money.usd("10000000.000000000002"));
  }
}
