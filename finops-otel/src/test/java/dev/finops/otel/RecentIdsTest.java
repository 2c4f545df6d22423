package dev.finops.otel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link RecentIds}: the dedup set of the recording paths. */
class RecentIdsTest {
  private static final long T0 = 1_000_000L;
  private static final long HOUR = 3_600_000L;

  @Test
  void an_id_is_claimed_once_and_checked_without_claiming() {
    RecentIds ids = new RecentIds(Duration.ofHours(1), 100, T0);

    assertThat(ids.isClaimed("a")).isFalse();
    assertThat(ids.isClaimed("a")).isFalse(); // checking claims nothing
    assertThat(ids.claim("a", T0)).isTrue();
    assertThat(ids.claim("a", T0)).isFalse();
    assertThat(ids.isClaimed("a")).isTrue();
  }

  @Test
  void a_released_id_may_be_claimed_again() {
    RecentIds ids = new RecentIds(Duration.ofHours(1), 100, T0);
    ids.claim("a", T0);

    ids.release("a");

    assertThat(ids.isClaimed("a")).isFalse();
    assertThat(ids.claim("a", T0)).isTrue();
  }

  @Test
  void an_id_is_remembered_for_the_window_and_forgotten_within_two() {
    RecentIds ids = new RecentIds(Duration.ofHours(1), 1_000, T0);
    ids.claim("a", T0);

    ids.claim("b", T0 + HOUR - 1);
    assertThat(ids.isClaimed("a")).isTrue();
    ids.claim("c", T0 + HOUR); // the first generation is a window old: it becomes the previous one
    assertThat(ids.isClaimed("a")).isTrue();
    assertThat(ids.claim("a", T0 + HOUR + 1)).isFalse();
    ids.claim("d", T0 + 2 * HOUR); // and is dropped at the next swap
    assertThat(ids.isClaimed("a")).isFalse();
    assertThat(ids.isClaimed("d")).isTrue();
  }

  @Test
  void at_most_the_maximum_is_held_and_the_latest_half_always() {
    RecentIds ids = new RecentIds(Duration.ofHours(1), 10, T0);
    for (int i = 0; i < 100; i++) {
      assertThat(ids.claim("id-" + i, T0)).isTrue();
    }

    int held = 0;
    for (int i = 0; i < 100; i++) {
      held += ids.isClaimed("id-" + i) ? 1 : 0;
    }
    assertThat(held).isBetween(5, 10);
    for (int i = 95; i < 100; i++) {
      assertThat(ids.isClaimed("id-" + i)).isTrue();
    }
    assertThat(ids.isClaimed("id-0")).isFalse();
  }

  @Test
  void a_claim_after_a_check_sees_claims_made_in_between_even_across_a_generation_swap() {
    RecentIds ids = new RecentIds(Duration.ofHours(1), 4, T0); // a swap every 2 claims
    Object beforeSwap = ids.check("x");
    Object again = ids.check("y");
    assertThat(beforeSwap).isNotNull();

    ids.claim("a", T0);
    ids.claim("b", T0); // swap: the checked generation is the previous one now
    ids.claim("x", T0); // another path claims x meanwhile, in the new generation

    assertThat(ids.claim("x", T0, beforeSwap)).isFalse();
    assertThat(ids.claim("y", T0, again)).isTrue();
    assertThat(ids.check("y")).isNull();
  }

  /** A quiet start sizes the first generation small; a burst then grows it and forgets nothing. */
  @Test
  void a_burst_after_a_quiet_start_is_remembered_whole_up_to_half_the_maximum() {
    RecentIds ids = new RecentIds(Duration.ofHours(1), 20_000, T0);
    for (int i = 0; i < 10_000; i++) {
      assertThat(ids.claim("burst-" + i, T0 + i / 100)).isTrue();
    }
    for (int i = 0; i < 10_000; i++) {
      assertThat(ids.isClaimed("burst-" + i)).as("burst-%d", i).isTrue();
      assertThat(ids.claim("burst-" + i, T0 + 200)).isFalse();
    }
    assertThat(ids.isClaimed("burst-10000")).isFalse();
  }

  /** Ids as providers write them, a million of them: no two taken for one (no fingerprint collision). */
  @Test
  void a_million_distinct_ids_are_each_claimed_once() {
    RecentIds ids = new RecentIds(Duration.ofHours(1), 2_000_000, T0);
    for (int i = 0; i < 1_000_000; i++) {
      String id = (i % 3 == 0 ? "chatcmpl-" : i % 3 == 1 ? "msg_01" : "resp_") + Integer.toString(i, 36);
      assertThat(ids.claim(id, T0)).as(id).isTrue();
    }
    assertThat(ids.claim("chatcmpl-0", T0)).isFalse();
    assertThat(ids.toString()).isEqualTo("RecentIds{1000000}");
  }

  /** A replaced generation is looked up through the filter built from its table: nothing is lost. */
  @Test
  void ids_of_a_replaced_generation_are_found_through_its_filter_and_released_there() {
    RecentIds ids = new RecentIds(Duration.ofHours(1), 2_000, T0); // the first generation: 128 ids
    for (int i = 0; i < 128; i++) {
      assertThat(ids.claim("old-" + i, T0)).isTrue(); // the 128th fills it: a new generation, a filter
    }
    ids.release("old-7");

    for (int i = 0; i < 128; i++) {
      assertThat(ids.isClaimed("old-" + i)).as("old-%d", i).isEqualTo(i != 7);
    }
    assertThat(ids.claim("old-7", T0)).isTrue();
    assertThat(ids.claim("old-8", T0)).isFalse();
    int falseHits = 0;
    for (int i = 0; i < 10_000; i++) {
      falseHits += ids.isClaimed("never-" + i) ? 1 : 0;
    }
    assertThat(falseHits).isZero();
  }

  @Test
  void fingerprint_halves_are_never_the_empty_or_released_markers() {
    for (String id : new String[] {"a", "b", "chatcmpl-1", "\u0000", "x".repeat(1_000)}) {
      assertThat(RecentIds.hi(id)).isNotZero();
      assertThat(RecentIds.lo(id)).isPositive();
    }
  }

  /**
   * Two threads in lock step claim an id, the winner releases it, both claim it again: one winner each
   * time, through a generation swap at every other claim (the released slot is claimed again).
   */
  @Test
  void a_released_id_is_claimed_again_by_one_of_two_threads_in_lock_step() throws Exception {
    int n = 10_000;
    RecentIds ids = new RecentIds(Duration.ofHours(1), 4, T0); // a swap every 2 claims
    AtomicIntegerArray first = new AtomicIntegerArray(n);
    AtomicIntegerArray second = new AtomicIntegerArray(n);
    CyclicBarrier step = new CyclicBarrier(2);
    onTwoThreads(() -> {
      for (int i = 0; i < n; i++) {
        String id = "id-" + i;
        step.await();
        boolean won = ids.claim(id, T0);
        if (won) {
          first.incrementAndGet(i);
        }
        step.await();
        if (won) {
          ids.release(id);
        }
        step.await();
        if (ids.claim(id, T0)) {
          second.incrementAndGet(i);
        }
      }
      return null;
    });
    for (int i = 0; i < n; i++) {
      assertThat(first.get(i)).as("first winners of id-%d", i).isEqualTo(1);
      assertThat(second.get(i)).as("winners of id-%d after its release", i).isEqualTo(1);
    }
  }

  @Test
  void blank_ids_are_no_ids() {
    assertThat(RecentIds.normalize(null)).isNull();
    assertThat(RecentIds.normalize("")).isNull();
    assertThat(RecentIds.normalize(" \t")).isNull();
    assertThat(RecentIds.normalize("chatcmpl-1")).isEqualTo("chatcmpl-1");
  }

  /** Two threads claiming the same ids in lock step, through a generation swap at every other claim. */
  @Test
  void two_threads_claiming_in_lock_step_never_both_win() throws Exception {
    int n = 20_000;
    RecentIds ids = new RecentIds(Duration.ofHours(1), 4, T0); // a swap every 2 claims
    AtomicIntegerArray wins = new AtomicIntegerArray(n);
    CyclicBarrier step = new CyclicBarrier(2);
    onTwoThreads(() -> {
      for (int i = 0; i < n; i++) {
        step.await();
        if (ids.claim("id-" + i, T0)) {
          wins.incrementAndGet(i);
        }
      }
      return null;
    });
    for (int i = 0; i < n; i++) {
      assertThat(wins.get(i)).as("winners of id-%d", i).isEqualTo(1);
    }
  }

  /** Runs {@code task} on two threads at once and waits for both (two minutes at most). */
  private static void onTwoThreads(java.util.concurrent.Callable<Void> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        done.add(pool.submit(task));
      }
      for (Future<Void> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
