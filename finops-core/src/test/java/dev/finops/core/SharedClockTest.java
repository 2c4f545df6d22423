package dev.finops.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.budget.BudgetManager;
import dev.finops.core.ledger.Ledger;
import org.junit.jupiter.api.Test;

/** {@link Clock#shared()}: the builders' default, one refreshing thread per JVM, stoppable. */
class SharedClockTest {

  private static long tickers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(SharedClock.THREAD_NAME) && t.isAlive()).count();
  }

  @Test
  void the_builders_default_to_the_one_shared_clock_and_start_one_thread() {
    FinOps a = FinOps.builder().build();
    FinOps b = FinOps.builder().build();

    assertThat(a.clock()).isSameAs(Clock.shared()).isSameAs(b.clock());
    assertThat(Ledger.builder().build().clock()).isSameAs(Clock.shared());
    assertThat(BudgetManager.builder().build().clock()).isSameAs(Clock.shared());
    assertThat(tickers()).isEqualTo(1);
    assertThat(a.clock().toString()).isEqualTo("Clock.shared()");
  }

  @Test
  void a_builder_given_a_clock_or_a_ledger_takes_that_clock() {
    ManualClock manual = ManualClock.atEpochMillis(1_000L);
    Ledger ledger = Ledger.builder().clock(manual).build();

    assertThat(FinOps.builder().clock(manual).build().clock()).isSameAs(manual);
    assertThat(FinOps.builder().ledger(ledger).build().clock()).isSameAs(manual);
  }

  @Test
  void it_follows_the_system_clock_and_after_a_stop_reads_it_on_every_call() throws InterruptedException {
    Clock shared = Clock.shared();
    long before = System.currentTimeMillis();
    Thread.sleep(20);
    long read = shared.wallTimeMillis();
    assertThat(read).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(System.currentTimeMillis());

    Clock.stopShared();
    try {
      assertThat(tickers()).isZero();
      long t0 = System.currentTimeMillis();
      long stopped = shared.wallTimeMillis();
      assertThat(stopped).isBetween(t0, System.currentTimeMillis());
      long nanos = shared.monotonicNanos();
      assertThat(shared.monotonicNanos()).isGreaterThanOrEqualTo(nanos);
    } finally {
      assertThat(Clock.shared()).isSameAs(shared); // started again
    }
    assertThat(tickers()).isEqualTo(1);
  }
}
