package dev.finops.core.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.core.Money;
import dev.finops.core.UsageBucket;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.core.report.CostReport;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger as FOCUS rows: valid, adding up to the report, with billed versus effective costs. */
class FocusLedgerExportTest {

  final FocusFixtures fx = new FocusFixtures();
  final LedgerSnapshot snapshot = fx.snapshot();
  final FocusExporter exporter = FocusExporter.builder().billingAccount("acme-ai", "Acme AI").listPrices(fx.pricing)
      .build();
  final FocusExport export = exporter.export(snapshot);

  static List<FocusRow> where(FocusExport e, FocusColumn column, String value) {
    return e.rows().stream().filter(r -> value.equals(r.get(column))).toList();
  }

  @Test
  void everyRowFollowsTheSpecificationInCsvAndJson() throws Exception {
    String csv = FocusFixtures.csv(export);

    assertThat(FocusValidator.validateCsv(csv)).isEmpty();
    assertThat(export.size()).isGreaterThan(1_000);
    assertThat(FocusValidator.readCsv(csv)).hasSize(export.size());

    JsonNode json = new ObjectMapper().readTree(FocusFixtures.json(export));
    List<Map<String, String>> rows = new ArrayList<>();
    for (JsonNode row : json) {
      Map<String, String> m = new LinkedHashMap<>();
      row.properties().forEach(f -> m.put(f.getKey(),
          f.getValue().isNull() ? null : f.getValue().isObject() ? f.getValue().toString() : f.getValue().textValue()));
      rows.add(m);
    }
    assertThat(rows).hasSize(export.size());
    assertThat(FocusValidator.validate(new ArrayList<>(rows.get(0).keySet()), rows)).isEmpty();
    assertThat(json.get(0).get("Tags").isObject()).isTrue();
    assertThat(json.get(0).get("BilledCost").isTextual()).isTrue();
  }

  @Test
  void billedCostAddsUpToTheReportTotalToThePicoUnit() {
    Money reportTotal = CostReport.of(snapshot).total().lines().get(0).cost();

    assertThat(reportTotal.isTerminating()).as("GPU time over milliseconds does not terminate").isFalse();
    assertThat(export.total(FocusColumn.BILLED_COST, Money.USD)).isEqualByComparingTo(reportTotal.amount(12));
    // Effective cost too: nothing here is prepaid.
    assertThat(export.total(FocusColumn.EFFECTIVE_COST, Money.USD)).isEqualByComparingTo(reportTotal.amount(12));
  }

  @Test
  void theRowsOfAnEntryAddUpToItsCostWithinOneUnit() throws Exception {
    Map<String, BigDecimal> exported = new HashMap<>();
    for (FocusRow r : export.rows()) {
      String sku = r.get(FocusColumn.SKU_ID);
      String entry = r.get(FocusColumn.CHARGE_PERIOD_START) + r.get(FocusColumn.TAGS)
          + sku.substring(0, sku.lastIndexOf('/'));
      exported.merge(entry, r.decimal(FocusColumn.BILLED_COST), BigDecimal::add);
    }
    BigDecimal unit = new BigDecimal("1E-12");
    int checked = 0;
    for (LedgerSnapshot.Entry e : snapshot.entries()) {
      if (!e.key().isPriced()) {
        continue;
      }
      String entry = Instant.ofEpochMilli(e.startMillis()) + new ObjectMapper().writeValueAsString(e.tags().asMap())
          + e.key().provider() + "/" + e.key().resource();
      BigDecimal exact = e.cost().amount(30);
      assertThat(exported.get(entry).subtract(exact).abs()).as("%s", e).isLessThan(unit);
      checked++;
    }
    assertThat(checked).isGreaterThan(500);
  }

  @Test
  void spotIsDynamicWithTheOnDemandPriceAsListCost() {
    List<FocusRow> spot = where(export, FocusColumn.PRICING_CATEGORY, "Dynamic");

    assertThat(spot).isNotEmpty().allSatisfy(r -> {
      assertThat(r.get(FocusColumn.RESOURCE_ID)).isEqualTo("ft-1");
      assertThat(r.get(FocusColumn.RESOURCE_TYPE)).isEqualTo("Training Run");
      assertThat(r.decimal(FocusColumn.BILLED_COST)).isEqualByComparingTo(r.decimal(FocusColumn.EFFECTIVE_COST));
      assertThat(r.decimal(FocusColumn.LIST_COST)).isGreaterThan(r.decimal(FocusColumn.BILLED_COST));
      assertThat(r.get(FocusColumn.PRICING_UNIT)).isEqualTo("GPU-Hours");
      assertThat(r.get(FocusColumn.CONSUMED_UNIT)).isEqualTo("GPU-Seconds");
      assertThat(r.decimal(FocusColumn.X_GPU_SECONDS)).isEqualByComparingTo(r.decimal(FocusColumn.CONSUMED_QUANTITY));
      assertThat(r.get(FocusColumn.SKU_PRICE_ID)).isEqualTo("aws/p4d.24xlarge/gpu_time/spot@gpu-1");
      assertThat(r.get(FocusColumn.SKU_PRICE_DETAILS)).isEqualTo("{\"InstanceType\":\"p4d.24xlarge\"}");
      assertThat(r.get(FocusColumn.SERVICE_CATEGORY)).isEqualTo("Compute");
    });
    // 1.50 spot against 4.00 on demand per GPU-hour: list = billed × 8/3, to the pico-unit.
    BigDecimal billed = spot.stream().map(r -> r.decimal(FocusColumn.BILLED_COST)).reduce(BigDecimal.ZERO,
        BigDecimal::add);
    BigDecimal list = spot.stream().map(r -> r.decimal(FocusColumn.LIST_COST)).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(billed.multiply(BigDecimal.valueOf(8)).subtract(list.multiply(BigDecimal.valueOf(3))).abs())
        .isLessThan(new BigDecimal("1E-8")); // 300 rows, each within a pico-unit
  }

  @Test
  void committedIsAmortizedAndAPrepaidShareLeavesBilledCost() {
    FocusExport prepaid = FocusExporter.builder().listPrices(fx.pricing).commitmentUpfrontShare(BigDecimal.ONE).build()
        .export(snapshot);

    List<FocusRow> committed = where(prepaid, FocusColumn.PRICING_CATEGORY, "Committed");
    assertThat(committed).isNotEmpty().allSatisfy(r -> {
      assertThat(r.decimal(FocusColumn.BILLED_COST)).isZero();
      assertThat(r.decimal(FocusColumn.EFFECTIVE_COST)).isPositive();
      // 2.50 committed against 4.00 on demand
      assertThat(r.decimal(FocusColumn.CONTRACTED_COST)).isEqualByComparingTo(r.decimal(FocusColumn.LIST_COST));
      assertThat(r.decimal(FocusColumn.EFFECTIVE_COST).multiply(new BigDecimal("1.6")))
          .isCloseTo(r.decimal(FocusColumn.LIST_COST), within(new BigDecimal("1E-11")));
    });
    assertThat(FocusValidator.validateCsv(FocusFixtures.csv(prepaid))).isEmpty();
  }

  @Test
  void aRowWhoseCostsAreEqualShowsThemEqualAndOthersStayWithinOneUnit() {
    assertThat(export.rows()).filteredOn(r -> !r.get(FocusColumn.PRICING_CATEGORY).equals("Dynamic")
        && !r.get(FocusColumn.PRICING_CATEGORY).equals("Committed")).isNotEmpty().allSatisfy(r -> {
          assertThat(r.get(FocusColumn.LIST_COST)).isEqualTo(r.get(FocusColumn.EFFECTIVE_COST));
          assertThat(r.get(FocusColumn.CONTRACTED_COST)).isEqualTo(r.get(FocusColumn.EFFECTIVE_COST));
        });
    assertThat(export.rows()).allSatisfy(
        r -> assertThat(r.get(FocusColumn.BILLED_COST)).isEqualTo(r.get(FocusColumn.EFFECTIVE_COST)));

    FocusExport half = FocusExporter.builder().commitmentUpfrontShare(new BigDecimal("0.5")).build().export(snapshot);
    BigDecimal twoUnits = new BigDecimal("2E-12"); // one unit from exact, half a unit of effective÷2
    assertThat(where(half, FocusColumn.PRICING_CATEGORY, "Committed")).isNotEmpty().allSatisfy(r -> {
      BigDecimal exactHalf = r.decimal(FocusColumn.EFFECTIVE_COST).divide(BigDecimal.valueOf(2));
      assertThat(r.decimal(FocusColumn.BILLED_COST).subtract(exactHalf).abs()).isLessThanOrEqualTo(twoUnits);
    });
  }

  @Test
  void withoutListPricesEveryCostColumnIsTheCost() {
    FocusExport plain = FocusExporter.builder().build().export(snapshot);

    assertThat(plain.rows()).allSatisfy(r -> {
      assertThat(r.get(FocusColumn.LIST_COST)).isEqualTo(r.get(FocusColumn.BILLED_COST));
      assertThat(r.get(FocusColumn.CONTRACTED_COST)).isEqualTo(r.get(FocusColumn.BILLED_COST));
      assertThat(r.get(FocusColumn.BILLING_ACCOUNT_ID)).isEqualTo("default");
    });
  }

  @Test
  void tokenRowsArePricedPerThousandTokensWithDirectionAndCacheAction() {
    List<FocusRow> reads = where(export, FocusColumn.X_USAGE_BUCKET, "cache_read");
    List<FocusRow> writes = where(export, FocusColumn.X_USAGE_BUCKET, "cache_write_5m");
    List<FocusRow> outputs = where(export, FocusColumn.X_USAGE_BUCKET, "output");

    FocusRow read = reads.get(0);
    assertThat(read.get(FocusColumn.PRICING_UNIT)).isEqualTo("1000 Tokens");
    assertThat(read.get(FocusColumn.CONSUMED_UNIT)).isEqualTo("Tokens");
    assertThat(read.decimal(FocusColumn.PRICING_QUANTITY).movePointRight(3))
        .isEqualByComparingTo(read.decimal(FocusColumn.CONSUMED_QUANTITY));
    assertThat(read.get(FocusColumn.X_TOKEN_DIRECTION)).isEqualTo("Input");
    assertThat(read.get(FocusColumn.X_CACHE_ACTION)).isEqualTo("Read");
    assertThat(read.get(FocusColumn.X_MODEL)).isEqualTo("chat-1");
    assertThat(read.get(FocusColumn.PRICING_CATEGORY)).isEqualTo("Standard");
    assertThat(read.get(FocusColumn.SERVICE_CATEGORY)).isEqualTo("AI and Machine Learning");
    assertThat(read.get(FocusColumn.SERVICE_SUBCATEGORY)).isEqualTo("Generative AI");
    assertThat(read.get(FocusColumn.SKU_PRICE_DETAILS))
        .isEqualTo("{\"x_ModelFamily\":\"chat-1\",\"x_TokenDirection\":\"Input\",\"x_CacheAction\":\"Read\"}");
    assertThat(read.get(FocusColumn.TAGS)).isEqualTo("{\"team\":\"nlp\",\"model\":\"chat-1\"}");
    assertThat(read.get(FocusColumn.X_CATALOG_VERSION)).isEqualTo("2026-01");
    assertThat(writes.get(0).get(FocusColumn.X_CACHE_ACTION)).isEqualTo("Write");
    assertThat(outputs.get(0).get(FocusColumn.X_TOKEN_DIRECTION)).isEqualTo("Output");
    assertThat(outputs.get(0).get(FocusColumn.X_CACHE_ACTION)).isNull();
    // 2,048 cached tokens at 0.25 per 1M
    FocusRow cached = reads.stream().filter(r -> r.get(FocusColumn.CONSUMED_QUANTITY).equals("2048")).findFirst()
        .orElseThrow();
    assertThat(cached.decimal(FocusColumn.BILLED_COST)).isEqualByComparingTo("0.000512");
  }

  @Test
  void ownedGpusAreOtherWithEnergyInKilowattHours() {
    List<FocusRow> energy = where(export, FocusColumn.X_USAGE_BUCKET, UsageBucket.ENERGY.jsonName());

    assertThat(energy).isNotEmpty().allSatisfy(r -> {
      assertThat(r.get(FocusColumn.PRICING_CATEGORY)).isEqualTo("Other");
      assertThat(r.get(FocusColumn.PRICING_UNIT)).isEqualTo("Kilowatt-Hours");
      assertThat(r.get(FocusColumn.CONSUMED_UNIT)).isEqualTo("Joules");
      assertThat(r.get(FocusColumn.SERVICE_SUBCATEGORY)).isEqualTo("Other (Compute)");
      assertThat(r.get(FocusColumn.X_GPU_SECONDS)).isNull();
    });
  }

  @Test
  void unpricedUsageIsLeftOutAndCounted() {
    assertThat(export.unpricedRows()).isEqualTo(60 * 2); // 60 records of input and output tokens
    assertThat(where(export, FocusColumn.X_MODEL, "mystery")).isEmpty();
  }

  @Test
  void datesAreUtcAndTheBillingPeriodIsTheCalendarMonth() {
    assertThat(export.rows()).allSatisfy(r -> {
      String start = r.get(FocusColumn.CHARGE_PERIOD_START);
      String month = start.startsWith("2026-10") ? "2026-10-01T00:00:00Z" : "2026-11-01T00:00:00Z";
      assertThat(r.get(FocusColumn.BILLING_PERIOD_START)).isEqualTo(month);
    });
    assertThat(export.rows().get(0).get(FocusColumn.CHARGE_PERIOD_START)).isEqualTo("2026-10-31T12:00:00Z");
    assertThat(export.rows().get(0).get(FocusColumn.CHARGE_PERIOD_END)).isEqualTo("2026-10-31T12:01:00Z");
    assertThat(export.rows().get(0).get(FocusColumn.BILLING_PERIOD_END)).isEqualTo("2026-11-01T00:00:00Z");
  }

  @Test
  void theSameSnapshotExportsTheSameFile() {
    assertThat(FocusFixtures.csv(exporter.export(fx.snapshot()))).isEqualTo(FocusFixtures.csv(export));
  }

  @Test
  void aCoarserScaleStillAddsUpToTheRoundedTotal() {
    FocusExport cents = FocusExporter.builder().scale(2).build().export(snapshot);
    Money reportTotal = CostReport.of(snapshot).total().lines().get(0).cost();

    assertThat(cents.total(FocusColumn.BILLED_COST, Money.USD)).isEqualByComparingTo(reportTotal.amount(2));
    assertThat(cents.rows()).allSatisfy(r -> assertThat(r.decimal(FocusColumn.BILLED_COST).scale())
        .isLessThanOrEqualTo(2));
  }
}
