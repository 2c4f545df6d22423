package dev.finops.core.ledger;

import static dev.finops.core.ledger.LedgerFixtures.PROVIDER;
import static dev.finops.core.ledger.LedgerFixtures.tags;
import static dev.finops.core.ledger.LedgerFixtures.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.ModelEntry;
import dev.finops.core.catalog.ModelPrice;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerRepricingTest {

  private final ManualClock clock = LedgerFixtures.clock();
  private final Ledger ledger = LedgerFixtures.ledger(clock);
  private final Pricing pricing = LedgerFixtures.pricing(LedgerFixtures.tokenCatalog());

  /**
   * nlp on m1: 1,000,000 in × 2.50 + 200,000 out × 10.00 / 1M = 2.50 + 2.00 = 4.50.
   * ads on m2: 100,000 in × 3.00 + 10,000 out × 15.00 / 1M = 0.30 + 0.15 = 0.45.
   */
  private LedgerSnapshot recordTwoTeams() {
    ledger.account(tags("nlp", "m1")).record(pricing.bind(PROVIDER, "m1"), tokens(1_000_000, 200_000));
    ledger.account(tags("ads", "m2")).record(pricing.bind(PROVIDER, "m2"), tokens(100_000, 10_000));
    LedgerSnapshot snapshot = ledger.snapshot();
    assertThat(snapshot.total().cost()).isEqualTo(Money.usd("4.95"));
    return snapshot;
  }

  private static Money teamCost(LedgerSnapshot snapshot, String team) {
    return snapshot.where("team", team).total().cost();
  }

  @Test
  void repricingOneModelAsAnotherPricesOnlyItsUsageAtTheOtherModelsPrices() {
    LedgerSnapshot original = recordTwoTeams();

    LedgerSnapshot onM2 = original.reprice(Repricing.model(PROVIDER, "m1", pricing, PROVIDER, "m2"));

    // nlp's m1 usage at m2 prices: 1,000,000 × 3.00 / 1M + 200,000 × 15.00 / 1M = 3.00 + 3.00 = 6.00
    assertThat(teamCost(onM2, "nlp")).isEqualTo(Money.usd("6.00"));
    assertThat(teamCost(onM2, "ads")).isEqualTo(Money.usd("0.45"));
    assertThat(onM2.total().cost()).isEqualTo(Money.usd("6.45"));
    assertThat(onM2.where("team", "nlp").entries()).allSatisfy(e -> assertThat(e.key().resource()).isEqualTo("m2"));
    // quantities and record counts are not touched
    assertThat(onM2.total().quantity(UsageBucket.INPUT_UNCACHED)).isEqualTo(1_100_000);
    assertThat(onM2.total().records()).isEqualTo(2);
  }

  @Test
  void repricingLeavesTheOriginalSnapshotUnchanged() {
    LedgerSnapshot original = recordTwoTeams();
    List<PriceKey> keysBefore = original.entries().stream().map(LedgerSnapshot.Entry::key).toList();

    original.reprice(Repricing.model(null, "m1", pricing, PROVIDER, "m2"));
    original.reprice(Repricing.catalog(LedgerFixtures.pricing(PriceCatalog.builder("t", "2")
        .addModel(PROVIDER, "m1", BucketPrices.ofTokens("0", "0")).build())));

    assertThat(original.total().cost()).isEqualTo(Money.usd("4.95"));
    assertThat(teamCost(original, "nlp")).isEqualTo(Money.usd("4.50"));
    assertThat(original.entries().stream().map(LedgerSnapshot.Entry::key).toList()).isEqualTo(keysBefore);
  }

  @Test
  void aNullFromProviderMatchesTheModelOfAnyProvider() {
    LedgerSnapshot original = recordTwoTeams();

    LedgerSnapshot onM2 = original.reprice(Repricing.model(null, "M1", pricing, PROVIDER, "m2"));

    assertThat(teamCost(onM2, "nlp")).isEqualTo(Money.usd("6.00"));
  }

  @Test
  void repricingAgainstAnotherCatalogUsesItsPricesAndRecordsItsVersion() {
    LedgerSnapshot original = recordTwoTeams();
    Pricing nextMonth = LedgerFixtures.pricing(PriceCatalog.builder("t", "2")
        .addModel(PROVIDER, "m1", BucketPrices.ofTokens("1.25", "5.00"))
        .addModel(PROVIDER, "m2", BucketPrices.ofTokens("0.75", "2.40"))
        .build());

    LedgerSnapshot repriced = original.reprice(Repricing.catalog(nextMonth));

    // nlp: 1,000,000 × 1.25 / 1M + 200,000 × 5.00 / 1M = 1.25 + 1.00 = 2.25
    // ads:   100,000 × 0.75 / 1M +  10,000 × 2.40 / 1M = 0.075 + 0.024 = 0.099
    assertThat(teamCost(repriced, "nlp")).isEqualTo(Money.usd("2.25"));
    assertThat(teamCost(repriced, "ads")).isEqualTo(Money.usd("0.099"));
    assertThat(repriced.total().cost()).isEqualTo(Money.usd("2.349"));
    assertThat(repriced.entries()).allSatisfy(e -> assertThat(e.key().catalogVersion()).isEqualTo("2"));
    assertThat(original.entries()).allSatisfy(e -> assertThat(e.key().catalogVersion()).isEqualTo("1"));
  }

  @Test
  void repricingToAModelTheTargetDoesNotKnowLeavesTheQuantitiesUnpricedNotFree() {
    LedgerSnapshot original = recordTwoTeams();

    LedgerSnapshot repriced = original.reprice(Repricing.model(PROVIDER, "m1", pricing, PROVIDER, "no-such-model"));

    LedgerSnapshot.Totals nlp = repriced.where("team", "nlp").total();
    assertThat(nlp.cost()).isEqualTo(Money.zero(Money.USD));
    assertThat(nlp.hasUnpriced()).isTrue();
    assertThat(nlp.unpricedQuantity(UsageBucket.INPUT_UNCACHED)).isEqualTo(1_000_000);
    assertThat(nlp.unpricedQuantity(UsageBucket.OUTPUT)).isEqualTo(200_000);
    assertThat(nlp.unpricedRecords()).isEqualTo(1);
  }

  @Test
  void repricingKeepsTheServiceTierTheUsageWasRecordedIn() {
    Pricing batchPricing = LedgerFixtures.pricing(PriceCatalog.builder("t", "1")
        .addModel(withBatchDiscount("m1", BucketPrices.ofTokens("2.50", "10.00")))
        .addModel(withBatchDiscount("m2", BucketPrices.ofTokens("3.00", "15.00")))
        .build());
    Usage batch = tokens(1_000_000, 200_000).withServiceTier("batch");
    ledger.account(tags("nlp", "m1")).record(batchPricing.bind(PROVIDER, "m1"), batch);
    LedgerSnapshot original = ledger.snapshot();
    // batch is half price: (2.50 + 2.00) × 0.5 = 2.25
    assertThat(original.total().cost()).isEqualTo(Money.usd("2.25"));

    LedgerSnapshot onM2 = original.reprice(Repricing.model(PROVIDER, "m1", batchPricing, PROVIDER, "m2"));

    // at m2's batch prices: (3.00 + 3.00) × 0.5 = 3.00
    assertThat(onM2.total().cost()).isEqualTo(Money.usd("3.00"));
    assertThat(onM2.entries()).singleElement().satisfies(e -> assertThat(e.key().serviceTier()).isEqualTo("batch"));
  }

  private static ModelEntry withBatchDiscount(String id, BucketPrices prices) {
    ModelPrice price = new ModelPrice(Instant.EPOCH, null, Money.USD, prices, List.of(),
        Map.of("batch", new BigDecimal("0.5")));
    return new ModelEntry(PROVIDER, id, List.of(), List.of(), "test", List.of(price));
  }
}
