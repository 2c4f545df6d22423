package dev.finops.core.ledger;

import static dev.finops.core.ledger.LedgerFixtures.INSTANCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.PricingException;
import org.junit.jupiter.api.Test;

/** Re-pricing GPU time to another purchase option keeps the region the usage was recorded in. */
class RepricingRegionTest {

  private static final long HOUR = 3_600_000L;

  /**
   * p4d.24xlarge (8 GPUs) per instance-hour: us-east-1 on demand 32.00, spot 12.00; eu-west-1 on
   * demand 40.00, spot 16.00; ap-south-1 on demand 36.00 and no spot price.
   */
  private static PriceCatalog regions() {
    return PriceCatalog.parse("regions.json", """
        { "format_version": 1, "catalog_version": "1", "currency": "USD",
          "gpu_instances": [
            { "provider": "aws", "region": "us-east-1", "instance_type": "p4d.24xlarge",
              "accelerator": "A100-40GB", "gpus": 8, "source": "test",
              "versions": [ { "valid_from": "2025-01-01", "on_demand_hourly": "32.00", "spot_hourly": "12.00" } ] },
            { "provider": "aws", "region": "eu-west-1", "instance_type": "p4d.24xlarge",
              "accelerator": "A100-40GB", "gpus": 8, "source": "test",
              "versions": [ { "valid_from": "2025-01-01", "on_demand_hourly": "40.00", "spot_hourly": "16.00" } ] },
            { "provider": "aws", "region": "ap-south-1", "instance_type": "p4d.24xlarge",
              "accelerator": "A100-40GB", "gpus": 8, "source": "test",
              "versions": [ { "valid_from": "2025-01-01", "on_demand_hourly": "36.00" } ] }
          ] }
        """);
  }

  private final ManualClock clock = LedgerFixtures.clock();
  private final Pricing pricing = LedgerFixtures.pricing(regions());

  /** 8 GPU-hours (one instance-hour) on demand in {@code region}. */
  private LedgerSnapshot oneInstanceHourIn(String region) {
    Ledger ledger = LedgerFixtures.ledger(clock);
    PriceKey key = pricing.gpuKey("aws", region, INSTANCE, PurchaseOption.ON_DEMAND, clock.wallTimeMillis());
    ledger.account(Tags.builder().team("research").build())
        .record(key, UsageBucket.GPU_TIME, 8 * HOUR, clock.wallTimeMillis());
    return ledger.snapshot();
  }

  @Test
  void theKeyKnowsItsRegion() {
    assertThat(pricing.gpuKey("aws", "eu-west-1", INSTANCE, PurchaseOption.SPOT, clock.wallTimeMillis()).region())
        .isEqualTo("eu-west-1");
  }

  @Test
  void spotRepricingUsesTheSpotPriceOfTheRegionTheUsageRanIn() {
    LedgerSnapshot eu = oneInstanceHourIn("eu-west-1");
    assertThat(eu.total().cost()).isEqualTo(Money.usd("40.00"));

    LedgerSnapshot onSpot = eu.reprice(Repricing.purchaseOption(pricing, PurchaseOption.SPOT));

    // eu-west-1's spot 16.00 per instance-hour, not us-east-1's 12.00
    assertThat(onSpot.total().cost()).isEqualTo(Money.usd("16.00"));
    assertThat(onSpot.entries()).singleElement().satisfies(e -> {
      assertThat(e.key().region()).isEqualTo("eu-west-1");
      assertThat(e.key().purchaseOption()).isEqualTo(PurchaseOption.SPOT);
    });
    // and back to on demand: eu-west-1's 40.00 again
    assertThat(onSpot.reprice(Repricing.purchaseOption(pricing, PurchaseOption.ON_DEMAND)).total().cost())
        .isEqualTo(Money.usd("40.00"));
  }

  @Test
  void anOptionWithNoPriceInTheUsagesRegionIsAnErrorNamingTheInstanceAndRegion() {
    LedgerSnapshot ap = oneInstanceHourIn("ap-south-1");

    assertThatThrownBy(() -> ap.reprice(Repricing.purchaseOption(pricing, PurchaseOption.SPOT)))
        .isInstanceOf(PricingException.class)
        .hasMessageContaining(INSTANCE).hasMessageContaining("ap-south-1").hasMessageContaining("spot");
  }
}
