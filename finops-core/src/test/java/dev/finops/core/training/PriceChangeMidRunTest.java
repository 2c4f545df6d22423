package dev.finops.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.ledger.LedgerFixtures;
import dev.finops.core.pricing.Pricing;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A run that spans a dated catalog price change: each slice of GPU time is priced at the rate in force
 * at its time, a slice across the change split at it.
 */
class PriceChangeMidRunTest {

  /** 8 GPUs: 16.00 an hour (2.00 per GPU-hour) until 2026-06-01T00:00Z, 32.00 (4.00) from then on. */
  private static final PriceCatalog CATALOG = PriceCatalog.parse("change.json", """
      { "format_version": 1, "catalog_version": "1", "currency": "USD",
        "gpu_instances": [
          { "provider": "aws", "region": "us-east-1", "instance_type": "p4d.24xlarge",
            "accelerator": "A100-40GB", "gpus": 8, "source": "test",
            "versions": [
              { "valid_from": "2026-01-01", "valid_to": "2026-06-01T00:00:00Z", "on_demand_hourly": "16.00" },
              { "valid_from": "2026-06-01T00:00:00Z", "on_demand_hourly": "32.00" } ] }
        ],
        "on_prem_gpus": [
          { "id": "dgx", "accelerator": "H100-80GB", "gpus": 8, "source": "test",
            "versions": [
              { "valid_from": "2026-01-01", "valid_to": "2026-06-01T00:00:00Z", "amortized_gpu_hourly": "1.00",
                "energy_per_kwh": "0.10" },
              { "valid_from": "2026-06-01T00:00:00Z", "amortized_gpu_hourly": "3.00", "energy_per_kwh": "0.10" } ] }
        ] }
      """);

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-05-31T23:00:00Z"));
  private final Ledger ledger = LedgerFixtures.ledger(clock);
  private final Pricing pricing = LedgerFixtures.pricing(CATALOG);

  private TrainingRun start(String id, Hardware hardware) {
    return TrainingRun.builder(pricing, ledger).runId(id).tags(Tags.builder().team("nlp").build())
        .hardware(hardware).start();
  }

  private void stepAfter(TrainingRun run, Duration d) {
    clock.advance(d);
    run.step(64, 4_096);
  }

  private Money inLedger(String id) {
    return ledger.snapshot().where("run", id).total().cost();
  }

  @Test
  void each_slice_of_an_instance_run_is_priced_at_the_rate_in_force_then() {
    TrainingRun run = start("across", Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 1,
        PurchaseOption.ON_DEMAND));
    assertThat(run.priceKey().gpuHourly()).isEqualTo(Money.usd("2"));

    stepAfter(run, Duration.ofMinutes(45)); // 23:00-23:45 at 2.00: 8 × 0.75 × 2 = 12
    assertThat(inLedger("across")).isEqualTo(Money.usd("12"));

    stepAfter(run, Duration.ofMinutes(30)); // 23:45-00:15: 15 min at 2.00 (4), 15 min at 4.00 (8)
    assertThat(inLedger("across")).isEqualTo(Money.usd("24"));
    assertThat(run.priceKey().gpuHourly()).isEqualTo(Money.usd("4"));

    stepAfter(run, Duration.ofMinutes(45)); // 00:15-01:00 at 4.00: 24
    run.close();

    // one hour at 2.00 and one at 4.00 per GPU-hour, 8 GPUs: 16 + 32
    assertThat(inLedger("across")).isEqualTo(Money.usd("48"));
    assertThat(run.report().cost()).isEqualTo(Money.usd("48"));
    assertThat(run.report().gpuMillis()).isEqualTo(8 * 2 * 3_600_000L);
    // the ledger dates each part within its price: the slice before the change before it
    assertThat(ledger.snapshot().where("run", "across").total().gpuMillis()).isEqualTo(8 * 2 * 3_600_000L);
  }

  @Test
  void an_on_prem_run_follows_the_amortized_rate_change_too() {
    TrainingRun run = start("owned", Hardware.onPrem("dgx", 8));
    stepAfter(run, Duration.ofHours(2)); // one step over the change: 1 h at 1.00 and 1 h at 3.00, 8 GPUs
    run.close();
    assertThat(inLedger("owned")).isEqualTo(Money.usd("32"));
    assertThat(run.report().cost()).isEqualTo(Money.usd("32"));
  }

  @Test
  void a_run_within_one_price_is_unchanged() {
    TrainingRun run = start("within", Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 1,
        PurchaseOption.ON_DEMAND));
    stepAfter(run, Duration.ofMinutes(30));
    run.close();
    assertThat(inLedger("within")).isEqualTo(Money.usd("8"));
    assertThat(run.report().cost()).isEqualTo(Money.usd("8"));
  }
}
