package dev.finops.core.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Money;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Random splits checked against the exact arithmetic they promise: conservation to the unit, each
 * part within one unit of its exact share, the remainder rule, and determinism.
 */
@DisplayName("Allocation properties over random cases")
class AllocationPropertyTest {

  private static final int CASES = 10_000;
  private static final long[] DENOMINATORS = {1, 3, 7, 9, 11, 13, 21, 3 * 2 * 5, 999_983, 6_000_000};

  /** One random case: amount, scale and weights, as long weights or decimal weights. */
  private record Case(Money amount, int scale, long[] longWeights, List<BigDecimal> decimalWeights) {

    List<Money> split() {
      Allocation a = Allocation.atScale(scale);
      return longWeights != null ? a.split(amount, longWeights.clone()) : a.split(amount, new ArrayList<>(decimalWeights));
    }

    /** The weights as exact decimals, for the oracle. */
    List<BigDecimal> weights() {
      if (decimalWeights != null) {
        return decimalWeights;
      }
      List<BigDecimal> out = new ArrayList<>();
      for (long w : longWeights) {
        out.add(BigDecimal.valueOf(w));
      }
      return out;
    }

    @Override
    public String toString() {
      return amount + " at scale " + scale + " by " + weights();
    }
  }

  @Test
  void conservesIsWithinOneUnitFollowsTheRemainderRuleAndIsDeterministic() {
    SplittableRandom random = new SplittableRandom(0x5EED_A110CL);
    for (int c = 0; c < CASES; c++) {
      Case k = randomCase(random);
      List<Money> parts = k.split();
      check(k, parts);
      assertThat(k.split()).as("same input, same output: %s", k).isEqualTo(parts);
    }
  }

  @Test
  void endpointAllocationsConserveTheCostRoundedOnce() {
    SplittableRandom random = new SplittableRandom(0xE2D_901_27L);
    for (int c = 0; c < 2_000; c++) {
      Money cost = randomAmount(random);
      int scale = random.nextInt(0, 15);
      List<EndpointRequest> requests = new ArrayList<>();
      int n = random.nextInt(1, 30);
      for (int i = 0; i < n; i++) {
        requests.add(EndpointRequest.of("r" + i, randomLongWeight(random) >>> 2, random.nextLong(0, 100_000)));
      }
      EndpointCostAllocator allocator = EndpointCostAllocator.byTokens(1, random.nextLong(1, 9)).withScale(scale);

      EndpointAllocation a = allocator.allocate(cost, requests);

      Money sum = a.requests().stream().map(EndpointAllocation.RequestCost::cost).reduce(Money.zero(Money.USD), Money::plus);
      assertThat(sum).as("%s at scale %d", cost, scale).isEqualTo(a.allocatedTotal());
      assertThat(a.isConserved()).isTrue();
      assertThat(a.allocatedTotal().exactAmount()).isEqualTo(cost.amount(scale));
      Money halfUnit = Money.of(BigDecimal.valueOf(5, scale + 1), Money.USD);
      assertThat(a.roundingResidual().compareTo(halfUnit)).isLessThanOrEqualTo(0);
      assertThat(a.roundingResidual().negate().compareTo(halfUnit)).isLessThanOrEqualTo(0);
      assertThat(costsOf(allocator.allocate(cost, requests))).isEqualTo(costsOf(a));
    }
  }

  private static List<Money> costsOf(EndpointAllocation a) {
    return a.requests().stream().map(EndpointAllocation.RequestCost::cost).toList();
  }

  private static void check(Case k, List<Money> parts) {
    List<BigDecimal> weights = k.weights();
    assertThat(parts).as("%s", k).hasSize(weights.size());

    // Oracle: the total in units, rounded HALF_EVEN once, straight from Money.
    BigInteger total = k.amount.amount(k.scale).unscaledValue();
    BigDecimal weightSum = weights.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    if (weightSum.signum() == 0) {
      weights = weights.stream().map(w -> BigDecimal.ONE).toList();
      weightSum = BigDecimal.valueOf(weights.size());
    }

    BigInteger sum = BigInteger.ZERO;
    BigDecimal[] remainders = new BigDecimal[parts.size()];
    boolean[] extra = new boolean[parts.size()];
    for (int i = 0; i < parts.size(); i++) {
      Money part = parts.get(i);
      assertThat(part.currency()).isEqualTo(k.amount.currency());
      // A whole number of units.
      BigDecimal units = part.exactAmount().movePointRight(k.scale);
      assertThat(units.stripTrailingZeros().scale()).as("part %d of %s is whole units", i, k).isLessThanOrEqualTo(0);
      BigInteger u = units.toBigIntegerExact();
      sum = sum.add(u);

      // |u - total × w / W| < 1, i.e. |u × W - total × w| < W, exactly.
      BigDecimal exactTimesW = new BigDecimal(total).multiply(weights.get(i));
      BigDecimal diff = new BigDecimal(u).multiply(weightSum).subtract(exactTimesW);
      assertThat(diff.abs()).as("part %d of %s within one unit", i, k).isLessThan(weightSum);
      BigInteger floor = exactTimesW.divideToIntegralValue(weightSum).toBigIntegerExact();
      remainders[i] = exactTimesW.subtract(new BigDecimal(floor).multiply(weightSum));
      assertThat(u.subtract(floor)).as("part %d of %s is floor or floor + 1", i, k).isBetween(BigInteger.ZERO, BigInteger.ONE);
      extra[i] = u.compareTo(floor) > 0;
      if (weights.get(i).signum() == 0) {
        assertThat(u).as("zero weight %d of %s gets nothing", i, k).isZero();
      }
    }
    assertThat(sum).as("parts of %s add up to the total in units", k).isEqualTo(total);
    Money rounded = Money.of(new BigDecimal(total, k.scale), k.amount.currency());
    assertThat(parts.stream().reduce(Money.zero(k.amount.currency()), Money::plus)).isEqualTo(rounded);
    assertThat(Allocation.atScale(k.scale).roundToUnit(k.amount)).isEqualTo(rounded);

    // Every share with the extra unit beats every share without: larger remainder, or equal and earlier.
    for (int i = 0; i < extra.length; i++) {
      for (int j = 0; j < extra.length && extra[i]; j++) {
        if (!extra[j]) {
          int cmp = remainders[i].compareTo(remainders[j]);
          assertThat(cmp > 0 || (cmp == 0 && i < j)).as("remainder rule %d over %d in %s", i, j, k).isTrue();
        }
      }
    }
  }

  private static Case randomCase(SplittableRandom r) {
    int scale = r.nextInt(0, 15);
    Money amount = randomAmount(r);
    int n = r.nextInt(1, 13);
    if (r.nextBoolean()) {
      long[] w = new long[n];
      for (int i = 0; i < n; i++) {
        w[i] = randomLongWeight(r);
      }
      return new Case(amount, scale, w, null);
    }
    List<BigDecimal> w = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(4);
      if (kind == 0) {
        w.add(BigDecimal.ZERO.setScale(r.nextInt(0, 4)));
      } else {
        BigInteger unscaled = new BigInteger(kind == 1 ? 8 : 90, new Random(r.nextLong()));
        w.add(new BigDecimal(unscaled, r.nextInt(-5, 20)));
      }
    }
    return new Case(amount, scale, null, w);
  }

  private static long randomLongWeight(SplittableRandom r) {
    switch (r.nextInt(5)) {
      case 0:
        return 0;
      case 1:
        return r.nextLong(1, 11);
      case 2:
        return Long.MAX_VALUE - r.nextLong(0, 3);
      case 3:
        return r.nextLong(1L << 40, Long.MAX_VALUE);
      default:
        return r.nextLong(0, 1_000_000);
    }
  }

  private static Money randomAmount(SplittableRandom r) {
    switch (r.nextInt(5)) {
      case 0:
        return Money.zero(Money.USD);
      case 1: // a small fraction: 7/3, 1/7, ...
        return Money.ofFraction(BigDecimal.valueOf(r.nextLong(0, 100)), DENOMINATORS[r.nextInt(DENOMINATORS.length)], Money.USD);
      case 2: // a decimal with up to 18 places, up to about a billion
        return Money.of(BigDecimal.valueOf(r.nextLong(0, Long.MAX_VALUE), r.nextInt(0, 19)), Money.USD);
      case 3: // a huge fraction with many decimals in the numerator
        BigInteger unscaled = new BigInteger(120, new Random(r.nextLong()));
        return Money.ofFraction(new BigDecimal(unscaled, r.nextInt(0, 30)), DENOMINATORS[r.nextInt(DENOMINATORS.length)], Money.USD);
      default: // a few units of the smallest unit, where the remainder rule decides most of it
        return Money.of(BigDecimal.valueOf(r.nextLong(0, 50), r.nextInt(0, 15)), Money.USD);
    }
  }
}
