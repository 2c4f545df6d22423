package dev.finops.core.budget;

import static dev.finops.core.budget.BudgetFixtures.RUN;
import static dev.finops.core.budget.BudgetFixtures.T0;
import static dev.finops.core.budget.BudgetFixtures.m1;
import static dev.finops.core.budget.BudgetFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.CurrencyMismatchException;
import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reserve, settle exactly once, release, expire: across the whole scope chain, all or nothing. */
class ReservationTest {

  private final ManualClock clock = ManualClock.at(T0);
  private final BudgetFixtures.Events events = new BudgetFixtures.Events();
  private final BudgetManager budgets = BudgetFixtures.manager(clock).listener(events)
      .reservationTtl(Duration.ofMinutes(5)).build();
  private final Pricing pricing = BudgetFixtures.pricing();

  private BudgetStatus status(Budget b) {
    return budgets.status(b).get(0);
  }

  @Test
  void a_settled_reservation_counts_its_actual_cost_against_every_budget_of_the_chain() {
    Budget org = Budget.forOrg("acme").limit(usd("1000")).build();
    Budget team = Budget.forTeam("nlp").limit(usd("100")).build();
    Budget exp = Budget.forExperiment("lr-sweep").limit(usd("10")).build();
    budgets.add(org).add(team).add(exp).add(Budget.forTeam("vision").limit(usd("1")).build());

    try (Reservation r = budgets.scope(RUN).reserve(usd("0.50"))) {
      assertThat(status(exp).reserved()).isEqualTo(usd("0.50"));
      assertThat(r.settle(m1(pricing, 10_000, 2_000))).isTrue(); // 0.025 + 0.02
    }

    for (Budget b : List.of(org, team, exp)) {
      BudgetStatus s = status(b);
      assertThat(s.spent()).isEqualTo(usd("0.045"));
      assertThat(s.reserved()).isEqualTo(usd("0"));
    }
    assertThat(status(exp).remaining()).isEqualTo(usd("9.955"));
    assertThat(budgets.statuses(Tags.builder().team("vision").build()).get(0).spent()).isEqualTo(usd("0"));
    assertThat(budgets.scope(RUN).budgets()).containsExactly(org, team, exp);
  }

  @Test
  void a_reservation_is_all_or_nothing_across_the_chain_and_the_refusal_names_the_window() {
    Budget team = Budget.forTeam("nlp").limit(usd("100")).build();
    Budget exp = Budget.forExperiment("lr-sweep").limit(usd("10")).build();
    budgets.add(team).add(exp);
    Reservation held = budgets.reserve(RUN, Estimate.of(usd("6")));
    held.settle(usd("4"));
    Reservation open = budgets.reserve(RUN, Estimate.of(usd("3")));

    assertThatThrownBy(() -> budgets.reserve(RUN, Estimate.of(usd("3.5"))))
        .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
          assertThat(e.scope()).isEqualTo("experiment=lr-sweep");
          assertThat(e.window()).isEqualTo(Window.lifetime());
          assertThat(e.limit()).isEqualTo(usd("10"));
          assertThat(e.spent()).isEqualTo(usd("4"));
          assertThat(e.reserved()).isEqualTo(usd("3"));
          assertThat(e.requested()).isEqualTo(usd("3.5"));
          assertThat(e.getMessage()).contains("experiment=lr-sweep", "lifetime", "limit 10 USD", "spent 4 USD",
              "reserved 3 USD", "3.5 USD");
        });

    // The team budget, which had room, holds nothing of the refused reservation.
    assertThat(status(team).used()).isEqualTo(usd("7"));
    assertThat(events.of(BudgetEvent.Type.LIMIT_REACHED)).hasSize(1);
    open.release();
    assertThat(budgets.reserve(RUN, Estimate.of(usd("6"))).amount()).isEqualTo(usd("6"));
    assertThat(budgets.stats().denied()).isEqualTo(1);
  }

  @Test
  void a_reservation_ends_exactly_once() {
    budgets.add(Budget.forTeam("nlp").limit(usd("10")).build());
    Reservation r = budgets.reserve(RUN, Estimate.of(usd("2")));
    assertThat(r.settle(usd("1.5"))).isTrue();
    assertThat(r.settle(usd("1.5"))).isFalse();
    assertThat(r.release()).isFalse();
    r.close();
    assertThat(r.state()).isEqualTo(Reservation.State.SETTLED);
    assertThat(budgets.statuses(RUN).get(0).spent()).isEqualTo(usd("1.5"));
    assertThat(budgets.stats().settled()).isEqualTo(1);
    assertThat(budgets.stats().lateFinishes()).isEqualTo(2);
  }

  @Test
  void closing_without_settling_releases_the_reservation() {
    budgets.add(Budget.forTeam("nlp").limit(usd("10")).build());
    try (Reservation r = budgets.reserve(RUN, Estimate.of(usd("8")))) {
      assertThat(budgets.statuses(RUN).get(0).reserved()).isEqualTo(usd("8"));
      throw new IllegalStateException("the call failed");
    } catch (IllegalStateException expected) {
      // released by close()
    }
    assertThat(budgets.statuses(RUN).get(0).used()).isEqualTo(usd("0"));
    assertThat(budgets.stats().released()).isEqualTo(1);
  }

  /**
   * LiteLLM #34732 / PR #40002: five concurrent requests with a $0.15 worst case against a $0.45 key;
   * check-then-act admits four and spends $0.60. Reservation admits exactly three.
   */
  @Test
  void five_concurrent_requests_against_a_cap_admit_only_what_fits() throws Exception {
    budgets.add(Budget.forCustomer("key-1").limit(usd("0.45")).build());
    BudgetScope scope = budgets.scope(Tags.builder().customer("key-1").build());
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        results.add(pool.submit(() -> {
          go.await();
          try {
            Reservation r = scope.reserve(usd("0.15"));
            r.settle(usd("0.15"));
            return true;
          } catch (BudgetExceededException denied) {
            return false;
          }
        }));
      }
      go.countDown();
      int admitted = 0;
      for (Future<Boolean> f : results) {
        admitted += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(admitted).isEqualTo(3);
      assertThat(scope.statuses().get(0).spent()).isEqualTo(usd("0.45"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void work_of_unknown_cost_is_refused_by_a_fail_closed_budget() {
    budgets.add(Budget.forTeam("nlp").limit(usd("10")).failOpen().build());
    budgets.add(Budget.forExperiment("lr-sweep").limit(usd("10")).build()); // fail-closed by default
    Estimate unknown = budgets.estimator().llmCall("p", "no-such-model", 1_000, 100);
    assertThat(unknown.isKnown()).isFalse();

    assertThatThrownBy(() -> budgets.reserve(RUN, unknown))
        .isInstanceOfSatisfying(CostUnknownException.class, e -> {
          assertThat(e.scope()).isEqualTo("experiment=lr-sweep");
          assertThat(e.getMessage()).contains("no-such-model", "fail-closed");
        });
    assertThat(budgets.stats().unknownRefused()).isEqualTo(1);
  }

  @Test
  void work_of_unknown_cost_is_admitted_by_fail_open_budgets_and_its_actual_cost_counted() {
    budgets.add(Budget.forTeam("nlp").limit(usd("10")).failOpen().build());
    Reservation r = budgets.reserve(RUN, Estimate.unknown("unknown model 'x'"));
    assertThat(r.isCostKnown()).isFalse();
    assertThat(r.amountPico()).isZero();
    r.settle(usd("0.3"));
    assertThat(budgets.statuses(RUN).get(0).spent()).isEqualTo(usd("0.3"));
    assertThat(budgets.stats().unknownAdmitted()).isEqualTo(1);
    assertThat(budgets.stats().overrun()).isEqualTo(usd("0.3"));
  }

  @Test
  void settling_above_the_reservation_keeps_the_real_cost_and_counts_the_overrun() {
    budgets.add(Budget.forTeam("nlp").limit(usd("1")).build());
    Reservation r = budgets.reserve(RUN, Estimate.of(usd("0.9")));
    r.settle(usd("1.2"));
    BudgetStatus s = budgets.statuses(RUN).get(0);
    assertThat(s.spent()).isEqualTo(usd("1.2"));
    assertThat(s.remaining()).isEqualTo(usd("-0.2"));
    assertThat(budgets.stats().overrun()).isEqualTo(usd("0.3"));
  }

  @Test
  void recording_without_a_reservation_is_allowed_past_the_limit_and_counted() {
    budgets.add(Budget.forTeam("nlp").limit(usd("0.01")).build());
    budgets.record(RUN, m1(pricing, 10_000, 2_000)); // 0.045
    BudgetStatus s = budgets.statuses(RUN).get(0);
    assertThat(s.spent()).isEqualTo(usd("0.045"));
    assertThat(s.remaining()).isEqualTo(usd("-0.035"));
    assertThat(budgets.stats().unreservedRecords()).isEqualTo(1);
    assertThat(budgets.stats().unreserved()).isEqualTo(usd("0.045"));
    assertThatThrownBy(() -> budgets.reserve(RUN, Estimate.of(usd("0.000001"))))
        .isInstanceOf(BudgetExceededException.class);
  }

  @Test
  void recording_never_throws_for_accounting_problems() {
    budgets.add(Budget.forTeam("nlp").limit(usd("1")).build());
    PricedUsage unpriced = pricing.price("p", "unknown-model", Usage.ofTokens(10, 10), T0);
    budgets.record(RUN, unpriced);
    budgets.scope(RUN).record(Money.of("1", "EUR"));
    assertThat(budgets.stats().recordProblems()).isEqualTo(2);
    assertThat(budgets.statuses(RUN).get(0).spent()).isEqualTo(usd("0"));
  }

  @Test
  void a_cost_that_is_not_a_whole_pico_rounds_up() {
    budgets.add(Budget.forTeam("nlp").limit(usd("10")).build());
    Reservation r = budgets.reserve(RUN, Estimate.of(usd("1").dividedBy(3)));
    assertThat(r.amountPico()).isEqualTo(333_333_333_334L);
    r.settle(usd("2").dividedBy(7)); // 0.285714285714 2857...
    assertThat(budgets.statuses(RUN).get(0).spent()).isEqualTo(usd("0.285714285715"));
  }

  @Test
  void unpriced_usage_settles_to_the_reserved_amount_never_to_zero() {
    budgets.add(Budget.forTeam("nlp").limit(usd("10")).build());
    Reservation r = budgets.reserve(RUN, Estimate.of(usd("0.4")));
    r.settle(pricing.price("p", "unknown-model", Usage.ofTokens(10, 10), T0));
    assertThat(budgets.statuses(RUN).get(0).spent()).isEqualTo(usd("0.4"));
    assertThat(budgets.stats().unpricedSettlements()).isEqualTo(1);
  }

  @Test
  void amounts_in_another_currency_are_a_programming_error() {
    budgets.add(Budget.forTeam("nlp").limit(usd("10")).build());
    assertThatThrownBy(() -> budgets.reserve(RUN, Estimate.of(Money.of("1", "EUR"))))
        .isInstanceOf(CurrencyMismatchException.class);
    Reservation r = budgets.reserve(RUN, Estimate.of(usd("1")));
    assertThatThrownBy(() -> r.settle(Money.of("1", "EUR"))).isInstanceOf(CurrencyMismatchException.class);
    assertThat(r.isOpen()).isTrue();
  }

  @Test
  void a_forgotten_reservation_expires_after_its_ttl_and_settles_to_its_full_amount() {
    Budget team = Budget.forTeam("nlp").limit(usd("10")).build();
    budgets.add(team);
    Reservation forgotten = budgets.reserve(RUN, Estimate.of(usd("2")));

    clock.advance(Duration.ofMinutes(4));
    assertThat(budgets.expireOverdue()).isZero();
    assertThat(status(team).reserved()).isEqualTo(usd("2"));

    clock.advance(Duration.ofMinutes(2));
    assertThat(budgets.expireOverdue()).isEqualTo(1);
    assertThat(forgotten.state()).isEqualTo(Reservation.State.EXPIRED);
    assertThat(status(team).spent()).isEqualTo(usd("2"));
    assertThat(status(team).reserved()).isEqualTo(usd("0"));
    assertThat(forgotten.settle(usd("0.5"))).isFalse(); // too late: the expiry was the settlement
    assertThat(status(team).spent()).isEqualTo(usd("2"));
    assertThat(events.of(BudgetEvent.Type.RESERVATION_EXPIRED)).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("settled to its full amount", "team=nlp"));
    assertThat(budgets.stats().expired()).isEqualTo(1);
    assertThat(budgets.stats().lateFinishes()).isEqualTo(1);
  }

  @Test
  void expiry_also_runs_by_itself_as_work_goes_on() {
    budgets.add(Budget.forTeam("nlp").limit(usd("10")).build());
    Reservation forgotten = budgets.reserve(RUN, Estimate.of(usd("2")));
    clock.advance(Duration.ofMinutes(6));
    budgets.reserve(RUN, Estimate.of(usd("1"))).settle(usd("1"));
    assertThat(forgotten.state()).isEqualTo(Reservation.State.EXPIRED);
    assertThat(budgets.statuses(RUN).get(0).spent()).isEqualTo(usd("3"));
  }

  @Test
  void work_with_no_budget_is_admitted_and_nothing_is_counted() {
    budgets.add(Budget.forTeam("vision").limit(usd("1")).build());
    Reservation r = budgets.reserve(RUN, Estimate.of(usd("100")));
    assertThat(r.settle(usd("100"))).isTrue();
    assertThat(budgets.scope(RUN).statuses()).isEmpty();
  }

  @Test
  void a_budget_added_later_applies_to_a_scope_already_bound() {
    BudgetScope scope = budgets.scope(RUN);
    scope.reserve(usd("5")).settle(usd("5"));
    budgets.add(Budget.forTeam("nlp").limit(usd("1")).build());
    assertThatThrownBy(() -> scope.reserve(usd("2"))).isInstanceOf(BudgetExceededException.class);
  }
}
