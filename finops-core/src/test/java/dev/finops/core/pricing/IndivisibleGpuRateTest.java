package dev.finops.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Money;
import dev.finops.core.TestCatalogs;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.catalog.PurchaseOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An instance rate that does not divide by its GPU count ($10/h over 3 GPUs) is priced exactly. */
class IndivisibleGpuRateTest {

  private static final long AT = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  private static final long HOUR_MS = 3_600_000L;

  private final Pricing pricing = TestCatalogs.pricing(UnknownModelPolicy.FAIL, PriceCatalog.parse("three.json", """
      { "format_version": 1, "catalog_version": "1", "currency": "USD",
        "gpu_instances": [
          { "provider": "acme", "region": "r1", "instance_type": "tri.gpu", "accelerator": "X", "gpus": 3,
            "source": "test", "versions": [ { "valid_from": "2025-01-01", "on_demand_hourly": "10.00" } ] }
        ] }
      """));

  private final PriceKey key = pricing.gpuKey("acme", "r1", "tri.gpu", PurchaseOption.ON_DEMAND, AT);

  private static long[] gpuMillis(long ms) {
    long[] q = new long[UsageBucket.COUNT];
    q[UsageBucket.GPU_TIME.ordinal()] = ms;
    return q;
  }

  @Test
  void one_gpu_hour_costs_a_third_of_the_instance_hour_exactly() {
    Money third = Money.usd("10").dividedBy(3);
    assertThat(key.kind()).isEqualTo(PriceKey.Kind.GPU);
    assertThat(key.cost(gpuMillis(HOUR_MS))).isEqualTo(third);
    assertThat(key.gpuHourly()).isEqualTo(third);
    assertThat(pricing.gpuRate("acme", "r1", "tri.gpu", PurchaseOption.ON_DEMAND, AT).gpuHourly()).isEqualTo(third);
  }

  @Test
  void the_gpus_of_an_instance_hour_re_sum_to_the_instance_price() {
    Money sum = Money.zero(Money.USD);
    for (int gpu = 0; gpu < 3; gpu++) {
      sum = sum.plus(pricing.priceWith("tri.gpu", key, Usage.builder().gpuMillis(HOUR_MS).build()).total());
    }
    assertThat(sum).isEqualTo(Money.usd("10"));
    assertThat(key.cost(gpuMillis(3 * HOUR_MS))).isEqualTo(Money.usd("10"));
    // a day of the whole instance, in odd slices
    Money day = key.cost(gpuMillis(7)).plus(key.cost(gpuMillis(3 * 24 * HOUR_MS - 7)));
    assertThat(day).isEqualTo(Money.usd("240"));
  }

  @Test
  void a_divisible_rate_keeps_its_terminating_per_gpu_price() {
    PriceKey p4d = TestCatalogs.pricing(UnknownModelPolicy.FAIL, TestCatalogs.pricingFixture())
        .gpuKey("aws", "us-east-1", "p4d.24xlarge", PurchaseOption.ON_DEMAND,
            Instant.parse("2025-07-01T00:00:00Z").toEpochMilli());
    assertThat(p4d.rates().price(UsageBucket.GPU_TIME)).isEqualByComparingTo("2.74470525");
    assertThat(p4d.gpuHourly()).isEqualTo(Money.usd("2.74470525"));
  }

  @Test
  void a_ledger_snapshot_of_three_gpu_hours_costs_the_instance_hour_exactly() {
    dev.finops.core.ledger.Ledger ledger = dev.finops.core.ledger.Ledger.builder().build();
    dev.finops.core.ledger.Account a = ledger.account(dev.finops.core.Tags.builder().team("t").build());
    a.record(key, UsageBucket.GPU_TIME, HOUR_MS, AT);
    a.record(key, UsageBucket.GPU_TIME, 2 * HOUR_MS, AT + 60_000);
    assertThat(ledger.snapshot().total().cost()).isEqualTo(Money.usd("10"));
  }
}
