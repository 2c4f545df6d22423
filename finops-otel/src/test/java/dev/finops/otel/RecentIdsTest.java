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
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < n; i++) {
            step.await();
            if (ids.claim("id-" + i, T0)) {
              wins.incrementAndGet(i);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < n; i++) {
      assertThat(wins.get(i)).as("winners of id-%d", i).isEqualTo(1);
    }
  }
}
