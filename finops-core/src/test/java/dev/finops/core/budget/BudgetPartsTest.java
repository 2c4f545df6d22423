package dev.finops.core.budget;

import static dev.finops.core.budget.BudgetFixtures.T0;
import static dev.finops.core.budget.BudgetFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The parts behind {@link BudgetManager}, each on its own contract. */
class BudgetPartsTest {

  @Test
  void a_saturating_sum_stops_at_long_max_and_ignores_zero() {
    SaturatingSum s = new SaturatingSum();
    s.add(0);
    assertThat(s.get()).isZero();
    s.add(Long.MAX_VALUE - 5);
    s.add(3);
    assertThat(s.get()).isEqualTo(Long.MAX_VALUE - 2);
    s.add(10);
    assertThat(s.get()).isEqualTo(Long.MAX_VALUE);
    s.add(Long.MAX_VALUE);
    assertThat(s.get()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void the_registry_lists_budgets_by_tag_key_then_registration_and_changes_its_stamp() {
    BudgetRegistry r = new BudgetRegistry(BudgetStore.inMemory(), ManualClock.at(T0), Money.USD);
    Budget run = Budget.forRun("r1").limit(usd("1")).build();
    Budget teamB = Budget.forTeam("b").limit(usd("1")).build();
    Budget org = Budget.forOrg("acme").limit(usd("1")).build();
    Budget teamA = Budget.forTeam("a").limit(usd("1")).build();
    long stamp = r.stamp();
    r.add(run);
    r.add(teamB);
    r.add(org);
    r.add(teamA);
    assertThat(r.stamp()).isGreaterThan(stamp);
    assertThat(r.budgets()).containsExactly(org, teamB, teamA, run);
    assertThatIllegalArgumentException().isThrownBy(() -> r.add(Budget.forTeam("b").limit(usd("2")).build()))
        .withMessageStartingWith("scope:");

    Chain c = r.resolve(Tags.builder().org("acme").team("a").run("r1").build(), T0.toEpochMilli());
    assertThat(c.budgets).extracting(b -> b.budget).containsExactly(org, teamA, run);

    assertThat(r.remove(teamB)).isTrue();
    assertThat(r.remove(teamB)).isFalse();
    assertThat(r.find(teamB)).isNull();
    assertThat(r.budgets()).containsExactly(org, teamA, run);
  }

  @Test
  void the_sweeper_expires_only_overdue_reservations_through_its_callback() {
    List<Reservation> expired = new ArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    ManualClock clock = ManualClock.at(T0);
    BudgetManager m = BudgetManager.builder().clock(clock).build();
    m.add(Budget.forTeam("nlp").limit(usd("10")).build());
    Sweeper sweeper = new Sweeper(1_000, T0.toEpochMilli(), r -> {
      calls.incrementAndGet();
      expired.add(r);
      return r.release();
    });
    Reservation open = m.reserve(BudgetFixtures.RUN, Estimate.of(usd("1")));
    sweeper.admitted(open, 1, T0.toEpochMilli());
    assertThat(sweeper.sweep(T0.toEpochMilli(), true)).isZero();
    assertThat(sweeper.sweep(open.reservedAt().toEpochMilli() + m.reservationTtl().toMillis(), true)).isEqualTo(1);
    assertThat(expired).containsExactly(open);
    assertThat(sweeper.sweep(Long.MAX_VALUE / 2, true)).isZero(); // finished: dropped, not visited again
    assertThat(calls).hasValue(1);
  }
}
