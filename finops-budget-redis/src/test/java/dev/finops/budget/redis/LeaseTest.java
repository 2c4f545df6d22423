package dev.finops.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetScope;
import dev.finops.core.budget.Reservation;
import io.lettuce.core.RedisURI;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases: served without round trips, flushed exactly, returned, and charged once when their process dies. */
class LeaseTest extends RedisFixture {

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void reservationsFromALeaseTakeNoRoundTripAndTheSpendArrivesExactlyOnce() throws Exception {
    String tag = UUID.randomUUID().toString();
    String key = "finops:{" + tag + "}:c:team=lease/lifetime";
    try (RedisBudgetStore store = RedisBudgetStore.builder(RedisURI.create(server.uri())).tag(tag)
        .ownerTtl(Duration.ofSeconds(30)).leases(new BigDecimal("0.1"), "team=lease")
        .leaseFlushInterval(Duration.ofMillis(200)).leaseIdle(Duration.ofMillis(600)).build()) {
      BudgetManager budgets = BudgetManager.builder().store(store).build();
      budgets.add(Budget.forTeam("lease").limit(Money.usd("100")).build());
      BudgetScope scope = budgets.scope(Tags.of("team", "lease"));
      await(() -> store.stats().commands() > 0, "first heartbeat");
      Thread.sleep(50);
      Reservation first = scope.reservePico(1_000_000_000_000L); // takes a lease of 10 units: one round trip
      assertThat(redis.hget(key, "used")).as("the lease is reserved in Redis").isEqualTo("10000000000000");
      long before = store.stats().commands();
      long flushes = store.stats().leaseFlushes();
      List<Reservation> open = new ArrayList<>(List.of(first));
      for (int i = 0; i < 8; i++) {
        open.add(scope.reservePico(1_000_000_000_000L));
      }
      long settled = 0;
      for (int i = 0; i < open.size(); i++) {
        long actual = 333_333_333_333L + i;
        assertThat(open.get(i).settlePico(actual)).isTrue();
        settled += actual;
      }
      long during = store.stats().commands() - before - (store.stats().leaseFlushes() - flushes);
      assertThat(during).as("8 reservations and 9 settlements from the lease: no command but flushes").isZero();
      assertThat(store.stats().leasedReservations()).isEqualTo(9);
      long expected = settled;
      await(() -> Long.toString(expected).equals(redis.hget(key, "spent")), "flushed");
      assertThat(redis.hget(key, "used")).as("the lease still holds its room").isEqualTo("10000000000000");
      try (RedisBudgetStore other = RedisBudgetStore.builder(RedisURI.create(server.uri())).tag(tag).build()) {
        BudgetManager m = BudgetManager.builder().store(other).build();
        m.add(Budget.forTeam("lease").limit(Money.usd("100")).build());
        assertThat(m.scope(Tags.of("team", "lease")).tryReservePico(91_000_000_000_000L))
            .as("the lease counts as used for everyone").isNull();
      }
      await(() -> store.heldLeases() == 0, "idle lease returned");
      // The store lets go of the lease before its return script has run on Redis: wait for the room.
      await(() -> Long.toString(expected).equals(redis.hget(key, "used")), "room back");
      assertThat(redis.hget(key, "used")).as("room back: used = spent").isEqualTo(Long.toString(settled));
      assertThat(redis.hget(key, "spent")).isEqualTo(Long.toString(settled));
      assertThat(redis.zcard("finops:{" + tag + "}:open")).isZero();
    }
  }

  @Test
  void aLeaseNeverAdmitsPastTheLimitAndGivesItsRoomBackNearIt() throws Exception {
    String tag = UUID.randomUUID().toString();
    try (RedisBudgetStore a = RedisBudgetStore.builder(RedisURI.create(server.uri())).tag(tag)
        .leases(new BigDecimal("0.5")).build();
        RedisBudgetStore b = RedisBudgetStore.builder(RedisURI.create(server.uri())).tag(tag).build()) {
      BudgetManager ma = BudgetManager.builder().store(a).build();
      BudgetManager mb = BudgetManager.builder().store(b).build();
      for (BudgetManager m : List.of(ma, mb)) {
        m.add(Budget.forTeam("edge").limit(Money.usd("10")).build());
      }
      await(() -> a.stats().commands() > 0, "first heartbeat");
      Thread.sleep(50);
      BudgetScope sa = ma.scope(Tags.of("team", "edge"));
      BudgetScope sb = mb.scope(Tags.of("team", "edge"));
      Reservation r1 = sa.reserve(Money.usd("4")); // lease of 5
      assertThat(a.stats().leasedReservations()).isEqualTo(1);
      assertThat(sb.tryReserve(dev.finops.core.budget.Estimate.of(Money.usd("6")))).as("5 leased by a").isNull();
      Reservation r2 = sb.reserve(Money.usd("5"));
      // a has 1 free of its lease; 3 more do not fit the fleet (10 used): refused, the free unit returned
      assertThat(sa.tryReserve(dev.finops.core.budget.Estimate.of(Money.usd("3")))).isNull();
      assertThat(ma.statuses().get(0).used()).isEqualTo(Money.usd("9"));
      assertThat(sb.tryReserve(dev.finops.core.budget.Estimate.of(Money.usd("1")))).as("a's free unit").isNotNull();
      r1.settle(Money.usd("4"));
      r2.settle(Money.usd("5"));
    }
  }

  /**
   * A process with a lease spends 5 units (flushed) and 7 more (flush interval 1 h: not flushed) and holds
   * 10 open, then is SIGKILLed; a live store (orphan policy CHARGE) charges what the lease holds: the
   * budget's spent is the whole lease (30), the 5 flushed counted once, not 35.
   */
  @Test
  void aKilledProcessesUnflushedSpendIsChargedOnce(@TempDir Path dir) throws Exception {
    String tag = UUID.randomUUID().toString();
    String key = "finops:{" + tag + "}:c:team=held/lifetime";
    try (RedisBudgetStore live = RedisBudgetStore.builder(RedisURI.create(server.uri())).tag(tag)
        .ownerTtl(Duration.ofSeconds(1)).build()) {
      Process p = FleetProcessTest.child(dir.resolve("out"), "spend", server.uri(), tag);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!Files.readString(dir.resolve("out")).contains("SPENT") && System.nanoTime() < deadline) {
        assertThat(p.isAlive()).as(Files.readString(dir.resolve("out"))).isTrue();
        Thread.sleep(20);
      }
      assertThat(redis.hget(key, "used")).as("a lease of 30").isEqualTo("30000000000000");
      assertThat(redis.hget(key, "spent")).as("5 flushed").isEqualTo("5000000000000");
      p.destroyForcibly().waitFor();
      await(() -> redis.zcard("finops:{" + tag + "}:open") == 0, "the dead process's lease ended");
      assertThat(redis.hget(key, "spent")).as("charged in full, the flushed part once").isEqualTo("30000000000000");
      assertThat(redis.hget(key, "used")).isEqualTo("30000000000000");
      assertThat(live.stats().orphansEnded()).isEqualTo(1);
    }
  }

  @Test
  void badLeaseSettingsNameTheField() {
    RedisBudgetStore.Builder b = RedisBudgetStore.builder(RedisURI.create("redis://localhost"));
    assertThatThrownBy(() -> b.leases(BigDecimal.ZERO)).hasMessageContaining("leaseFraction");
    assertThatThrownBy(() -> b.leases(new BigDecimal("1.5"))).hasMessageContaining("leaseFraction");
    assertThatThrownBy(() -> b.leases(null)).hasMessageContaining("leaseFraction");
    assertThatThrownBy(() -> b.leaseFlushInterval(Duration.ZERO)).hasMessageContaining("leaseFlushInterval");
    assertThatThrownBy(() -> b.leaseIdle(Duration.ofSeconds(-1))).hasMessageContaining("leaseIdle");
  }
}
