package dev.finops.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Clock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetEvent;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.budget.BudgetStore;
import dev.finops.core.budget.BudgetStore.Counter;
import dev.finops.core.budget.BudgetStore.CounterSpec;
import dev.finops.core.budget.BudgetStore.Reading;
import dev.finops.core.budget.Reservation;
import dev.finops.core.budget.Window;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RedisBudgetStoreTest extends RedisFixture {
  private static final long UNIT = 1_000_000_000_000L; // pico-units per currency unit

  static RedisBudgetStore.Builder store() {
    return RedisBudgetStore.builder(RedisURI.create(server.uri())).tag(UUID.randomUUID().toString());
  }

  static RedisBudgetStore.Builder store(String tag) {
    return RedisBudgetStore.builder(RedisURI.create(server.uri())).tag(tag);
  }

  /** A clock the test moves. */
  static final class ManualClock implements Clock {
    final AtomicLong millis;

    ManualClock(long start) {
      this.millis = new AtomicLong(start);
    }

    @Override
    public long wallTimeMillis() {
      return millis.get();
    }

    @Override
    public long monotonicNanos() {
      return millis.get() * 1_000_000L;
    }
  }

  /**
   * The same random reservations, settlements (below and above the reservation), releases and records,
   * on the in-memory store and on Redis, with a lifetime, a daily and a rolling window moving in time:
   * every refusal and every reading is the same.
   */
  @Test
  void agreesWithTheInMemoryStoreOnEveryWindow() {
    // Today (UTC): a calendar counter expires a day after its period ends, on Redis' clock.
    long t0 = java.time.LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    Window rolling = Window.rolling(Duration.ofSeconds(10), 10);
    List<CounterSpec> specs = List.of(
        new CounterSpec("team=a/lifetime", 1_000 * UNIT, Window.lifetime(), Long.MIN_VALUE, Long.MAX_VALUE),
        new CounterSpec("team=a/daily(Z)/today", 600 * UNIT, Window.daily(ZoneOffset.UTC), t0, t0 + 86_400_000L),
        new CounterSpec("team=a/rolling(PT10S)", 300 * UNIT, rolling, t0, Long.MAX_VALUE));
    BudgetStore mem = BudgetStore.inMemory();
    try (RedisBudgetStore redis = store().build()) {
      Counter[] m = specs.stream().map(mem::counter).toArray(Counter[]::new);
      Counter[] r = specs.stream().map(redis::counter).toArray(Counter[]::new);
      Random rnd = new Random(42);
      long now = t0;
      List<long[]> open = new ArrayList<>(); // amount, at
      int refusals = 0;
      for (int step = 0; step < 1500; step++) {
        now += rnd.nextInt(120);
        int op = rnd.nextInt(10);
        if (op < 5 || open.isEmpty()) {
          long amount = 1 + (long) (rnd.nextDouble() * 40 * UNIT);
          int a = mem.tryReserve(m, amount, now);
          int b = redis.tryReserve(r, amount, now);
          assertThat(b).as("refusal at step %d", step).isEqualTo(a);
          if (a < 0) {
            open.add(new long[] {amount, now});
          } else {
            refusals++;
          }
        } else if (op < 8) {
          long[] res = open.remove(rnd.nextInt(open.size()));
          long actual = (long) (res[0] * rnd.nextDouble() * 1.2);
          mem.commit(m, res[0], actual, res[1], now);
          redis.commit(r, res[0], actual, res[1], now);
        } else if (op < 9) {
          long[] res = open.remove(rnd.nextInt(open.size()));
          mem.release(m, res[0], res[1], now);
          redis.release(r, res[0], res[1], now);
        } else {
          long actual = (long) (rnd.nextDouble() * 5 * UNIT);
          mem.record(m, actual, now);
          redis.record(r, actual, now);
        }
        for (int i = 0; i < m.length; i++) {
          Reading x = mem.read(m[i], now);
          Reading y = redis.read(r[i], now);
          assertThat(y.usedPico()).as("used of %s at step %d", specs.get(i).key(), step).isEqualTo(x.usedPico());
          assertThat(y.spentPico()).as("spent of %s at step %d", specs.get(i).key(), step).isEqualTo(x.spentPico());
        }
      }
      assertThat(refusals).as("the limits were reached").isGreaterThan(50);
      assertThat(redis.pendingReservations()).isEqualTo(open.size());
    }
  }

  /** Amounts above 2^53 (where a Lua number is no longer exact) and up to 2^63 - 1 stay exact. */
  @Test
  void amountsAreExactTo2Pow63() {
    try (RedisBudgetStore redis = store().build()) {
      long big = (1L << 53) + 1;
      Counter c = redis.counter(new CounterSpec("team=big/lifetime", big, Window.lifetime(), Long.MIN_VALUE,
          Long.MAX_VALUE));
      Counter[] chain = {c};
      assertThat(redis.tryReserve(chain, big, 0)).isEqualTo(-1);
      assertThat(redis.tryReserve(chain, 1, 0)).as("2^53 + 2 > limit, though equal as doubles").isEqualTo(0);
      assertThat(redis.read(c, 0).usedPico()).isEqualTo(big);
      redis.commit(chain, big, big - 1, 0, 0);
      assertThat(redis.read(c, 0).spentPico()).isEqualTo(big - 1);
      assertThat(redis.tryReserve(chain, 1, 0)).isEqualTo(-1);
      assertThat(redis.tryReserve(chain, 1, 0)).isEqualTo(0);

      Counter max = redis.counter(new CounterSpec("team=max/lifetime", Long.MAX_VALUE, Window.lifetime(),
          Long.MIN_VALUE, Long.MAX_VALUE));
      Counter[] maxChain = {max};
      assertThat(redis.tryReserve(maxChain, Long.MAX_VALUE - 5, 0)).isEqualTo(-1);
      assertThat(redis.tryReserve(maxChain, 6, 0)).isEqualTo(0);
      assertThat(redis.tryReserve(maxChain, 5, 0)).isEqualTo(-1);
      assertThat(redis.read(max, 0).usedPico()).isEqualTo(Long.MAX_VALUE);
      redis.record(maxChain, Long.MAX_VALUE, 0); // saturates, as in memory
      assertThat(redis.read(max, 0)).satisfies(x -> {
        assertThat(x.usedPico()).isEqualTo(Long.MAX_VALUE);
        assertThat(x.spentPico()).isEqualTo(Long.MAX_VALUE);
      });
    }
  }

  /** Through the manager: all or nothing over the chain, exact figures, a day's counter expiring after its end. */
  @Test
  void managerReservesAllOrNothingOverTheChain() {
    ManualClock clock = new ManualClock(System.currentTimeMillis());
    try (RedisBudgetStore redis = store().periodGrace(Duration.ofHours(1)).build()) {
      BudgetManager budgets = BudgetManager.builder().clock(clock).store(redis).build();
      budgets.add(Budget.forTeam("nlp").limit(Money.usd("100")).daily(ZoneOffset.UTC).build());
      budgets.add(Budget.forProject("bob").limit(Money.usd("10")).build());
      Tags bob = Tags.of("team", "nlp", "project", "bob");
      Tags ann = Tags.of("team", "nlp", "project", "ann");
      Reservation r1 = budgets.scope(bob).reserve(Money.usd("6"));
      assertThat(budgets.scope(bob).tryReserve(dev.finops.core.budget.Estimate.of(Money.usd("5")))).isNull();
      Reservation r2 = budgets.scope(ann).reserve(Money.usd("50"));
      assertThat(used(budgets, "team=nlp")).isEqualByComparingTo("56");
      assertThat(r1.settle(Money.usd("2.000000000001"))).isTrue();
      assertThat(r1.settle(Money.usd("3"))).isFalse();
      r2.close();
      BudgetStatus team = budgets.statuses(bob).stream().filter(s -> s.scope().equals("team=nlp")).findFirst()
          .orElseThrow();
      assertThat(team.spent().exactAmount()).isEqualByComparingTo("2.000000000001");
      assertThat(team.reserved().exactAmount()).isEqualByComparingTo("0");
      long ttl = RedisFixture.redis.pttl(redis.keyPrefix() + "c:" + "team=nlp/daily(Z)/"
          + java.time.Instant.ofEpochMilli(clock.wallTimeMillis()).atZone(ZoneOffset.UTC).toLocalDate());
      long endOfDay = java.time.Instant.ofEpochMilli(clock.wallTimeMillis()).atZone(ZoneOffset.UTC).toLocalDate()
          .plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      assertThat(ttl).as("the day's counter expires an hour after the day ends")
          .isBetween(endOfDay + 3_600_000L - System.currentTimeMillis() - 5_000, endOfDay + 3_600_000L
              - System.currentTimeMillis() + 5_000);
      assertThat(redis.pendingReservations()).isZero();
    }
  }

  static java.math.BigDecimal used(BudgetManager budgets, String scope) {
    return budgets.statuses().stream().filter(s -> s.scope().equals(scope)).findFirst().orElseThrow().used()
        .exactAmount();
  }

  /**
   * A store that stops renewing its liveness (closed here; killed in {@link FleetProcessTest}) leaves its
   * reservations to the others: charged to their full amount by default; a late settlement by anyone is
   * then not counted again.
   */
  @Test
  void aDeadOwnersReservationsAreChargedOnceByAnotherStore() throws Exception {
    String tag = UUID.randomUUID().toString();
    RedisBudgetStore dying = store(tag).ownerTtl(Duration.ofMillis(300)).build();
    BudgetManager m1 = BudgetManager.builder().store(dying).build();
    m1.add(Budget.forTeam("a").limit(Money.usd("10")).build());
    m1.scope(Tags.of("team", "a")).reserve(Money.usd("3"));
    m1.scope(Tags.of("team", "a")).reserve(Money.usd("4"));
    dying.close();
    try (RedisBudgetStore live = store(tag).ownerTtl(Duration.ofMillis(300)).build()) {
      BudgetManager m2 = BudgetManager.builder().store(live).build();
      m2.add(Budget.forTeam("a").limit(Money.usd("10")).build());
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (live.stats().orphansEnded() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(live.stats().orphansEnded()).isEqualTo(2);
      BudgetStatus st = m2.statuses().get(0);
      assertThat(st.spent().exactAmount()).isEqualByComparingTo("7");
      assertThat(st.reserved().exactAmount()).isEqualByComparingTo("0");
      assertThat(RedisFixture.redis.zscore(live.keyPrefix() + "owners", dying.owner())).isNull();
    }
  }

  /** A reservation past the store's backstop deadline is charged by a sweeper; the owner's later settlement is a no-op. */
  @Test
  void settlingAfterAnotherProcessExpiredItCountsOnce() throws Exception {
    String tag = UUID.randomUUID().toString();
    try (RedisBudgetStore a = store(tag).reservationTtl(Duration.ofMillis(100)).build();
        RedisBudgetStore b = store(tag).build()) {
      BudgetManager m = BudgetManager.builder().store(a).build();
      m.add(Budget.forTeam("a").limit(Money.usd("10")).build());
      Reservation r = m.scope(Tags.of("team", "a")).reserve(Money.usd("3"));
      Thread.sleep(150);
      assertThat(b.sweep()).isEqualTo(1);
      assertThat(r.settle(Money.usd("1"))).isTrue(); // the manager's view; Redis already charged it
      assertThat(a.stats().alreadySettled()).isEqualTo(1);
      BudgetStatus st = m.statuses().get(0);
      assertThat(st.spent().exactAmount()).isEqualByComparingTo("3");
      assertThat(st.used().exactAmount()).isEqualByComparingTo("3");
    }
  }

  /** Two processes' managers each fire the 50% threshold for themselves; the fleet hears it once. */
  @Test
  void fleetEventsAreDeliveredOncePerPeriod() {
    String tag = UUID.randomUUID().toString();
    List<BudgetEvent> heard = new CopyOnWriteArrayList<>();
    try (RedisBudgetStore a = store(tag).build(); RedisBudgetStore b = store(tag).build()) {
      BudgetManager m1 = BudgetManager.builder().store(a).listener(a.fleetOnce(heard::add)).build();
      BudgetManager m2 = BudgetManager.builder().store(b).listener(b.fleetOnce(heard::add)).build();
      for (BudgetManager m : List.of(m1, m2)) {
        m.add(Budget.forTeam("a").limit(Money.usd("10")).daily(ZoneOffset.UTC).notifyAt("0.5").build());
      }
      m1.scope(Tags.of("team", "a")).reservePico(6 * UNIT).settlePico(6 * UNIT);
      m2.scope(Tags.of("team", "a")).reservePico(UNIT).settlePico(UNIT);
      assertThat(heard).hasSize(1);
      assertThat(heard.get(0).type()).isEqualTo(BudgetEvent.Type.THRESHOLD);
    }
  }
}
