package dev.finops.core.ledger;

import static dev.finops.core.ledger.LedgerFixtures.PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.pricing.Pricing;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A million random records through both recording paths; the ledger's exact totals must equal a
 * reference computed record by record with BigDecimal from a price table written out by hand.
 */
class LedgerExactTotalsTest {

  private static final int RECORDS = 1_000_000;
  private static final String[] TEAMS = {"search", "ads", "nlp"};
  private static final String[] MODELS = {"m1", "m2"};
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /**
   * Price per pricing unit by model and bucket, fallbacks applied by hand (docs/catalog-format.md):
   * m1 declares only input 2.50 and output 10.00, so cache reads and both cache writes cost 2.50,
   * reasoning 10.00 and requests nothing.
   */
  private static final Map<String, Map<UsageBucket, BigDecimal>> PRICES = Map.of(
      //           input   cache_read write_5m write_1h     output   reasoning    request
      "m1", prices("2.50", "2.50",    "2.50",  "2.50",      "10.00", "10.00",     "0"),
      "m2", prices("3.00", "0.30",    "3.75",  "6.1234567", "15.00", "12.345678", "0.0004"));

  /** Prices in the column order of {@link #PRICES}. */
  private static Map<UsageBucket, BigDecimal> prices(String... inCacheReadWrite5mWrite1hOutReasoningRequest) {
    UsageBucket[] order = {UsageBucket.INPUT_UNCACHED, UsageBucket.CACHE_READ, UsageBucket.CACHE_WRITE_5M,
        UsageBucket.CACHE_WRITE_1H, UsageBucket.OUTPUT, UsageBucket.OUTPUT_REASONING, UsageBucket.REQUESTS};
    Map<UsageBucket, BigDecimal> m = new EnumMap<>(UsageBucket.class);
    for (int i = 0; i < order.length; i++) {
      m.put(order[i], new BigDecimal(inCacheReadWrite5mWrite1hOutReasoningRequest[i]));
    }
    return m;
  }

  private final ManualClock clock = LedgerFixtures.clock();
  private final Ledger ledger = LedgerFixtures.ledger(clock);
  private final Pricing pricing = LedgerFixtures.pricing(LedgerFixtures.tokenCatalog());
  private final BoundModel[] bound = {pricing.bind(PROVIDER, "m1"), pricing.bind(PROVIDER, "m2")};
  private final Tags[][] tags = new Tags[TEAMS.length][MODELS.length];

  LedgerExactTotalsTest() {
    for (int t = 0; t < TEAMS.length; t++) {
      for (int m = 0; m < MODELS.length; m++) {
        tags[t][m] = LedgerFixtures.tags(TEAMS[t], MODELS[m]);
      }
    }
  }

  @Test
  void totalsOfAMillionRandomRecordsEqualTheBigDecimalReferenceExactly() {
    Expected expected = record(new Random(20260302L), RECORDS, false);

    LedgerSnapshot snapshot = ledger.snapshot();

    assertMatches(snapshot, expected);
    assertThat(ledger.accountCount()).isEqualTo(TEAMS.length * MODELS.length);
    Money byMinutes = snapshot.byTimeBucket(Duration.ofMinutes(1)).values().stream()
        .map(LedgerSnapshot.Totals::cost).reduce(Money.zero(Money.USD), Money::plus);
    assertThat(byMinutes).isEqualTo(snapshot.total().cost());
  }

  @Test
  void totalsOfTwoThreadsRecordingHalfAMillionEachConcurrentlyEqualTheReferenceExactly() throws Exception {
    Random first = new Random(7919L);
    Random second = new Random(2 * 7919L);

    // the first thread also moves the clock, so new minute slots appear while the other records
    List<Expected> halves = LedgerFixtures.concurrently(List.of(
        () -> record(first, RECORDS / 2, true),
        () -> record(second, RECORDS / 2, false)));

    Expected expected = new Expected();
    halves.forEach(expected::addAll);
    assertMatches(ledger.snapshot(), expected);
    assertThat(ledger.accountCount()).isEqualTo(TEAMS.length * MODELS.length);
  }

  /**
   * Records {@code n} random usages, a third each through {@code Account.record(PricedUsage,
   * epochMillis)} (up to ten minutes late), {@code Account.record(BoundModel, Usage)} (the clock's
   * time) and {@code Account.record(BoundModel, Usage, epochMillis)} (up to a minute late).
   */
  private Expected record(Random random, int n, boolean movesClock) {
    Expected expected = new Expected();
    for (int i = 0; i < n; i++) {
      int t = random.nextInt(TEAMS.length);
      int m = random.nextInt(MODELS.length);
      Usage usage = randomUsage(random);
      Account account = ledger.account(tags[t][m]);
      switch (random.nextInt(3)) {
        case 0 -> {
          long at = clock.wallTimeMillis() - random.nextInt(600_000);
          account.record(pricing.price(PROVIDER, MODELS[m], usage, at), at);
        }
        case 1 -> account.record(bound[m], usage);
        default -> account.record(bound[m], usage, clock.wallTimeMillis() - random.nextInt(60_000));
      }
      expected.add(t, m, usage);
      if (movesClock && i % 1_000 == 999) {
        clock.advance(Duration.ofSeconds(1));
      }
    }
    return expected;
  }

  private static Usage randomUsage(Random random) {
    Usage.Builder b = Usage.builder()
        .inputUncached(random.nextInt(20_000))
        .output(random.nextInt(4_000))
        .requests(1);
    if (random.nextInt(2) == 0) {
      b.cacheRead(random.nextInt(50_000));
    }
    if (random.nextInt(4) == 0) {
      b.cacheWrite5m(random.nextInt(10_000));
    }
    if (random.nextInt(8) == 0) {
      b.cacheWrite1h(random.nextInt(10_000));
    }
    if (random.nextInt(3) == 0) {
      b.reasoning(random.nextInt(8_000));
    }
    return b.build();
  }

  private void assertMatches(LedgerSnapshot snapshot, Expected expected) {
    LedgerSnapshot.Totals total = snapshot.total();
    assertThat(total.cost()).isEqualTo(Money.of(expected.cost(null, null), Money.USD));
    assertThat(total.records()).isEqualTo(RECORDS);
    assertThat(total.hasUnpriced()).isFalse();
    for (UsageBucket b : UsageBucket.values()) {
      assertThat(total.quantity(b)).as("quantity of %s", b).isEqualTo(expected.quantity(null, null, b));
    }

    Map<String, LedgerSnapshot.Totals> byTeam = snapshot.totalsBy("team").stream()
        .collect(Collectors.toMap(g -> g.group().team(), g -> g));
    assertThat(byTeam).containsOnlyKeys(TEAMS);
    Map<Tags, LedgerSnapshot.Totals> byTeamAndModel = snapshot.totalsBy("team", "model").stream()
        .collect(Collectors.toMap(LedgerSnapshot.Totals::group, g -> g));
    assertThat(byTeamAndModel).hasSize(TEAMS.length * MODELS.length);
    for (int t = 0; t < TEAMS.length; t++) {
      LedgerSnapshot.Totals team = byTeam.get(TEAMS[t]);
      assertThat(team.cost()).as("cost of team %s", TEAMS[t]).isEqualTo(Money.of(expected.cost(t, null), Money.USD));
      assertThat(team.records()).isEqualTo(expected.records(t, null));
      for (UsageBucket b : UsageBucket.values()) {
        assertThat(team.quantity(b)).as("%s of team %s", b, TEAMS[t]).isEqualTo(expected.quantity(t, null, b));
      }
      for (int m = 0; m < MODELS.length; m++) {
        LedgerSnapshot.Totals group = byTeamAndModel.get(tags[t][m]);
        assertThat(group.cost()).as("cost of %s", tags[t][m]).isEqualTo(Money.of(expected.cost(t, m), Money.USD));
        assertThat(group.records()).isEqualTo(expected.records(t, m));
      }
    }
  }

  /** The reference: exact BigDecimal cost, quantities and record counts per (team, model). */
  private static final class Expected {
    private final Cell[][] cells = new Cell[TEAMS.length][MODELS.length];

    /** What one (team, model) recorded. */
    private static final class Cell {
      BigDecimal cost = BigDecimal.ZERO;
      final long[] quantities = new long[UsageBucket.COUNT];
      long records;
    }

    Expected() {
      for (Cell[] row : cells) {
        for (int m = 0; m < row.length; m++) {
          row[m] = new Cell();
        }
      }
    }

    void add(int t, int m, Usage usage) {
      Map<UsageBucket, BigDecimal> prices = PRICES.get(MODELS[m]);
      Cell cell = cells[t][m];
      for (UsageBucket b : UsageBucket.values()) {
        long q = usage.get(b);
        if (q == 0) {
          continue;
        }
        cell.quantities[b.ordinal()] += q;
        BigDecimal perUnit = b == UsageBucket.REQUESTS ? BigDecimal.ONE : MILLION; // request: per request
        cell.cost = cell.cost.add(BigDecimal.valueOf(q).multiply(prices.get(b)).divide(perUnit));
      }
      cell.records++;
    }

    void addAll(Expected other) {
      for (int t = 0; t < TEAMS.length; t++) {
        for (int m = 0; m < MODELS.length; m++) {
          Cell mine = cells[t][m];
          Cell theirs = other.cells[t][m];
          mine.cost = mine.cost.add(theirs.cost);
          mine.records += theirs.records;
          for (int b = 0; b < UsageBucket.COUNT; b++) {
            mine.quantities[b] += theirs.quantities[b];
          }
        }
      }
    }

    /** The cells of a team (all when null) and model (all when null). */
    private Stream<Cell> cells(Integer team, Integer model) {
      return IntStream.range(0, TEAMS.length).filter(t -> team == null || team == t)
          .boxed().flatMap(t -> IntStream.range(0, MODELS.length).filter(m -> model == null || model == m)
              .mapToObj(m -> cells[t][m]));
    }

    BigDecimal cost(Integer team, Integer model) {
      return cells(team, model).map(c -> c.cost).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    long quantity(Integer team, Integer model, UsageBucket b) {
      return cells(team, model).mapToLong(c -> c.quantities[b.ordinal()]).sum();
    }

    long records(Integer team, Integer model) {
      return cells(team, model).mapToLong(c -> c.records).sum();
    }
  }
}
