package dev.finops.core.budget;

import static dev.finops.core.budget.BudgetFixtures.RUN;
import static dev.finops.core.budget.BudgetFixtures.T0;
import static dev.finops.core.budget.BudgetFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A rolling window ages on every read, whoever reads it: another thread admitting work a moment later
 * can take old spend out of the window between the settlement that crossed a threshold and the event
 * that reports it. The event must report the window as it was when it crossed, never below its own
 * threshold. The race is made deterministic with a store whose hook ages the window (a read at a
 * later time, as a concurrent thread would) right after the manager's first read.
 */
class RollingEventRaceTest {

  /** The in-memory store, with a hook run once after the next read. */
  static final class HookedStore implements BudgetStore {
    final BudgetStore delegate = BudgetStore.inMemory();
    volatile Runnable afterNextRead;

    @Override
    public Counter counter(CounterSpec spec) {
      return delegate.counter(spec);
    }

    @Override
    public int tryReserve(Counter[] counters, long amountPico, long atMillis) {
      return delegate.tryReserve(counters, amountPico, atMillis);
    }

    @Override
    public void adjust(Counter[] counters, long usedDeltaPico, long spentDeltaPico, long reservedAtMillis,
        long nowMillis) {
      delegate.adjust(counters, usedDeltaPico, spentDeltaPico, reservedAtMillis, nowMillis);
    }

    @Override
    public Reading read(Counter counter, long nowMillis) {
      Reading r = delegate.read(counter, nowMillis);
      Runnable hook = afterNextRead;
      afterNextRead = null;
      if (hook != null) {
        hook.run();
      }
      return r;
    }
  }

  private final ManualClock clock = ManualClock.at(T0);
  private final HookedStore store = new HookedStore();
  private final BudgetFixtures.Events events = new BudgetFixtures.Events();
  private final BudgetManager budgets =
      BudgetManager.builder().clock(clock).store(store).listener(events).build();

  private static final Duration HOUR = Duration.ofHours(1);

  /** After the manager's next read, a concurrent reader two minutes later ages the window. */
  private void armAgingTwoMinutesLater() {
    long later = clock.wallTimeMillis() + Duration.ofMinutes(2).toMillis();
    BudgetStore.Counter counter = budgets.scope(RUN).chain(clock.wallTimeMillis()).counters[0];
    store.afterNextRead = () -> store.delegate.read(counter, later);
  }

  @Test
  void a_threshold_event_never_reports_a_status_below_its_threshold_when_aging_races_it() {
    budgets.add(Budget.forTeam("nlp").limit(usd("100")).rolling(HOUR).notifyAt("0.5").build());
    budgets.reserve(RUN, Estimate.of(usd("40"))).settle(usd("40"));
    clock.advance(Duration.ofMinutes(59));
    armAgingTwoMinutesLater(); // ages the $40 out right after the manager reads the crossing

    budgets.reserve(RUN, Estimate.of(usd("15"))).settle(usd("15"));

    BudgetEvent e = events.of(BudgetEvent.Type.THRESHOLD).get(0);
    assertThat(e.threshold()).isEqualByComparingTo("0.5");
    assertThat(e.status().spent()).isEqualTo(usd("55"));
    assertThat(e.status().spent().ratio(e.status().limit(), 4)).isGreaterThanOrEqualTo(new BigDecimal("0.5"));
  }

  @Test
  void a_terminate_event_never_reports_a_status_below_its_threshold_when_aging_races_it() {
    budgets.add(Budget.forTeam("nlp").limit(usd("100")).rolling(HOUR).terminateAt("0.5").build());
    budgets.reserve(RUN, Estimate.of(usd("40"))).settle(usd("40"));
    clock.advance(Duration.ofMinutes(59));
    armAgingTwoMinutesLater();

    budgets.reserve(RUN, Estimate.of(usd("15"))).settle(usd("15"));

    BudgetEvent e = events.of(BudgetEvent.Type.TERMINATE).get(0);
    assertThat(e.status().spent()).isEqualTo(usd("55"));
  }

  @Test
  void a_throttle_event_never_reports_a_status_below_its_threshold_when_aging_races_it() {
    budgets.add(Budget.forTeam("nlp").limit(usd("100")).rolling(HOUR).throttleAt("0.5", Duration.ofSeconds(1))
        .build());
    budgets.reserve(RUN, Estimate.of(usd("40"))).settle(usd("40"));
    clock.advance(Duration.ofMinutes(59));
    armAgingTwoMinutesLater(); // the admission's decision reads used at 55, then the $40 ages out

    Reservation r = budgets.reserve(RUN, Estimate.of(usd("15")));

    assertThat(r.throttleDelay()).isEqualTo(Duration.ofSeconds(1)); // decided on the reading that crossed
    for (BudgetEvent e : events.of(BudgetEvent.Type.THROTTLED)) {
      assertThat(e.status().usedFraction()).isGreaterThanOrEqualTo(e.threshold());
    }
    // re-armed: the next crossing is reported, with a status at its threshold
    budgets.reserve(RUN, Estimate.of(usd("40")));
    assertThat(events.of(BudgetEvent.Type.THROTTLED)).singleElement()
        .satisfies(e -> assertThat(e.status().used()).isEqualTo(usd("55")));
  }
}
