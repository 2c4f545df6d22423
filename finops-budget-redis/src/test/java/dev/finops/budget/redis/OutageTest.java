package dev.finops.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.budget.Estimate;
import dev.finops.core.budget.Reservation;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Redis stopped mid-run and restarted on its append-only file: the fail-closed budget refuses meanwhile,
 * the fail-open one admits; every settlement made meanwhile reaches Redis once it is back, none lost and
 * none counted twice.
 */
class OutageTest {

  @Test
  void failClosedRefusesFailOpenAdmitsAndEverythingIsCountedOnceAfterARestart() throws Exception {
    try (RedisServer server = RedisServer.start();
        RedisBudgetStore store = RedisBudgetStore.builder(RedisURI.create(server.uri()))
            .commandTimeout(Duration.ofMillis(200)).ownerTtl(Duration.ofSeconds(30)).failOpen("team=open").build()) {
      BudgetManager budgets = BudgetManager.builder().store(store).build();
      budgets.add(Budget.forTeam("closed").limit(Money.usd("100")).build());
      budgets.add(Budget.forTeam("open").limit(Money.usd("100")).build());
      Tags closed = Tags.of("team", "closed");
      Tags open = Tags.of("team", "open");
      Reservation c1 = budgets.scope(closed).reserve(Money.usd("10"));
      Reservation o1 = budgets.scope(open).reserve(Money.usd("10"));

      assertThat(store.health().reachable()).isTrue();
      server.down();
      assertThat(budgets.scope(closed).tryReserve(Estimate.of(Money.usd("1")))).as("fail closed").isNull();
      Reservation o2 = budgets.scope(open).tryReserve(Estimate.of(Money.usd("5")));
      assertThat(o2).as("fail open").isNotNull();
      assertThat(c1.settle(Money.usd("4"))).isTrue();
      assertThat(o1.settle(Money.usd("6"))).isTrue();
      assertThat(o2.settle(Money.usd("3"))).isTrue();
      budgets.scope(open).record(Money.usd("2"));
      assertThat(store.queuedOperations()).isEqualTo(4);
      assertThat(store.stats().unavailableDenials()).isEqualTo(1);
      assertThat(store.stats().failOpenAdmissions()).isEqualTo(1);
      RedisBudgetStore.Health degraded = store.health();
      assertThat(degraded.reachable()).isFalse();
      assertThat(degraded.downSince()).isNotNull();
      assertThat(degraded.queuedOperations()).isEqualTo(4);
      assertThat(degraded.failingOpen()).containsExactly("team=open");
      assertThat(degraded.failingClosed()).containsExactly("team=closed");

      server.up(); // same port, same append-only file
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (store.queuedOperations() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(store.queuedOperations()).isZero();
      RedisBudgetStore.Health healthy = store.health();
      assertThat(healthy.reachable()).as("reachable once the queue is replayed").isTrue();
      assertThat(healthy.failingOpen()).isEmpty();
      assertThat(healthy.failingClosed()).isEmpty();
      assertThat(status(budgets, "team=closed").spent().exactAmount()).isEqualByComparingTo("4");
      assertThat(status(budgets, "team=closed").used().exactAmount()).isEqualByComparingTo("4");
      assertThat(status(budgets, "team=open").spent().exactAmount()).isEqualByComparingTo("11");
      assertThat(status(budgets, "team=open").used().exactAmount()).isEqualByComparingTo("11");
      assertThat(budgets.scope(closed).tryReserve(Estimate.of(Money.usd("96")))).as("room is exact again").isNotNull();

      // A second restart: what was settled stays settled (append-only file), nothing replays.
      server.down();
      server.up();
      Thread.sleep(300);
      assertThat(status(budgets, "team=open").spent().exactAmount()).isEqualByComparingTo("11");
      assertThat(status(budgets, "team=closed").used().exactAmount()).isEqualByComparingTo("100");
    }
  }

  /**
   * A lease keeps serving while Redis is down (its room is reserved there); the flush of what was settled
   * meanwhile is queued and applied once when Redis is back, and the lease returned at close leaves used =
   * spent, exact.
   */
  @Test
  void aLeaseServesThroughAnOutageAndItsSpendArrivesOnce() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      RedisBudgetStore store = RedisBudgetStore.builder(RedisURI.create(server.uri()))
          .commandTimeout(Duration.ofMillis(200)).ownerTtl(Duration.ofSeconds(30)).leases(new java.math.BigDecimal("0.1"))
          .leaseIdle(Duration.ofHours(1)).build();
      BudgetManager budgets = BudgetManager.builder().store(store).build();
      budgets.add(Budget.forTeam("leased").limit(Money.usd("100")).build());
      Tags leased = Tags.of("team", "leased");
      LeaseTest.await(() -> store.stats().commands() > 0, "first heartbeat");
      Thread.sleep(50);
      assertThat(budgets.scope(leased).reserve(Money.usd("3")).settle(Money.usd("2"))).isTrue();
      LeaseTest.await(() -> status(budgets, "team=leased").spent().exactAmount().compareTo(new java.math.BigDecimal("2"))
          == 0, "flushed");

      server.down();
      Reservation r = budgets.scope(leased).tryReserve(Estimate.of(Money.usd("3")));
      assertThat(r).as("served from the lease without Redis").isNotNull();
      assertThat(r.settle(Money.usd("3"))).isTrue();
      assertThat(store.stats().leasedReservations()).isEqualTo(2);
      LeaseTest.await(() -> store.queuedOperations() == 1, "the flush queued");

      server.up();
      LeaseTest.await(() -> store.queuedOperations() == 0, "replayed");
      assertThat(status(budgets, "team=leased").spent().exactAmount()).isEqualByComparingTo("5");
      assertThat(status(budgets, "team=leased").used().exactAmount()).as("the lease of 10").isEqualByComparingTo("10");
      store.close(); // returns the lease
      try (RedisBudgetStore other = RedisBudgetStore.builder(RedisURI.create(server.uri())).build()) {
        BudgetManager m = BudgetManager.builder().store(other).build();
        m.add(Budget.forTeam("leased").limit(Money.usd("100")).build());
        assertThat(status(m, "team=leased").spent().exactAmount()).isEqualByComparingTo("5");
        assertThat(status(m, "team=leased").used().exactAmount()).as("returned").isEqualByComparingTo("5");
      }
    }
  }

  static BudgetStatus status(BudgetManager budgets, String scope) {
    return budgets.statuses().stream().filter(s -> s.scope().equals(scope)).findFirst().orElseThrow();
  }
}
