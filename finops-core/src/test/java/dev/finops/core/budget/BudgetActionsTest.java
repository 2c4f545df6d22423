package dev.finops.core.budget;

import static dev.finops.core.budget.BudgetFixtures.RUN;
import static dev.finops.core.budget.BudgetFixtures.T0;
import static dev.finops.core.budget.BudgetFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.ManualClock;
import dev.finops.core.Tags;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NOTIFY, THROTTLE, DENY and TERMINATE as spending approaches a limit; burn rate and forecast. */
class BudgetActionsTest {

  private final ManualClock clock = ManualClock.at(T0);
  private final BudgetFixtures.Events events = new BudgetFixtures.Events();
  private final BudgetManager budgets = BudgetManager.builder().clock(clock).listener(events).build();

  private void spend(String amount) {
    budgets.reserve(RUN, Estimate.of(usd(amount))).settle(usd(amount));
  }

  private List<BigDecimal> thresholdsFired() {
    List<BigDecimal> out = new ArrayList<>();
    events.of(BudgetEvent.Type.THRESHOLD).forEach(e -> out.add(e.threshold()));
    return out;
  }

  @Test
  void notify_fires_each_threshold_once_per_period_on_settled_spend() {
    budgets.add(Budget.forTeam("nlp").limit(usd("100")).daily(ZoneOffset.UTC).notifyAt("0.5", "0.8", "0.9").build());

    Reservation big = budgets.reserve(RUN, Estimate.of(usd("60")));
    assertThat(thresholdsFired()).isEmpty(); // reserved is not spent
    big.settle(usd("55"));
    assertThat(thresholdsFired()).containsExactly(new BigDecimal("0.5"));
    BudgetEvent first = events.of(BudgetEvent.Type.THRESHOLD).get(0);
    assertThat(first.status().spent()).isEqualTo(usd("55"));
    assertThat(first.budget().scope()).isEqualTo("team=nlp");
    assertThat(first.message()).contains("team=nlp", "daily(Z)", "50%");

    spend("30");
    spend("1");
    spend("5");
    assertThat(thresholdsFired()).containsExactly(new BigDecimal("0.5"), new BigDecimal("0.8"), new BigDecimal("0.9"));

    clock.advance(Duration.ofDays(1)); // a new period: each fires again, in order, on one jump
    spend("95");
    assertThat(thresholdsFired()).hasSize(6).endsWith(new BigDecimal("0.5"), new BigDecimal("0.8"),
        new BigDecimal("0.9"));
  }

  @Test
  void throttle_answers_with_the_delay_of_the_highest_level_reached() {
    budgets.add(Budget.forTeam("nlp").limit(usd("100"))
        .throttleAt("0.5", Duration.ofMillis(100)).throttleAt("0.8", Duration.ofSeconds(1)).build());
    assertThat(budgets.reserve(RUN, Estimate.of(usd("40"))).throttleDelay()).isZero();
    assertThat(budgets.reserve(RUN, Estimate.of(usd("20"))).throttleDelay()).isEqualTo(Duration.ofMillis(100));
    assertThat(budgets.reserve(RUN, Estimate.of(usd("25"))).throttleDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(events.of(BudgetEvent.Type.THROTTLED)).hasSize(1);
  }

  @Test
  void throttle_limits_concurrency_past_its_threshold() {
    budgets.add(Budget.forTeam("nlp").limit(usd("100")).throttleConcurrencyAt("0.5", 2).build());
    List<Reservation> open = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      open.add(budgets.reserve(RUN, Estimate.of(usd("10")))); // below 50%: no cap
    }
    open.add(budgets.reserve(RUN, Estimate.of(usd("25")))); // used 30 before: admitted, now 55
    assertThatThrownBy(() -> budgets.reserve(RUN, Estimate.of(usd("1"))))
        .isInstanceOfSatisfying(BudgetThrottledException.class, e -> {
          assertThat(e.maxConcurrent()).isEqualTo(2);
          assertThat(e.getMessage()).contains("team=nlp", "at most 2");
        });
    open.get(0).settle(usd("10"));
    open.get(1).settle(usd("10"));
    open.get(2).settle(usd("10")); // used stays at 55: still throttled
    Reservation again = budgets.reserve(RUN, Estimate.of(usd("1"))); // 2 open now
    assertThat(again.isOpen()).isTrue();
    assertThatThrownBy(() -> budgets.reserve(RUN, Estimate.of(usd("1")))).isInstanceOf(BudgetThrottledException.class);
    assertThat(budgets.stats().throttled()).isEqualTo(2);
    assertThat(events.of(BudgetEvent.Type.THROTTLED)).hasSize(1);
  }

  @Test
  void terminate_asks_the_running_work_of_the_scope_to_stop_once() {
    budgets.add(Budget.forExperiment("lr-sweep").limit(usd("10")).terminateAt("0.9").build());
    List<String> stoppedHere = new ArrayList<>();
    List<String> stoppedElsewhere = new ArrayList<>();
    budgets.onTerminate(RUN, stoppedHere::add);
    budgets.onTerminate(Tags.builder().experiment("other").run("r9").build(), stoppedElsewhere::add);
    BudgetManager.Registration finished = budgets.onTerminate(RUN.toBuilder().run("r2").build(), reason -> {
      throw new AssertionError("a closed registration is not called");
    });
    finished.close();

    spend("8");
    assertThat(stoppedHere).isEmpty();
    spend("1");
    assertThat(stoppedHere).singleElement().asString().contains("experiment=lr-sweep", "90%", "9 USD");
    spend("0.5");
    assertThat(stoppedHere).hasSize(1);
    assertThat(stoppedElsewhere).isEmpty();
    assertThat(events.of(BudgetEvent.Type.TERMINATE)).singleElement()
        .satisfies(e -> assertThat(e.threshold()).isEqualByComparingTo("0.9"));
    assertThat(budgets.stats().terminations()).isEqualTo(1);
  }

  /** A settlement of Long.MAX_VALUE pico-units or more (about 9.22M) saturates spent: thresholds still fire. */
  @Test
  void a_settlement_too_big_for_a_long_still_reaches_the_thresholds() {
    budgets.add(Budget.forExperiment("lr-sweep").limit(usd("1000")).notifyAt("0.5").terminateAt("1").build());
    spend("1");
    budgets.reserve(RUN, Estimate.of(usd("1"))).settle(usd("10000000")); // 10M: past Long.MAX_VALUE pico
    assertThat(events.of(BudgetEvent.Type.THRESHOLD)).hasSize(1);
    assertThat(events.of(BudgetEvent.Type.TERMINATE)).hasSize(1);
    assertThat(budgets.status(Budget.forExperiment("lr-sweep").limit(usd("1000")).build()).get(0).spent())
        .isEqualTo(usd("9223372.036854775807"));
  }

  @Test
  void a_failing_listener_or_callback_never_reaches_the_work() {
    BudgetManager m = BudgetManager.builder().clock(clock).listener(e -> {
      throw new IllegalStateException("listener bug");
    }).build();
    m.add(Budget.forTeam("nlp").limit(usd("1")).notifyAt("0.5").terminateAt("1").build());
    m.onTerminate(RUN, reason -> {
      throw new IllegalStateException("callback bug");
    });
    Reservation r = m.reserve(RUN, Estimate.of(usd("1")));
    assertThat(r.settle(usd("1"))).isTrue();
  }

  @Test
  void the_burn_rate_is_a_moving_average_of_settled_spend_and_forecasts_exhaustion() {
    Budget b = Budget.forTeam("nlp").limit(usd("1000")).build();
    budgets.add(b);
    BudgetStatus idle = budgets.status(b).get(0);
    assertThat(idle.burnRatePerHour()).isEqualTo(usd("0"));
    assertThat(idle.projectedExhaustion()).isNull();

    for (int minute = 0; minute < 60; minute++) { // 1 USD a minute for an hour
      spend("1");
      clock.advance(Duration.ofMinutes(1));
    }
    BudgetStatus s = budgets.status(b).get(0);
    // EWMA with weight 1/8 per minute after 60 minutes at 1/min: (1 - (7/8)^60) * 60 = 59.98 per hour
    assertThat(s.burnRatePerHour().amount(2)).isBetween(new BigDecimal("59.9"), new BigDecimal("60"));
    Instant expected = s.at().plusSeconds(940L * 3600 / 60); // 940 left at 60 an hour
    assertThat(s.projectedExhaustion()).isBetween(expected, expected.plus(Duration.ofMinutes(1)));
    assertThat(s.usedFraction()).isEqualByComparingTo("0.06");

    clock.advance(Duration.ofHours(2)); // nothing spent: the average decays to zero
    assertThat(budgets.status(b).get(0).burnRatePerHour()).isEqualTo(usd("0"));
  }

  @Test
  void events_carry_the_status_with_burn_rate_and_forecast() {
    budgets.add(Budget.forTeam("nlp").limit(usd("100")).notifyAt("0.5").build());
    spend("20");
    clock.advance(Duration.ofMinutes(1));
    spend("40");
    BudgetStatus s = events.of(BudgetEvent.Type.THRESHOLD).get(0).status();
    assertThat(s.spent()).isEqualTo(usd("60"));
    assertThat(s.burnRatePerHour()).isEqualTo(usd("150")); // 20 in the last complete minute, x 1/8 x 60
    assertThat(s.projectedExhaustion()).isEqualTo(s.at().plus(Duration.ofMinutes(16)));
  }
}
