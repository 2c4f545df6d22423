package dev.finops.core.pricing;

import static dev.finops.core.TestCatalogs.catalogJson;
import static dev.finops.core.TestCatalogs.day;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Money;
import dev.finops.core.TestCatalogs;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.PriceCatalog;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A million random usages of random models, priced by the engine and summed as {@link Money}, equal
 * a reference computed here with plain {@link BigDecimal} arithmetic (quantity × price ÷ units per
 * pricing unit) to the last digit. Prices have up to six decimals per 1M tokens (the fixed-point
 * path); some models have more decimals, some multipliers add decimals and some quantities are huge,
 * so the exact decimal path is exercised too.
 */
@DisplayName("A million random usages are priced exactly")
class RandomizedExactPricingTest {

  private static final int USAGES = 1_000_000;
  private static final int MODELS = 16;
  /** Models from this index on have prices with 7 to 10 decimals per 1M tokens. */
  private static final int FIRST_FINE_GRAINED_MODEL = 12;
  private static final long START = day("2025-01-01").toEpochMilli();
  private static final long CHANGE = day("2025-07-01").toEpochMilli();
  private static final long END = day("2026-01-01").toEpochMilli();

  /** Every bucket a model call is priced in: the token buckets and requests. */
  private static final UsageBucket[] PRICED = Arrays.stream(UsageBucket.values())
      .filter(b -> b.isToken() || b == UsageBucket.REQUESTS).toArray(UsageBucket[]::new);
  private static final Map<String, BigDecimal> MULTIPLIERS =
      Map.of("batch", new BigDecimal("0.5"), "flex", new BigDecimal("0.37"));
  /** "scale" is not in the catalog: priced standard and counted. */
  private static final String[] USAGE_TIERS = {"standard", "batch", "flex", "scale"};
  /** Indexes into USAGE_TIERS, drawn uniformly: standard twice as often as the others. */
  private static final int[] TIER_DRAWS = {0, 0, 1, 2, 3};

  /**
   * One price version as the reference sees it. For each context tier (0 base, 1 long) and usage
   * tier it holds the exact cost of one base unit per bucket: price × multiplier ÷ units per pricing
   * unit, computed once with BigDecimal.
   */
  private static final class RefVersion {
    final long tierAbove; // 0: no long-context tier
    final BigDecimal[][][] unitCost = new BigDecimal[2][USAGE_TIERS.length][UsageBucket.COUNT];
    final BigDecimal[] base;
    final BigDecimal[] tier;

    RefVersion(BigDecimal[] base, long tierAbove, BigDecimal[] tier) {
      this.base = base;
      this.tierAbove = tierAbove;
      this.tier = tier;
      for (int c = 0; c < 2; c++) {
        BigDecimal[] prices = c == 0 ? base : tier;
        for (int t = 0; t < USAGE_TIERS.length && prices != null; t++) {
          BigDecimal multiplier = MULTIPLIERS.getOrDefault(USAGE_TIERS[t], BigDecimal.ONE);
          for (UsageBucket b : PRICED) {
            unitCost[c][t][b.ordinal()] = prices[b.ordinal()].multiply(multiplier)
                .divide(BigDecimal.valueOf(b.unit().basePerPricingUnit()));
          }
        }
      }
    }

    BigDecimal[] unitCosts(long inputTokens, int usageTier) {
      return unitCost[tierAbove > 0 && inputTokens > tierAbove ? 1 : 0][usageTier];
    }
  }

  private record RefModel(String id, String[] names, RefVersion before, RefVersion after) {
    RefVersion at(long epochMillis) {
      return epochMillis < CHANGE ? before : after;
    }
  }

  @Test
  void pricedAndSummedEqualsAnIndependentBigDecimalReference() {
    SplittableRandom catalogRandom = new SplittableRandom(20_260_115L);
    List<RefModel> models = new ArrayList<>();
    StringJoiner json = new StringJoiner(",\n");
    for (int i = 0; i < MODELS; i++) {
      RefModel m = randomModel(catalogRandom, i);
      models.add(m);
      json.add(modelJson(catalogRandom, m));
    }
    PriceCatalog catalog = PriceCatalog.parse("random.json", catalogJson("random-1", json.toString()));
    Pricing pricing = TestCatalogs.pricing(UnknownModelPolicy.FAIL, catalog);

    SplittableRandom rnd = new SplittableRandom(42L);
    Money total = Money.zero(Money.USD);
    BigDecimal reference = BigDecimal.ZERO;
    long exactPath = 0;
    long unknownTier = 0;
    String firstMismatch = null;
    long[] q = new long[UsageBucket.COUNT];
    for (int n = 0; n < USAGES; n++) {
      RefModel model = models.get(rnd.nextInt(MODELS));
      String name = model.names()[rnd.nextInt(model.names().length)];
      long at = rnd.nextLong(START, END);
      int tier = TIER_DRAWS[rnd.nextInt(TIER_DRAWS.length)];
      Usage usage = randomUsage(rnd, q, USAGE_TIERS[tier]);

      PricedUsage priced = pricing.price(null, name, usage, at);
      BigDecimal expected = referenceCost(model.at(at), q, tier);

      Money cost = priced.total();
      if (firstMismatch == null && !cost.equals(Money.of(expected, Money.USD))) {
        firstMismatch = name + " at " + at + " " + usage + ": priced " + cost + ", expected " + expected.toPlainString();
      }
      total = total.plus(cost);
      reference = reference.add(expected);
      exactPath += priced.hasFixedPointTotal() ? 0 : 1;
      unknownTier += USAGE_TIERS[tier].equals("scale") ? 1 : 0;
    }

    assertThat(firstMismatch).as("first usage priced differently from the reference").isNull();
    assertThat(total).isEqualTo(Money.of(reference, Money.USD));
    assertThat(total.exactAmount()).isEqualByComparingTo(reference);
    // both paths were exercised
    assertThat(exactPath).as("usages priced on the exact decimal path").isBetween(USAGES / 20L, USAGES / 2L);
    assertThat(pricing.unknownServiceTierCounts().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(unknownTier);
  }

  /** The reference: the sum over buckets of quantity × (price × multiplier ÷ units per pricing unit). */
  private static BigDecimal referenceCost(RefVersion version, long[] q, int usageTier) {
    long inputTokens = q[UsageBucket.INPUT_UNCACHED.ordinal()] + q[UsageBucket.CACHE_READ.ordinal()]
        + q[UsageBucket.CACHE_WRITE_5M.ordinal()] + q[UsageBucket.CACHE_WRITE_1H.ordinal()]
        + q[UsageBucket.INPUT_AUDIO.ordinal()] + q[UsageBucket.INPUT_IMAGE.ordinal()];
    BigDecimal[] unitCosts = version.unitCosts(inputTokens, usageTier);
    BigDecimal sum = BigDecimal.ZERO;
    for (UsageBucket b : PRICED) {
      long quantity = q[b.ordinal()];
      if (quantity != 0) {
        sum = sum.add(BigDecimal.valueOf(quantity).multiply(unitCosts[b.ordinal()]));
      }
    }
    return sum;
  }

  private static Usage randomUsage(SplittableRandom rnd, long[] q, String tier) {
    Arrays.fill(q, 0);
    Usage.Builder b = Usage.builder().serviceTier(tier);
    for (UsageBucket bucket : PRICED) {
      if (rnd.nextInt(3) != 0) {
        long quantity = bucket == UsageBucket.REQUESTS ? rnd.nextLong(1, 4) : randomQuantity(rnd);
        q[bucket.ordinal()] = quantity;
        b.add(bucket, quantity);
      }
    }
    return b.build();
  }

  /** Mostly ordinary token counts; some millions; a few huge enough to overflow pico-unit longs. */
  private static long randomQuantity(SplittableRandom rnd) {
    int r = rnd.nextInt(1_000);
    if (r < 900) {
      return rnd.nextLong(1, 20_000);
    }
    if (r < 995) {
      return rnd.nextLong(1, 5_000_000);
    }
    return rnd.nextLong(1, 10_000_000_000_000L);
  }

  private static RefModel randomModel(SplittableRandom rnd, int index) {
    String id = "model-" + index;
    boolean fine = index >= FIRST_FINE_GRAINED_MODEL;
    String[] names = {id, id.toUpperCase(Locale.ROOT), "test/" + id, "m" + index + "-2025-01-01"};
    return new RefModel(id, names, randomVersion(rnd, fine, index), randomVersion(rnd, fine, index));
  }

  private static RefVersion randomVersion(SplittableRandom rnd, boolean fine, int index) {
    BigDecimal[] base = randomPrices(rnd, fine);
    if (index % 3 != 0) {
      return new RefVersion(base, 0, null);
    }
    return new RefVersion(base, rnd.nextLong(50_000, 300_000), randomPrices(rnd, fine));
  }

  /** A price for every priced bucket: per 1M tokens with up to 6 (or, when fine, 7 to 10) decimals. */
  private static BigDecimal[] randomPrices(SplittableRandom rnd, boolean fine) {
    BigDecimal[] prices = new BigDecimal[UsageBucket.COUNT];
    for (UsageBucket b : PRICED) {
      if (b == UsageBucket.REQUESTS) {
        prices[b.ordinal()] = BigDecimal.valueOf(rnd.nextLong(0, 500), 4);
        continue;
      }
      int decimals = fine ? rnd.nextInt(7, 11) : rnd.nextInt(0, 7);
      long unscaled = rnd.nextInt(20) == 0 ? 0 : rnd.nextLong(0, 150 * BigDecimal.TEN.pow(decimals).longValueExact());
      prices[b.ordinal()] = BigDecimal.valueOf(unscaled, decimals);
    }
    return prices;
  }

  private static String modelJson(SplittableRandom rnd, RefModel m) {
    int index = Integer.parseInt(m.id().substring("model-".length()));
    return "{ \"provider\": \"test\", \"id\": \"" + m.id() + "\", \"match\": [\"m" + index + "-\\\\d{4}-\\\\d{2}-\\\\d{2}\"],"
        + " \"versions\": [\n  "
        + versionJson(rnd, m.before(), "\"valid_from\": \"2025-01-01\", \"valid_to\": \"2025-07-01\"") + ",\n  "
        + versionJson(rnd, m.after(), "\"valid_from\": \"2025-07-01\"") + " ] }";
  }

  private static String versionJson(SplittableRandom rnd, RefVersion v, String validity) {
    String tiers = v.tierAbove == 0 ? ""
        : ", \"context_tiers\": [ { \"above_input_tokens\": " + v.tierAbove + ", \"prices\": "
            + pricesJson(rnd, v.tier) + " } ]";
    return "{ " + validity + ", \"prices\": " + pricesJson(rnd, v.base) + tiers
        + ", \"service_tiers\": { \"batch\": \"0.5\", \"flex\": 0.37 } }";
  }

  /** Prices as JSON strings or, at random, as JSON numbers (read from their text too). */
  private static String pricesJson(SplittableRandom rnd, BigDecimal[] prices) {
    StringJoiner j = new StringJoiner(", ", "{ ", " }");
    for (UsageBucket b : PRICED) {
      String text = prices[b.ordinal()].toPlainString();
      j.add("\"" + b.jsonName() + "\": " + (rnd.nextBoolean() ? text : "\"" + text + "\""));
    }
    return j.toString();
  }
}
