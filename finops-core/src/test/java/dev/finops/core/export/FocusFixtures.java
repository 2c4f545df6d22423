package dev.finops.core.export;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.TokenConventions;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.ledger.Account;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.UnknownModelPolicy;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * A ledger with every kind of spend the exporter meets, over a day and a half across a month end:
 *
 * <pre>
 * catalog "focus-test" 2026-01: acme/chat-1 per 1M tokens: input 2.50, cache_read 0.25,
 *   cache_write_5m 3.125, output 10.00
 * GPU: aws p4d.24xlarge (8 GPUs) per instance-hour: on demand 32, spot 12, committed 20
 *   (per GPU-hour 4, 1.5, 2.5); on-prem "dgx": 1.90 per GPU-hour, 0.12 per kWh
 *
 * team=nlp,model=chat-1            chat-1 calls with cache reads and writes, every 7 minutes
 * team=research,run=ft-1           p4d on spot: 8 GPUs, 7 minutes at a time (never a whole cent)
 * team=research,run=ft-2           p4d committed: 8 GPUs
 * team=product,endpoint=chat-small p4d on demand: 1 GPU
 * team=research,run=pretrain       on-prem dgx: GPU time and energy
 * team=nlp,model=mystery           an unknown model, recorded unpriced
 * </pre>
 */
final class FocusFixtures {

  static final Instant T0 = Instant.parse("2026-10-31T12:00:00Z");

  final ManualClock clock = ManualClock.at(T0);
  final Ledger ledger = Ledger.builder().clock(clock).build();
  final Pricing pricing;

  FocusFixtures() {
    Map<UsageBucket, BigDecimal> chat = new EnumMap<>(UsageBucket.class);
    chat.put(UsageBucket.INPUT_UNCACHED, new BigDecimal("2.50"));
    chat.put(UsageBucket.CACHE_READ, new BigDecimal("0.25"));
    chat.put(UsageBucket.CACHE_WRITE_5M, new BigDecimal("3.125"));
    chat.put(UsageBucket.OUTPUT, new BigDecimal("10.00"));
    PriceCatalog models = PriceCatalog.builder("focus-test", "2026-01")
        .addModel("acme", "chat-1", BucketPrices.of(chat)).build();
    PriceCatalog gpus = PriceCatalog.parse("gpu.json", """
        { "format_version": 1, "catalog_version": "gpu-1", "currency": "USD",
          "gpu_instances": [
            { "provider": "aws", "region": "us-east-1", "instance_type": "p4d.24xlarge",
              "accelerator": "A100-40GB", "gpus": 8, "source": "test",
              "versions": [ { "valid_from": "2025-01-01", "on_demand_hourly": "32.00", "spot_hourly": "12.00",
                              "committed_hourly": "20.00" } ] } ],
          "on_prem_gpus": [
            { "id": "dgx", "accelerator": "H100-80GB", "gpus": 8, "source": "test",
              "versions": [ { "valid_from": "2025-01-01", "amortized_gpu_hourly": "1.90", "energy_per_kwh": "0.12" } ] } ]
        }
        """);
    pricing = Pricing.builder().bundledCatalog(null).userCatalog(models).userCatalog(gpus)
        .unknownModelPolicy(UnknownModelPolicy.RECORD_UNPRICED).build();
    record();
  }

  private void record() {
    Account nlp = ledger.account(Tags.builder().team("nlp").model("chat-1").build());
    Account spot = ledger.account(Tags.builder().team("research").run("ft-1").build());
    Account committed = ledger.account(Tags.builder().team("research").run("ft-2").build());
    Account endpoint = ledger.account(Tags.builder().team("product").endpoint("chat-small").build());
    Account onPrem = ledger.account(Tags.builder().team("research").run("pretrain").build());
    Account unknown = ledger.account(Tags.builder().team("nlp").model("mystery").build());
    long t = T0.toEpochMilli();
    PriceKey spotKey = pricing.gpuKey("aws", "us-east-1", "p4d.24xlarge", PurchaseOption.SPOT, t);
    PriceKey committedKey = pricing.gpuKey("aws", "us-east-1", "p4d.24xlarge", PurchaseOption.COMMITTED, t);
    PriceKey onDemandKey = pricing.gpuKey("aws", "us-east-1", "p4d.24xlarge", PurchaseOption.ON_DEMAND, t);
    PriceKey dgx = pricing.onPremKey("dgx", t);
    for (int i = 0; i < 300; i++) {
      long now = t + i * 7 * 60_000L; // every 7 minutes for 35 hours: across the month end
      nlp.record(pricing.price("acme", "chat-1", TokenConventions.fromInclusive(3_000 + i, 400 + i % 90,
          i % 3 == 0 ? 0 : 2_048, i % 3 == 0 ? 2_048 : 0, 0), now), now);
      spot.record(spotKey, UsageBucket.GPU_TIME, 8 * 7 * 60_000L + i, now);
      if (i % 5 == 0) {
        committed.record(committedKey, UsageBucket.GPU_TIME, 8 * 7 * 60_000L, now);
        endpoint.record(onDemandKey, UsageBucket.GPU_TIME, 7 * 60_000L - i, now);
        onPrem.record(dgx, UsageBucket.GPU_TIME, 8 * 7 * 60_000L + 13, now);
        onPrem.record(dgx, UsageBucket.ENERGY, 7 * 60_000L * 8 * 400L + i, now); // 400 W per GPU: W × ms = mJ
        unknown.record(pricing.price("acme", "mystery", TokenConventions.fromInclusive(100, 10, 0, 0, 0), now), now);
      }
    }
    clock.advance(Duration.ofDays(2));
  }

  LedgerSnapshot snapshot() {
    return ledger.snapshot();
  }

  static String csv(FocusExport export) {
    StringWriter w = new StringWriter();
    try {
      export.writeCsv(w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  static String json(FocusExport export) {
    StringWriter w = new StringWriter();
    try {
      export.writeJson(w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  static Money usd(BigDecimal amount) {
    return Money.of(amount, Money.USD);
  }
}
