package dev.finops.core.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Money;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.training.Hardware;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The shared-cost allocation engine on worked examples: splits, idle policies, MIG slices, costs. */
class SharedCostAllocatorTest {

  static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
  static final Instant HOUR_LATER = START.plusSeconds(3_600);

  static UsageRecord gpu(String tenant, long seconds) {
    return UsageRecord.builder(tenant).gpuSeconds(BigDecimal.valueOf(seconds)).build();
  }

  static SharedCostAllocator allocator(Split split, IdlePolicy idle) {
    return SharedCostAllocator.builder().split(split).idle(idle).scale(2).build();
  }

  static SharedCostAllocator byGpuTime(IdlePolicy idle) {
    return allocator(Split.proportional(Split.Metric.GPU_TIME), idle);
  }

  /** $100 over ten GPU-hours of capacity. */
  static SharedAsset tenGpuHours() {
    return SharedAsset.builder("node-1", Money.usd("100")).window(START, START.plusSeconds(36_000)).gpus(1).build();
  }

  static String amounts(SharedCostAllocation a) {
    List<String> lines = new ArrayList<>();
    for (SharedCostAllocation.Line l : a.lines()) {
      lines.add(l.tenant() + " " + l.allocated().toPlainString() + "+" + l.shared().toPlainString() + "+"
          + l.idle().toPlainString());
    }
    return String.join("; ", lines);
  }

  @Nested
  @DisplayName("fractional GPUs")
  class Mig {

    @Test
    void aOneGSliceIsChargedOneSeventhOfTheGpu() {
      // One A100-80GB for an hour at $7: a 1g.10gb slice and a 3g.40gb slice, each busy all hour.
      SharedAsset gpu = SharedAsset.builder("a100-0", Money.usd("7.00")).window(START, HOUR_LATER).gpus(1).build();
      List<UsageRecord> records = List.of(
          UsageRecord.builder("small").gpuSeconds(new BigDecimal("3600")).fraction(GpuFraction.mig("1g.10gb")).build(),
          UsageRecord.builder("large").gpuSeconds(new BigDecimal("3600")).fraction(GpuFraction.mig("3g.40gb")).build());

      SharedCostAllocation a = byGpuTime(IdlePolicy.SEPARATE).allocate(gpu, records);

      assertThat(a.line("small").total()).isEqualTo(Money.usd("1.00"));
      assertThat(a.line("large").total()).isEqualTo(Money.usd("3.00"));
      assertThat(a.line(SharedCostAllocation.IDLE_TENANT).idle()).isEqualTo(Money.usd("3.00")); // 3 of 7 slices unused
      assertThat(a.line("small").usage().gpuSeconds()).isEqualByComparingTo("514.285714285714"); // 3600/7, 12 places
      assertThat(a.usedGpuSeconds()).isEqualByComparingTo("2057.142857142857");
      assertThat(a.isConserved()).isTrue();
    }

    @Test
    void timeSlicedReplicasAndDecimalFractionsWeighTheirShare() {
      SharedAsset gpu = SharedAsset.builder("l4-0", Money.usd("12")).window(START, HOUR_LATER).gpus(1).build();
      List<UsageRecord> records = List.of(
          UsageRecord.builder("a").gpuSeconds(new BigDecimal("3600")).fraction(GpuFraction.timeSlice(4)).build(),
          UsageRecord.builder("b").gpuSeconds(new BigDecimal("3600")).fraction(GpuFraction.of(new BigDecimal("0.5")))
              .build());

      SharedCostAllocation a = byGpuTime(IdlePolicy.SEPARATE).allocate(gpu, records);

      assertThat(amounts(a)).isEqualTo("a 3+0+0; b 6+0+0; __idle__ 0+0+3");
    }

    @Test
    void theOneSeventhConventionIsTheProfilesComputeSlices() {
      assertThat(GpuFraction.mig("1g.10gb")).isEqualTo(GpuFraction.of(1, 7));
      assertThat(GpuFraction.mig("1g.20gb")).isEqualTo(GpuFraction.of(1, 7));
      assertThat(GpuFraction.mig("MIG-3g.40gb")).isEqualTo(GpuFraction.of(3, 7));
      assertThat(GpuFraction.mig("7g.80gb")).isEqualTo(GpuFraction.WHOLE);
      assertThat(GpuFraction.mig("2g.12gb", 4)).isEqualTo(GpuFraction.of(1, 2)); // an A30
      assertThat(GpuFraction.parse("1/7")).isEqualTo(GpuFraction.of(1, 7));
      assertThat(GpuFraction.parse("0.25")).isEqualTo(GpuFraction.of(1, 4));
      assertThat(GpuFraction.parse("1g.10gb")).isEqualTo(GpuFraction.of(1, 7));
      assertThatThrownBy(() -> GpuFraction.mig("8g.90gb")).hasMessageContaining("8 compute slices");
      assertThatThrownBy(() -> GpuFraction.parse("1.5")).hasMessageContaining("at most 1");
      assertThatThrownBy(() -> GpuFraction.parse("half")).hasMessageContaining("MIG profile");
    }
  }

  @Nested
  @DisplayName("idle policies")
  class Idle {

    // Team a used 5 of 10 GPU-hours, team b 2.5: $75 used, $25 idle.
    final List<UsageRecord> records = List.of(gpu("team-a", 18_000), gpu("team-b", 9_000));

    @Test
    void separateKeepsIdleOnItsOwnLine() {
      SharedCostAllocation a = byGpuTime(IdlePolicy.SEPARATE).allocate(tenGpuHours(), records);

      assertThat(amounts(a)).isEqualTo("team-a 50+0+0; team-b 25+0+0; __idle__ 0+0+25");
      assertThat(a.idleCost()).isEqualTo(Money.usd("25"));
      assertThat(a.line(SharedCostAllocation.IDLE_TENANT).quantity()).isEqualByComparingTo("9000");
    }

    @Test
    void shareSpreadsIdleByTheSplitWeights() {
      SharedCostAllocation a = byGpuTime(IdlePolicy.SHARE).allocate(tenGpuHours(), records);

      assertThat(amounts(a)).isEqualTo("team-a 50+16.67+0; team-b 25+8.33+0");
      assertThat(a.sharedTotal()).isEqualTo(a.idleCost());
    }

    @Test
    void ownerTakesTheIdleWhetherMarkedInTheRecordsOrConfigured() {
      List<UsageRecord> marked = List.of(gpu("team-a", 18_000),
          UsageRecord.builder("team-b").gpuSeconds(new BigDecimal("9000")).owner(true).build());
      assertThat(amounts(byGpuTime(IdlePolicy.OWNER).allocate(tenGpuHours(), marked)))
          .isEqualTo("team-a 50+0+0; team-b 25+0+25");

      SharedCostAllocator platformOwns = SharedCostAllocator.builder().idle(IdlePolicy.OWNER).owner("platform")
          .scale(2).build();
      SharedCostAllocation a = platformOwns.allocate(tenGpuHours(), records);
      assertThat(amounts(a)).isEqualTo("team-a 50+0+0; team-b 25+0+0; platform 0+0+25");
      assertThat(a.owner()).isEqualTo("platform");
    }

    @Test
    void withoutACapacityNothingIsIdle() {
      SharedAsset bill = SharedAsset.builder("bill-line-9", Money.usd("90")).build();

      SharedCostAllocation a = byGpuTime(IdlePolicy.SEPARATE).allocate(bill, records);

      assertThat(amounts(a)).isEqualTo("team-a 60+0+0; team-b 30+0+0");
      assertThat(a.usedGpuSeconds()).isNull();
    }

    @Test
    void usageAboveTheCapacityLeavesNothingIdle() {
      // Time-slicing oversubscribed: 15 GPU-hours on 10.
      SharedCostAllocation a = byGpuTime(IdlePolicy.SEPARATE)
          .allocate(tenGpuHours(), List.of(gpu("a", 36_000), gpu("b", 18_000)));

      assertThat(amounts(a)).isEqualTo("a 66.67+0+0; b 33.33+0+0; __idle__ 0+0+0");
    }

    @Test
    void utilizedGpuTimeCountsUnbusyAllocatedTimeAsIdle() {
      SharedAsset twoGpus = SharedAsset.builder("n", Money.usd("8")).window(START, HOUR_LATER).gpus(2).build();
      List<UsageRecord> measured = List.of(
          UsageRecord.builder("a").gpuSeconds(new BigDecimal("3600")).utilization(new BigDecimal("0.5")).build(),
          UsageRecord.builder("b").gpuSeconds(new BigDecimal("3600")).build()); // unmeasured: counts in full

      SharedCostAllocation a = allocator(Split.proportional(Split.Metric.UTILIZED_GPU_TIME), IdlePolicy.SEPARATE)
          .allocate(twoGpus, measured);

      assertThat(amounts(a)).isEqualTo("a 2+0+0; b 4+0+0; __idle__ 0+0+2");
      assertThat(a.line("a").usage().measuredUtilization()).isEqualByComparingTo("0.5");
      assertThat(a.line("b").usage().measuredUtilization()).isNull();
    }
  }

  @Nested
  @DisplayName("splits")
  class Splits {

    final SharedAsset ten = SharedAsset.builder("endpoint-1", Money.usd("10")).build();

    @Test
    void evenGivesTheLeftoverCentToTheFirstTenantsByName() {
      List<UsageRecord> records = List.of(gpu("c", 1), gpu("a", 100), gpu("b", 0));

      assertThat(amounts(allocator(Split.even(), IdlePolicy.SEPARATE).allocate(ten, records)))
          .isEqualTo("a 3.34+0+0; b 3.33+0+0; c 3.33+0+0");
    }

    @Test
    void weightedTokensRequestsAndCustom() {
      List<UsageRecord> records = List.of(
          UsageRecord.builder("a").weight(new BigDecimal("1")).tokens(3_000).requests(1).build(),
          UsageRecord.builder("b").weight(new BigDecimal("3")).tokens(1_000).requests(4).build());

      assertThat(amounts(allocator(Split.weighted(), IdlePolicy.SHARE).allocate(ten, records)))
          .isEqualTo("a 2.5+0+0; b 7.5+0+0");
      assertThat(amounts(allocator(Split.proportional(Split.Metric.TOKENS), IdlePolicy.SHARE).allocate(ten, records)))
          .isEqualTo("a 7.5+0+0; b 2.5+0+0");
      assertThat(amounts(allocator(Split.proportional(Split.Metric.REQUESTS), IdlePolicy.SHARE).allocate(ten, records)))
          .isEqualTo("a 2+0+0; b 8+0+0");
      Split seats = Split.custom("seats", "Seats", t -> t.tenant().equals("a") ? new BigDecimal("4") : BigDecimal.ONE);
      assertThat(amounts(allocator(seats, IdlePolicy.SHARE).allocate(ten, records))).isEqualTo("a 8+0+0; b 2+0+0");
    }

    @Test
    void recordsOfOneTenantAddUpAndTheirOrderDoesNotMatter() {
      List<UsageRecord> records = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        records.add(gpu("t" + (i % 7), 100 + i));
      }
      SharedCostAllocation first = byGpuTime(IdlePolicy.SHARE).allocate(tenGpuHours(), records);
      Collections.shuffle(records, new Random(7));
      SharedCostAllocation shuffled = byGpuTime(IdlePolicy.SHARE).allocate(tenGpuHours(), records);

      assertThat(amounts(shuffled)).isEqualTo(amounts(first));
      assertThat(first.lines()).hasSize(7);
      assertThat(first.line("t0").usage().records()).isEqualTo(5);
    }

    @Test
    void allZeroWeightsSplitEvenly() {
      List<UsageRecord> records = List.of(UsageRecord.builder("a").build(), UsageRecord.builder("b").build());

      assertThat(amounts(allocator(Split.proportional(Split.Metric.TOKENS), IdlePolicy.SHARE).allocate(ten, records)))
          .isEqualTo("a 5+0+0; b 5+0+0");
    }
  }

  @Nested
  @DisplayName("billed and effective costs")
  class Costs {

    final Pricing pricing = Pricing.builder().bundledCatalog(null).userCatalog(PriceCatalog.parse("gpu.json", """
        { "format_version": 1, "catalog_version": "gpu-1", "currency": "USD",
          "gpu_instances": [
            { "provider": "aws", "region": "us-east-1", "instance_type": "p4d.24xlarge",
              "accelerator": "A100-40GB", "gpus": 8, "source": "test",
              "versions": [ { "valid_from": "2025-01-01", "on_demand_hourly": "32.00", "spot_hourly": "12.00",
                              "committed_hourly": "20.00" } ] }
          ] }
        """)).build();

    @Test
    void aSpotNodeIsDynamicWithTheOnDemandPriceAsListAndItsLinesAddUpPerColumn() {
      SharedAsset node = SharedAsset.onHardware("node-7",
          Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 1, PurchaseOption.SPOT), pricing, START, HOUR_LATER)
          .build();
      List<UsageRecord> records = List.of(gpu("a", 3 * 3_600), gpu("b", 3_600 + 1));

      SharedCostAllocation a = byGpuTime(IdlePolicy.SEPARATE).allocate(node, records);

      ChargeCosts asset = node.costs();
      assertThat(asset.category()).isEqualTo(PricingCategory.DYNAMIC);
      assertThat(asset.list()).isEqualTo(Money.usd("32"));
      assertThat(asset.billed()).isEqualTo(Money.usd("12"));
      assertThat(asset.effective()).isEqualTo(Money.usd("12"));
      assertThat(node.capacityGpuMillis()).isEqualTo(8L * 3_600_000L);
      assertThat(node.pricingQuantity()).isEqualByComparingTo("8");
      assertThat(node.pricingUnit()).isEqualTo("GPU-Hours");
      assertThat(sum(a, ChargeCosts::list)).isEqualTo(Money.usd("32"));
      assertThat(sum(a, ChargeCosts::billed)).isEqualTo(Money.usd("12"));
      assertThat(sum(a, ChargeCosts::effective)).isEqualTo(Money.usd("12"));
      assertThat(a.line("a").costs().category()).isEqualTo(PricingCategory.DYNAMIC);
      assertThat(a.lines().stream().map(SharedCostAllocation.Line::ratio).reduce(BigDecimal.ZERO, BigDecimal::add))
          .isEqualByComparingTo("1");
      assertThat(a.lines().stream().map(SharedCostAllocation.Line::pricingQuantity)
          .reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("8");
    }

    @Test
    void aCommittedNodeIsAmortizedInEffectiveCost() {
      SharedAsset node = SharedAsset.onHardware("node-8",
          Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 1, PurchaseOption.COMMITTED), pricing, START,
          HOUR_LATER).build();

      assertThat(node.costs().category()).isEqualTo(PricingCategory.COMMITTED);
      assertThat(node.costs().effective()).isEqualTo(Money.usd("20"));
      assertThat(node.costs().savings()).isEqualTo(Money.usd("12"));
    }

    private Money sum(SharedCostAllocation a, java.util.function.Function<ChargeCosts, Money> column) {
      return a.lines().stream().map(l -> column.apply(l.costs())).reduce(Money.zero(Money.USD), Money::plus);
    }
  }

  @Nested
  @DisplayName("errors")
  class Errors {

    @Test
    void noRecords() {
      assertThatThrownBy(() -> byGpuTime(IdlePolicy.SHARE).allocate(tenGpuHours(), List.of()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no usage records");
    }

    @Test
    void aCapacityButNoGpuTime() {
      assertThatThrownBy(() -> allocator(Split.proportional(Split.Metric.TOKENS), IdlePolicy.SHARE)
          .allocate(tenGpuHours(), List.of(UsageRecord.builder("a").tokens(5).build())))
          .hasMessageContaining("no usage record has GPU time");
    }

    @Test
    void ownerPolicyWithoutAnOwnerOrWithTwo() {
      assertThatThrownBy(() -> byGpuTime(IdlePolicy.OWNER).allocate(tenGpuHours(), List.of(gpu("a", 1))))
          .hasMessageContaining("needs an owner");
      List<UsageRecord> two = List.of(UsageRecord.builder("a").gpuMillis(1).owner(true).build(),
          UsageRecord.builder("b").gpuMillis(1).owner(true).build());
      assertThatThrownBy(() -> byGpuTime(IdlePolicy.OWNER).allocate(tenGpuHours(), two))
          .hasMessageContaining("two owners");
    }

    @Test
    void badRecordsNameTheirField() {
      assertThatThrownBy(() -> UsageRecord.builder(SharedCostAllocation.IDLE_TENANT)).hasMessageContaining("reserved");
      assertThatThrownBy(() -> UsageRecord.builder("a").gpuSeconds(new BigDecimal("0.0001")))
          .hasMessageContaining("gpu_seconds");
      assertThatThrownBy(() -> UsageRecord.builder("a").utilization(new BigDecimal("1.5")))
          .hasMessageContaining("utilization");
      assertThatThrownBy(() -> UsageRecord.builder("a").tokens(-1)).hasMessageContaining("tokens");
      Split negative = Split.custom("x", "Units", t -> BigDecimal.ONE.negate());
      assertThatThrownBy(() -> allocator(negative, IdlePolicy.SHARE).allocate(tenGpuHours(), List.of(gpu("a", 1))))
          .hasMessageContaining("custom metric 'custom:x'");
    }
  }
}
