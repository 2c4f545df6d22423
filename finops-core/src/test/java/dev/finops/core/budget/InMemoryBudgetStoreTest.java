package dev.finops.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.budget.BudgetStore.Counter;
import dev.finops.core.budget.BudgetStore.CounterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The store SPI's contract, on the in-memory store: all or nothing, and rolling sums that add up. */
class InMemoryBudgetStoreTest {

  private final BudgetStore store = BudgetStore.inMemory();

  private Counter counter(String key, long limit) {
    return store.counter(new CounterSpec(key, limit, Window.lifetime(), Long.MIN_VALUE, Long.MAX_VALUE));
  }

  @Test
  void a_reservation_changes_every_counter_or_none() {
    Counter org = counter("org=a/lifetime", 100);
    Counter team = counter("team=b/lifetime", 50);
    Counter[] chain = {org, team};

    assertThat(store.tryReserve(chain, 40, 0)).isEqualTo(-1);
    assertThat(store.tryReserve(chain, 11, 0)).isEqualTo(1); // the team refuses
    assertThat(store.read(org, 0).usedPico()).isEqualTo(40); // the org's increment was rolled back
    assertThat(store.tryReserve(chain, 10, 0)).isEqualTo(-1);
    assertThat(store.read(team, 0).usedPico()).isEqualTo(50);
    assertThat(store.tryReserve(chain, 0, 0)).isEqualTo(-1);

    store.commit(chain, 40, 25, 0, 0);
    store.release(chain, 10, 0, 0);
    store.record(chain, 30, 0); // past nothing, but unconditional
    BudgetStore.Reading r = store.read(team, 0);
    assertThat(r.usedPico()).isEqualTo(55);
    assertThat(r.spentPico()).isEqualTo(55);
    assertThat(r.reservedPico()).isZero();
    assertThat(store.tryReserve(chain, 1, 0)).isEqualTo(1);
  }

  @Test
  void the_limit_itself_can_be_reached_exactly() {
    Counter c = counter("run=r/lifetime", 10);
    assertThat(store.tryReserve(new Counter[] {c}, 10, 0)).isEqualTo(-1);
    assertThat(store.tryReserve(new Counter[] {c}, 1, 0)).isZero();
    assertThat(store.tryReserve(new Counter[] {counter("run=s/lifetime", 10)}, Long.MAX_VALUE, 0)).isZero();
  }

  /**
   * Threads reserve, settle, release and record on a rolling window while the time moves on; sampled
   * used never exceeds the limit, and once quiet the totals equal the sums of the live sub-buckets.
   */
  @Test
  void a_rolling_window_stays_consistent_under_concurrent_updates_and_aging() throws Exception {
    Window w = Window.rolling(Duration.ofSeconds(10), 10); // 1-second sub-buckets
    long limit = 1_000_000;
    InMemoryBudgetStore.RollingCounter c = (InMemoryBudgetStore.RollingCounter) store.counter(
        new CounterSpec("team=x/rolling", limit, w, 0, Long.MAX_VALUE));
    Counter[] chain = {c};
    AtomicLong now = new AtomicLong(0);
    AtomicLong over = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      final int seed = t;
      threads.add(new Thread(() -> {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++) {
          long at = seed == 0 ? now.addAndGet(random.nextInt(3)) : now.get(); // thread 0 moves the time
          long amount = 1 + random.nextInt(50_000);
          if (store.tryReserve(chain, amount, at) == -1) {
            long later = now.get();
            switch (random.nextInt(3)) {
              case 0 -> store.commit(chain, amount, random.nextLong(amount + 1), at, later);
              case 1 -> store.release(chain, amount, at, later);
              default -> store.commit(chain, amount, amount + random.nextInt(10), at, later); // overrun
            }
          }
          if (store.readUsed(c, now.get()) > limit + 500_000) {
            over.incrementAndGet(); // overruns are small; anything bigger is a lost decrement
          }
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    store.read(c, now.get());
    assertThat(over.get()).isZero();
    assertThat(c.used).isEqualTo(c.usedSum.liveSum());
    assertThat(c.spent).isEqualTo(c.spentSum.liveSum());

    // once the whole window has passed, everything has left it
    long later = now.get() + 11_000;
    assertThat(store.read(c, later).usedPico()).isZero();
    assertThat(store.read(c, later).spentPico()).isZero();
  }
  /** A settlement saturated at Long.MAX_VALUE pico-units keeps spent and used there, never wrapping. */
  @Test
  void spent_and_used_saturate_instead_of_wrapping() {
    Counter c = counter("run=r/lifetime", Long.MAX_VALUE);
    Counter[] chain = {c};
    store.record(chain, 1, 0);
    store.record(chain, Long.MAX_VALUE, 0);
    assertThat(store.read(c, 0).spentPico()).isEqualTo(Long.MAX_VALUE);
    assertThat(store.read(c, 0).usedPico()).isEqualTo(Long.MAX_VALUE);
    assertThat(store.tryReserve(chain, 10, 0)).isZero(); // full: refused
    store.commit(chain, 0, Long.MAX_VALUE, 0, 0);
    assertThat(store.read(c, 0).spentPico()).isEqualTo(Long.MAX_VALUE);

    // a rolling window: its sub-buckets saturate too, and its totals never go below zero as they age
    Window w = Window.rolling(Duration.ofSeconds(10), 10);
    InMemoryBudgetStore.RollingCounter r = (InMemoryBudgetStore.RollingCounter) store.counter(
        new CounterSpec("team=x/rolling", Long.MAX_VALUE, w, 0, Long.MAX_VALUE));
    Counter[] rolling = {r};
    store.record(rolling, 5, 0);
    store.record(rolling, Long.MAX_VALUE, 1_000);
    store.record(rolling, Long.MAX_VALUE, 1_000);
    store.record(rolling, Long.MAX_VALUE, 2_000);
    assertThat(store.read(r, 2_000).spentPico()).isEqualTo(Long.MAX_VALUE);
    assertThat(store.read(r, 2_000).usedPico()).isEqualTo(Long.MAX_VALUE);
    for (long t = 2_000; t <= 14_000; t += 1_000) {
      assertThat(store.read(r, t).spentPico()).isNotNegative();
      assertThat(store.read(r, t).usedPico()).isNotNegative();
    }
    assertThat(store.read(r, 14_000).spentPico()).isZero();
    assertThat(store.read(r, 14_000).usedPico()).isZero();
  }
}
