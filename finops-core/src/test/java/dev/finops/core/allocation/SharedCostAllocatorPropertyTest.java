package dev.finops.core.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Money;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conservation invariant over random inputs, for every split and every idle policy: allocated +
 * shared + idle = the asset cost rounded once, to the unit; every cost column, the ratios and the
 * pricing quantity add up too; the idle part and each tenant's allocated part are within one unit of
 * their exact shares (computed here from the records, independently of the engine); the idle cost
 * sits where the policy says; the result does not depend on the records' order.
 */
class SharedCostAllocatorPropertyTest {

  private static final int CASES = 250;
  private static final MathContext EXACT_ENOUGH = new MathContext(60);
  private static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
  private static final long[] DENOMINATORS = {1, 3, 7, 9, 11, 21, 3_600_000};

  /** A named split and the oracle's quantity of one record under it. */
  private record SplitCase(String name, Split split, Function<UsageRecord, BigDecimal> quantity) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final Split CUSTOM = Split.custom("name_length", "Characters",
      t -> BigDecimal.valueOf(t.tenant().length() % 3));

  static Stream<Arguments> everySplitAndIdlePolicy() {
    List<SplitCase> splits = List.of(
        new SplitCase("proportional gpu time", Split.proportional(Split.Metric.GPU_TIME), r -> gpuSeconds(r, false)),
        new SplitCase("proportional utilized gpu time", Split.proportional(Split.Metric.UTILIZED_GPU_TIME),
            r -> gpuSeconds(r, true)),
        new SplitCase("proportional tokens", Split.proportional(Split.Metric.TOKENS),
            r -> BigDecimal.valueOf(r.tokens())),
        new SplitCase("proportional requests", Split.proportional(Split.Metric.REQUESTS),
            r -> BigDecimal.valueOf(r.requests())),
        new SplitCase("even", Split.even(), null),
        new SplitCase("weighted", Split.weighted(), r -> r.weight() == null ? BigDecimal.ZERO : r.weight()),
        new SplitCase("custom", CUSTOM, null));
    List<Arguments> out = new ArrayList<>();
    for (SplitCase s : splits) {
      for (IdlePolicy p : IdlePolicy.values()) {
        out.add(Arguments.of(s, p));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, idle {1}")
  @MethodSource("everySplitAndIdlePolicy")
  void conservesAndIsWithinOneUnitOfTheExactShares(SplitCase splitCase, IdlePolicy policy) {
    SplittableRandom random = new SplittableRandom(splitCase.name.hashCode() * 31L + policy.ordinal());
    for (int c = 0; c < CASES; c++) {
      int scale = random.nextInt(0, 13);
      List<UsageRecord> records = randomRecords(random, policy);
      SharedAsset asset = randomAsset(random, records);
      SharedCostAllocator.Builder b = SharedCostAllocator.builder().split(splitCase.split).idle(policy).scale(scale);
      boolean ownerConfigured = policy == IdlePolicy.OWNER && records.stream().noneMatch(UsageRecord::owner);
      if (ownerConfigured) {
        b.owner("platform");
      }
      SharedCostAllocator allocator = b.build();
      String what = splitCase + ", idle " + policy + ", case " + c + ": " + asset + " at scale " + scale;

      SharedCostAllocation a = allocator.allocate(asset, records);

      checkConservation(a, asset, scale, what);
      checkIdle(a, asset, records, splitCase, policy, scale, what);
      checkShares(a, records, splitCase, scale, what);
      List<UsageRecord> shuffled = new ArrayList<>(records);
      Collections.shuffle(shuffled, new Random(c));
      assertThat(describe(allocator.allocate(asset, shuffled))).as("order independent: %s", what)
          .isEqualTo(describe(a));
    }
  }

  private static void checkConservation(SharedCostAllocation a, SharedAsset asset, int scale, String what) {
    Allocation unit = Allocation.atScale(scale);
    Money zero = Money.zero(Money.USD);
    Money parts = zero;
    BigDecimal ratios = BigDecimal.ZERO;
    BigDecimal quantity = BigDecimal.ZERO;
    for (SharedCostAllocation.Line l : a.lines()) {
      for (Money m : List.of(l.allocated(), l.shared(), l.idle(), l.costs().list(), l.costs().billed())) {
        assertThat(m.signum()).as("non-negative: %s", what).isGreaterThanOrEqualTo(0);
        assertThat(m.exactAmount().stripTrailingZeros().scale()).as("whole units: %s", what)
            .isLessThanOrEqualTo(scale);
      }
      assertThat(l.allocated().plus(l.shared()).plus(l.idle())).as("line total: %s", what).isEqualTo(l.total());
      parts = parts.plus(l.allocated()).plus(l.shared()).plus(l.idle());
      ratios = ratios.add(l.ratio());
      quantity = quantity.add(l.pricingQuantity());
    }
    ChargeCosts costs = asset.costs();
    assertThat(parts).as("allocated + shared + idle = asset cost: %s", what)
        .isEqualTo(unit.roundToUnit(costs.effective()));
    assertThat(a.allocatedTotal().plus(a.sharedTotal()).plus(a.idleTotal())).isEqualTo(a.total());
    assertThat(column(a, ChargeCosts::list)).as("list: %s", what).isEqualTo(unit.roundToUnit(costs.list()));
    assertThat(column(a, ChargeCosts::contracted)).as("contracted: %s", what)
        .isEqualTo(unit.roundToUnit(costs.contracted()));
    assertThat(column(a, ChargeCosts::billed)).as("billed: %s", what).isEqualTo(unit.roundToUnit(costs.billed()));
    assertThat(ratios).as("ratios: %s", what).isEqualByComparingTo("1");
    assertThat(quantity).as("pricing quantity: %s", what).isEqualByComparingTo(asset.pricingQuantity());
  }

  private static Money column(SharedCostAllocation a, Function<ChargeCosts, Money> column) {
    return a.lines().stream().map(l -> column.apply(l.costs())).reduce(Money.zero(Money.USD), Money::plus);
  }

  private static void checkIdle(SharedCostAllocation a, SharedAsset asset, List<UsageRecord> records,
      SplitCase splitCase, IdlePolicy policy, int scale, String what) {
    BigDecimal units = new BigDecimal(Allocation.atScale(scale).units(asset.costs().effective()));
    BigDecimal exactIdle = BigDecimal.ZERO;
    if (asset.capacityGpuMillis() != null) {
      boolean utilized = splitCase.split.metric() == Split.Metric.UTILIZED_GPU_TIME;
      BigDecimal used = records.stream().map(r -> gpuSeconds(r, utilized)).reduce(BigDecimal.ZERO, BigDecimal::add);
      BigDecimal capacity = BigDecimal.valueOf(asset.capacityGpuMillis()).movePointLeft(3);
      BigDecimal spare = capacity.subtract(used).max(BigDecimal.ZERO);
      exactIdle = units.multiply(spare).divide(capacity, EXACT_ENOUGH);
    }
    BigDecimal idleUnits = a.idleCost().exactAmount().movePointRight(scale);
    assertThat(idleUnits.subtract(exactIdle).abs()).as("idle within one unit: %s", what).isLessThan(BigDecimal.ONE);
    for (SharedCostAllocation.Line l : a.lines()) {
      boolean takesIdle = policy == IdlePolicy.OWNER ? l.tenant().equals(a.owner())
          : policy == IdlePolicy.SEPARATE && l.isIdleLine();
      if (!takesIdle) {
        assertThat(l.idle().isZero()).as("only the policy's line carries idle: %s %s", l, what).isTrue();
      }
      if (policy != IdlePolicy.SHARE) {
        assertThat(l.shared().isZero()).as("nothing shared under %s: %s", policy, what).isTrue();
      }
    }
    Money placed = policy == IdlePolicy.SHARE ? a.sharedTotal() : a.idleTotal();
    assertThat(placed).as("the idle cost is placed whole: %s", what).isEqualTo(a.idleCost());
  }

  /** Each tenant's allocated part is within one unit of (used units × its quantity ÷ all quantities). */
  private static void checkShares(SharedCostAllocation a, List<UsageRecord> records, SplitCase splitCase, int scale,
      String what) {
    TreeMap<String, BigDecimal> quantities = new TreeMap<>();
    for (UsageRecord r : records) {
      BigDecimal q = splitCase.quantity == null ? BigDecimal.ZERO : splitCase.quantity.apply(r);
      quantities.merge(r.tenant(), q, BigDecimal::add);
    }
    if (splitCase.quantity == null) { // even, custom: per tenant, not per record
      quantities.replaceAll((t, q) -> splitCase.split == CUSTOM
          ? BigDecimal.valueOf(t.length() % 3) : BigDecimal.ONE);
    }
    BigDecimal sum = quantities.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    if (sum.signum() == 0) {
      quantities.replaceAll((t, q) -> BigDecimal.ONE);
      sum = BigDecimal.valueOf(quantities.size());
    }
    BigDecimal used = a.allocatedTotal().exactAmount().movePointRight(scale);
    for (var e : quantities.entrySet()) {
      BigDecimal exact = used.multiply(e.getValue()).divide(sum, EXACT_ENOUGH);
      BigDecimal got = a.line(e.getKey()).allocated().exactAmount().movePointRight(scale);
      assertThat(got.subtract(exact).abs()).as("%s within one unit: %s", e.getKey(), what).isLessThan(BigDecimal.ONE);
    }
  }

  /** A record's GPU-seconds × fraction (× utilization when utilized and measured), exact to 60 digits. */
  private static BigDecimal gpuSeconds(UsageRecord r, boolean utilized) {
    BigDecimal s = BigDecimal.valueOf(r.gpuMillis()).movePointLeft(3)
        .multiply(BigDecimal.valueOf(r.fraction().numerator()))
        .divide(BigDecimal.valueOf(r.fraction().denominator()), EXACT_ENOUGH);
    if (utilized && r.hasUtilization()) {
      s = s.multiply(BigDecimal.valueOf(r.utilizationBasisPoints())).movePointLeft(4);
    }
    return s;
  }

  private static List<UsageRecord> randomRecords(SplittableRandom random, IdlePolicy policy) {
    int tenants = random.nextInt(1, 15);
    int n = random.nextInt(1, 50);
    int owner = policy == IdlePolicy.OWNER && random.nextBoolean() ? random.nextInt(tenants) : -1;
    List<UsageRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int t = i < tenants ? i : random.nextInt(tenants);
      UsageRecord.Builder b = UsageRecord.builder("tenant-" + t).owner(t == owner);
      if (random.nextInt(5) > 0) {
        b.gpuMillis(random.nextInt(5) == 0 ? 0 : random.nextLong(1, 4 * 3_600_000L));
      }
      switch (random.nextInt(4)) {
        case 0:
          b.fraction(GpuFraction.mig(random.nextInt(1, 8) + "g.10gb"));
          break;
        case 1:
          b.fraction(GpuFraction.timeSlice(random.nextInt(1, 9)));
          break;
        case 2:
          b.fraction(GpuFraction.of(BigDecimal.valueOf(random.nextInt(1, 101), 2)));
          break;
        default:
          break;
      }
      if (random.nextBoolean()) {
        b.utilizationBasisPoints(random.nextInt(0, 10_001));
      }
      b.tokens(random.nextInt(4) == 0 ? 0 : random.nextLong(0, 1_000_000_000L));
      b.requests(random.nextInt(0, 1_000));
      if (random.nextBoolean()) {
        b.weight(BigDecimal.valueOf(random.nextLong(0, 100_000), random.nextInt(0, 5)));
      }
      out.add(b.build());
    }
    if (out.stream().allMatch(r -> r.gpuMillis() == 0)) { // a capacity needs some GPU time
      out.add(UsageRecord.builder("tenant-0").gpuMillis(1).build());
    }
    return out;
  }

  private static SharedAsset randomAsset(SplittableRandom random, List<UsageRecord> records) {
    Money effective = randomAmount(random);
    ChargeCosts costs = random.nextBoolean() ? ChargeCosts.standard(effective)
        : ChargeCosts.of(PricingCategory.values()[random.nextInt(4)], effective.plus(randomAmount(random)),
            effective, effective.times(BigDecimal.valueOf(random.nextInt(0, 101), 2)), effective);
    SharedAsset.Builder b = SharedAsset.builder("asset", costs).window(START, START.plusSeconds(3_600));
    switch (random.nextInt(3)) {
      case 0: // no capacity: nothing idle
        break;
      case 1: // roughly what was used, often oversubscribed
        long used = records.stream().mapToLong(UsageRecord::gpuMillis).sum();
        b.capacityGpuMillis(Math.max(1, used / random.nextInt(1, 4)));
        break;
      default:
        b.gpus(random.nextInt(1, 9)).pricing(BigDecimal.valueOf(random.nextLong(1, 1_000_000), 3), "GPU-Hours");
        break;
    }
    return b.build();
  }

  /** Amounts with many decimals or that do not terminate (an hourly rate over milliseconds). */
  private static Money randomAmount(SplittableRandom random) {
    BigDecimal num = BigDecimal.valueOf(random.nextLong(0, 10_000_000_000L), random.nextInt(0, 16));
    long den = DENOMINATORS[random.nextInt(DENOMINATORS.length)];
    return Money.ofFraction(num, den, Money.USD);
  }

  private static String describe(SharedCostAllocation a) {
    StringBuilder sb = new StringBuilder();
    for (SharedCostAllocation.Line l : a.lines()) {
      sb.append(l.tenant()).append(':').append(l.allocated()).append('/').append(l.shared()).append('/')
          .append(l.idle()).append('/').append(l.costs()).append('/').append(l.ratio().toPlainString()).append('/')
          .append(l.pricingQuantity().toPlainString()).append(';');
    }
    return sb.toString();
  }
}
