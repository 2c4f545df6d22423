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

      server.up(); // same port, same append-only file
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (store.queuedOperations() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(store.queuedOperations()).isZero();
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

  static BudgetStatus status(BudgetManager budgets, String scope) {
    return budgets.statuses().stream().filter(s -> s.scope().equals(scope)).findFirst().orElseThrow();
  }
}
