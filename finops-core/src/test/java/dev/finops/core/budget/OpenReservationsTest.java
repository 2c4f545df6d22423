package dev.finops.core.budget;

import static dev.finops.core.budget.BudgetFixtures.T0;
import static dev.finops.core.budget.BudgetFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.ManualClock;
import dev.finops.core.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Expiry tracking ({@link OpenReservations}) through the manager: nothing open is forgotten, nothing expires twice. */
class OpenReservationsTest {
  private static final Tags TEAM = Tags.builder().team("nlp").build();

  /**
   * Four threads reserve 20,000 times while sweeps run (every 1,024 reservations), settling every
   * other one; past the TTL one full sweep expires exactly the ones left open, each once.
   */
  @Test
  @org.junit.jupiter.api.Timeout(120) // a sweep that revisits what it keeps would run for minutes
  void reservationsLeftOpenUnderConcurrentSweepsAllExpireOnceAndOnlyThey() throws Exception {
    ManualClock clock = ManualClock.at(T0);
    BudgetFixtures.Events events = new BudgetFixtures.Events();
    BudgetManager budgets = BudgetFixtures.manager(clock).listener(events).reservationTtl(Duration.ofMinutes(5))
        .build().add(Budget.forTeam("nlp").limit(usd("1000000")).build());
    BudgetScope scope = budgets.scope(TEAM);
    ConcurrentLinkedQueue<Reservation> leftOpen = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      done.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < 5_000; i++) {
          Reservation r = scope.reservePico(1_000);
          if (i % 2 == 0) {
            r.settlePico(500);
          } else {
            leftOpen.add(r);
          }
          if (i % 700 == 0) {
            budgets.expireOverdue(); // a full sweep racing the partial ones: nothing is due yet
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    assertThat(budgets.stats().expired()).isZero();
    clock.advance(Duration.ofMinutes(5));
    assertThat(budgets.expireOverdue()).isEqualTo(10_000);
    assertThat(leftOpen).hasSize(10_000).allSatisfy(r -> assertThat(r.state()).isEqualTo(Reservation.State.EXPIRED));
    assertThat(events.of(BudgetEvent.Type.RESERVATION_EXPIRED)).hasSize(10_000);
    assertThat(budgets.expireOverdue()).isZero();
    // 10,000 settled at 500 pico and 10,000 expired at their full 1,000 pico
    assertThat(budgets.statuses(TEAM).get(0).spent()).isEqualTo(usd("0.000015"));
  }
}
