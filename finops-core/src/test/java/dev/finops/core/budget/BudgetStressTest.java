package dev.finops.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Many threads reserve and settle against tight limits on a 3-level chain (org → team → experiment):
 * spend plus reservations never exceeds a limit, and every reservation ends exactly once even when two
 * threads race to settle it.
 *
 * <p>Set-up: org limit 9e6 pico; two teams of 6e6; four experiments of 4e6 (two per team). Each
 * reservation is 0.5e6 to 2e6 pico and each worker keeps up to two open, so the open reservations of
 * four workers (about 10e6) are more than any limit: refusals happen all along, at every level. The
 * actual cost of a reservation is 0, 1 or 2 pico ({@code id % 3}): a few pico of spend per pair keeps
 * the limits tight for the whole run. Half the reservations are also put in a shared mailbox, from
 * which other workers try to settle them while their owner does too.
 */
class BudgetStressTest {

  private static final int WORKERS = 4;
  private static final long PAIRS = 1_000_000;
  private static final int EXPERIMENTS = 4;
  private static final long ORG_LIMIT = 9_000_000;
  private static final long TEAM_LIMIT = 6_000_000;
  private static final long EXPERIMENT_LIMIT = 4_000_000;

  private final ManualClock clock = ManualClock.at(BudgetFixtures.T0);
  private final BudgetManager budgets = BudgetManager.builder().clock(clock).reservationTtl(Duration.ofDays(1)).build();
  private final AtomicReferenceArray<Reservation> mailbox = new AtomicReferenceArray<>(64);
  private final LongAdder[] expectedSpent = new LongAdder[EXPERIMENTS];
  private final LongAdder admitted = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder wins = new LongAdder();
  private final LongAdder losses = new LongAdder();
  private final LongAdder stolen = new LongAdder();

  private static Money pico(long p) {
    return Money.ofScaled(p, 12, Money.USD);
  }

  private static long actualFor(Reservation r) {
    return r.id() % 3;
  }

  /** The experiment of a reservation, encoded in its amount. */
  private static int experimentOf(Reservation r) {
    return (int) (r.amountPico() % EXPERIMENTS);
  }

  /** Ends {@code r} (the owner releases one in seven instead); books what the winning call applied. */
  private void finish(Reservation r, boolean owner) {
    boolean release = owner && r.id() % 7 == 0;
    boolean won = release ? r.release() : r.settlePico(actualFor(r));
    if (won) {
      wins.increment();
      expectedSpent[experimentOf(r)].add(release ? 0 : actualFor(r));
    } else {
      losses.increment();
    }
  }

  @Test
  void a_million_reserve_settle_pairs_never_overshoot_and_settle_exactly_once() throws Exception {
    budgets.add(Budget.forOrg("acme").limit(pico(ORG_LIMIT)).build());
    Tags[] chains = new Tags[EXPERIMENTS];
    for (int e = 0; e < EXPERIMENTS; e++) {
      expectedSpent[e] = new LongAdder();
      if (e % 2 == 0) {
        budgets.add(Budget.forTeam("t" + e / 2).limit(pico(TEAM_LIMIT)).build());
      }
      budgets.add(Budget.forExperiment("e" + e).limit(pico(EXPERIMENT_LIMIT)).build());
      chains[e] = Tags.builder().org("acme").team("t" + e / 2).experiment("e" + e).build();
    }

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong samples = new AtomicLong();
    AtomicLong violations = new AtomicLong();
    AtomicLong maxUsedPico = new AtomicLong();
    Thread monitor = new Thread(() -> {
      while (running.get()) {
        for (BudgetStatus s : budgets.statuses()) {
          long used = s.used().amount(12).movePointRight(12).longValueExact();
          long limit = s.limit().amount(12).movePointRight(12).longValueExact();
          maxUsedPico.accumulateAndGet(used * 1000 / limit, Math::max); // per mille of the limit
          if (used > limit) {
            violations.incrementAndGet();
          }
        }
        samples.incrementAndGet();
        Thread.onSpinWait();
      }
    }, "budget-monitor");

    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      final int seed = w;
      Thread t = new Thread(() -> {
        try {
          go.await();
          work(seed, chains);
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "budget-worker-" + w);
      workers.add(t);
      t.start();
    }
    long start = System.nanoTime();
    monitor.start();
    go.countDown();
    for (Thread t : workers) {
      t.join();
    }
    running.set(false);
    monitor.join();
    for (int i = 0; i < mailbox.length(); i++) { // owners ended all of them: these calls must lose
      Reservation left = mailbox.getAndSet(i, null);
      if (left != null) {
        finish(left, false);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    BudgetManager.Stats stats = budgets.stats();
    System.out.printf("budget stress: %d workers, %,d reserve/settle pairs (%,d settled, %,d released), %,d refused,"
            + " %,d settlements attempted by another thread, %,d late calls refused; %.2f s (%,.0f admissions+refusals/s);"
            + " monitor: %,d samples, max used %d per mille of a limit, %d over a limit%n",
        WORKERS, admitted.sum(), stats.settled(), stats.released(), refused.sum(), stolen.sum(), losses.sum(), seconds,
        (admitted.sum() + refused.sum()) / seconds, samples.get(), maxUsedPico.get(), violations.get());

    assertThat(failures).isEmpty();
    assertThat(admitted.sum()).isGreaterThanOrEqualTo(PAIRS);
    assertThat(refused.sum()).as("the limits are tight").isGreaterThan(PAIRS / 10);
    // zero overshoot
    assertThat(violations.get()).isZero();
    assertThat(samples.get()).isPositive();
    // zero lost or double settlements
    assertThat(wins.sum()).isEqualTo(admitted.sum());
    assertThat(stats.settled() + stats.released()).isEqualTo(admitted.sum());
    assertThat(stats.open()).isZero();
    assertThat(stats.lateFinishes()).isEqualTo(losses.sum());
    assertThat(stats.overrun()).isEqualTo(pico(0));
    // the counters hold exactly the spend of the winning settlements, nothing reserved
    long orgSpent = 0;
    for (int e = 0; e < EXPERIMENTS; e++) {
      BudgetStatus s = budgets.statuses(Tags.builder().experiment("e" + e).build()).get(0);
      assertThat(s.spent()).isEqualTo(pico(expectedSpent[e].sum()));
      assertThat(s.reserved()).isEqualTo(pico(0));
      orgSpent += expectedSpent[e].sum();
    }
    for (int t = 0; t < 2; t++) {
      BudgetStatus s = budgets.statuses(Tags.builder().team("t" + t).build()).get(0);
      assertThat(s.spent()).isEqualTo(pico(expectedSpent[2 * t].sum() + expectedSpent[2 * t + 1].sum()));
    }
    BudgetStatus org = budgets.statuses(Tags.builder().org("acme").build()).get(0);
    assertThat(org.spent()).isEqualTo(pico(orgSpent));
    assertThat(org.used()).isEqualTo(pico(orgSpent));
  }

  private void work(int seed, Tags[] chains) {
    SplittableRandom random = new SplittableRandom(seed);
    BudgetScope[] scopes = new BudgetScope[chains.length];
    for (int e = 0; e < chains.length; e++) {
      scopes[e] = budgets.scope(chains[e]);
    }
    Reservation[] held = new Reservation[2];
    long mine = 0;
    long target = PAIRS / WORKERS;
    while (mine < target) {
      int e = random.nextInt(EXPERIMENTS);
      long amount = (500_000 + random.nextInt(1_500_000)) / EXPERIMENTS * EXPERIMENTS + e;
      Reservation r;
      if (random.nextInt(16) == 0) {
        try {
          r = scopes[e].reservePico(amount);
        } catch (BudgetExceededException denied) {
          r = null;
        }
      } else {
        r = scopes[e].tryReservePico(amount);
      }
      if (r == null) {
        refused.increment();
        Reservation oldest = held[0];
        if (oldest != null) { // make room
          finish(oldest, true);
          held[0] = held[1];
          held[1] = null;
        }
        continue;
      }
      admitted.increment();
      mine++;
      if ((r.id() & 1) == 0) {
        Reservation displaced = mailbox.getAndSet((int) (r.id() >>> 1 & 63), r);
        if (displaced != null) {
          stolen.increment();
          finish(displaced, false); // races with its owner
        }
      }
      if (held[1] != null) {
        finish(held[0], true);
        held[0] = held[1];
        held[1] = r;
      } else if (held[0] != null) {
        held[1] = r;
      } else {
        held[0] = r;
      }
    }
    for (Reservation r : held) {
      if (r != null) {
        finish(r, true);
      }
    }
  }
}
