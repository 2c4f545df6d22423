package dev.finops.core.budget;

import static dev.finops.core.budget.BudgetFixtures.T0;
import static dev.finops.core.budget.BudgetFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.ManualClock;
import dev.finops.core.Tags;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.training.Hardware;
import dev.finops.core.training.TrainingRun;
import dev.finops.core.training.TrainingStoppedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * TERMINATE stops a simulated training run at its next step boundary, after its checkpoint hook; GPU
 * time is leased in renewable slices. The run: 8 GPUs at 2.50 per GPU-hour (20 an hour), one step a
 * minute, in experiment {@code lr-sweep} of team {@code nlp}.
 */
class TerminateTrainingRunTest {

  private final ManualClock clock = ManualClock.at(T0);
  private final Ledger ledger = Ledger.builder().clock(clock).build();
  private final Pricing pricing = Pricing.builder().bundledCatalog(null).build();
  private final BudgetFixtures.Events events = new BudgetFixtures.Events();
  private final BudgetManager budgets = BudgetManager.builder().clock(clock).pricing(pricing).listener(events).build();
  private final List<Long> checkpointsAtStep = new ArrayList<>();
  private final AtomicInteger stepsDone = new AtomicInteger();

  private TrainingRun startRun() {
    return TrainingRun.builder(pricing, ledger)
        .runId("ft-42")
        .tags(Tags.builder().team("nlp").experiment("lr-sweep").build())
        .hardware(Hardware.customRate("h100", 8, usd("2.50")))
        .onCheckpoint(() -> checkpointsAtStep.add((long) stepsDone.get()))
        .start();
  }

  /** Trains one step a minute until stopped; returns the minute it stopped at. */
  private int trainUntilStopped(RunGuard guard, int maxMinutes) {
    for (int minute = 1; minute <= maxMinutes; minute++) {
      clock.advance(Duration.ofMinutes(1));
      stepsDone.incrementAndGet();
      try {
        guard.step(64, 262_144);
      } catch (TrainingStoppedException stopped) {
        return minute;
      }
    }
    return -1;
  }

  @Test
  void a_run_asked_to_stop_stops_at_its_next_step_after_its_checkpoint_hook() {
    try (TrainingRun run = startRun()) {
      run.step(1, 1);
      run.requestStop("operator");
      run.requestStop("second reason");
      assertThat(run.isStopRequested()).isTrue();
      stepsDone.set(2);
      assertThatThrownBy(() -> run.step(1, 1))
          .isInstanceOfSatisfying(TrainingStoppedException.class, e -> {
            assertThat(e.runId()).isEqualTo("ft-42");
            assertThat(e.reason()).isEqualTo("operator");
          });
      assertThatThrownBy(() -> run.step(1, 1)).isInstanceOf(TrainingStoppedException.class);
      assertThat(checkpointsAtStep).containsExactly(2L); // the hook ran once
      assertThat(run.report().steps()).isEqualTo(3);
      assertThat(run.report().checkpoints()).isEqualTo(1);
    }
  }

  @Test
  void a_terminate_threshold_stops_the_guarded_run_at_the_next_step() {
    budgets.add(Budget.forExperiment("lr-sweep").limit(usd("20")).terminateAt("0.25").build());
    try (TrainingRun run = startRun(); RunGuard guard = budgets.guard(run, Duration.ofMinutes(10))) {
      // Slices settle as the run moves into the next one: 3.33 at minute 10, 6.67 at minute 20 (>= 5).
      int stoppedAt = trainUntilStopped(guard, 60);
      assertThat(stoppedAt).isEqualTo(20);
      assertThat(run.stopReason()).contains("experiment=lr-sweep", "25%");
      assertThat(checkpointsAtStep).containsExactly(20L);
    }
    assertThat(events.of(BudgetEvent.Type.TERMINATE)).hasSize(1);
    assertThat(budgets.statuses(Tags.builder().experiment("lr-sweep").build()).get(0).spent())
        .isEqualTo(usd("6.666666666667")); // 20 minutes at 20 an hour, rounded up once
  }

  @Test
  void a_refused_lease_renewal_stops_the_run_within_its_reserved_time() {
    Budget exp = Budget.forExperiment("lr-sweep").limit(usd("8")).build();
    budgets.add(exp);
    TrainingRun run = startRun();
    try (run; RunGuard guard = budgets.guard(run, Duration.ofMinutes(10))) {
      assertThat(guard.lease().ratePerHour()).isEqualTo(usd("20"));
      // minute 5: the second slice is reserved (6.67 held); minute 15: a third would make 10 > 8, so the
      // last slice is what is left, 1.333333333332 (reservations round up): 239,999 ms, through 23:59.999.
      // Minute 23 is the last step boundary from which a one-minute step stays within it.
      int stoppedAt = trainUntilStopped(guard, 60);
      assertThat(stoppedAt).isEqualTo(23);
      assertThat(guard.lease().isDenied()).isTrue();
      assertThat(guard.lease().reservedThrough()).isEqualTo(Duration.ofMinutes(20).plusMillis(239_999));
      assertThat(run.stopReason()).contains("no room for another step", "experiment=lr-sweep");
    }
    BudgetStatus s = budgets.status(exp).get(0);
    assertThat(s.spent()).isEqualTo(usd("7.666666666667")); // 23 minutes at 20 an hour, rounded up: no overshoot
    assertThat(s.reserved()).isEqualTo(usd("0"));
    assertThat(run.report().cost()).isEqualTo(usd("20").times(23).dividedBy(60)); // the ledger: exactly 23 minutes
    assertThat(events.of(BudgetEvent.Type.TERMINATE)).singleElement()
        .satisfies(e -> assertThat(e.threshold()).isNull());
    assertThat(budgets.stats().overrun()).isEqualTo(usd("0"));
  }

  /**
   * A $10 experiment, one GPU at $32 an hour, 5-minute slices, a step a minute: 18.75 minutes are
   * affordable. The run stops at minute 18, when a 19th would pass the budget, with less than one
   * step's cost ($0.5333) left, not at the first refused full slice (which left $3.07, 31%).
   */
  @Test
  void a_refused_full_slice_still_uses_the_room_left_in_a_last_shorter_one() {
    Budget exp = Budget.forExperiment("lr-sweep").limit(usd("10")).build();
    budgets.add(exp);
    TrainingRun run = TrainingRun.builder(pricing, ledger).runId("ft-43")
        .tags(Tags.builder().team("nlp").experiment("lr-sweep").build())
        .hardware(Hardware.customRate("h100", 1, usd("32"))).start();
    try (run; RunGuard guard = budgets.guard(run, Duration.ofMinutes(5))) {
      assertThat(trainUntilStopped(guard, 60)).isEqualTo(18);
    }
    BudgetStatus s = budgets.status(exp).get(0);
    assertThat(s.spent()).isEqualTo(usd("9.6")); // 18 minutes at 32 an hour
    assertThat(s.reserved()).isEqualTo(usd("0"));
    assertThat(usd("10").minus(s.spent())).isLessThan(usd("0.533333333334")); // less than one more step
    assertThat(budgets.stats().overrun()).isEqualTo(usd("0"));
  }

  @Test
  void a_run_whose_first_slice_is_refused_does_not_start() {
    budgets.add(Budget.forTeam("nlp").limit(usd("1")).build());
    try (TrainingRun run = startRun()) {
      assertThatThrownBy(() -> budgets.guard(run, Duration.ofMinutes(10)))
          .isInstanceOf(BudgetExceededException.class);
    }
  }

  @Test
  void a_stalled_step_longer_than_the_slice_is_settled_as_an_overrun() {
    budgets.add(Budget.forTeam("nlp").limit(usd("100")).build());
    try (TrainingRun run = startRun(); RunGuard guard = budgets.guard(run, Duration.ofMinutes(10))) {
      clock.advance(Duration.ofMinutes(15));
      guard.step(64, 1);
      assertThat(guard.lease().reservedThrough()).isEqualTo(Duration.ofMinutes(25));
      clock.advance(Duration.ofMinutes(6));
    }
    assertThat(budgets.statuses(Tags.builder().team("nlp").build()).get(0).spent()).isEqualTo(usd("7")); // 21 min
    assertThat(budgets.stats().overrun()).isEqualTo(usd("1.666666666666")); // minutes 10 to 15 were not reserved
  }

  @Test
  void a_stall_past_the_slice_and_its_ttl_keeps_the_whole_cost() {
    budgets.add(Budget.forTeam("nlp").limit(usd("100")).build());
    try (TrainingRun run = startRun(); RunGuard guard = budgets.guard(run, Duration.ofMinutes(10))) {
      clock.advance(Duration.ofMinutes(25)); // the first slice expires at 10 + 10 minutes (TTL)
      guard.step(64, 1);
      clock.advance(Duration.ofMinutes(5));
    }
    assertThat(budgets.statuses(Tags.builder().team("nlp").build()).get(0).spent()).isEqualTo(usd("10")); // 30 min
    assertThat(budgets.stats().expired()).isEqualTo(1);
    assertThat(budgets.stats().unreserved()).isEqualTo(usd("5")); // what ran past the expired slice
  }

  @Test
  void a_lease_slice_left_open_by_a_dead_process_expires_to_its_full_amount() {
    BudgetManager shortTtl = BudgetManager.builder().clock(clock).reservationTtl(Duration.ofMinutes(1)).build();
    shortTtl.add(Budget.forTeam("nlp").limit(usd("100")).build());
    Lease lease = shortTtl.lease(Tags.builder().team("nlp").build(), usd("20"), Duration.ofMinutes(10), r -> { });
    clock.advance(Duration.ofMinutes(10));
    assertThat(shortTtl.expireOverdue()).isZero(); // the slice is covered until minute 10 + TTL
    clock.advance(Duration.ofMinutes(1));
    assertThat(shortTtl.expireOverdue()).isEqualTo(1);
    assertThat(shortTtl.statuses(Tags.builder().team("nlp").build()).get(0).spent()).isEqualTo(usd("3.333333333334"));
    assertThat(lease.toString()).contains("team=nlp");
  }
}
