package dev.finops.core.report;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.catalog.PriceSource;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.UnknownModelPolicy;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;

/**
 * A small ledger the report tests share. Prices per 1M tokens: acme/big-1 2.50 in, 10.00 out;
 * acme/small-1 0.15 in, 0.60 out; acme/mystery-1 is in no catalog (recorded unpriced).
 *
 * <pre>
 * team    experiment  run  model      requests  in       out     cost
 * nlp     lr-sweep    r1   big-1      3         1,000    500     3 × 0.0075  = 0.0225
 * nlp     -           r2   small-1    2         10,000   2,000   2 × 0.0027  = 0.0054
 * vision  -           r3   big-1      1         100,000  10,000  0.35
 * -       -           -    small-1    1         1,000    1,000   0.00075
 * vision  -           -    mystery-1  2         500      100     unpriced
 * audio   -           -    mystery-1  1         300      0       unpriced
 * </pre>
 *
 * Priced total 0.37865 over 7 requests; unpriced: 3 records, 1,300 input and 200 output tokens.
 */
final class ReportFixtures {

  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final Currency EUR = Currency.getInstance("EUR");

  final ManualClock clock = ManualClock.at(T0);
  final Ledger ledger = Ledger.builder().clock(clock).build();
  final Pricing pricing;

  ReportFixtures() {
    PriceCatalog usd = PriceCatalog.builder("report-test", "2026-01-01")
        .addModel("acme", "big-1", BucketPrices.ofTokens("2.50", "10.00"))
        .addModel("acme", "small-1", BucketPrices.ofTokens("0.15", "0.60"))
        .build();
    PriceCatalog eur = PriceCatalog.builder("report-test-eur", "2026-01-01").currency(EUR)
        .addModel("euro", "eu-1", BucketPrices.ofTokens("1.00", "3.00"))
        .build();
    pricing = Pricing.builder().bundledCatalog(null).userCatalog(usd).userCatalog(eur)
        .unknownModelPolicy(UnknownModelPolicy.RECORD_UNPRICED).build();
  }

  /** The ledger of the class comment. */
  static ReportFixtures standard() {
    ReportFixtures f = new ReportFixtures();
    f.record(3, Tags.builder().team("nlp").experiment("lr-sweep").run("r1").model("big-1").build(), "big-1", 1_000, 500);
    f.record(2, Tags.builder().team("nlp").run("r2").model("small-1").build(), "small-1", 10_000, 2_000);
    f.record(1, Tags.builder().team("vision").run("r3").model("big-1").build(), "big-1", 100_000, 10_000);
    f.record(1, Tags.builder().model("small-1").build(), "small-1", 1_000, 1_000);
    f.record(2, Tags.builder().team("vision").model("mystery-1").build(), "mystery-1", 500, 100);
    f.record(1, Tags.builder().team("audio").model("mystery-1").build(), "mystery-1", 300, 0);
    return f;
  }

  /** Records {@code times} requests of {@code in}/{@code out} tokens of an acme (or euro) model. */
  void record(int times, Tags tags, String model, long in, long out) {
    String provider = model.startsWith("eu-") ? "euro" : "acme";
    for (int i = 0; i < times; i++) {
      ledger.record(tags, pricing.price(provider, model, Usage.ofTokens(in, out), clock.instant()));
    }
  }

  /** Records GPU time at a custom hourly rate in US dollars, as one record. */
  void recordGpu(Tags tags, String perGpuHour, long gpuMillis) {
    PriceKey key = PriceKey.gpuTime(PriceKey.Kind.CUSTOM, "onprem", "h100", null, new BigDecimal(perGpuHour),
        PriceSource.OVERRIDE, null, null, Money.USD);
    ledger.account(tags).record(key, UsageBucket.GPU_TIME, gpuMillis, clock.wallTimeMillis());
  }

  CostReport report() {
    return CostReport.of(ledger.snapshot());
  }
}
