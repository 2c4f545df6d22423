package dev.finops.core.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.allocation.GpuFraction;
import dev.finops.core.allocation.IdlePolicy;
import dev.finops.core.allocation.SharedAsset;
import dev.finops.core.allocation.SharedCostAllocation;
import dev.finops.core.allocation.SharedCostAllocator;
import dev.finops.core.allocation.Split;
import dev.finops.core.allocation.UsageRecord;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.training.Hardware;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** A shared asset's split as FOCUS split-cost-allocation rows. */
class FocusAllocationExportTest {

  static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
  final FocusFixtures fx = new FocusFixtures();

  SharedCostAllocation spotNode(IdlePolicy idle) {
    SharedAsset node = SharedAsset.onHardware("i-0abc", Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 1,
        PurchaseOption.SPOT), fx.pricing, START, START.plusSeconds(3 * 3_600)).name("gpu-node-7")
        .tags(Tags.builder().team("platform").build()).build();
    List<UsageRecord> records = List.of(
        UsageRecord.builder("nlp").gpuSeconds(new BigDecimal("21600")).utilization(new BigDecimal("0.71")).build(),
        UsageRecord.builder("nlp").gpuSeconds(new BigDecimal("3600")).fraction(GpuFraction.mig("1g.10gb")).build(),
        UsageRecord.builder("vision").gpuSeconds(new BigDecimal("10800.5")).fraction(GpuFraction.mig("3g.40gb"))
            .build(),
        UsageRecord.builder("platform").gpuSeconds(new BigDecimal("60")).owner(true).build());
    return SharedCostAllocator.builder().split(Split.proportional(Split.Metric.GPU_TIME)).idle(idle).build()
        .allocate(node, records);
  }

  @ParameterizedTest
  @EnumSource(IdlePolicy.class)
  void everyRowFollowsTheSpecificationAndTheColumnsAddUpToTheAsset(IdlePolicy idle) {
    SharedCostAllocation a = spotNode(idle);
    FocusExport export = FocusExporter.builder().build().export(a);

    assertThat(FocusValidator.validateCsv(FocusFixtures.csv(export))).isEmpty();
    assertThat(export.size()).isEqualTo(a.lines().size());
    // 8 GPUs × 3 h: 36 spot, 96 on demand.
    assertThat(export.total(FocusColumn.BILLED_COST, Money.USD)).isEqualByComparingTo("36");
    assertThat(export.total(FocusColumn.EFFECTIVE_COST, Money.USD)).isEqualByComparingTo("36");
    assertThat(export.total(FocusColumn.LIST_COST, Money.USD)).isEqualByComparingTo("96");
    assertThat(export.total(FocusColumn.PRICING_QUANTITY, Money.USD)).isEqualByComparingTo("24");
    assertThat(export.rows()).allSatisfy(r -> {
      assertThat(r.get(FocusColumn.RESOURCE_ID)).isEqualTo("i-0abc");
      assertThat(r.get(FocusColumn.RESOURCE_NAME)).isEqualTo("gpu-node-7");
      assertThat(r.get(FocusColumn.PRICING_CATEGORY)).isEqualTo("Dynamic");
      assertThat(r.get(FocusColumn.ALLOCATED_METHOD_ID)).isEqualTo("proportional:gpu_seconds/idle:" + idle.cliName());
      assertThat(r.get(FocusColumn.SERVICE_SUBCATEGORY)).isEqualTo("Virtual Machines");
      assertThat(r.get(FocusColumn.TAGS)).isEqualTo("{\"team\":\"platform\"}");
      BigDecimal parts = r.decimal(FocusColumn.X_ALLOCATED_COST).add(r.decimal(FocusColumn.X_SHARED_COST))
          .add(r.decimal(FocusColumn.X_IDLE_COST));
      assertThat(parts).isEqualByComparingTo(r.decimal(FocusColumn.EFFECTIVE_COST));
    });
  }

  @Test
  void theRowsCarryTheTenantItsRatioUsageAndUtilization() {
    FocusExport export = FocusExporter.builder().build().export(spotNode(IdlePolicy.SEPARATE));

    FocusRow nlp = export.rows().get(0);
    assertThat(nlp.get(FocusColumn.ALLOCATED_RESOURCE_ID)).isEqualTo("nlp");
    assertThat(nlp.get(FocusColumn.ALLOCATED_TAGS)).isEqualTo("{\"tenant\":\"nlp\"}");
    assertThat(nlp.get(FocusColumn.CONSUMED_UNIT)).isEqualTo("GPU-Seconds");
    assertThat(nlp.decimal(FocusColumn.CONSUMED_QUANTITY)).isEqualByComparingTo("22114.285714285714"); // 21600 + 3600/7
    assertThat(nlp.decimal(FocusColumn.X_GPU_SECONDS)).isEqualByComparingTo("22114.285714285714");
    assertThat(nlp.decimal(FocusColumn.X_GPU_UTILIZATION)).isEqualByComparingTo("0.71");
    assertThat(nlp.get(FocusColumn.ALLOCATED_METHOD_DETAILS)).startsWith("{\"Elements\":[{\"AllocatedRatio\":0.")
        .contains("\"UsageUnit\":\"GPU-Seconds\",\"UsageQuantity\":22114.285714285714}");
    FocusRow idle = export.rows().get(export.size() - 1);
    assertThat(idle.get(FocusColumn.ALLOCATED_RESOURCE_ID)).isEqualTo(SharedCostAllocation.IDLE_TENANT);
    assertThat(idle.get(FocusColumn.CHARGE_DESCRIPTION)).startsWith("Idle cost of gpu-node-7");
    assertThat(idle.decimal(FocusColumn.X_IDLE_COST)).isPositive();
    assertThat(FocusFixtures.json(export)).contains("\"AllocatedMethodDetails\":{\"Elements\":[{\"AllocatedRatio\":0.");
  }

  @Test
  void anAssetWithoutAWindowHasNoChargePeriod() {
    SharedCostAllocation a = SharedCostAllocator.builder().build().allocate(
        SharedAsset.builder("bill-1", Money.usd("5")).build(), List.of(UsageRecord.builder("a").gpuMillis(1).build()));

    assertThatThrownBy(() -> FocusExporter.builder().build().export(a)).hasMessageContaining("no window");
  }

  @Test
  void ledgerAndAllocationRowsGoInOneFile() {
    FocusExport both = FocusExporter.builder().build().export(fx.snapshot())
        .plus(FocusExporter.builder().build().export(spotNode(IdlePolicy.SHARE)));

    assertThat(FocusValidator.validateCsv(FocusFixtures.csv(both))).isEmpty();
  }
}
